"""The change log of a SQLite workspace (``chainmap.store.sqlite.changes``), no server."""

from __future__ import annotations

import shutil

import chainmap
from chainmap.store.sqlite import changes


def _started(ws):
    assert not ws.store.change_log_started()
    assert ws.store.start_change_log()
    assert not ws.store.start_change_log()  # once
    return ws.store.change_mark()


def test_no_log_until_the_first_push_and_no_revision_moved(sample_ws):
    assert sample_ws.store.change_mark() is None
    assert sample_ws.store.changes_since("1:2") is None
    revision = sample_ws.store.revision()
    mark = _started(sample_ws)
    assert sample_ws.store.revision() == revision
    found = sample_ws.store.changes_since(mark)
    assert found.firms == [] and found.tables == set() and found.entries == 0


def test_firm_rows_log_their_firm_other_tables_their_name(sample_ws):
    ws = sample_ws
    mark = _started(ws)
    firms = ws.table("companies").sort_values("id")["id"].tolist()
    with ws.store.transaction():
        conn = ws.store.conn
        conn.execute("UPDATE companies SET name = name WHERE id = ?", (firms[0],))  # no change
        conn.execute("UPDATE companies SET revenue = 123.0 WHERE id = ?", (firms[1],))
        conn.execute("DELETE FROM capabilities WHERE company_id = ?", (firms[2],))
        conn.execute("UPDATE supplies SET customer_id = customer_id")  # no change
        conn.execute("UPDATE chains SET name_en = 'x' WHERE id = (SELECT min(id) FROM chains)")
    found = ws.store.changes_since(mark)
    assert found.firms == sorted([firms[1], firms[2]])
    assert found.tables == {"chains"}
    rows = ws.store.changed_rows("companies", found.since)
    assert sorted(rows["id"]) == sorted([firms[1], firms[2]])
    assert ws.store.changed_rows("capabilities", found.since)["company_id"].eq(
        firms[1]).all()
    later = ws.store.changes_since(found.mark)
    assert later.entries == 0 and later.firms == []


def test_an_update_logs_its_firm_once_and_a_move_both_firms(sample_ws):
    ws = sample_ws
    mark = _started(ws)
    links = ws.table("capabilities").sort_values(["company_id", "product_id"])
    firm, product = links.iloc[0][["company_id", "product_id"]]
    other = sorted(set(ws.table("companies")["id"]) - set(links["company_id"]))[0]
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE companies SET revenue = 7 WHERE id = ?", (firm,))
    once = ws.store.changes_since(mark)
    assert (once.entries, once.firms) == (1, [firm])
    with ws.store.transaction():  # the link moves to a firm that makes nothing yet
        ws.store.conn.execute("UPDATE capabilities SET company_id = ? WHERE company_id = ? "
                              "AND product_id = ?", (other, firm, product))
    moved = ws.store.changes_since(once.mark)
    assert (moved.entries, moved.firms) == (2, sorted([firm, other]))


def test_a_mark_of_another_history_is_not_answered(sample_ws, tmp_path):
    ws = sample_ws
    mark = _started(ws)
    ws.close()
    shutil.copy(tmp_path / "sample.db", tmp_path / "copy.db")
    copy = chainmap.open(tmp_path / "copy.db")
    assert copy.store.changes_since(mark) is not None  # the same history so far
    with copy.store.transaction():
        copy.store.conn.execute("UPDATE companies SET revenue = 1 WHERE id = "
                                "(SELECT min(id) FROM companies)")
    theirs = copy.store.changes_since(mark).mark
    mine = chainmap.open(tmp_path / "sample.db")
    with mine.store.transaction():
        mine.store.conn.execute("UPDATE companies SET revenue = 2 WHERE id = "
                                "(SELECT min(id) FROM companies)")
    assert mine.store.change_mark().split(":")[0] == theirs.split(":")[0]
    assert mine.store.changes_since(theirs) is None  # same seq, another row
    assert mine.store.changes_since("999999:1") is None
    assert mine.store.changes_since("not a mark") is None


def test_the_log_is_trimmed_after_many_changes(sample_ws, monkeypatch):
    ws = sample_ws
    first = _started(ws)
    monkeypatch.setattr(changes, "KEEP", 5)
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE companies SET revenue = coalesce(revenue, 0) + 1")
    mark = ws.store.change_mark()
    assert ws.store.trim_change_log(mark) > 5
    assert ws.store.changes_since(first) is None  # no longer reaches back
    assert ws.store.changes_since(mark).entries == 0


def test_a_restored_backup_keeps_no_log_and_answers_no_mark(sample_ws, tmp_path):
    """A backup taken before the first push (no log) restores; the log's triggers go with
    the restore, so no mark is answered until a push starts the log again."""
    ws = sample_ws
    chainmap.backup(ws, tmp_path / "before.db")
    mark = _started(ws)
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE companies SET revenue = 7")
    chainmap.restore(tmp_path / "before.db", tmp_path / "sample.db")
    assert not ws.store.change_log_started()
    assert ws.store.changes_since(mark) is None
    assert ws.store.conn.execute("SELECT count(*) FROM push_log").one()[0] == 0
    assert ws.store.start_change_log()
    assert ws.store.changes_since(mark) is None  # a new history


def test_a_schema_upgrade_drops_the_triggers_and_answers_no_mark(tmp_path):
    """A migration may change columns the triggers name: they go before it runs, and the
    next push starts a new history."""
    from chainmap.store.sqlite import SQLiteStore
    from chainmap.store.sqlite.migrations import MIGRATIONS

    old = SQLiteStore(tmp_path / "ws.db", migrations=MIGRATIONS[:-1])
    old.start_change_log()
    mark = old.change_mark()
    assert old.changes_since(mark) is not None
    old.close()
    new = SQLiteStore(tmp_path / "ws.db")
    assert not new.change_log_started()
    assert new.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                            ).one()[0] == 0
    assert new.changes_since(mark) is None
    assert new.start_change_log() and new.changes_since(mark) is None
