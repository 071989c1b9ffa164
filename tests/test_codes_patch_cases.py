"""The patched codes against the built ones, case by case (a review's adversarial set).

tests/test_codes_patch.py has the main cases on 3,000 synthetic firms; these use a
dozen firms with ids of every kind (long, non-ASCII, outside the BMP, sorting between
others), closed and reopened firms, regions that appear and vanish, links decided back
and forth, supplies between firms that close, merges, firm-list imports, USCC merges,
a fuzz of random writes, and the ways a step could be recorded wrongly (an exception
inside a declaration, a statement prepared inside one and run after it, the lead
callback of an import, the push's change log, a restore, a second connection, a trigger
of the user's, ids that are not text).
"""
from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap import cache
from tests.test_codes_patch import assert_same, built_codes, first_codes, write_csv

gaps_module = importlib.import_module("chainmap.analysis.gaps")

PRODUCTS = ["p1", "p2", "p3", "p4", "p5", "p6"]


def dataset(folder: Path, companies, caps=None, supplies=None, products=None, chains=False):
    cols = ["id", "name", "province", "city", "district", "revenue", "status"]
    write_csv(folder, "companies.csv", pd.DataFrame(companies, columns=cols))
    if chains:
        write_csv(folder, "chains.csv", pd.DataFrame({"id": ["c1"], "name": ["链"]}))
        prods = products or PRODUCTS
        write_csv(folder, "products.csv", pd.DataFrame(
            {"id": prods, "name": [f"产品{p}" for p in prods], "chains": "c1"}))
    else:
        prods = products or PRODUCTS
        write_csv(folder, "products.csv", pd.DataFrame(
            {"id": prods, "name": [f"产品{p}" for p in prods]}))
    if caps is not None:
        write_csv(folder, "capabilities.csv",
                  pd.DataFrame(caps, columns=["company", "product", "status"]))
    if supplies is not None:
        write_csv(folder, "supplies.csv",
                  pd.DataFrame(supplies, columns=["supplier", "customer", "product"]))
    return folder


def F(i, prov="安徽省", city="马鞍山市", dist="当涂县", rev=1.0, status="active", name=None):
    return [i, name or f"公司{i}", prov, city, dist, rev, status]


BASE = [F("m"), F("b", "江苏省", "南京市", "江宁区", 5), F("bb", rev=None),
        F("企业甲", "上海市", None, "浦东新区", 3), F("a-very-long-identifier-0001", rev=2),
        F("x", status="closed"), F("𝔘nicode", "浙江省", "杭州市", "西湖区", 9),
        F("z", "江苏省", "苏州市", "吴中区", 4), F("c")]
BASE_CAPS = [["m", "p1", "confirmed"], ["m", "p2", "confirmed"], ["b", "p2", "confirmed"],
             ["bb", "p3", "suggested"], ["企业甲", "p1", "confirmed"],
             ["a-very-long-identifier-0001", "p4", "confirmed"], ["x", "p1", "confirmed"],
             ["𝔘nicode", "p5", "confirmed"], ["z", "p2", "rejected"], ["c", "p3", "confirmed"]]
BASE_SUP = [["m", "b", "p1"], ["b", "x", "p2"], ["z", "m", None], ["c", "企业甲", "p6"],
            ["𝔘nicode", "z", "p2"], ["m", "c", None]]


@pytest.fixture
def small(tmp_path, codes_kept):
    path = tmp_path / "w.db"
    with chainmap.open(path) as made:
        chainmap.import_dataset(made, dataset(tmp_path / "base", BASE, BASE_CAPS, BASE_SUP,
                                              chains=True))
        assert cache.load(gaps_module.CACHE_KIND, made.store.firms_key()) is not None
    return path


def check(path, monkeypatch, patched=True):
    got, read_all = first_codes(path, monkeypatch)
    assert read_all == (not patched)
    assert_same(got, built_codes(path))


def imp(path, folder):
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, folder)


def test_base_codes_equal(small, monkeypatch):
    got, read_all = first_codes(small, monkeypatch)
    assert not read_all
    assert_same(got, built_codes(small))


def test_sequence(small, tmp_path, monkeypatch):
    # reopen x, close m, move b to a new province, new ids sort between, longer id
    imp(small, dataset(tmp_path / "u1", [
        F("x"), F("m", status="closed"), F("b", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", 7),
        F("ba"), F("a-very-long-identifier-0001-and-much-longer-still-ok"), F("企业乙"),
        F("𝔘nicode2", rev=None), F("")[:0] or F("0")],
        [["ba", "p6", "confirmed"], ["b", "p2", "rejected"], ["企业乙", "p5", "confirmed"],
         ["𝔘nicode2", "p1", "confirmed"], ["0", "p4", "confirmed"]],
        [["x", "b", "p3"], ["ba", "z", None], ["z", "ba", "p6"], ["企业乙", "m", "p1"]]))
    check(small, monkeypatch)
    # only supplies between existing firms (incl. a customer closed)
    imp(small, dataset(tmp_path / "u2", [],
                       supplies=[["z", "c", "p5"], ["c", "z", None], ["b", "m", "p2"]]))
    check(small, monkeypatch)
    # confirm back, product only link removed (p4 at long id & "0"), firm loses links
    imp(small, dataset(tmp_path / "u3", [],
                       [["b", "p2", "confirmed"], ["a-very-long-identifier-0001", "p4",
                                                   "rejected"], ["0", "p4", "rejected"],
                        ["c", "p3", "rejected"], ["bb", "p3", "confirmed"]]))
    check(small, monkeypatch)
    # all firms of 江苏省 closed; region values gone
    imp(small, dataset(tmp_path / "u4", [F("z", "江苏省", "苏州市", "吴中区", status="closed")]))
    check(small, monkeypatch)
    # a brand new region value (new city code) and reopen z there
    imp(small, dataset(tmp_path / "u5", [F("z", "西藏自治区", "拉萨市", "城关区")]))
    check(small, monkeypatch)


def test_merge_with_supplies_between(small, tmp_path, monkeypatch):
    with chainmap.open(small) as ws:
        chainmap.merge_firms(ws, "z", "𝔘nicode", apply=True, by="t")
    check(small, monkeypatch)
    with chainmap.open(small) as ws:
        chainmap.merge_firms(ws, "m", "c", apply=True, by="t")
    check(small, monkeypatch)


def test_link_decisions(small, monkeypatch):
    for status in ("rejected", "confirmed", "rejected"):
        with chainmap.open(small) as ws:
            ws.store.write_links(pd.DataFrame({
                "company_id": ["m", "b", "c"], "product_id": ["p1", "p5", "p3"],
                "status": status, "evidence": None, "source": "t", "field": None,
                "text": None}), mode="decide")
        check(small, monkeypatch)


def test_close_all_then_reopen(small, tmp_path, monkeypatch):
    ids = [r[0] for r in BASE]
    imp(small, dataset(tmp_path / "u1", [F(i, status="closed") for i in ids]))
    check(small, monkeypatch)
    imp(small, dataset(tmp_path / "u2", [F(i) for i in ids[::-1]]))
    check(small, monkeypatch)


def _triples():
    return [("安徽省", "马鞍山市", "当涂县"), ("上海市", None, "浦东新区"),
            ("江苏省", "南京市", "江宁区"), ("浙江省", "杭州市", "西湖区"),
            ("江苏省", "苏州市", "吴中区"), ("安徽省", "马鞍山市", "花山区"),
            ("安徽省", "合肥市", "蜀山区"), ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
            ("西藏自治区", "拉萨市", "城关区"), ("浙江省", "宁波市", "鄞州区"),
            ("江苏省", "无锡市", "滨湖区"), ("广东省", "深圳市", "南山区")]


ALPHA = ["a", "b", "z", "0", "企", "业", "𝔘", "-", "Z", "é"]
ALL_PRODUCTS = [f"p{i}" for i in range(1, 10)]


def _rid(rng, taken):
    while True:
        s = "".join(rng.choice(ALPHA) for _ in range(int(rng.integers(1, 9))))
        if s not in taken:
            taken.add(s)
            return s


@pytest.mark.parametrize("seed", range(20))
def test_fuzz(tmp_path, monkeypatch, codes_kept, seed):
    rng = np.random.default_rng(seed)
    triples = _triples()
    taken: set = set()
    path = tmp_path / "w.db"

    def firm(i, status=None):
        p, c, d = triples[int(rng.integers(len(triples)))]
        rev = None if rng.random() < 0.3 else float(rng.integers(1, 100))
        st = status or ("closed" if rng.random() < 0.15 else "active")
        return [i, f"名{i}", p, c, d, rev, st]

    def caps_for(ids, n):
        out = {}
        for _ in range(n):
            f = ids[int(rng.integers(len(ids)))]
            pr = ALL_PRODUCTS[int(rng.integers(len(ALL_PRODUCTS) - 2))]
            out[(f, pr)] = rng.choice(["confirmed", "confirmed", "suggested", "rejected"])
        return [[f, pr, s] for (f, pr), s in out.items()]

    def sups_for(ids, n):
        out = set()
        for _ in range(n):
            a, b = (ids[int(rng.integers(len(ids)))] for _ in range(2))
            pr = None if rng.random() < 0.3 else ALL_PRODUCTS[int(rng.integers(len(ALL_PRODUCTS)))]
            if a != b:
                out.add((a, b, pr))
        return [list(t) for t in out]

    ids = [_rid(rng, taken) for _ in range(30)]
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, dataset(tmp_path / "base", [firm(i) for i in ids],
                                            caps_for(ids, 50), sups_for(ids, 30),
                                            products=ALL_PRODUCTS, chains=True))
    check(path, monkeypatch)
    for step in range(12):
        op = rng.choice(["import", "import", "supplies", "links", "merge", "two"])
        folder = tmp_path / f"s{step}"
        reps = 2 if op == "two" else 1
        for r in range(reps):
            if op in ("import", "two"):
                old = list(rng.choice(ids, size=min(len(ids), int(rng.integers(0, 8))),
                                      replace=False))
                new = [_rid(rng, taken) for _ in range(int(rng.integers(0, 4)))]
                ids.extend(new)
                touched = old + new
                comp = [firm(i) for i in touched]
                involved = touched or ids
                imp(path, dataset(folder / str(r), comp, caps_for(involved, 6),
                                  sups_for(ids, 4) if touched else [],
                                  products=ALL_PRODUCTS))
            elif op == "supplies":
                imp(path, dataset(folder, [], [], sups_for(ids, 5), products=ALL_PRODUCTS))
            elif op == "links":
                chosen = caps_for(ids, 5)
                with chainmap.open(path) as ws:
                    ws.store.write_links(pd.DataFrame({
                        "company_id": [c[0] for c in chosen],
                        "product_id": [c[1] for c in chosen],
                        "status": [rng.choice(["confirmed", "rejected"]) for _ in chosen],
                        "evidence": None, "source": "t", "field": None, "text": None}),
                        mode="decide")
            elif op == "merge":
                keep, drop = rng.choice(ids, 2, replace=False)
                with chainmap.open(path) as ws:
                    try:
                        chainmap.merge_firms(ws, keep, drop, apply=True, by="t")
                        ids.remove(drop)
                    except chainmap.ChainmapError:  # two USCCs: refused, nothing written
                        continue
        check(path, monkeypatch)


def steps_of(path):
    with chainmap.open(path) as ws:
        return ws.store.firm_steps()


def test_exception_inside_firm_rows_then_undeclared(small, monkeypatch):
    with chainmap.open(small) as ws:
        with ws.store.transaction():
            try:
                with ws.store.firm_rows(["m"]):
                    ws.store.conn.execute("UPDATE companies SET revenue = 77 WHERE id = 'm'")
                    raise ValueError
            except ValueError:
                pass
            ws.store.conn.execute("UPDATE companies SET revenue = 78 WHERE id = 'b'")
    assert steps_of(small) == []
    check(small, monkeypatch, patched=False)


def test_nested_firm_rows_inner_raises(small, monkeypatch):
    with chainmap.open(small) as ws:
        with ws.store.transaction(), ws.store.firm_rows(["m"]):
            try:
                with ws.store.firm_rows(["b"]):
                    raise ValueError
            except ValueError:
                pass
            ws.store.conn.execute("UPDATE companies SET revenue = 77 WHERE id = 'm'")
        with ws.store.transaction():
            with ws.store.firm_rows(["c"]):
                pass
            ws.store.conn.execute("UPDATE companies SET revenue = 79 WHERE id = 'z'")
    assert steps_of(small) == []
    check(small, monkeypatch, patched=False)


def test_executemany_prepared_in_block(small, monkeypatch):
    sql = "UPDATE companies SET revenue = ? WHERE id = ?"
    with chainmap.open(small) as ws:
        with ws.store.transaction():
            with ws.store.firm_rows(["m"]):
                ws.store.conn.executemany(sql, [(1.0, "m")])
            ws.store.conn.executemany(sql, [(2.0, "b")])
    assert steps_of(small) == []
    check(small, monkeypatch, patched=False)


def test_then_callback_writes_firms(small, tmp_path, monkeypatch):
    """The lead callback of an import (``then``) writing a firm table outside the block."""
    import chainmap.store.sqlite.dataset as ds

    real = ds.DatasetWrites.write_dataset
    with chainmap.open(small) as ws:
        def closing() -> None:
            ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = 'b'")

        monkeypatch.setattr(ds.DatasetWrites, "write_dataset",
                            lambda self, d, progress=None, then=None: real(self, d, progress,
                                                                           closing))
        chainmap.import_dataset(ws, dataset(tmp_path / "u", [F("m", rev=3)]))
        monkeypatch.setattr(ds.DatasetWrites, "write_dataset", real)
    assert steps_of(small) == []
    check(small, monkeypatch, patched=False)


def test_change_log_triggers(small, tmp_path, monkeypatch):
    with chainmap.open(small) as ws:
        ws.store.start_change_log()
    check(small, monkeypatch)  # no data change: the codes on disk stay
    imp(small, dataset(tmp_path / "u", [F("m", status="closed"), F("new1")],
                       [["new1", "p1", "confirmed"]], [["new1", "b", "p2"]]))
    assert len(steps_of(small)) == 1
    check(small, monkeypatch)
    with chainmap.open(small) as ws:
        chainmap.merge_firms(ws, "new1", "b", apply=True, by="t")
    check(small, monkeypatch)


def test_restore_then_import(small, tmp_path, monkeypatch):
    with chainmap.open(small) as ws:
        chainmap.backup(ws, tmp_path / "bk.db")
    imp(small, dataset(tmp_path / "u1", [F("m", status="closed"), F("n1")],
                       [["n1", "p2", "confirmed"]]))
    check(small, monkeypatch)
    chainmap.restore(tmp_path / "bk.db", small)
    assert steps_of(small) == []
    check(small, monkeypatch, patched=False)
    imp(small, dataset(tmp_path / "u2", [F("n2"), F("b", status="closed")],
                       [["n2", "p2", "confirmed"]], [["n2", "m", None]]))
    check(small, monkeypatch)


def test_two_connections(small, tmp_path, monkeypatch):
    a, b = chainmap.open(small), chainmap.open(small)
    try:
        chainmap.import_dataset(a, dataset(tmp_path / "u1", [F("n1")],
                                           [["n1", "p1", "confirmed"]]))
        with b.store.transaction():
            b.store.conn.execute("UPDATE capabilities SET status='rejected' WHERE company_id='m'")
        chainmap.import_dataset(a, dataset(tmp_path / "u2", [F("n2")],
                                           [["n2", "p1", "confirmed"]]))
        assert len(a.store.firm_steps()) == 1
    finally:
        a.close()
        b.close()
    check(small, monkeypatch, patched=False)


def test_import_firms(small, tmp_path, monkeypatch):
    sheet = tmp_path / "firms.csv"
    sheet.write_text("企业名称,所在地区,主营产品,登记状态\n公司m,安徽省马鞍山市当涂县,x,注销\n"
                     "新公司,江苏省南京市江宁区,y,存续\n", encoding="utf-8")
    with chainmap.open(small) as ws:
        chainmap.import_firms(ws, sheet, as_of="2026-11-01")
        assert ws.store.firm_steps()
    check(small, monkeypatch)


def test_empty_string_city_code_declared(small, monkeypatch):
    with chainmap.open(small) as ws:
        with ws.store.transaction(), ws.store.firm_rows(["m"]):
            ws.store.conn.execute("UPDATE companies SET city_code = '' WHERE id = 'm'")
    check(small, monkeypatch)


def test_non_text_ids_in_a_written_dataset(small, monkeypatch):
    """A Dataset as ``pull`` builds it (no validation): a firm id that is a number."""
    from chainmap.io import Dataset
    from chainmap.store.base import TABLE_COLUMNS
    with chainmap.open(small) as ws:
        frames = {n: ws.store.table(n).iloc[:0] for n in TABLE_COLUMNS}
        firm = ws.store.table("companies").iloc[[0]].copy()
        firm["id"] = np.array([123], dtype=object)  # a Neo4j node with id: 123
        firm["status"] = "active"
        frames["companies"] = firm
        link = ws.store.table("capabilities").iloc[[0]].copy()
        link["company_id"] = np.array([123], dtype=object)
        link["status"] = "confirmed"
        frames["capabilities"] = link
        ws.store.write_dataset(Dataset(**frames))  # noted as stored: '123'
        assert "123" in set(ws.table("companies")["id"])
    check(small, monkeypatch)


def test_merge_by_uscc(tmp_path, monkeypatch, codes_kept):
    importlib.import_module("chainmap.synth").synth(tmp_path / "synth", firms=200,
                                                   products=20, seed=5)
    path = tmp_path / "w.db"
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, tmp_path / "synth")
        firms = ws.table("companies")
    uscc = firms["uscc"].iloc[0]
    folder = tmp_path / "u"
    write_csv(folder, "companies.csv", pd.DataFrame({
        "id": ["newid"], "name": ["改名公司"], "uscc": [uscc], "province": ["江苏省"],
        "city": ["南京市"], "district": ["江宁区"], "revenue": [1.0]}))
    write_csv(folder, "products.csv",
              pd.read_csv(tmp_path / "synth" / "products.csv")[["id", "name"]])
    write_csv(folder, "capabilities.csv",
              pd.DataFrame({"company": ["newid"], "product": ["p0001"]}))
    write_csv(folder, "supplies.csv", pd.DataFrame({"supplier": ["newid"],
                                                    "customer": [firms["id"].iloc[5]],
                                                    "product": ["p0002"]}))
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, folder, merge_by_uscc=True)
    check(path, monkeypatch)


def test_dtype_width_after_longest_id_closed(small, tmp_path, monkeypatch):
    imp(small, dataset(tmp_path / "u", [F("a-very-long-identifier-0001", status="closed")]))
    got, read_all = first_codes(small, monkeypatch)
    built = built_codes(small)
    assert not read_all
    assert_same(got, built)
    assert {k: v.dtype for k, v in got.items()} == {k: v.dtype for k, v in built.items()}


def test_trigger_writing_other_firms(small, tmp_path, monkeypatch):
    with chainmap.open(small) as ws:
        with ws.store.transaction():
            ws.store.conn.execute(
                "CREATE TRIGGER t_close AFTER INSERT ON capabilities BEGIN "
                "UPDATE companies SET status = 'closed' WHERE id = 'z'; END")
    check(small, monkeypatch, patched=False)
    imp(small, dataset(tmp_path / "u", [F("m", rev=2)], [["m", "p5", "confirmed"]]))
    assert steps_of(small) == []  # a trigger changed firms nobody named: read whole
    check(small, monkeypatch, patched=False)
