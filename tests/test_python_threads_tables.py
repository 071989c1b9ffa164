"""A workspace is usable from any thread, and ``Workspace.table()`` hands out a frame of
the caller's own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import chainmap

HOME = "安徽省/马鞍山市/当涂县"
CHAIN = "智能家电"


def _in_thread(call):
    """The result of ``call()`` run in a new thread (its exception re-raised here)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result(timeout=120)


def test_a_workspace_opened_in_one_thread_works_in_another(sample_ws):
    expected = chainmap.gaps(sample_ws, CHAIN, home=HOME)
    got = _in_thread(lambda: chainmap.gaps(sample_ws, CHAIN, home=HOME))
    pd.testing.assert_frame_equal(got, expected)
    lead = _in_thread(lambda: chainmap.add_lead(sample_ws, "gree", by="t", force=True))
    assert chainmap.lead_details(sample_ws, lead).lead["company"] == "gree"
    assert _in_thread(lambda: chainmap.move_lead(sample_ws, lead, "contacted")) == "contacted"
    with pytest.raises(ValueError, match="reason="):  # errors cross the thread as they are
        _in_thread(lambda: chainmap.move_lead(sample_ws, lead, "lost"))


def test_a_workspace_in_a_plain_thread(tmp_path):
    ws = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(ws, chainmap.sample_path())
    out: dict[str, object] = {}

    def work() -> None:
        try:
            out["gaps"] = len(chainmap.gaps(ws, CHAIN, home=HOME))
            out["lead"] = chainmap.add_lead(ws, "gree", force=True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            out["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    assert "error" not in out, out.get("error")
    assert out["gaps"] > 0 and str(out["lead"]).startswith("L")
    ws.close()


def test_concurrent_reads_and_writes_from_several_threads(sample_ws):
    expected = chainmap.gaps(sample_ws, CHAIN, home=HOME)
    barrier = threading.Barrier(4)

    def read(_: int) -> pd.DataFrame:
        barrier.wait(60)
        for _ in range(5):
            report = chainmap.gaps(sample_ws, CHAIN, home=HOME)
        return report

    def write(i: int) -> list[str]:
        barrier.wait(60)
        return [chainmap.add_lead(sample_ws, "gree", note=f"{i}-{n}", force=True)
                for n in range(10)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        reads = [pool.submit(read, i) for i in range(2)]
        writes = [pool.submit(write, i) for i in range(2)]
        for future in reads:
            pd.testing.assert_frame_equal(future.result(timeout=120), expected)
        added = [lead for future in writes for lead in future.result(timeout=120)]
    assert len(set(added)) == 20
    leads = sample_ws.table("leads")
    assert set(added) <= set(leads["id"])


def test_concurrent_reads_on_either_store(make_ws):
    ws = make_ws(chainmap.sample_path())
    expected = chainmap.gaps(ws, CHAIN, home=HOME)
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = list(pool.map(lambda _: chainmap.gaps(ws, CHAIN, home=HOME), range(4)))
    for report in got:
        pd.testing.assert_frame_equal(report, expected)


def test_a_changed_table_changes_no_later_result(make_ws):
    ws = make_ws(chainmap.sample_path())
    before = chainmap.gaps(ws, CHAIN, home=HOME)
    companies = ws.table("companies")
    companies["province"] = "x"
    companies.loc[:, "city"] = "y"
    del companies["name"]
    products = ws.table("products")
    products.iloc[0, 0] = "changed"
    assert len(ws.table("companies")) > 0
    assert (ws.table("companies")["province"] != "x").all()
    assert ws.table("products").iloc[0, 0] != "changed"
    pd.testing.assert_frame_equal(chainmap.gaps(ws, CHAIN, home=HOME), before)
    tables = ws.tables()
    tables["companies"]["name"] = "z"
    assert (ws.table("companies")["name"] != "z").all()


def test_each_call_gives_a_new_frame(sample_ws):
    assert sample_ws.table("companies") is not sample_ws.table("companies")
    assert sample_ws._table("companies") is sample_ws._table("companies")  # internal, shared
