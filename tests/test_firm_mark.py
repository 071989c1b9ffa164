"""The firm tables' mark (chainmap/store/sqlite/firmmark.py): the reports' codes outlive
writes that leave the firms as they are, and never a write that changes them.

Every way of writing is checked against what a report then reads: the codes on disk are
used (not built) after lead-pipeline writes and settings; they are made again after any
write to ``companies``, ``capabilities`` or ``supplies``, a write by an older chainmap
(which keeps no mark), a rolled-back write leaves the mark as it was.
"""

from __future__ import annotations

import importlib
import sqlite3

import pytest

import chainmap
from tests.conftest import write_files

gaps_module = importlib.import_module("chainmap.analysis.gaps")
HOME = "安徽省/马鞍山市/当涂县"


@pytest.fixture
def ws(tmp_path, codes_kept):
    """The sample in a workspace file, its codes kept on disk (thresholds lowered)."""
    path = tmp_path / "w.db"
    with chainmap.open(path) as made:
        chainmap.import_dataset(made, chainmap.sample_path())
    workspace = chainmap.open(path)
    yield workspace
    workspace.close()


def builds(ws: chainmap.Workspace, monkeypatch) -> bool:
    """Whether the next report, in a new process (a new workspace object), builds the codes."""
    built = []
    real = gaps_module._Codes.__init__

    def counting(self, *args):
        built.append(1)
        real(self, *args)

    monkeypatch.setattr(gaps_module._Codes, "__init__", counting)
    try:
        with chainmap.open(ws.location) as fresh:
            chainmap.gaps(fresh, "智能家电", home=HOME)
    finally:
        monkeypatch.setattr(gaps_module._Codes, "__init__", real)
    return bool(built)


def test_lead_pipeline_writes_and_settings_keep_the_codes(ws, monkeypatch):
    assert not builds(ws, monkeypatch)  # the import left them
    key = ws.store.firms_key()
    revision = ws.store.revision()
    lead = chainmap.add_lead(ws, "haoyue", owner="张三", by="tester")
    chainmap.move_lead(ws, lead, "contacted", by="tester")
    chainmap.log_activity(ws, lead, "call", "电话", by="tester")
    chainmap.add_followup(ws, lead, "2030-01-01", "回访", by="tester")
    ws.set_home(HOME)
    assert ws.store.revision() == revision + 5
    assert ws.store.firms_key() == key
    assert not builds(ws, monkeypatch)


@pytest.mark.parametrize("change", [
    "import", "merge", "status", "link", "delete-link", "supply", "sql-update"])
def test_every_write_to_the_firm_tables_makes_them_again(ws, monkeypatch, tmp_path, change):
    key = ws.store.firms_key()
    if change == "import":  # one firm's revenue, through a second import
        more = tmp_path / "more"
        write_files(more, {"companies.csv": """\
            id,name,province,city,district,revenue
            haoyue,马鞍山市皓月电器有限公司,安徽省,马鞍山市,当涂县,999
            """})
        (more / "products.csv").write_bytes((chainmap.sample_path() / "products.csv")
                                            .read_bytes())
        chainmap.import_dataset(ws, more)
    elif change == "merge":
        firms = ws.table("companies")
        keep, drop = firms.loc[firms["uscc"].isna(), "id"].iloc[:2].tolist()
        chainmap.merge_firms(ws, keep, drop, apply=True, by="tester")
    elif change == "status":
        with ws.store.transaction():
            ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = 'haoyue'")
    elif change == "link":
        with ws.store.transaction():
            ws.store.conn.execute("UPDATE capabilities SET status = 'rejected' WHERE "
                                  "company_id = 'haoyue' AND product_id = 'capacitor'")
    elif change == "delete-link":
        with ws.store.transaction():
            ws.store.conn.execute("DELETE FROM capabilities WHERE company_id = 'haoyue'")
    elif change == "supply":
        with ws.store.transaction():
            ws.store.conn.execute("DELETE FROM supplies WHERE rowid = "
                                  "(SELECT min(rowid) FROM supplies)")
    else:  # a statement prepared before the transaction began (the statement cache)
        sql = "UPDATE companies SET revenue = revenue + 1 WHERE id = ?"
        with ws.store.transaction():
            ws.store.conn.execute(sql, ("haoyue",))
        key = ws.store.firms_key()
        with ws.store.transaction():
            ws.store.conn.execute(sql, ("haoyue",))
    assert ws.store.firms_key() != key
    # an import and a merge say which firms they change: the codes are patched from
    # those firms' rows (tests/test_codes_patch.py); any other write makes them again
    assert builds(ws, monkeypatch) == (change not in ("import", "merge"))


def test_a_rolled_back_write_leaves_the_mark(ws):
    key = ws.store.firms_key()
    with pytest.raises(RuntimeError), ws.store.transaction():
        ws.store.conn.execute("DELETE FROM supplies")
        raise RuntimeError("stop")
    assert ws.store.firms_key() == key
    chainmap.add_lead(ws, "haoyue", by="tester")  # and the next write does not carry a flag
    assert ws.store.firms_key() == key


def test_a_write_that_keeps_no_mark_is_never_trusted(ws, monkeypatch):
    """An older chainmap moves the revision, not the mark: the whole state is the key."""
    key = ws.store.firms_key()
    db = sqlite3.connect(ws.location)
    db.execute("UPDATE companies SET revenue = 1 WHERE id = 'haoyue'")
    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
    db.commit()
    db.close()
    assert ws.store.firms_key() != key
    assert ws.store.firms_key() == ws.store.cache_key()
    assert builds(ws, monkeypatch)
    chainmap.add_lead(ws, "haoyue", by="tester")  # the next write makes a new mark
    fresh = ws.store.firms_key()
    assert fresh[1].startswith("firms:") and fresh != key
    assert builds(ws, monkeypatch)  # a new token: nothing saved under it yet
    assert not builds(ws, monkeypatch)


def test_two_copies_that_change_their_firms_never_share_a_mark(ws, tmp_path):
    ws.close()
    copy = tmp_path / "copy.db"
    copy.write_bytes((tmp_path / "w.db").read_bytes())
    a, b = chainmap.open(tmp_path / "w.db"), chainmap.open(copy)
    assert a.store.firms_key()[1] == b.store.firms_key()[1]  # the same firms
    for w in (a, b):
        with w.store.transaction():
            w.store.conn.execute("UPDATE companies SET revenue = 5 WHERE id = 'haoyue'")
    assert a.store.firms_key()[1] != b.store.firms_key()[1]
    a.close()
    b.close()


def test_no_key_in_memory_or_inside_a_transaction():
    with chainmap.open(":memory:") as ws:
        assert ws.store.firms_key() is None
    with chainmap.open(":memory:") as ws:
        with ws.store.transaction():
            assert ws.store.firms_key() is None


def test_a_restored_backup_is_reported_as_it_was(ws, tmp_path, monkeypatch):
    """Backup, change the firms, report, restore: the report is the backup's again."""
    backup = tmp_path / "before.db"
    chainmap.backup(ws, backup)
    before = chainmap.gaps(ws, "智能家电", home=HOME)
    with ws.store.transaction():
        ws.store.conn.execute("DELETE FROM capabilities WHERE company_id = 'haoyue'")
    chainmap.add_lead(ws, "aux", by="tester")
    changed = chainmap.gaps(ws, "智能家电", home=HOME)
    assert not changed.equals(before)
    location = ws.location
    ws.close()
    chainmap.restore(backup, location)
    with chainmap.open(location) as restored:
        assert chainmap.gaps(restored, "智能家电", home=HOME).equals(before)
