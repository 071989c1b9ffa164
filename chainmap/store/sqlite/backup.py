"""The SQL of backups (:mod:`chainmap.backups`): copying a workspace file, checking one.

SQLite's online backup (``sqlite3.Connection.backup``) copies a database page by page in
one read, so the copy is one committed state; copied *into* a workspace, it is one
write transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import WorkspaceError
from ...i18n import _, join
from .changes import drop_log_triggers
from .migrations import MIGRATIONS
from .unusable import not_sqlite_reason, unusable

if TYPE_CHECKING:
    from . import SQLiteStore

__all__ = ["checked_copy", "copy_to", "integrity_problems", "replace", "revision",
           "set_revision", "summary", "summary_of", "unreadable", "use_wal"]

#: At most this many of ``integrity_check``'s lines are quoted in an error.
_QUOTED = 3

#: Schema version, revision and rows per table of a workspace file.
Summary = tuple[int, int, dict[str, int]]


def _q(name: str) -> str:
    """``name`` as a quoted SQL identifier (a table named in a file may hold anything)."""
    return '"' + name.replace('"', '""') + '"'


def summary(db: sqlite3.Connection) -> Summary:
    """Schema version, revision and rows per table of a chainmap workspace ``db``."""
    schema = db.execute("PRAGMA user_version").fetchone()[0]
    row = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'meta' AND name <> 'push_log' ORDER BY rootpage")]
    tables = {name: db.execute(f'SELECT count(*) FROM {_q(name)}').fetchone()[0]
              for name in names}
    return schema, int(row[0]) if row else 0, tables


def copy_to(store: SQLiteStore, file: str | Path) -> Summary:
    """Copy the workspace of ``store`` into the (new, empty) file ``file``, whole.

    One read of one committed state (other processes go on writing); the copy is one
    self-contained file (rollback journal, no ``-wal`` beside it). Returns its summary.
    """
    with contextlib.closing(sqlite3.connect(file, isolation_level=None)) as copy:
        try:
            with store._lock:  # no transaction of this process is half done
                store.conn.raw.backup(copy)
        except sqlite3.OperationalError as exc:
            raise WorkspaceError(_("cannot back up {location}: {reason}").format(
                location=store.location, reason=exc)) from None
        copy.execute("PRAGMA journal_mode = DELETE")
        return summary(copy)


def summary_of(file: str | Path) -> Summary:
    """The summary of the workspace file ``file`` (nothing is written to it)."""
    with contextlib.closing(sqlite3.connect(file)) as db:
        return summary(db)


def unreadable(file: str | Path) -> bool:
    """Whether SQLite cannot read ``file`` as a database at all.

    A damaged header or schema, or not a database; ``False`` when it is busy or cannot
    be opened (the store says why).
    """
    try:
        with contextlib.closing(sqlite3.connect(file, timeout=0)) as db:
            db.execute("PRAGMA user_version").fetchone()
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        return False
    except sqlite3.DatabaseError:
        return True
    return False


def use_wal(file: str | Path) -> None:
    """Put the workspace file ``file`` in WAL mode, as a workspace chainmap made is."""
    with contextlib.closing(sqlite3.connect(file, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode = WAL")


def integrity_problems(store: SQLiteStore) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """What SQLite's ``integrity_check`` and ``foreign_key_check`` find.

    The lines of ``integrity_check`` (``ok`` left out), and for each row naming a
    record that does not exist: (table, row key, parent table, value).
    """
    with store._lock:
        db = store.conn.raw
        try:
            lines = [r[0] for r in db.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            lines = [str(exc)]
        lines = [line for line in lines if line != "ok"]
        try:
            found = db.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return [*lines, str(exc)], []
        orphans = [(table, row, parent, value)
                   for table, parent, fkid in dict.fromkeys((t, p, k) for t, _r, p, k in found)
                   for row, value in _orphans(db, table, parent, fkid)]
    return lines, orphans


def _expected_tables(version: int) -> dict[str, set[str]]:
    """The tables (and their columns) of a workspace at schema ``version``."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        for script in MIGRATIONS[:version]:
            db.executescript(script)
        return _columns(db)


def _columns(db: sqlite3.Connection) -> dict[str, set[str]]:
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: {r[1] for r in db.execute(f'PRAGMA table_info({_q(name)})')} for name in names}


def checked_copy(source: Path, tmp: Path) -> None:
    """Copy the backup file ``source`` into ``tmp`` and check it.

    What is not a sound chainmap workspace this chainmap can open is refused; an older
    schema is then upgraded, as opening it does.
    """
    not_workspace = _("{path} is not a chainmap workspace ({reason}); nothing was restored")
    try:
        with contextlib.closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro",
                                                uri=True)) as src, \
                contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as copy:
            src.backup(copy)
            problems = [r[0] for r in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise WorkspaceError(_(
                    "{path} fails SQLite's integrity check ({count} problem(s): {problems}); "
                    "nothing was restored").format(path=source, count=len(problems),
                                                   problems="; ".join(problems[:_QUOTED])))
            version = copy.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise WorkspaceError(_(
                    "{path} was made by a newer chainmap (schema {version}, this one knows "
                    "{known}); upgrade chainmap to restore it; nothing was restored").format(
                        path=source, version=version, known=len(MIGRATIONS)))
            found = _columns(copy)
            missing = [t for t, cols in _expected_tables(max(version, 1)).items()
                       if not cols <= found.get(t, set())]
            has_revision = "meta" in found and copy.execute(
                "SELECT 1 FROM meta WHERE key = 'revision'").fetchone() is not None
            if version < 1 or missing or not has_revision:
                reason = _("tables missing or different: {tables}").format(
                    tables=join(missing)) if missing and version >= 1 \
                    else _("no chainmap schema")
                raise WorkspaceError(not_workspace.format(path=source, reason=reason))
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(not_workspace.format(path=source,
                                                  reason=not_sqlite_reason(exc))) from None
    from . import SQLiteStore

    SQLiteStore(tmp).close()  # an older schema is upgraded, as opening it would


def revision(file: Path) -> int:
    """The revision of the workspace file ``file``."""
    with contextlib.closing(sqlite3.connect(file)) as db:
        return int(db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])


def set_revision(file: Path, number: int) -> None:
    """Set the revision of the workspace file ``file`` (no other write is made)."""
    with contextlib.closing(sqlite3.connect(file, isolation_level=None)) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (str(number),))


def replace(tmp: Path, store: SQLiteStore, keep: Callable[[Callable[[str], None]], object]
            ) -> Summary:
    """Put the workspace file ``tmp`` in place of the workspace of ``store``, in one step.

    One write transaction replaces every row of every table (``meta``, the settings,
    too) with those of ``tmp``, whose schema is the store's: other connections see the
    old data or the new, never a part. Inside it, before anything is changed and while
    no other program can write, ``keep(write)`` saves the workspace as it is:
    ``write(file)`` copies it into ``file`` (a reader's copy of the last committed state,
    which is the state replaced). The new revision is above both the old one and
    ``tmp``'s. Returns the summary of what was put in place.
    """
    db = store.conn
    kept: list[bool] = []

    def keep_once() -> None:
        if not kept:
            keep(lambda file: _copy_file(store.path, file))
            kept.append(True)

    with store._lock:
        db.execute("ATTACH DATABASE ? AS restored", (str(tmp),))
        try:
            with store.transaction():
                current = int(db.execute("SELECT value FROM main.meta "
                                         "WHERE key = 'revision'").one()[0])
                keep_once()
                db.execute("PRAGMA defer_foreign_keys = ON")  # checked at the commit
                names = [r[0] for r in db.execute(
                    "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'")]
                # the change log of pushes (store/sqlite/changes.py) is not restored: its
                # triggers go, so the next push to Neo4j compares the whole workspace
                drop_log_triggers(db)
                for name in names:
                    columns = ", ".join(_q(r[1]) for r in db.execute(
                        f'PRAGMA main.table_info({_q(name)})'))
                    db.execute(f'DELETE FROM main.{_q(name)}')
                    if name == "push_log":
                        continue
                    db.execute(f'INSERT INTO main.{_q(name)} ({columns}) '
                               f'SELECT {columns} FROM restored.{_q(name)}')
                restored = int(db.execute("SELECT value FROM main.meta "
                                          "WHERE key = 'revision'").one()[0])
                # the transaction adds one when it commits
                db.execute("UPDATE main.meta SET value = ? WHERE key = 'revision'",
                           (str(max(current, restored)),))
                schema, revision, tables = summary(db.raw)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise
            damaged = True  # the workspace's own pages cannot be read: replace them all
        else:
            damaged = False
        finally:
            db.execute("DETACH DATABASE restored")
        if not damaged:
            return schema, revision + 1, tables
        keep_once()
        return _replace_pages(tmp, store)


def _replace_pages(tmp: Path, store: SQLiteStore) -> Summary:
    """Copy ``tmp`` over a damaged workspace page by page (SQLite's backup into it).

    Its rows cannot be read, so they are not replaced row by row; the backup API writes
    every page without reading the old ones, in one write transaction. The revision is
    set above the backup's and, when it can still be read, the damaged workspace's.
    """
    try:
        current = int(store.conn.execute("SELECT value FROM meta "
                                         "WHERE key = 'revision'").one()[0])
    except (sqlite3.DatabaseError, LookupError, ValueError):
        current = 0
    set_revision(tmp, max(current, revision(tmp)) + 1)
    try:
        with contextlib.closing(sqlite3.connect(f"{tmp.resolve().as_uri()}?mode=ro",
                                                uri=True)) as src, store._lock:
            src.backup(store.conn.raw)
    except sqlite3.OperationalError as exc:
        raise unusable(store.path, exc, writing=True) from None
    return summary_of(tmp)


def _copy_file(path: Path, file: str) -> None:
    """Copy the last committed state of the workspace file ``path`` into ``file``."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro",
                                            uri=True)) as src, \
            contextlib.closing(sqlite3.connect(file, isolation_level=None)) as copy:
        src.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")


def _orphans(db: sqlite3.Connection, table: str, parent: str,
             fkid: int) -> list[tuple[str, str]]:
    """(key, value) of the rows of ``table`` whose foreign key ``fkid`` names no row.

    The key is the row's ``id`` (or its primary key, ``;``-joined); the value what the
    foreign key holds, a missing row of ``parent``.
    """
    columns = db.execute(f'PRAGMA table_info({_q(table)})').fetchall()
    key = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]] or ["rowid"]
    if "id" in {c[1] for c in columns}:
        key = ["id"]
    pairs = [(k[3], k[4] or "id") for k in db.execute(f'PRAGMA foreign_key_list({_q(table)})')
             if k[0] == fkid]
    missing = " OR ".join(f't."{c}" IS NULL' for c, _to in pairs)
    match = " AND ".join(f'p."{to}" = t."{c}"' for c, to in pairs)
    joined = " || ';' || "
    keys = joined.join("t.rowid" if k == "rowid" else f't."{k}"' for k in key)
    values = joined.join(f't."{c}"' for c, _to in pairs)
    rows = db.execute(
        f'SELECT {keys}, {values} FROM {_q(table)} AS t WHERE NOT ({missing}) '
        f'AND NOT EXISTS (SELECT 1 FROM "{parent}" AS p WHERE {match}) ORDER BY 1').fetchall()
    return [(str(k), str(v)) for k, v in rows]

