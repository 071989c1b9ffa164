"""chainmap.backup / chainmap.restore / check(integrity=True): real SQLite files, a real
writer in another process."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import chainmap
from chainmap.errors import ArgumentError, WorkspaceError

ROOT = Path(__file__).resolve().parents[1]

#: Adds a lead per transaction until the stop file exists; after each commit writes the
#: committed state it left (revision, leads, audit rows) as one line of the log.
WRITER = """
import sys, pathlib, chainmap
db, log, stop = sys.argv[1:4]
ws = chainmap.open(db)
out = open(log, "a", buffering=1)
store = ws.store
while not pathlib.Path(stop).exists():
    chainmap.add_lead(ws, "haoyue", date="2020-01-01", force=True, note="x" * 2000)
    # only this process writes: what it reads now is the state it committed
    row = store.conn.execute("SELECT (SELECT value FROM meta WHERE key = 'revision'), "
                             "(SELECT count(*) FROM leads), (SELECT count(*) FROM audit)").one()
    out.write(" ".join(map(str, row)) + "\\n")
"""


def _state(db: sqlite3.Connection) -> tuple[int, int, int]:
    row = db.execute("SELECT (SELECT value FROM meta WHERE key = 'revision'), "
                     "(SELECT count(*) FROM leads), (SELECT count(*) FROM audit)").fetchone()
    return int(row[0]), row[1], row[2]


def _states(log: Path) -> set[tuple[int, int, int]]:
    lines = log.read_text().splitlines() if log.exists() else []
    return {tuple(int(v) for v in line.split()) for line in lines  # type: ignore[misc]
            if len(line.split()) == 3}


@contextlib.contextmanager
def _writer(db: Path, tmp_path: Path):
    """A process adding leads to ``db`` until the end of the block; yields its log."""
    log, stop = tmp_path / "writer.log", tmp_path / "stop"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(log), str(stop)],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(_states(log)) < 3:  # it is writing
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.05)
        yield log
    finally:
        stop.touch()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""


def _integrity(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return [r[0] for r in db.execute("PRAGMA integrity_check")]


def test_backup_while_another_process_writes_is_one_committed_state(sample_ws, tmp_path):
    db = Path(sample_ws.location)
    with contextlib.closing(sqlite3.connect(db)) as first:
        start = _state(first)
    saved = []
    with _writer(db, tmp_path) as log:
        before = len(_states(log))
        for n in range(8):
            result = chainmap.backup(sample_ws, tmp_path / f"b{n}.db")
            saved.append((result, tmp_path / f"b{n}.db"))
            time.sleep(0.05)
        during = len(_states(log)) - before
    committed = _states(log) | {start}
    assert during >= 3  # the writer kept committing while the backups ran
    seen = set()
    for result, path in saved:
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists()
        assert _integrity(path) == ["ok"]
        with contextlib.closing(sqlite3.connect(path)) as copy:
            state = _state(copy)
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert state in committed  # neither torn nor half a transaction
        assert (result.revision, result.tables["leads"], result.tables["audit"]) == state
        seen.add(state)
    assert len(seen) >= 2  # the backups caught different states of the running writer
    # no temporary file left beside the backups
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_backup_refuses_an_existing_file_unless_forced(sample_ws, tmp_path):
    target = tmp_path / "zone.db"
    target.write_text("keep me")
    with pytest.raises(ArgumentError, match="exists; give another file, or force=True") as err:
        chainmap.backup(sample_ws, target)
    assert err.value.parameter == "force"
    assert target.read_text() == "keep me"
    result = chainmap.backup(sample_ws, target, force=True)
    assert result.tables["companies"] == 131 and _integrity(target) == ["ok"]
    with pytest.raises(ArgumentError, match="onto itself"):
        chainmap.backup(sample_ws, sample_ws.location, force=True)
    with pytest.raises(WorkspaceError, match="does not exist"):
        chainmap.backup(sample_ws, tmp_path / "no" / "zone.db")


def test_a_memory_workspace_backs_up_too(tmp_path):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, chainmap.sample_path())
    result = chainmap.backup(ws, tmp_path / "m.db")
    assert result.source == ":memory:" and result.schema == 5
    with chainmap.open(tmp_path / "m.db") as copy:
        assert copy.counts() == ws.counts()


def test_restore_round_trip_keeps_the_replaced_workspace(sample_ws, tmp_path):
    db = Path(sample_ws.location)
    chainmap.backup(sample_ws, tmp_path / "zone.db")
    before = {name: sample_ws.table(name) for name in ("companies", "leads", "audit")}
    revision = sample_ws.store.revision()
    lead = chainmap.add_lead(sample_ws, "haoyue", date="2020-01-01", force=True)
    result = chainmap.restore(tmp_path / "zone.db", db)
    assert result.kept is not None and result.kept.name.startswith("sample.db.")
    assert result.kept.suffix == ".bak" and result.tables["leads"] == 12
    # the workspace left open sees the restored data: its revision is new
    assert sample_ws.store.revision() > revision + 1
    for name, frame in before.items():
        assert sample_ws.table(name).equals(frame)
    assert lead not in set(sample_ws.table("leads")["id"])
    # the replaced workspace is kept whole: restoring it undoes the restore
    with chainmap.open(result.kept) as kept:
        assert lead in set(kept.table("leads")["id"])
    again = chainmap.restore(result.kept, db)
    assert lead in set(sample_ws.table("leads")["id"])
    assert again.kept is not None and again.kept != result.kept
    assert _integrity(db) == ["ok"]
    with contextlib.closing(sqlite3.connect(db)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_table_name_in_a_backup_cannot_reach_the_sql(sample_ws, tmp_path):
    """Table names read from the file are quoted as identifiers: a name holding a quote
    and SQL is only a name (before: a syntax error reported as an internal error)."""
    chainmap.backup(sample_ws, tmp_path / "zone.db")
    with contextlib.closing(sqlite3.connect(tmp_path / "zone.db")) as raw:
        raw.execute('CREATE TABLE "x""y); DROP TABLE meta; --" (a)')
        raw.commit()
    result = chainmap.restore(tmp_path / "zone.db", Path(sample_ws.location))
    assert result.tables["companies"] == len(sample_ws.table("companies"))
    with contextlib.closing(sqlite3.connect(Path(sample_ws.location))) as raw:
        assert raw.execute("SELECT count(*) FROM meta").fetchone()[0] > 0


def test_restore_into_a_new_file(sample_ws, tmp_path):
    chainmap.backup(sample_ws, tmp_path / "zone.db")
    result = chainmap.restore(tmp_path / "zone.db", tmp_path / "new.db")
    assert result.kept is None
    with chainmap.open(tmp_path / "new.db") as ws:
        assert ws.counts() == sample_ws.counts()
    with contextlib.closing(sqlite3.connect(tmp_path / "new.db")) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def corrupt(path: Path) -> None:
    """Overwrite the first copy of a firm's USCC in the file (an index entry)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        (uscc,) = db.execute("SELECT uscc FROM companies WHERE uscc IS NOT NULL "
                             "ORDER BY id LIMIT 1").fetchone()
    data = bytearray(path.read_bytes())
    at = data.index(uscc.encode())
    data[at:at + len(uscc)] = b"9" * len(uscc)
    path.write_bytes(bytes(data))


def _unchanged(db: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(db)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.read_bytes()


def test_restore_refuses_a_corrupted_file_and_changes_nothing(sample_ws, tmp_path):
    chainmap.backup(sample_ws, tmp_path / "zone.db")
    bad = tmp_path / "bad.db"
    shutil.copy(tmp_path / "zone.db", bad)
    corrupt(bad)
    assert _integrity(bad) != ["ok"]
    db = Path(sample_ws.location)
    sample_ws.close()
    was = _unchanged(db)
    with pytest.raises(WorkspaceError, match=r"fails SQLite's integrity check \(\d+ "
                                             r"problem\(s\): row \d+ missing from index"):
        chainmap.restore(bad, db)
    assert db.read_bytes() == was
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".bak" or p.name.startswith(".")]


@pytest.mark.parametrize("kind", ["other-sqlite", "text", "empty", "newer", "half-schema"])
def test_restore_refuses_what_is_not_a_chainmap_workspace(sample_ws, tmp_path, kind):
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("id,name\nx,y\n", encoding="utf-8")
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "newer":
        chainmap.backup(sample_ws, bad)
        with contextlib.closing(sqlite3.connect(bad)) as newer:
            newer.execute("PRAGMA user_version = 99")
            newer.commit()
    else:
        with contextlib.closing(sqlite3.connect(bad)) as db:
            if kind == "other-sqlite":
                db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            else:
                db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("INSERT INTO meta VALUES ('revision', '3')")
                db.execute("PRAGMA user_version = 5")
            db.commit()
    message = {"other-sqlite": r"is not a chainmap workspace \(no chainmap schema\)",
               "text": r"is not a chainmap workspace \(file is not a database\)",
               "empty": r"is not a chainmap workspace \(no chainmap schema\)",
               "newer": r"made by a newer chainmap \(schema 99, this one knows 5\)",
               "half-schema": r"not a chainmap workspace \(tables missing or different: "
                              r"chains, products"}[kind]
    db = Path(sample_ws.location)
    sample_ws.close()
    was = _unchanged(db)
    with pytest.raises(WorkspaceError, match=message):
        chainmap.restore(bad, db)
    assert db.read_bytes() == was
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".bak" or p.name.startswith(".")]


def test_restore_upgrades_an_older_schema(tmp_path):
    from chainmap.store.sqlite import SQLiteStore
    from chainmap.store.sqlite.migrations import MIGRATIONS

    old = tmp_path / "v3.db"
    SQLiteStore(old, migrations=MIGRATIONS[:3]).close()
    with contextlib.closing(sqlite3.connect(old)) as db:
        db.execute("INSERT INTO chains (id, name) VALUES ('c1', '链')")
        db.commit()
    result = chainmap.restore(old, tmp_path / "ws.db")
    assert result.schema == len(MIGRATIONS) and result.tables["chains"] == 1
    with contextlib.closing(sqlite3.connect(old)) as db:  # the backup file is not changed
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3


def test_restore_while_another_process_writes(sample_ws, tmp_path):
    db = Path(sample_ws.location)
    backup = chainmap.backup(sample_ws, tmp_path / "zone.db")
    with _writer(db, tmp_path) as log:
        result = chainmap.restore(tmp_path / "zone.db", db)
        time.sleep(0.5)
    assert _integrity(db) == ["ok"]
    assert result.tables["leads"] == backup.tables["leads"]
    assert result.kept is not None
    with contextlib.closing(sqlite3.connect(result.kept)) as old:
        assert _state(old)[1] > backup.tables["leads"]  # the writer had added leads
    # each lead the writer added after the restore is one transaction on top of the
    # restored data: one revision and one lead more, nothing lost or torn
    after = sorted(s for s in _states(log) if s[0] > result.revision)
    with contextlib.closing(sqlite3.connect(db)) as raw:
        final = _state(raw)
    assert after and after[-1] == final
    for revision, leads, audit in after:
        assert leads - backup.tables["leads"] == revision - result.revision
        assert audit - backup.tables["audit"] == revision - result.revision


def test_neo4j_workspaces_are_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="Neo4j database is restored with Neo4j's own"):
        chainmap.restore(tmp_path / "x.db", "bolt://127.0.0.1:1")
    with pytest.raises(WorkspaceError, match="restore into a workspace file"):
        chainmap.restore(tmp_path / "x.db", ":memory:")
    with pytest.raises(WorkspaceError, match="no backup file"):
        chainmap.restore(tmp_path / "x.db", tmp_path / "ws.db")


def test_neo4j_backup_and_integrity_are_refused(neo4j_store):
    ws = chainmap.workspace.Workspace(neo4j_store)
    with pytest.raises(WorkspaceError, match="backed up with Neo4j's own tools"):
        chainmap.backup(ws, "x.db")
    with pytest.raises(WorkspaceError, match="Neo4j checks its own database"):
        chainmap.check(ws, integrity=True)


def test_check_integrity_finds_a_damaged_index(sample_ws, tmp_path):
    assert chainmap.check(sample_ws, integrity=True).equals(chainmap.check(sample_ws))
    db = Path(sample_ws.location)
    sample_ws.close()
    _unchanged(db)
    corrupt(db)
    with chainmap.open(db) as ws:
        found = chainmap.check(ws, integrity=True)
        plain = chainmap.check(ws)
    damaged = found[found["check"] == "integrity"]
    assert len(damaged) >= 1 and set(damaged["severity"]) == {"error"}
    assert damaged["message"].str.contains("missing from index companies_uscc").all()
    assert "integrity" not in set(plain["check"])


def test_check_integrity_finds_rows_naming_missing_records(sample_ws):
    db = Path(sample_ws.location)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("INSERT INTO activities (lead_id, kind, date, note, at, by) "
                    "VALUES ('L9999', 'call', '2026-01-01', 'x', '2026-01-01 10:00:00', 'u')")
        raw.execute("INSERT INTO capabilities (company_id, product_id) VALUES ('ghost', 'eev')")
    found = chainmap.check(sample_ws, integrity=True)
    orphans = found[found["check"] == "foreign-key"]
    assert orphans[["severity", "table", "id"]].values.tolist() == [
        ["error", "activities", "1"], ["error", "capabilities", "ghost;eev"]]
    assert orphans["message"].tolist()[0] == \
        "activities row 1 refers to leads 'L9999', which does not exist"
    assert "foreign-key" not in set(chainmap.check(sample_ws)["check"])


@pytest.mark.parametrize("damage", ["index", "pages", "header"])
def test_restore_over_a_damaged_workspace(sample_ws, tmp_path, damage):
    """Restoring is what a damaged workspace needs: it works whatever is damaged."""
    db = Path(sample_ws.location)
    chainmap.backup(sample_ws, tmp_path / "zone.db")
    sample_ws.close()
    _unchanged(db)
    if damage == "index":
        corrupt(db)
    else:
        data = bytearray(db.read_bytes())
        spans = [(0, 100)] if damage == "header" else \
            [((p - 1) * 4096 + 100, (p - 1) * 4096 + 4000) for p in (5, 12, 20)]
        for start, end in spans:
            data[start:end] = b"\xab" * (end - start)
        db.write_bytes(bytes(data))
    assert _integrity(db) != ["ok"] if damage != "header" else True
    result = chainmap.restore(tmp_path / "zone.db", db)
    assert _integrity(db) == ["ok"]
    assert result.kept is not None and result.kept.exists()
    with chainmap.open(db) as ws:
        assert ws.counts()["companies"] == 131 and len(ws.table("leads")) == 12
