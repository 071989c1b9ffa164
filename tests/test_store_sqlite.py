"""The embedded store: WAL, foreign keys, migrations, all-or-nothing writes."""

from __future__ import annotations

import sqlite3
import threading

import pytest

import chainmap
from chainmap.errors import WorkspaceError
from chainmap.store import SQLiteStore
from chainmap.store.sqlite.migrations import MIGRATIONS


def test_wal_and_foreign_keys(db):
    store = SQLiteStore(db)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == len(MIGRATIONS)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO capabilities (company_id, product_id) "
                           "VALUES ('ghost', 'nothing')")


def test_older_workspace_is_upgraded_in_place(db, tiny):
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, tiny)
    extra = "CREATE TABLE upgrade_probe (x INTEGER); INSERT INTO upgrade_probe VALUES (42);"
    store = SQLiteStore(db, migrations=[*MIGRATIONS, extra])
    assert store.schema_version() == len(MIGRATIONS) + 1
    assert store.conn.execute("SELECT x FROM upgrade_probe").fetchone()[0] == 42
    assert store.count("companies") == 3
    store.close()


def test_newer_workspace_is_refused(db):
    SQLiteStore(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(WorkspaceError, match="was made by a newer chainmap"):
        SQLiteStore(db)


def test_not_a_workspace(tmp_path, run):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="is not a chainmap workspace"):
        chainmap.open(junk)
    r = run("--db", junk, "check")
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {junk} is not a chainmap workspace")


def test_missing_folder(tmp_path):
    with pytest.raises(WorkspaceError, match="does not exist"):
        chainmap.open(tmp_path / "no" / "such" / "ws.db")


def test_failed_write_rolls_back(db, tiny):
    ws = chainmap.open(db)
    chainmap.import_dataset(ws, tiny)
    rev = ws.store.revision()
    with pytest.raises(RuntimeError), ws.store.transaction():
        ws.store.conn.execute("DELETE FROM supplies")
        raise RuntimeError("boom")
    assert ws.store.count("supplies") == 1 and ws.store.revision() == rev


def test_workspace_path_from_environment(monkeypatch, tmp_path):
    from chainmap.workspace import workspace_path

    monkeypatch.setenv("CHAINMAP_DB", str(tmp_path / "env.db"))
    assert workspace_path() == str(tmp_path / "env.db")
    assert workspace_path("given.db") == "given.db"
    monkeypatch.delenv("CHAINMAP_DB")
    assert workspace_path() == "chainmap.db"


def test_cache_follows_other_processes(db, tiny):
    a, b = chainmap.open(db), chainmap.open(db)
    assert a.counts()["companies"] == 0
    chainmap.import_dataset(b, tiny)
    assert a.counts()["companies"] == 3


def test_read_only_workspace_is_a_clear_error(db, tiny, run):
    import os

    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, tiny)
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    store = SQLiteStore.__new__(SQLiteStore)  # the same store, over a read-only connection
    store.path, store.location, store.conn = db, str(db), ro
    store._lock = threading.RLock()
    with pytest.raises(WorkspaceError) as err:
        store.set_config("home", "340521")
    assert str(err.value) == (f"cannot write to workspace {db}: the file or its folder is "
                              "read-only; copy it to a folder you can write; nothing was "
                              "changed")
    if os.geteuid() != 0:  # root ignores file modes; the connection above covers it
        db.chmod(0o444)
        r = run("config", "home", "当涂县")
        assert r.exit_code == 1 and "read-only" in r.stderr


def test_locked_workspace_is_a_clear_error(db, tiny, monkeypatch):
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, tiny)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setenv("CHAINMAP_BUSY_TIMEOUT", "0.2")
    store = SQLiteStore(db)
    with pytest.raises(WorkspaceError) as err:
        store.set_config("home", "340521")
    assert str(err.value) == (f"the workspace {db} is busy: another chainmap command is "
                              "writing to it (waited 0.2 s, CHAINMAP_BUSY_TIMEOUT); nothing "
                              "was changed; try again")
    holder.execute("ROLLBACK")
    store.set_config("home", "340521")
    assert store.get_config("home") == "340521"




def test_a_broken_constraint_inside_a_write_is_a_clear_error(db, tiny):
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, tiny)
        revision = ws.store.revision()
        with pytest.raises(WorkspaceError) as err:
            with ws.store.transaction():
                ws.store.conn.execute("DELETE FROM supplies")
                ws.store.conn.execute("INSERT INTO capabilities (company_id, product_id) "
                                      "VALUES ('ghost', 'nothing')")
        assert str(err.value) == (
            f"cannot write to workspace {db}: FOREIGN KEY constraint failed (another command "
            "may have changed the same records at the same time); nothing was changed")
        assert ws.store.revision() == revision
        assert len(ws.table("supplies")) == 1  # rolled back
