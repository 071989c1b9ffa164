"""The embedded store: one SQLite file (WAL, foreign keys, versioned migrations).

The only place chainmap writes SQL: :mod:`.dataset` writes a dataset,
:mod:`.pipeline` the lead pipeline, :mod:`.service` what follows signing (1+1+1,
requests, delivery), :mod:`.migrations` holds the schema.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...errors import ArgumentError, WorkspaceError
from ...i18n import _
from ..base import CRM_COLUMNS, TABLE_COLUMNS
from .changes import ChangeLog, drop_log_triggers
from .connection import Connection
from .dataset import DatasetWrites, LinkWrites
from .firmmark import FirmMark
from .history import HistoryReads
from .migrations import MIGRATIONS
from .pipeline import PipelineWrites
from .service import ServiceWrites
from .unusable import DEFAULT_BUSY_TIMEOUT, not_sqlite_reason, unusable

if TYPE_CHECKING:
    from ...regions import Region

__all__ = ["DEFAULT_BUSY_TIMEOUT", "SQLiteStore", "busy_timeout"]


def busy_timeout() -> float:
    """Seconds a write waits for another one to end: ``$CHAINMAP_BUSY_TIMEOUT``, else 30.

    Raises
    ------
    ArgumentError
        ``CHAINMAP_BUSY_TIMEOUT`` is not a number of seconds (0 or more).

    Examples
    --------
    >>> busy_timeout() > 0
    True
    """
    text = os.environ.get("CHAINMAP_BUSY_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise ArgumentError(_("CHAINMAP_BUSY_TIMEOUT must be a number of seconds (0 or more), "
                              "not '{value}'").format(value=text),
                            parameter="CHAINMAP_BUSY_TIMEOUT")
    return seconds

#: Columns added by schema 4 (dataset v2), often the same in every row of a big table.
_V2_COLUMNS = {
    "products": ("keywords", "exclude", "industries"),
    "companies": ("status", "status_raw", "address", "main_products", "scope", "industry",
                  "registered_capital", "founded", "source", "as_of"),
    "capabilities": ("status", "evidence", "source", "field", "text"),
}
#: Their defaults in the schema.
#: Number columns of the big tables (read as numbers by :meth:`SQLiteStore.live_columns`).
_NUMBERS = frozenset({"revenue", "employees", "registered_capital", "in_park"})
#: The tables whose ``rowid`` :meth:`SQLiteStore.live_columns` reads (the order of their rows).
_ROWID = {"companies": {"rowid"}, "capabilities": set(), "supplies": {"rowid"}}
#: The unit separator: between the values of a column joined by SQL.
_UNIT = "\x1f"
_V2_DEFAULTS = {("companies", "status"): "active", ("capabilities", "status"): "confirmed"}


class SQLiteStore(DatasetWrites, LinkWrites, PipelineWrites, ServiceWrites, ChangeLog,
                  HistoryReads, FirmMark):
    """A workspace kept in one SQLite file.

    Opening a file made by an older chainmap upgrades it in place; a file made by a
    newer one is refused. Any thread may use the store: its statements and
    transactions are serialised by one lock (SQLite's own locking keeps other
    processes apart).
    """

    #: Imports and lead-pipeline writes go here.
    writable = True
    #: This store keeps the lead-pipeline tables (:data:`~chainmap.store.base.CRM_COLUMNS`).
    keeps_leads = True
    #: The gap report is computed from the tables in Python (:meth:`gap_counts` is ``None``).
    computes_gaps = False
    #: Reads a few columns without the others (:class:`~chainmap.store.base.ColumnReads`).
    reads_columns = True
    #: How deep in :meth:`transaction` the store is (0: none open).
    _depth = 0
    #: How deep in :meth:`snapshot` the store is (0: none open).
    _reading = 0
    #: Whether the write-ahead log could not be checkpointed when the snapshot began.
    _log_busy = True
    #: Seconds a write waits for another process's write (:func:`busy_timeout`).
    busy_timeout = DEFAULT_BUSY_TIMEOUT

    def __init__(self, path: str | Path, migrations: list[str] | None = None) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        migrations = MIGRATIONS if migrations is None else migrations
        if not self.path.parent.exists():
            raise WorkspaceError(_("cannot create workspace {path}: folder {folder} does not "
                                   "exist").format(path=self.path, folder=self.path.parent))
        if self.path.is_dir():
            raise WorkspaceError(_("workspace {path} is a folder, not a file").format(
                path=self.path))
        #: Held by a transaction, and by each statement (see :class:`.connection.Connection`).
        self._lock = threading.RLock()
        self.busy_timeout = busy_timeout()
        try:
            self.conn = Connection(sqlite3.connect(self.path, isolation_level=None,
                                                    timeout=self.busy_timeout,
                                                    check_same_thread=False), self._lock)
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.conn.execute("PRAGMA user_version").one()[0]
            if version < len(migrations):
                self.conn.execute("PRAGMA journal_mode = WAL")
            elif str(self.path) != ":memory:" and \
                    self.conn.execute("PRAGMA journal_mode").one()[0] != "wal":
                # a file copied or restored without its log: readers must not block
                # writers (snapshot reads), so back to the write-ahead log when possible
                with contextlib.suppress(sqlite3.OperationalError):
                    self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError as exc:
            raise unusable(self.path, exc, writing=False,
                           waited=self.busy_timeout) from None
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(_("{path} is not a chainmap workspace ({reason})").format(
                path=self.path, reason=not_sqlite_reason(exc))) from None
        if version > len(migrations):
            self.conn.close()
            raise WorkspaceError(_(
                "{path} was made by a newer chainmap (schema {version}, this one knows "
                "{known}); upgrade chainmap to open it").format(
                    path=self.path, version=version, known=len(migrations)))
        if version < len(migrations):
            # the change log's triggers name columns a migration may change: they go, and
            # the next push makes them anew for the new schema (store/sqlite/changes.py)
            drop_log_triggers(self.conn)
        for number in range(version, len(migrations)):
            try:
                self.conn.executescript(
                    f"BEGIN;\n{migrations[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")
            except sqlite3.DatabaseError as exc:
                self.conn.execute("ROLLBACK") if self.conn.in_transaction else None
                raise WorkspaceError(_("cannot upgrade {path} to schema {version}: {reason}"
                                       ).format(path=self.path, version=number + 1,
                                                reason=exc)) from None

    # -- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: commit on success, roll back on any exception.

        A transaction opened inside another joins it: the outer one commits or rolls
        back. It begins with ``BEGIN IMMEDIATE``, so what it reads to decide its writes
        is what the writes land on: no other writer can come in between. A writer waits
        for another process's write for :attr:`busy_timeout` seconds
        (``CHAINMAP_BUSY_TIMEOUT``), then gives up with "the workspace is busy". A
        workspace that cannot be written (read-only file or folder, disk full) raises
        :class:`WorkspaceError`; so does a constraint another writer's change broke
        (naming it). The transaction holds the store's lock: another thread's reads and
        writes wait until it has ended. Not inside a :meth:`snapshot`.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            if self._reading:
                raise WorkspaceError(_("cannot write to workspace {path} while a report reads "
                                       "it (inside Workspace.snapshot()); nothing was changed"
                                       ).format(path=self.path))
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise unusable(self.path, exc, writing=True, waited=self.busy_timeout) \
                    from None
            self._depth = 1
            self._watch_firms(True)  # the firm tables' mark (firmmark.py)
            try:
                yield
                self._stamp_firms(self.revision())
                self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                                  "WHERE key = 'revision'")
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise unusable(self.path, exc, writing=True,
                                   waited=self.busy_timeout) from None
                if isinstance(exc, sqlite3.IntegrityError):
                    raise WorkspaceError(_(
                        "cannot write to workspace {path}: {reason} (another command may "
                        "have changed the same records at the same time); nothing was changed"
                    ).format(path=self.path, reason=exc)) from None
                raise
            finally:
                self._depth = 0
                self._watch_firms(False)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read one committed state: every read inside sees the data as they were at its start.

        One read transaction (``BEGIN``, pinned by its first read: the revision) in the
        write-ahead log's snapshot isolation: imports and other writers committing
        meanwhile are not seen, and are not held up. Nested snapshots, and a snapshot
        inside a :meth:`transaction` (which already sees one state), join the outer one.
        The snapshot holds the store's lock: another thread's statements wait for it.
        """
        with self._lock:
            if self._reading or self._depth:
                self._reading += 1
                try:
                    yield
                finally:
                    self._reading -= 1
                return
            self._log_busy = self._checkpoint()
            try:
                self.conn.execute("BEGIN")
                self.revision()  # the first read pins the snapshot
            except sqlite3.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise unusable(self.path, exc, writing=False,
                               waited=self.busy_timeout) from None
            self._reading = 1
            try:
                yield
            finally:
                self._reading = 0
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")  # a read transaction: ends the snapshot

    def _checkpoint(self) -> bool:
        """Move the write-ahead log into the file, not waiting; whether pages stayed behind."""
        if str(self.path) == ":memory:":
            return True
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                return bool(self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").one()[0])
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        except (sqlite3.Error, LookupError):
            return True

    def schema_version(self) -> int:
        """The version of the workspace's schema (``PRAGMA user_version``)."""
        return self.conn.execute("PRAGMA user_version").one()[0]

    def revision(self) -> int:
        """A number that changes whenever the data changes."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'revision'").one()
        return int(row[0])

    def cache_key(self) -> tuple[str, str] | None:
        """The workspace file's real path, and its revision with the file's identity.

        The identity (device, inode, modification time in ns, size) tells a file
        deleted and made again, or copied over, from the one a cache was made of,
        even at the same revision. Written pages still in the write-ahead log are
        moved into the file first (a checkpoint, which changes no data), so that the
        identity stays as it is until the next write. Inside a :meth:`snapshot` the
        revision is the snapshot's (the checkpoint was made as it began), so the key
        names the state the snapshot reads. ``None`` for ``:memory:``, inside a
        :meth:`transaction`, or while another connection keeps the log from being
        checkpointed.
        """
        if str(self.path) == ":memory:" or self._depth:
            return None
        with self.snapshot():
            if self._log_busy:
                return None
            try:
                found = os.stat(self.path)
            except OSError:
                return None
            state = (f"{self.revision()}:{found.st_dev}:{found.st_ino}:{found.st_mtime_ns}:"
                     f"{found.st_size}")
        return str(self.path.resolve()), state

    def get_config(self, key: str) -> str | None:
        """The configuration value ``key``, or ``None``."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?",
                                ("config." + key,)).fetchone()
        return row[0] if row else None

    def set_config(self, key: str, value: str | None) -> None:
        """Set the configuration value ``key``; ``None`` removes it."""
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", ("config." + key,))
            else:
                self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                             "DO UPDATE SET value = excluded.value", ("config." + key, value))

    # -- reading -----------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """The whole table ``name`` as a frame."""
        columns = TABLE_COLUMNS[name] if name in TABLE_COLUMNS else CRM_COLUMNS[name]
        with self._lock:
            constant = self._constant_columns(name)
            read = [c for c in columns if c not in constant]
            frame = pd.read_sql_query(f"SELECT {', '.join(read)} FROM {name}",
                                      getattr(self.conn, "raw", self.conn))
        if constant:  # filled here at no cost per cell, in the table's column order
            for column, value in constant.items():
                frame[column] = pd.Series(value, index=frame.index,
                                          dtype=object if value is None else None)
            frame = frame[list(columns)]
        return frame

    def table_columns(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """The columns ``columns`` of the whole table ``name``, no other column read."""
        known = TABLE_COLUMNS[name] if name in TABLE_COLUMNS else CRM_COLUMNS[name]
        if not columns or not set(columns) <= set(known):
            raise KeyError(columns)
        if name in _V2_COLUMNS and set(columns) & set(_V2_COLUMNS[name]):
            return self.table(name).loc[:, list(columns)]
        with self._lock:
            return pd.read_sql_query(f"SELECT {', '.join(columns)} FROM {name}",
                                     getattr(self.conn, "raw", self.conn))

    def record_columns(self, table: str, ids: set, columns: tuple[str, ...]) -> pd.DataFrame:
        """``id`` and ``columns`` of the rows of ``table`` whose id is one of ``ids``.

        Read by primary key, as :meth:`records`, without the other columns.
        """
        wanted = ("id", *(c for c in columns if c != "id"))
        if "id" not in TABLE_COLUMNS[table] or not set(wanted) <= set(TABLE_COLUMNS[table]):
            raise KeyError(table)
        return self._by_id(table, ids, wanted)

    def rows_where(self, table: str, column: str, values: set) -> pd.DataFrame:
        """Every column of the rows of ``table`` whose ``column`` is one of ``values``.

        Read through the column's index (a lead's moves, activities and follow-ups by
        ``lead_id``), in the table's column order, as :meth:`table` reads the whole table.
        """
        items = list(values)
        parts = [self._rows(table, column, f"IN ({','.join('?' * len(items[i:i + 900]))})",
                            items[i:i + 900])
                 for i in range(0, max(len(items), 1), 900)]
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def rows_between(self, table: str, column: str, first: str, last: str) -> pd.DataFrame:
        """Every column of the rows of ``table`` whose date ``column`` is in ``first..last``.

        The date is the column's first ten characters (a time after it is not compared),
        both ends included; a row without one is not in any period.
        """
        return self._rows(table, column, "IS NOT NULL AND substr({column}, 1, 10) "
                          "BETWEEN ? AND ?", [first, last])

    def _rows(self, table: str, column: str, condition: str, params: list) -> pd.DataFrame:
        """The rows of ``table`` where ``column`` meets ``condition``, as :meth:`table`."""
        columns = TABLE_COLUMNS[table] if table in TABLE_COLUMNS else CRM_COLUMNS[table]
        if column not in columns:
            raise KeyError(column)
        where = f"{column} {condition.format(column=column)}"
        with self._lock:
            return pd.read_sql_query(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}",
                                     getattr(self.conn, "raw", self.conn), params=params)

    def _by_id(self, table: str, ids: set, columns: tuple[str, ...]) -> pd.DataFrame:
        """``columns`` of the rows of ``table`` whose id is one of ``ids``, by primary key."""
        items = list(ids)
        rows: list[tuple] = []
        with self._lock:
            for i in range(0, len(items), 900):
                part = items[i:i + 900]
                marks = ",".join("?" * len(part))
                rows.extend(self.conn.execute(
                    f"SELECT {', '.join(columns)} FROM {table} WHERE id IN ({marks})", part))
        return pd.DataFrame.from_records(rows, columns=list(columns))

    def _constant_columns(self, name: str) -> dict[str, object]:
        """The v2 columns of ``name`` that hold one value in every row.

        That value is ``None`` or the status default, found in one scan: reading such
        columns cell by cell would cost a big v1-shaped table a third of its read time.
        """
        candidates = _V2_COLUMNS.get(name)
        if not candidates:
            return {}
        probes = ", ".join(
            f"max({c} <> '{_V2_DEFAULTS[(name, c)]}')" if (name, c) in _V2_DEFAULTS
            else f"max({c} IS NOT NULL)" for c in candidates)
        row = self.conn.execute(f"SELECT count(*), {probes} FROM {name}").fetchone()
        if row is None or not row[0]:
            return {}
        return {c: _V2_DEFAULTS.get((name, c)) for c, used in zip(candidates, row[1:])
                if not used}

    def count(self, name: str) -> int:
        """Rows of the dataset table ``name``."""
        if name not in TABLE_COLUMNS:
            raise KeyError(name)
        return self.conn.execute(f"SELECT count(*) FROM {name}").one()[0]

    def known_ids(self, table: str, ids: set) -> set:
        """Which of ``ids`` the store holds in ``table``."""
        if table not in ("products", "companies", "chains"):
            raise KeyError(table)
        found: set = set()
        items = list(ids)
        for i in range(0, len(items), 900):
            part = items[i:i + 900]
            marks = ",".join("?" * len(part))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM {table} WHERE id IN ({marks})", part))
        return found

    def uscc_holders(self, usccs: set) -> dict[str, str]:
        """The firm holding each of ``usccs`` (USCC -> id; the first id if several)."""
        found: dict[str, str] = {}
        if not usccs or self.conn.execute(  # no firm holds one (an empty workspace)
                "SELECT 1 FROM companies WHERE uscc IS NOT NULL LIMIT 1").fetchone() is None:
            return found
        items = list(usccs)
        for i in range(0, len(items), 900):
            part = items[i:i + 900]
            marks = ",".join("?" * len(part))
            for code, firm in self.conn.execute(
                    f"SELECT uscc, MIN(id) FROM companies WHERE uscc IN ({marks}) "
                    "GROUP BY uscc", part):
                found[code] = firm
        return found

    def names(self, table: str, ids: set) -> dict[str, str]:
        """The names of the records ``ids`` of ``table``, by id (read by primary key)."""
        if table not in ("products", "companies", "chains"):
            raise KeyError(table)
        found: dict[str, str] = {}
        items = list(ids)
        for i in range(0, len(items), 900):
            part = items[i:i + 900]
            marks = ",".join("?" * len(part))
            found.update((r[0], r[1]) for r in self.conn.execute(
                f"SELECT id, name FROM {table} WHERE id IN ({marks})", part))
        return found

    def records(self, table: str, ids: set) -> pd.DataFrame:
        """The rows of ``table`` whose id is one of ``ids`` (read by primary key)."""
        columns = TABLE_COLUMNS[table]
        if "id" not in columns:
            raise KeyError(table)
        return self._by_id(table, ids, tuple(columns))

    def live_columns(self, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """``columns`` of the rows the reports count, read by SQL.

        Of ``companies``, ``capabilities`` or ``supplies``, what
        :meth:`Workspace._live <chainmap.Workspace._live>` holds: active firms;
        confirmed links of active firms; supplies between active firms. Only the
        columns asked for are read: the reports' integer codes
        (:func:`chainmap.analysis.gaps.gap_codes`) are built from a few columns of the
        big tables, not from every column of every row. Text columns come as one joined
        text per column (``group_concat``), split here: a million values without a
        Python object per row from the driver.
        """
        if not columns or not set(columns) <= set(TABLE_COLUMNS[table]) | _ROWID[table]:
            raise KeyError(columns)
        with self._lock:
            rows = self._live_select(table, columns, self._live_filters(table))
            texts = [c for c in columns if c not in _NUMBERS]
            out: dict[str, object] = {}
            if texts:  # NULL as '' (no id or code is empty), the unit separator between
                joined = self.conn.execute(
                    "SELECT count(*), " + ", ".join(
                        f"group_concat(ifnull({c}, ''), char(31))" for c in texts) +
                    f" FROM ({rows})").one()
                for column, text in zip(texts, joined[1:], strict=True):
                    parts = np.array(text.split(_UNIT) if joined[0] else [], dtype=object)
                    if len(parts) != joined[0]:  # a value holding the separator
                        return pd.DataFrame.from_records(
                            self.conn.execute(rows).fetchall(), columns=list(columns))
                    parts[parts == ""] = None
                    out[column] = parts
            for column in columns:
                if column in _NUMBERS or column == "rowid":
                    out[column] = np.array(self.conn.execute(
                        f"SELECT {column} FROM ({rows})").fetchall(),
                        dtype=np.int64 if column == "rowid" else float).reshape(-1)
        return pd.DataFrame({c: pd.Series(out[c], dtype=None if c in _NUMBERS or c == "rowid"
                                          else object)
                             for c in columns}, columns=list(columns))

    def _live_filters(self, table: str) -> list[str]:
        """The conditions of the live rows of ``table`` (:meth:`live_columns`).

        Only those some row needs (found by the partial indexes).
        """
        closed = "SELECT id FROM companies WHERE status IS NOT NULL AND status <> 'active'"
        any_closed = self.conn.execute(
            "SELECT 1 FROM companies WHERE status <> 'active' LIMIT 1").fetchone()
        unconfirmed = table == "capabilities" and self.conn.execute(
            "SELECT 1 FROM capabilities WHERE status <> 'confirmed' LIMIT 1").fetchone()
        return [c for c, needed in (
            ("status IS NULL OR status = 'active'", table == "companies" and any_closed),
            ("status IS NULL OR status = 'confirmed'", unconfirmed),
            (f"company_id NOT IN ({closed})", table == "capabilities" and any_closed),
            (f"supplier_id NOT IN ({closed}) AND customer_id NOT IN ({closed})",
             table == "supplies" and any_closed)) if needed]

    @staticmethod
    def _live_select(table: str, columns: tuple[str, ...], where: list[str]) -> str:
        """The SELECT of ``columns`` of the rows meeting ``where``, in the codes' order."""
        order = "company_id, product_id" if table == "capabilities" else "rowid"
        return (f"SELECT {', '.join(columns)} FROM {table}"
                + (f" WHERE ({') AND ('.join(where)})" if where else "")
                + f" ORDER BY {order}")

    def live_rows_of(self, table: str, columns: tuple[str, ...],
                     firms: list[str]) -> pd.DataFrame:
        """``columns`` of the live rows (:meth:`live_columns`) of ``table`` naming ``firms``.

        Rows of ``companies`` with one of those ids, of ``capabilities`` with one as
        ``company_id``, of ``supplies`` with one as supplier or customer; in the order
        of :meth:`live_columns`, read by index (the firms as one JSON parameter).
        """
        if not columns or not set(columns) <= set(TABLE_COLUMNS[table]) | _ROWID[table]:
            raise KeyError(columns)
        named = "SELECT value FROM json_each(:firms)"
        near = {"companies": f"id IN ({named})",
                "capabilities": f"company_id IN ({named})",
                "supplies": f"(supplier_id IN ({named}) OR customer_id IN ({named}))"}[table]
        with self._lock:
            rows = self._live_select(table, columns, [near, *self._live_filters(table)])
            found = self.conn.execute(rows, {"firms": json.dumps(firms, ensure_ascii=False)}
                                      ).fetchall()
        frame = pd.DataFrame.from_records(found, columns=list(columns)).astype(
            {c: np.int64 if c == "rowid" else float if c in _NUMBERS else object
             for c in columns})
        for column in columns:  # a blank text as none, as live_columns reads it
            if column != "rowid" and column not in _NUMBERS:
                frame.loc[frame[column] == "", column] = None
        return frame

    def rows_at(self, table: str, rowids: list[int],
                columns: tuple[str, ...]) -> dict[int, tuple]:
        """``columns`` of the rows ``rowids`` of ``companies`` or ``supplies``, by rowid."""
        if table not in ("companies", "supplies") or \
                not set(columns) <= set(TABLE_COLUMNS[table]):
            raise KeyError(table)
        with self._lock:
            found = self.conn.execute(
                f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid IN "
                "(SELECT value FROM json_each(?))", (json.dumps(rowids),)).fetchall()
        return {r[0]: tuple(r[1:]) for r in found}

    def gap_counts(self, chain_id: str, home: Region,
                   targets: list[Region]) -> dict[str, pd.Series] | None:
        """``None``: the gap report is computed from the tables (:attr:`computes_gaps`)."""
        return None

    @staticmethod
    def peek_config(path: str | Path, key: str) -> str | None:
        """The configuration value ``key`` of the workspace file ``path``, read-only.

        The file is never upgraded or otherwise changed; ``None`` when it has no such
        value or is not a chainmap workspace (not even an SQLite file). The same as
        :func:`chainmap.peek.peek_config`, which needs no pandas, but waiting for a
        write of another process as long as a write would (:func:`busy_timeout`).
        """
        from ...peek import peek_config

        return peek_config(path, key, timeout=busy_timeout())

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
