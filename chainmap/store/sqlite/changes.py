"""The change log of a SQLite workspace: what changed since a push (``push_log``).

A push to Neo4j (:func:`chainmap.push`) that knows which rows changed since the last
push to the same database sends only those. The workspace keeps that knowledge in a
table ``push_log``, filled by triggers on every table of the workspace:

- a row of the firm tables (``companies``, ``capabilities``, ``supplies``) inserted,
  changed or deleted logs the firm it belongs to (``companies.id``,
  ``capabilities.company_id``, ``supplies.supplier_id``; both firms when a row moves
  from one firm to another);
- a row of any other table logs the table only (those tables are small and are compared
  whole).

An update that leaves every column as it was logs nothing. Each log row carries a
random number (``nonce``): a push *mark* is ``"<seq>:<nonce>"`` of the last log row the
push saw. A mark names one history: a copy of the workspace that went its own way, or
an older backup put back, holds another (or no) row at that ``seq``, so a mark it did
not make is never taken for its own.

The log and its triggers are made by the first push (:meth:`ChangeLog.start_change_log`),
so a workspace that is never pushed pays nothing for them. The triggers are named after
the schema version they were made for; a workspace upgraded since has its triggers
remade and its next push is a full one (writes to new columns may not have been
logged). Writing the log is no change of the data: the revision does not move.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from ..base import CRM_COLUMNS, FIRM_COLUMN, TABLE_COLUMNS
from .unusable import unusable

if TYPE_CHECKING:
    from pathlib import Path

    from .connection import Connection

__all__ = ["ChangeLog", "Changes", "drop_log_triggers", "number_columns"]

#: Log rows kept before the mark of a push; older ones are dropped after a push
#: (other databases pushed from before them are then pushed in full).
KEEP = 100_000
_PREFIX = "push_log_"


def drop_log_triggers(conn: Connection) -> None:
    """Drop the change log's triggers from the main database of ``conn``.

    A schema upgrade (they name columns it may change) and a restore (the restored log is
    not this workspace's) drop them; the next push makes them anew and is a full one.
    """
    for (trigger,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            (_PREFIX + "%",)).fetchall():
        conn.execute(f'DROP TRIGGER main."{trigger}"')


class Changes:
    """What changed in a workspace since a push mark.

    Attributes
    ----------
    mark : str
        The mark of the state read (``"<seq>:<nonce>"``).
    tables : set of str
        Tables other than the firm tables with any change.
    firms : list of str
        Firms whose row, capabilities or supplies changed (inserted, changed, deleted).
    entries : int
        Log rows since the mark (changes, counted as logged).
    """

    def __init__(self, mark: str, tables: set[str], firms: list[str], entries: int,
                 since: int) -> None:
        self.mark = mark
        self.tables = tables
        self.firms = firms
        self.entries = entries
        self.since = since


@cache
def number_columns() -> dict[str, frozenset[str]]:
    """The columns each table declares INTEGER or REAL in the workspace schema.

    A push hashes these as numbers whatever dtype pandas gave them (see
    ``chainmap.store.neo4j``).
    """
    from .migrations import MIGRATIONS

    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            conn.executescript(script)
        return {name: frozenset(r[1] for r in conn.execute(f"PRAGMA table_info({name})")
                                if r[2].upper() in ("INTEGER", "REAL"))
                for name in (*TABLE_COLUMNS, *CRM_COLUMNS)}
    finally:
        conn.close()


def _parse(mark: str | None) -> tuple[int, int] | None:
    if not mark or mark.count(":") != 1:
        return None
    seq, nonce = mark.split(":")
    try:
        return int(seq), int(nonce)
    except ValueError:
        return None


class ChangeLog:
    """The change log of :class:`~chainmap.store.sqlite.SQLiteStore` (mixed in)."""

    if TYPE_CHECKING:
        conn: Connection
        _lock: threading.RLock
        path: Path
        busy_timeout: float

        def schema_version(self) -> int:
            """The schema version (:meth:`SQLiteStore.schema_version`)."""

    def _log_tables(self) -> list[str]:
        present = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
        return [t for t in (*TABLE_COLUMNS, *CRM_COLUMNS) if t in present]

    def _trigger_prefix(self) -> str:
        # t2: an update logs the firm a row left only when it moved (t1 always did): a
        # workspace pushed with t1 triggers gets t2 ones, and one full push, at its next
        return f"{_PREFIX}v{self.schema_version()}t2_"

    def change_log_started(self) -> bool:
        """Whether the change log is kept, with triggers made for this schema version."""
        prefix = self._trigger_prefix()
        return self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            (prefix + "%",)).one()[0] == 3 * len(self._log_tables())

    def start_change_log(self) -> bool:
        """Make the change log and its triggers (once; again after a schema upgrade).

        Returns whether anything was made (then no earlier mark can be answered). The
        revision does not move: no data changed.
        """
        if self.change_log_started():
            return False
        prefix = self._trigger_prefix()
        script = ["CREATE TABLE IF NOT EXISTS push_log (seq INTEGER PRIMARY KEY, "
                  "tbl TEXT NOT NULL, firm TEXT, nonce INTEGER NOT NULL)"]
        for table in self._log_tables():
            columns = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
            firm = FIRM_COLUMN.get(table)

            def log(row: str, table: str = table, firm: str | None = firm) -> str:
                who = f"{row}.{firm}" if firm else "NULL"
                return (f"INSERT INTO push_log (tbl, firm, nonce) "
                        f"VALUES ('{table}', {who}, random());")

            old = ", ".join(f"OLD.{c}" for c in columns)
            new = ", ".join(f"NEW.{c}" for c in columns)
            # the firm the row left, only when it moved to another firm
            moved = (f" INSERT INTO push_log (tbl, firm, nonce) SELECT '{table}', "
                     f"OLD.{firm}, random() WHERE OLD.{firm} IS NOT NEW.{firm};"
                     if firm else "")
            script += [
                f"CREATE TRIGGER {prefix}{table}_i AFTER INSERT ON {table} BEGIN "
                f"{log('NEW')} END",
                f"CREATE TRIGGER {prefix}{table}_d AFTER DELETE ON {table} BEGIN "
                f"{log('OLD')} END",
                f"CREATE TRIGGER {prefix}{table}_u AFTER UPDATE ON {table} "
                f"WHEN ({old}) IS NOT ({new}) BEGIN {log('NEW')}{moved} END",
            ]
        # no earlier mark is answered (writes may have gone unlogged), and the first row
        # is a mark to push from (tbl '' names no table)
        script.append("DELETE FROM push_log")
        script.append("INSERT INTO push_log (tbl, firm, nonce) VALUES ('', NULL, random())")
        with self._log_write():
            drop_log_triggers(self.conn)  # those of an older schema or trigger version
            for statement in script:
                self.conn.execute(statement)
        return True

    @contextlib.contextmanager
    def _log_write(self) -> Iterator[None]:
        """One write transaction that does not move the revision (the log is no data).

        A busy or read-only workspace, a full disk: the same clear error as any write
        (:meth:`SQLiteStore.transaction`), nothing changed.
        """
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise unusable(self.path, exc, writing=True, waited=self.busy_timeout) \
                    from None
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise unusable(self.path, exc, writing=True,
                                   waited=self.busy_timeout) from None
                raise

    def change_mark(self) -> str | None:
        """The mark of the workspace's state as of now (``None`` without a change log)."""
        try:
            row = self.conn.execute(
                "SELECT seq, nonce FROM push_log ORDER BY seq DESC LIMIT 1").fetchone()
        except sqlite3.OperationalError:
            return None
        return f"{row[0]}:{row[1]}" if row else None

    def changes_since(self, mark: str | None) -> Changes | None:
        """What changed since ``mark``, or ``None`` when the log cannot tell.

        ``None`` when there is no change log (or its triggers are older than the
        schema), when ``mark`` is not one of this workspace's history (another
        workspace's, a copy's that went its own way, an older backup's) or when the log
        no longer reaches back to it. Read inside a snapshot together with the rows, so
        that the mark names what was read.
        """
        parsed = _parse(mark)
        if parsed is None or not self.change_log_started():
            return None
        seq, nonce = parsed
        row = self.conn.execute("SELECT nonce FROM push_log WHERE seq = ?", (seq,)).fetchone()
        if row is None or row[0] != nonce:
            return None
        now = self.change_mark()
        assert now is not None
        entries = self.conn.execute("SELECT count(*) FROM push_log WHERE seq > ?",
                                    (seq,)).one()[0]
        tables = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT tbl FROM push_log WHERE seq > ?", (seq,)).fetchall()}
        firms = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT firm FROM push_log WHERE seq > ? AND firm IS NOT NULL "
            "ORDER BY firm", (seq,)).fetchall()]
        return Changes(now, tables - set(FIRM_COLUMN) - {""}, firms, entries, seq)

    def changed_rows(self, table: str, since: int) -> pd.DataFrame:
        """The rows of firm table ``table`` that belong to a firm logged after ``since``."""
        columns = TABLE_COLUMNS[table]
        firm = FIRM_COLUMN[table]
        with self._lock:
            return pd.read_sql_query(
                f"SELECT {', '.join(columns)} FROM {table} WHERE {firm} IN "
                f"(SELECT firm FROM push_log WHERE seq > ? AND firm IS NOT NULL)",
                getattr(self.conn, "raw", self.conn), params=(since,))

    def trim_change_log(self, mark: str) -> int:
        """Drop log rows before ``mark`` when more than :data:`KEEP` of them; how many."""
        parsed = _parse(mark)
        if parsed is None:
            return 0
        try:
            first = self.conn.execute("SELECT min(seq) FROM push_log").one()[0]
        except sqlite3.OperationalError:
            return 0
        if first is None or parsed[0] - first <= KEEP:
            return 0
        with self._log_write():
            return self.conn.execute("DELETE FROM push_log WHERE seq < ?",
                                     (parsed[0],)).rowcount
