"""The lead files patched by the write of one lead (issue 13, ``chainmap.crm.leadfiles``).

After ``add_lead``, ``move_lead`` or ``update_lead`` the files of the new revision are on
disk before any report runs, made from those of the revision before; restored, they
equal what reading every lead and move gives, after every write of a random sequence,
and the reports on them equal the reports with no cache at all. A write that another
one came before, or that failed, patches nothing.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap import cache
from chainmap.crm.history import MOVES_CACHE, _Moves
from chainmap.crm.leadfiles import LEADS_CACHE, kept_lead_files
from chainmap.crm.leads import _finished, _read_frame, _restored
from chainmap.labels import STAGES
from tests.test_fast_pipeline import _equal
from tests.test_pipeline_history import _reports, untidy_workspace


@pytest.fixture(scope="module")
def pipeline_db(tmp_path_factory):
    """A workspace with the sample and 1,500 more leads (files are kept from 1,000)."""
    return untidy_workspace(tmp_path_factory.mktemp("leadfiles") / "w.db", 1500, seed=11)


def copy_with_cache(db, tmp_path, monkeypatch) -> Path:
    """A copy of workspace ``db`` in ``tmp_path``, with its own cache folder (no files)."""
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "cache"))
    return Path(shutil.copyfile(db, tmp_path / "w.db"))


@contextlib.contextmanager
def opened_with_files(db):
    """Workspace ``db`` open, the lead files of its state made by a report."""
    with chainmap.open(db) as ws:
        chainmap.list_leads(ws)  # makes both files
        assert _files(ws) is not None
        yield ws


@pytest.fixture
def workspace(pipeline_db, tmp_path, monkeypatch):
    """A copy of the workspace, its cache folder, and the lead files of its state made."""
    with opened_with_files(copy_with_cache(pipeline_db, tmp_path, monkeypatch)) as ws:
        yield ws


def _files(ws) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The lead frame (as the reports finish it) and the moves, from the files of the
    workspace's state."""
    key = ws.store.cache_key()
    read, moves = cache.load(LEADS_CACHE, key), cache.load(MOVES_CACHE, key)
    if read is None or moves is None:
        return None
    restored = _Moves.restore(moves)
    return _finished(ws, _restored(read)), restored._at(np.arange(len(restored)))


def _read_all(ws) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same, read from every lead and move."""
    moves = _Moves.of(ws.store.move_columns())
    return _finished(ws, _read_frame(ws)), moves._at(np.arange(len(moves)))


def _assert_patched(ws) -> None:
    found = _files(ws)
    assert found is not None, "the write left no files for its revision"
    expected = _read_all(ws)
    pd.testing.assert_frame_equal(found[0], expected[0])
    pd.testing.assert_frame_equal(found[1], expected[1])


def test_after_every_write_of_a_random_sequence_the_files_equal_a_full_read(workspace,
                                                                             monkeypatch):
    ws = workspace
    rng = np.random.default_rng(5)
    leads = ws.table("leads")
    firms = ws.table("companies")["id"].tolist()
    products = ws.table("products")["id"].tolist()
    kinds = []
    for step in range(36):
        lead = str(leads["id"].iloc[int(rng.integers(0, len(leads)))])
        kind = ("move", "add", "update")[step % 3]
        # later with every step: a move is never dated before a lead's last one
        day = f"2030-{1 + step // 7:02d}-{1 + (step % 7) * 4:02d}"
        if kind == "move":
            current = ws.table("leads").set_index("id").loc[lead, "stage"]
            stage = str(rng.choice([s for s in STAGES if s != current]))
            chainmap.move_lead(ws, lead, stage, date=day,
                               reason="去了别处" if stage == "lost" else None)
        elif kind == "add":
            lead = chainmap.add_lead(ws, str(rng.choice(firms)), date=day, force=True,
                                     product=str(rng.choice(products)) if step % 2 else None,
                                     owner=None if step % 4 else f"新人{step}")
        else:
            chainmap.update_lead(ws, lead, owner=None if step % 2 else f"负责人{step}",
                                 investment=None if step % 5 == 2 else float(step) + 0.25,
                                 contract_date=day if step % 4 == 1 else None)
        kinds.append(kind)
        _assert_patched(ws)
    assert {"move", "add", "update"} <= set(kinds)
    # the reports on the patched files are the reports on every row read
    patched = _reports(ws)
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")
    with chainmap.open(ws.store.path) as fresh:
        _equal(patched, _reports(fresh))


def test_values_no_row_held_before_are_added_to_the_files(workspace):
    """A date and an owner no lead had get new codes; the new lead's firm is named."""
    ws = workspace
    spare = sorted(ws.table("companies")["id"])[-1]
    lid = chainmap.add_lead(ws, spare, owner="从未出现的负责人", date="2027-01-31",
                            force=True)
    chainmap.move_lead(ws, lid, "visited", date="2027-02-28")
    _assert_patched(ws)
    frame = _files(ws)[0].set_index("id")
    assert frame.loc[lid, ["stage", "since", "owner"]].tolist() == \
        ["visited", "2027-02-28", "从未出现的负责人"]
    assert frame.loc[lid, "company_name"] == \
        ws.table("companies").set_index("id").loc[spare, "name"]


def test_a_write_another_came_before_patches_nothing(workspace):
    """Another write between the state noted and the transaction: no file is made (the
    patch would miss it); the next report reads everything, correctly."""
    ws = workspace
    before = ws.store.cache_key()
    with chainmap.open(ws.store.path) as other, kept_lead_files(ws) as touched:
        chainmap.set_overdue_days(other, 90)  # commits between the note and the write
        with ws.store.transaction():
            ws.store.update_lead("L0001", {"owner": "别人先写"}, "2026-06-01 10:00:00")
            touched("L0001")
    assert ws.store.cache_key() != before
    assert _files(ws) is None
    assert chainmap.list_leads(ws).set_index("id").loc["L0001", "owner"] == "别人先写"


def test_a_failed_write_patches_nothing(workspace):
    ws = workspace
    key = ws.store.cache_key()
    stage = ws.table("leads").set_index("id").loc["L0001", "stage"]
    with pytest.raises(chainmap.errors.ArgumentError, match="already at stage"):
        chainmap.move_lead(ws, "L0001", stage)
    assert ws.store.cache_key() == key  # nothing written: the files of this state stand
    _assert_patched(ws)


def test_a_lead_write_without_the_files_before_it_leaves_them_to_the_next_report(
        workspace, tmp_path, monkeypatch):
    ws = workspace
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "empty"))  # no files
    chainmap.move_lead(ws, "L0002", "lost", reason="预算不足", date="2026-07-01")
    assert _files(ws) is None
    assert chainmap.list_leads(ws).set_index("id").loc["L0002", "stage"] == "lost"
    _assert_patched(ws)  # the report made them


def test_writes_of_no_lead_keep_the_files_as_they_are(workspace):
    """An activity, a follow-up (added, done), an actual, a request (added, progress,
    closed), a visit and a 1+1+1 assignment change no lead, move or firm: each leaves
    the files of the state before under its own revision."""
    ws = workspace
    leads = ws.table("leads").set_index("id")
    signed = leads.index[leads["stage"] == "signed"][0]
    firm = leads.loc[signed, "company_id"]
    writes = [
        lambda: chainmap.assign_service(ws, firm, officer="王科长"),
        lambda: chainmap.log_activity(ws, "L0001", "visit", "看了厂房", date="2026-07-01"),
        lambda: chainmap.add_followup(ws, "L0001", "2026-08-01", "寄合同"),
        lambda: chainmap.complete_followup(ws, fid[0], note="寄出"),
        lambda: chainmap.record_actual(ws, signed, "2026-07-31", invested=1.5),
        lambda: rid.append(chainmap.add_request(ws, firm, "缺电工", "labour",
                                                date="2026-07-02")),
        lambda: chainmap.record_progress(ws, rid[0], "联系了人社局", date="2026-07-03"),
        lambda: chainmap.close_request(ws, rid[0], "招到了", date="2026-07-04"),
        lambda: chainmap.log_visit(ws, firm, "service", "上门服务", date="2026-07-05"),
    ]
    fid: list[str] = []
    rid: list[str] = []
    for k, write in enumerate(writes):
        key = ws.store.cache_key()
        made = write()
        if k == 2:
            fid.append(made)
        assert ws.store.cache_key() != key  # a new revision each time
        _assert_patched(ws)


def test_a_move_of_a_lead_the_write_did_not_name_leaves_the_lead_file_unpatched(workspace):
    """The lead file is patched with the named leads' rows only: a move of another lead
    (its ``since`` not read again) leaves it to the next report; the moves are patched."""
    ws = workspace
    store = ws.store
    with kept_lead_files(ws) as touched, store.transaction():
        stage = ws.table("leads").set_index("id").loc["L0002", "stage"]
        to = "visited" if stage != "visited" else "contacted"
        store.move_lead("L0002", to, None, "2026-06-01 10:00:00",
                        {"lead_id": "L0002", "from_stage": stage, "to_stage": to,
                         "date": "2026-09-09", "at": "2026-06-01 10:00:00", "by": "t",
                         "note": None, "reason": None})
        store.update_lead("L0001", {"owner": "另一位"}, "2026-06-01 10:00:00")
        touched("L0001")  # names L0001 only
    key = store.cache_key()
    assert cache.load(LEADS_CACHE, key) is None
    assert cache.load(MOVES_CACHE, key) is not None
    frame = chainmap.list_leads(ws).set_index("id")
    assert frame.loc["L0002", ["stage", "since"]].tolist() == [to, "2026-09-09"]
    assert frame.loc["L0001", "owner"] == "另一位"
    _assert_patched(ws)
