"""The reports' codes patched after a write that names its firms (analysis/codepatch.py).

An import, a merge or a link decision says which firms it changes
(``FirmMark.firm_rows``); the first report after it patches the codes kept for the
state before with those firms' rows instead of reading every firm. The patched codes
must equal, array for array, the codes made from every firm: checked after imports
that change, add, close and reopen firms, add and reject links, add supplies (with and
without a product), name a new product, move a firm to another district; after two
writes in a row, a merge and a link decision; and the reports on them must answer as
on built codes. Any write that does not name its firms makes the codes again.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap import cache
from chainmap.store.sqlite import firmmark

gaps_module = importlib.import_module("chainmap.analysis.gaps")
synth_module = importlib.import_module("chainmap.synth")
HOME = "安徽省/马鞍山市/当涂县"


@pytest.fixture
def ws(tmp_path, codes_kept):
    """3,000 synthetic firms in a workspace file, their codes on disk (saved by the import)."""
    synth_module.synth(tmp_path / "data", firms=3000, products=60, seed=3)
    path = tmp_path / "w.db"
    with chainmap.open(path) as made:
        chainmap.import_dataset(made, tmp_path / "data")
        assert cache.load(gaps_module.CACHE_KIND, made.store.firms_key()) is not None
    workspace = chainmap.open(path)
    yield workspace
    workspace.close()


def first_codes(path: Path, monkeypatch) -> tuple[dict[str, np.ndarray], bool]:
    """The codes the first report of a new process uses, and whether it read every firm."""
    read = []
    real = gaps_module._read_codes

    def counting(workspace):
        read.append(1)
        return real(workspace)

    monkeypatch.setattr(gaps_module, "_read_codes", counting)
    try:
        with chainmap.open(path) as fresh:
            arrays = {k: np.array(v) for k, v in gaps_module.gap_codes(fresh).arrays().items()}
    finally:
        monkeypatch.setattr(gaps_module, "_read_codes", real)
    return arrays, bool(read)


def built_codes(path: Path) -> dict[str, np.ndarray]:
    """The codes made from every firm of the workspace now."""
    with chainmap.open(path) as fresh:
        return {k: np.array(v) for k, v in gaps_module._read_codes(fresh).arrays().items()}


def assert_same(patched: dict[str, np.ndarray], built: dict[str, np.ndarray]) -> None:
    assert sorted(patched) == sorted(built)
    for name, value in built.items():
        assert patched[name].dtype.kind == value.dtype.kind, name
        assert patched[name].shape == value.shape, name
        assert np.array_equal(patched[name], value, equal_nan=value.dtype.kind == "f"), name


def write_csv(folder: Path, name: str, frame: pd.DataFrame) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)


def an_update(ws: chainmap.Workspace, folder: Path, seed: int) -> Path:
    """A dataset changing, adding and closing firms, links and supplies of ``ws``."""
    rng = np.random.default_rng(seed)
    firms = ws.table("companies")
    products = ws.table("products")
    chosen = firms.iloc[np.sort(rng.choice(len(firms), 60, replace=False))].copy()
    chosen["revenue"] = (chosen["revenue"].fillna(1) * 1.5).round(1)
    chosen.loc[chosen.index[:5], "status"] = "closed"  # five firms close
    chosen.loc[chosen.index[5], "revenue"] = None  # one loses its revenue
    moved = chosen.index[6]  # one moves to 当涂县
    chosen.loc[moved, ["province", "city", "district"]] = ["安徽省", "马鞍山市", "当涂县"]
    new = pd.DataFrame({  # new firms: ids at the start, in the middle, at the end
        "id": ["a-new", f"{firms['id'].iloc[1500]}x", "zz-new", "当涂新企业"],
        "name": ["甲新公司", "乙新公司", "丙新公司", "丁新公司"],
        "province": ["江苏省", "安徽省", "上海市", "安徽省"],
        "city": ["南京市", "马鞍山市", None, "马鞍山市"],
        "district": ["江宁区", "当涂县", "浦东新区", "当涂县"],
        "revenue": [5e4, None, 3.3, 12.0]})
    companies = pd.concat([chosen[["id", "name", "province", "city", "district", "revenue",
                                   "status"]], new], ignore_index=True)
    write_csv(folder, "companies.csv", companies)
    product_ids = products["id"].tolist()
    extra_product = pd.DataFrame({"id": ["p-new"], "name": ["新产品"], "chain": [None]})
    write_csv(folder, "products.csv", pd.concat(
        [products[["id", "name"]], extra_product[["id", "name"]]], ignore_index=True)
        .drop_duplicates("id"))
    links = ws.table("capabilities")
    mine = links[links["company_id"].isin(chosen["id"].iloc[7:20])]
    rejected = mine.iloc[:4].assign(status="rejected")  # four links rejected
    added = pd.DataFrame({
        "company_id": [*chosen["id"].iloc[20:30], "a-new", "a-new", "zz-new", "当涂新企业",
                       f"{firms['id'].iloc[1500]}x"],
        "product_id": [*rng.choice(product_ids, 10), "p-new", product_ids[0], product_ids[1],
                       product_ids[2], "p-new"],
        "status": "confirmed"})
    caps = pd.concat([rejected[["company_id", "product_id", "status"]], added],
                     ignore_index=True).drop_duplicates(["company_id", "product_id"])
    write_csv(folder, "capabilities.csv", caps.rename(
        columns={"company_id": "company", "product_id": "product"}))
    others = firms["id"].iloc[np.sort(rng.choice(len(firms), 8, replace=False))].tolist()
    supplies = pd.DataFrame({
        "supplier": [chosen["id"].iloc[30], "a-new", others[0], chosen["id"].iloc[0],
                     others[1], "zz-new"],
        "customer": [others[2], chosen["id"].iloc[31], "当涂新企业", others[3],
                     chosen["id"].iloc[1], others[4]],
        "product": [product_ids[3], None, "p-new", product_ids[4], None, product_ids[5]]})
    write_csv(folder, "supplies.csv", supplies)
    return folder


def test_an_import_of_some_firms_patches_the_codes_as_a_full_read_makes_them(
        ws, tmp_path, monkeypatch):
    before = ws.store.firms_key()
    chainmap.import_dataset(ws, an_update(ws, tmp_path / "u1", seed=1))
    steps = ws.store.firm_steps()
    assert [key for key, _ in steps] == [before]
    assert {"a-new", "zz-new", "当涂新企业"} <= set(steps[0][1])
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert not read_all  # patched from the codes the first import left
    assert "firm_rowid" in patched and "sup_rowid" in patched
    assert_same(patched, built_codes(ws.location))


def test_two_writes_in_a_row_and_a_merge_and_a_link_decision_are_patched_too(
        ws, tmp_path, monkeypatch):
    chainmap.import_dataset(ws, an_update(ws, tmp_path / "u1", seed=1))
    chainmap.import_dataset(ws, an_update(ws, tmp_path / "u2", seed=2))  # no report between
    assert len(ws.store.firm_steps()) == 2
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert not read_all
    assert_same(patched, built_codes(ws.location))

    # two firms without a USCC, each with links and supplies
    chainmap.merge_firms(ws, "a-new", "当涂新企业", apply=True, by="tester")
    links = ws.table("capabilities")
    ws.store.write_links(links.iloc[:3].assign(status="rejected", source="tester")
                         .loc[:, ["company_id", "product_id", "status", "evidence",
                                  "source", "field", "text"]], mode="decide")
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert not read_all
    assert_same(patched, built_codes(ws.location))


def test_the_reports_on_patched_codes_answer_as_on_built_ones(ws, tmp_path, monkeypatch):
    chainmap.import_dataset(ws, an_update(ws, tmp_path / "u1", seed=1))
    with chainmap.open(ws.location) as fresh:
        chain = fresh.table("chains")["id"].iloc[0]
        product = fresh.table("product_chains").query("chain_id == @chain")["product_id"]
        found = [chainmap.gaps(fresh, chain, home=home) for home in (HOME, "安徽省", "江苏省")]
        found.append(chainmap.targets(fresh, chain, product=product.iloc[0], home=HOME))
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")
    with chainmap.open(ws.location) as fresh:  # built from every firm
        expected = [chainmap.gaps(fresh, chain, home=home) for home in (HOME, "安徽省", "江苏省")]
        expected.append(chainmap.targets(fresh, chain, product=product.iloc[0], home=HOME))
    for got, want in zip(found, expected, strict=True):
        pd.testing.assert_frame_equal(got, want)


def test_a_write_that_does_not_name_its_firms_makes_them_again(ws, tmp_path, monkeypatch):
    chainmap.import_dataset(ws, an_update(ws, tmp_path / "u1", seed=1))
    with ws.store.transaction():  # a firm closed by a statement of its own
        ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE rowid = 7")
    assert ws.store.firm_steps() == []
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert read_all
    assert_same(patched, built_codes(ws.location))
    # a statement prepared inside a declaration and run again after it is still seen
    sql = "UPDATE companies SET revenue = 1 WHERE rowid = ?"
    with ws.store.transaction():
        with ws.store.firm_rows([ws.table("companies")["id"].iloc[0]]):
            ws.store.conn.execute(sql, (1,))
        ws.store.conn.execute(sql, (2,))
    assert ws.store.firm_steps() == []


def test_steps_are_bounded_and_need_a_transaction(ws, tmp_path, monkeypatch):
    with pytest.raises(RuntimeError):
        ws.store.firm_rows(["x"])
    firms = ws.table("companies")["id"].tolist()
    monkeypatch.setattr(firmmark, "STEPS", 3)
    for i in range(5):  # five declared writes: the three newest are kept
        with ws.store.transaction(), ws.store.firm_rows([firms[i]]):
            ws.store.conn.execute("UPDATE companies SET revenue = ? WHERE id = ?",
                                  (i, firms[i]))
    steps = ws.store.firm_steps()
    assert [len(f) for _, f in steps] == [1, 2, 3]
    assert steps[-1][1] == sorted(firms[2:5])
    monkeypatch.setattr(firmmark, "STEP_FIRMS", 10)  # a write naming more firms than that
    with ws.store.transaction(), ws.store.firm_rows(firms[:11]):
        ws.store.conn.execute("UPDATE companies SET revenue = 0 WHERE id = ?", (firms[0],))
    assert ws.store.firm_steps() == []
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert read_all
    assert_same(patched, built_codes(ws.location))


def test_codes_without_row_ids_are_made_again(ws, tmp_path, monkeypatch):
    """Codes saved by an older chainmap (no row ids) cannot be patched: read whole."""
    key = ws.store.firms_key()
    arrays = {k: np.array(v) for k, v in cache.load(gaps_module.CACHE_KIND, key).items()
              if k not in ("firm_rowid", "sup_rowid")}
    cache.save(gaps_module.CACHE_KIND, key, arrays)
    chainmap.import_dataset(ws, an_update(ws, tmp_path / "u1", seed=1))
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert read_all
    assert_same(patched, built_codes(ws.location))


def test_a_whole_dataset_imported_again_names_only_the_firms_it_changes(
        ws, tmp_path, monkeypatch):
    """An import into a workspace with firms notes the rows that change (firm_changes)."""
    data = tmp_path / "data"  # the dataset the fixture imported
    key = ws.store.firms_key()
    revision = ws.store.revision()
    ws.store.start_change_log()
    mark = ws.store.change_mark()
    chainmap.import_dataset(ws, data)  # the same rows again: none is written
    assert ws.store.revision() == revision + 1
    assert ws.store.firms_key() == key  # the firm mark stays: the codes on disk are used
    changes = ws.store.changes_since(mark)
    assert changes is not None and changes.firms == []  # nor logged for a push
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert not read_all

    firms = pd.read_csv(data / "companies.csv", dtype=str, keep_default_na=False)
    firms.loc[17, "revenue"] = "123456.7"  # one firm's revenue
    firms.to_csv(data / "companies.csv", index=False)
    links = pd.read_csv(data / "capabilities.csv", dtype=str, keep_default_na=False)
    links["status"] = ""
    links.loc[40, "status"] = "rejected"  # one link rejected
    links.to_csv(data / "capabilities.csv", index=False)
    chainmap.import_dataset(ws, data)
    (_, named), = ws.store.firm_steps()
    assert named == sorted({firms.loc[17, "id"], links.loc[40, "company"]})
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert not read_all
    assert_same(patched, built_codes(ws.location))


def test_an_import_changing_more_firms_than_a_step_names_reads_them_whole(
        ws, tmp_path, monkeypatch):
    monkeypatch.setattr(firmmark, "STEP_FIRMS", 5)  # noted past it: the triggers stop
    data = tmp_path / "data"
    firms = pd.read_csv(data / "companies.csv", dtype=str, keep_default_na=False)
    firms["revenue"] = "1.5"  # every firm changes
    firms.to_csv(data / "companies.csv", index=False)
    key = ws.store.firms_key()
    chainmap.import_dataset(ws, data)
    assert ws.store.firms_key() != key
    assert ws.store.firm_steps() == []
    patched, read_all = first_codes(ws.location, monkeypatch)
    assert read_all
    assert_same(patched, built_codes(ws.location))
    assert not [r for r in ws.store.conn.execute(
        "SELECT name FROM sqlite_temp_master WHERE type = 'trigger'").fetchall()]


def test_a_file_whose_rows_were_numbered_anew_is_read_whole(ws, tmp_path, monkeypatch):
    """A workspace rebuilt outside chainmap (an SQL dump loaded again) keeps its firm mark
    but may number its rows anew: the patch, which places rows by rowid, is not used."""
    path = ws.location
    ws.close()
    import sqlite3

    with sqlite3.connect(path) as raw:  # no chainmap: the mark and revision stay
        for table in ("companies", "supplies"):
            raw.execute(f"CREATE TEMP TABLE copy AS SELECT * FROM {table} ORDER BY rowid DESC")
            raw.execute(f"DELETE FROM {table}")
            raw.execute(f"INSERT INTO {table} SELECT * FROM copy")
            raw.execute("DROP TABLE copy")
    with chainmap.open(path) as again:
        chainmap.import_dataset(again, an_update(again, tmp_path / "u1", seed=1))
        assert again.store.firm_steps()  # a step, but the rows are not where they were
    patched, read_all = first_codes(path, monkeypatch)
    assert read_all
    assert_same(patched, built_codes(path))
