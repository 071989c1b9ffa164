"""The embedded store: one SQLite file (WAL, foreign keys, versioned migrations)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import WorkspaceError
from .base import CRM_COLUMNS, TABLE_COLUMNS
from .migrations import MIGRATIONS

if TYPE_CHECKING:
    from ..io.validate import Dataset

__all__ = ["SQLiteStore"]

Progress = Callable[[str, int], None]

_UPSERT_KEYS = {"chains": ("id",), "products": ("id",), "companies": ("id",)}
_BATCH = 50_000
#: Page cache while writing a dataset (KiB): secondary indexes of big tables stay in memory.
_WRITE_CACHE_KIB = 262_144
#: Below this many rows, indexes are kept up to date row by row.
_REINDEX_ROWS = 20_000


class SQLiteStore:
    """A workspace kept in one SQLite file.

    Opening a file made by an older chainmap upgrades it in place; a file made by a
    newer one is refused.
    """

    #: This store keeps the lead-pipeline tables (:data:`~chainmap.store.base.CRM_COLUMNS`).
    supports_crm = True

    def __init__(self, path: str | Path, migrations: list[str] | None = None) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        migrations = MIGRATIONS if migrations is None else migrations
        if not self.path.parent.exists():
            raise WorkspaceError(f"cannot create workspace {self.path}: "
                                 f"folder {self.path.parent} does not exist")
        if self.path.is_dir():
            raise WorkspaceError(f"workspace {self.path} is a folder, not a file")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version < len(migrations):
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError as exc:
            raise _unusable(self.path, exc, "open") from None
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path} is not a chainmap workspace ({exc})") from None
        if version > len(migrations):
            self.conn.close()
            raise WorkspaceError(
                f"{self.path} was made by a newer chainmap (schema {version}, this one "
                f"knows {len(migrations)}); upgrade chainmap to open it")
        for number in range(version, len(migrations)):
            try:
                self.conn.executescript(
                    f"BEGIN;\n{migrations[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")
            except sqlite3.DatabaseError as exc:
                self.conn.execute("ROLLBACK") if self.conn.in_transaction else None
                raise WorkspaceError(f"cannot upgrade {self.path} to schema {number + 1}: {exc}"
                                     ) from None

    # -- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: commit on success, roll back on any exception.

        A workspace that cannot be written (read-only file or folder, locked by another
        process for longer than the 30 s wait, disk full) raises :class:`WorkspaceError`.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _unusable(self.path, exc, "write to") from None
        try:
            yield self.conn
            self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                              "WHERE key = 'revision'")
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise _unusable(self.path, exc, "write to") from None
            raise

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def revision(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0])

    def get_config(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?",
                                ("config." + key,)).fetchone()
        return row[0] if row else None

    def set_config(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", ("config." + key,))
            else:
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                             "DO UPDATE SET value = excluded.value", ("config." + key, value))

    # -- reading -----------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        columns = TABLE_COLUMNS[name] if name in TABLE_COLUMNS else CRM_COLUMNS[name]
        return pd.read_sql_query(f"SELECT {', '.join(columns)} FROM {name}", self.conn)

    def count(self, name: str) -> int:
        if name not in TABLE_COLUMNS:
            raise KeyError(name)
        return self.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]

    def known_ids(self, table: str, ids: set) -> set:
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

    # -- writing -----------------------------------------------------------------
    def write_dataset(self, dataset: Dataset, progress: Progress | None = None,
                      then: Callable[[sqlite3.Connection], None] | None = None
                      ) -> dict[str, int]:
        """Upsert every table of ``dataset`` in one transaction.

        Records (chains, products, companies) are upserted by id: an existing record
        takes the fields the dataset's sheets have columns for (:attr:`Dataset.updates`),
        extra attributes are merged key by key (a blank cell removes one), a blank name
        keeps the stored one, and a firm keeps its district when the new row only names a
        region containing it; with ``updates`` ``None`` records are replaced whole. A
        product's chain list is replaced when its sheet has a ``chains`` column. Inputs,
        capabilities and supplies are added.
        Returns how many rows each table gained.
        """
        before = {name: self.count(name) for name in TABLE_COLUMNS}
        cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
        try:
            self._write(dataset, progress, then)
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return {name: self.count(name) - before[name] for name in TABLE_COLUMNS}

    def _write(self, dataset: Dataset, progress: Progress | None,
               then: Callable[[sqlite3.Connection], None] | None) -> None:
        with self.transaction() as conn:
            updates = dataset.updates
            self._upsert(conn, "chains", self._given(conn, "chains", dataset.chains, updates),
                         progress, updates)
            self._upsert(conn, "products",
                         self._given(conn, "products", dataset.products, updates),
                         progress, updates)
            given = dataset.chains_given
            products = list(dataset.products["id"] if given is None
                            else [p for p in dataset.products["id"] if p in given])
            for i in range(0, len(products), 900):
                part = products[i:i + 900]
                conn.execute(f"DELETE FROM product_chains WHERE product_id IN "
                             f"({','.join('?' * len(part))})", part)
            self._upsert(conn, "product_chains", dataset.product_chains, progress)
            self._upsert(conn, "inputs", dataset.inputs, progress)
            self._upsert(conn, "companies",
                         self._given(conn, "companies", dataset.companies, updates),
                         progress, updates)
            self._upsert(conn, "capabilities", dataset.capabilities, progress)
            self._upsert(conn, "supplies", dataset.supplies, progress)
            if then is not None:  # more writes that must share this transaction (leads)
                then(conn)

    @staticmethod
    def _given(conn: sqlite3.Connection, name: str, frame: pd.DataFrame,
               updates: dict[str, tuple[str, ...]] | None) -> pd.DataFrame:
        """``frame`` with each record's extra attributes merged into those it has
        already (a blank cell, JSON null, removes one), when the sheet had extras."""
        if updates is None or "attrs" not in updates.get(name, ()) or not len(frame):
            return frame
        ids = frame["id"].tolist()
        stored: dict[str, dict] = {}
        for i in range(0, len(ids), 900):
            part = ids[i:i + 900]
            for ident, attrs in conn.execute(
                    f"SELECT id, attrs FROM {name} WHERE id IN ({','.join('?' * len(part))})",
                    part):
                stored[ident] = json.loads(attrs) if attrs else {}
        merged = []
        for ident, attrs in zip(ids, frame["attrs"]):
            record = dict(stored.get(ident, {}))
            record.update(json.loads(attrs) if isinstance(attrs, str) else {})
            record = {k: v for k, v in record.items() if v is not None}
            merged.append(json.dumps(record, ensure_ascii=False, sort_keys=True)
                          if record else None)
        return frame.assign(attrs=merged)

    def _upsert(self, conn: sqlite3.Connection, name: str, frame: pd.DataFrame,
                progress: Progress | None,
                updates: dict[str, tuple[str, ...]] | None = None) -> None:
        """Insert ``frame`` into ``name``. An existing record takes the columns its
        sheet gave (``updates[name]``; every column, replaced whole, when ``updates``
        is ``None``: a whole workspace pushed or pulled). Relations are added once."""
        columns = TABLE_COLUMNS[name]
        sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        keys = _UPSERT_KEYS.get(name)
        if keys:
            update = None if updates is None else updates.get(name, ())
            chosen = [c for c in columns if c not in keys and (update is None or c in update)]
            sets = ", ".join(_set_clause(name, c, merge=updates is not None) for c in chosen)
            sql += (f" ON CONFLICT({', '.join(keys)}) DO UPDATE SET {sets}" if sets
                    else " ON CONFLICT DO NOTHING")
        else:
            sql += " ON CONFLICT DO NOTHING"
        # A big load into an empty table: drop its plain (non-unique) indexes and build
        # them once at the end, in the same transaction (a rollback restores them).
        indexes = []
        if len(frame) >= _REINDEX_ROWS and \
                conn.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() is None:
            indexes = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (name,)).fetchall()
            for index, _ in indexes:
                conn.execute(f"DROP INDEX {index}")
        series = [frame[c] for c in columns]
        for start in range(0, len(frame), _BATCH):
            cells = [_cells(s.iloc[start:start + _BATCH]) for s in series]
            conn.executemany(sql, zip(*cells))
            if progress:
                progress(name, len(cells[0]))
        for _, create in indexes:
            conn.execute(create)

    def close(self) -> None:
        self.conn.close()


def _unusable(path: Path, exc: sqlite3.OperationalError, verb: str) -> WorkspaceError:
    """A clear error for a workspace SQLite cannot open or write; nothing was changed."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        why = "the file or its folder is read-only; copy it to a folder you can write"
    elif "locked" in text or "busy" in text:
        why = "another program is writing to it; try again when it has finished"
    elif "unable to open" in text:
        why = ("the file or its folder cannot be opened for writing (permissions, or a "
               "read-only disk); chainmap keeps journal files beside the workspace")
    elif "disk" in text or "full" in text:
        why = "the disk is full"
    else:
        why = text
    return WorkspaceError(f"cannot {verb} workspace {path}: {why}; nothing was changed")


_LOCATION = ("province", "city", "district", "region_code", "province_code", "city_code")


def _set_clause(table: str, column: str, merge: bool) -> str:
    """``column = excluded.column``; for an import (``merge``) two refinements: a blank
    name keeps the stored one (a record's name is never blank: it would become its id),
    and a firm's location is kept when the new row only names a region that contains it
    (a sheet giving 安徽省 for a firm known to be in 当涂县 does not move it)."""
    if not merge:
        return f"{column} = excluded.{column}"
    if column == "name":
        return "name = CASE WHEN excluded.name = excluded.id THEN name ELSE excluded.name END"
    if table == "companies" and column in _LOCATION:
        return (f"{column} = CASE WHEN excluded.region_code <> region_code AND "
                f"excluded.region_code IN (province_code, coalesce(city_code, '')) "
                f"THEN {column} ELSE excluded.{column} END")
    return f"{column} = excluded.{column}"


def _cells(column: pd.Series) -> list:
    """A column as Python values for sqlite3, missing values as ``None``."""
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()
