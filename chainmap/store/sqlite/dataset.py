"""Writing a dataset into the SQLite workspace: upserts by id, in one transaction."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import pandas as pd

from ...errors import ArgumentError, NotFoundError
from ...i18n import _
from ...regions import CODE_COLUMN, LOCATION_COLUMNS, REGION_COLUMN
from ..base import EVIDENCE, LINK_COLUMNS, TABLE_COLUMNS, Progress
from .connection import Connection

if TYPE_CHECKING:
    from ...io.validate import Dataset

__all__ = ["DatasetWrites"]

_UPSERT_KEYS = {"chains": ("id",), "products": ("id",), "companies": ("id",),
                "capabilities": ("company_id", "product_id")}
_BATCH = 50_000
#: Page cache while writing a dataset (KiB): secondary indexes of big tables stay in memory.
_WRITE_CACHE_KIB = 262_144
#: Below this many rows, indexes are kept up to date row by row.
_REINDEX_ROWS = 20_000
#: The references of the dataset's link tables: (table, column) -> the table it names.
_REFERENCES = {("product_chains", "product_id"): "products",
               ("product_chains", "chain_id"): "chains",
               ("inputs", "upstream"): "products", ("inputs", "downstream"): "products",
               ("capabilities", "company_id"): "companies",
               ("capabilities", "product_id"): "products",
               ("supplies", "supplier_id"): "companies",
               ("supplies", "customer_id"): "companies",
               ("supplies", "product_id"): "products"}


class DatasetWrites:
    """The dataset side of :class:`~chainmap.store.sqlite.SQLiteStore`."""

    conn: Connection

    if TYPE_CHECKING:  # given by the store
        _lock: threading.RLock
        _depth: int

        def transaction(self) -> AbstractContextManager[None]:
            """The store's transaction (:meth:`SQLiteStore.transaction`)."""

        def count(self, name: str) -> int:
            """Rows of the dataset table ``name`` (:meth:`SQLiteStore.count`)."""

        def known_ids(self, table: str, ids: set) -> set:
            """Which of ``ids`` the store holds in ``table``."""

        def firm_rows(self, *firms: Collection[object]) -> AbstractContextManager[None]:
            """Declare the firms the writes inside change (:meth:`FirmMark.firm_rows`)."""

        def firm_changes(self) -> AbstractContextManager[Callable[[], None]]:
            """Note the firms the writes inside change (:meth:`FirmMark.firm_changes`)."""

    # -- writing -----------------------------------------------------------------
    def write_dataset(self, dataset: Dataset, progress: Progress | None = None,
                      then: Callable[[], None] | None = None
                      ) -> dict[str, int]:
        """Upsert every table of ``dataset`` in one transaction.

        Records (chains, products, companies) are upserted by id: an existing record
        takes the fields the dataset's sheets have columns for (:attr:`Dataset.updates`),
        extra attributes are merged key by key (a blank cell removes one), a blank name
        keeps the stored one, and a firm keeps its district when the new row only names a
        region containing it; with ``updates`` ``None`` records are replaced whole. A
        product's chain list is replaced when its sheet has a ``chains`` column.
        Capabilities are records keyed on (company_id, product_id): an existing link takes
        the columns its sheet gave (``status`` always: a link a file states is confirmed
        unless the file says otherwise). Inputs and supplies are added.
        Returns how many rows each table gained: counted inside the write transaction,
        so rows another process adds at the same time are not counted as this one's.
        """
        with self._lock:  # no other thread's statement runs between the PRAGMAs
            # A big write checks its references once per table after the rows are in,
            # instead of SQLite looking up two parents for each link row (about a third
            # of a link's insert). The PRAGMA works only outside a transaction: a write
            # inside the caller's transaction (an import deciding inside it) keeps
            # SQLite's own checks.
            checked = (not self._depth and not self.conn.in_transaction
                       and sum(len(getattr(dataset, t)) for t in
                               ("product_chains", "inputs", "capabilities", "supplies"))
                       >= _REINDEX_ROWS)
            if checked:
                self.conn.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.transaction():  # BEGIN IMMEDIATE: no other writer between the counts
                    before = {name: self.count(name) for name in TABLE_COLUMNS}
                    cache = self.conn.execute("PRAGMA cache_size").one()[0]
                    self.conn.execute(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
                    try:
                        self._write(dataset, progress, then, checked)
                    finally:
                        self.conn.execute(f"PRAGMA cache_size = {int(cache)}")
                    return {name: self.count(name) - before[name] for name in TABLE_COLUMNS}
            finally:
                if checked:
                    self.conn.execute("PRAGMA foreign_keys = ON")

    def _check_references(self, dataset: Dataset) -> None:
        """Refuse the write when a row written names a record the workspace lacks.

        What SQLite's foreign keys would have refused row by row: each link table's
        references (those the dataset's own records do not hold are looked up), and every
        other table by ``PRAGMA foreign_key_check`` (rows ``then`` wrote: leads).
        Raises :class:`sqlite3.IntegrityError`, as the foreign key would have.
        """
        own = {"chains": dataset.chains, "products": dataset.products,
               "companies": dataset.companies}
        for (table, column), parent in _REFERENCES.items():
            frame = getattr(dataset, table)
            if not len(frame):
                continue
            named = pd.Index(frame[column].dropna().unique())
            outside = named[~named.isin(own[parent]["id"])].tolist()
            if outside and len(self.known_ids(parent, set(outside))) < len(set(outside)):
                raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")
        links = {t for t, _c in _REFERENCES}
        for (name,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            if name not in links and \
                    self.conn.execute(f"PRAGMA foreign_key_check({name})").fetchone():
                raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")

    def _write(self, dataset: Dataset, progress: Progress | None,
               then: Callable[[], None] | None, checked: bool = False) -> None:
        conn = self.conn
        with self.transaction():
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
            # the firms changed, for the reports' codes (firmmark.py): into a workspace
            # without firms every row is new and the dataset names them; else the rows
            # that change name their firms as they do (most may be as they were)
            firms: AbstractContextManager[Callable[[], None] | None] = \
                self.firm_rows(dataset.companies["id"], dataset.capabilities["company_id"],
                               dataset.supplies["supplier_id"],
                               dataset.supplies["customer_id"]) \
                if self.count("companies") == 0 else self.firm_changes()
            with firms as check:
                self._upsert(conn, "companies",
                             self._given(conn, "companies", dataset.companies, updates),
                             progress, updates, check)
                self._upsert(conn, "capabilities", dataset.capabilities, progress, updates,
                             check)
                self._upsert(conn, "supplies", dataset.supplies, progress, check=check)
            if then is not None:  # more writes that must share this transaction (leads)
                then()
            if checked:  # foreign keys were off: the same checks, once per table
                self._check_references(dataset)

    @staticmethod
    def _given(conn: Connection, name: str, frame: pd.DataFrame,
               updates: dict[str, tuple[str, ...]] | None) -> pd.DataFrame:
        """``frame`` with each record's extra attributes merged into those it has already.

        A blank cell (JSON null) removes one; only when the sheet had extras.
        """
        if updates is None or "extra" not in updates.get(name, ()) or not len(frame):
            return frame
        ids = frame["id"].tolist()
        stored: dict[str, dict] = {}
        for i in range(0, len(ids), 900):
            part = ids[i:i + 900]
            for ident, extra in conn.execute(
                    f"SELECT id, extra FROM {name} WHERE id IN ({','.join('?' * len(part))})",
                    part):
                stored[ident] = json.loads(extra) if extra else {}
        merged = []
        for ident, extra in zip(ids, frame["extra"]):
            record = dict(stored.get(ident, {}))
            record.update(json.loads(extra) if isinstance(extra, str) else {})
            record = {k: v for k, v in record.items() if v is not None}
            merged.append(json.dumps(record, ensure_ascii=False, sort_keys=True)
                          if record else None)
        return frame.assign(extra=merged)  # type: ignore[arg-type]  # pandas-stubs: None cells

    def _upsert(self, conn: Connection, name: str, frame: pd.DataFrame,
                progress: Progress | None,
                updates: dict[str, tuple[str, ...]] | None = None,
                check: Callable[[], None] | None = None) -> None:
        """Insert ``frame`` into ``name``.

        An existing record takes the columns its sheet gave (``updates[name]``; every
        column, replaced whole, when ``updates`` is ``None``: a whole workspace pushed or
        pulled). Relations are added once. ``check()`` runs after each batch of rows
        (:meth:`FirmMark.firm_changes`).
        """
        columns = TABLE_COLUMNS[name]
        keys = _UPSERT_KEYS.get(name)
        # Columns whose every value is what the table would store anyway (NULL, or the
        # column's default) are left out of the INSERT: a 1M-row load of a v1 sheet does
        # not pay for the v2 columns. ``excluded.<column>`` still holds the value.
        given = [c for c in columns if (keys and c in keys) or not _implied(name, c, frame[c])]
        sql = f"INSERT INTO {name} ({', '.join(given)}) VALUES ({', '.join('?' * len(given))})"
        if keys:
            update = None if updates is None else updates.get(name, ())
            chosen = [c for c in columns if c not in keys and (update is None or c in update)]
            values = {c: _set_value(name, c, merge=updates is not None) for c in chosen}
            sets = ", ".join(f"{c} = {v}" for c, v in values.items())
            # a record the row would leave as it is is not written: no page, no index
            # entry, no change-log row (a whole province imported again writes only
            # what changed)
            differs = " OR ".join(f"{c} IS NOT ({v})" for c, v in values.items())
            sql += (f" ON CONFLICT({', '.join(keys)}) DO UPDATE SET {sets} WHERE {differs}"
                    if sets else " ON CONFLICT DO NOTHING")
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
            for index, _create in indexes:
                conn.execute(f"DROP INDEX {index}")
        series = [frame[c] for c in given]
        for start in range(0, len(frame), _BATCH):
            cells = [_cells(s.iloc[start:start + _BATCH]) for s in series]
            conn.executemany(sql, zip(*cells))
            if check is not None:
                check()
            if progress:
                progress(name, len(cells[0]))
        for _index, create in indexes:
            conn.execute(create)


#: "The stored firm lies inside the region the new row names" (the new row's own code,
#: ``excluded.region_code``, is one of the stored firm's level codes), from the column map.
_STORED_INSIDE_NEW = (f"excluded.{CODE_COLUMN} IN "
                      f"({', '.join(sorted(set(REGION_COLUMN.values())))})")


def _set_value(table: str, column: str, merge: bool) -> str:
    """What an upsert sets ``column`` to: ``excluded.column``, refined for an import.

    With ``merge`` (an import): a blank name keeps the stored one (a record's name is
    never blank: it would become its id), and a firm's location is kept when the new row
    only names a region that contains it (a sheet giving 安徽省 for a firm known to be in
    当涂县 does not move it).
    """
    if not merge:
        return f"excluded.{column}"
    if column == "name":
        return "CASE WHEN excluded.name = excluded.id THEN name ELSE excluded.name END"
    if table == "companies" and column in LOCATION_COLUMNS:
        return (f"CASE WHEN excluded.{CODE_COLUMN} <> {CODE_COLUMN} AND "
                f"{_STORED_INSIDE_NEW} THEN {column} ELSE excluded.{column} END")
    return f"excluded.{column}"


#: Column defaults of the schema (migrations): a value equal to one need not be sent.
_DEFAULTS = {("companies", "status"): "active", ("capabilities", "status"): "confirmed"}
#: Columns of the first schema, always sent (their NULLs and values as they were).
_V1_COLUMNS = {c for c in ("id", "name", "uscc", "province", "city", "district",
                           "region_code", "province_code", "city_code", "in_park",
                           "employees", "revenue", "company_id", "product_id")}


def _implied(table: str, column: str, values: pd.Series) -> bool:
    """Whether every one of ``values`` is what the table stores by default.

    That is, when ``column`` is left out of an INSERT: NULL, or the column's default
    (v2 columns only).
    """
    if column in _V1_COLUMNS or table not in ("products", "companies", "capabilities"):
        return False
    default = _DEFAULTS.get((table, column))
    if default is None:
        return bool(values.isna().all())
    return bool((values == default).all())


def _cells(column: pd.Series) -> list:
    """A column as Python values for sqlite3, missing values as ``None``."""
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()


_SUGGEST_SQL = (
    "INSERT INTO capabilities (company_id, product_id, status, evidence, source, field, text) "
    "VALUES (?, ?, 'suggested', ?, ?, ?, ?) ON CONFLICT(company_id, product_id) DO UPDATE SET "
    "evidence = excluded.evidence, source = excluded.source, field = excluded.field, "
    "text = excluded.text WHERE capabilities.status = 'suggested'")
_DECIDE_SQL = (
    "INSERT INTO capabilities (company_id, product_id, status, evidence, source, field, text) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(company_id, product_id) DO UPDATE SET "
    "status = excluded.status, source = excluded.source, "
    "evidence = coalesce(excluded.evidence, evidence), "
    "field = coalesce(excluded.field, field), text = coalesce(excluded.text, text) "
    "WHERE capabilities.status <> excluded.status")


class LinkWrites:
    """Classified and decided capability links (:meth:`Store.write_links`)."""

    conn: Connection

    if TYPE_CHECKING:  # given by the store
        def transaction(self) -> AbstractContextManager[None]: ...

        def firm_rows(self, *firms: Collection[object]) -> AbstractContextManager[None]:
            """Declare the firms the writes inside change (:meth:`FirmMark.firm_rows`)."""

        def count(self, name: str) -> int: ...

        def known_ids(self, table: str, ids: set) -> set: ...

    def write_links(self, links: pd.DataFrame, *, mode: str) -> int:
        """Write capability links (see :meth:`chainmap.store.Store.write_links`).

        ``mode="suggest"`` inserts absent pairs as ``suggested`` and refreshes the
        evidence of rows still ``suggested``; it returns the rows inserted.
        ``mode="decide"`` sets each pair's ``status`` (``confirmed`` or ``rejected``)
        and ``source``, inserting absent pairs; a row already holding that status is
        left as it is. It returns the rows inserted or changed. Confirmed and rejected
        rows are never set back to ``suggested``.
        """
        if mode not in ("suggest", "decide"):
            raise ArgumentError(_("mode must be 'suggest' or 'decide', not {mode}").format(
                mode=repr(mode)), parameter="mode")
        missing = [c for c in LINK_COLUMNS if c not in links.columns
                   and not (mode == "suggest" and c == "status")]
        if missing:
            raise ArgumentError(_("links has no column {columns}").format(
                columns=", ".join(missing)), parameter="links")
        frame = links.drop_duplicates(["company_id", "product_id"], keep="last")
        evidence = frame["evidence"]
        bad = evidence.notna() & ~evidence.isin(EVIDENCE)
        if bad.any():
            raise ArgumentError(_("evidence must be one of {grades} or empty, not {value}"
                                  ).format(grades=", ".join(EVIDENCE),
                                           value=repr(evidence[bad].iloc[0])),
                                parameter="links")
        if mode == "decide":
            status = frame["status"]
            wrong = ~status.isin(("confirmed", "rejected"))
            if wrong.any():
                raise ArgumentError(_("a decision is 'confirmed' or 'rejected', not {value}"
                                      ).format(value=repr(status[wrong].iloc[0])),
                                    parameter="links")
        with self.transaction(), self.firm_rows(frame["company_id"]):
            for table, column in (("companies", "company_id"), ("products", "product_id")):
                ids = set(frame[column].dropna().unique().tolist())
                unknown = ids - self.known_ids(table, ids)
                if unknown:
                    message = _("unknown firm id: {ids}") if table == "companies" else \
                        _("unknown product id: {ids}")
                    raise NotFoundError(message.format(ids=", ".join(sorted(unknown)[:5])))
            if mode == "suggest":
                before = self.count("capabilities")
                columns = ["company_id", "product_id", "evidence", "source", "field", "text"]
                # many suggestions at once (a province's firms): the product index is built
                # once at the end instead of row by row, in the same transaction
                reindex = len(frame) >= _REINDEX_ROWS
                if reindex:
                    self.conn.execute("DROP INDEX capabilities_product")
                for start in range(0, len(frame), _BATCH):
                    part = frame.iloc[start:start + _BATCH]
                    self.conn.executemany(_SUGGEST_SQL, zip(*[_cells(part[c]) for c in columns]))
                if reindex:
                    self.conn.execute(
                        "CREATE INDEX capabilities_product ON capabilities(product_id)")
                return self.count("capabilities") - before
            changed = 0
            for start in range(0, len(frame), _BATCH):
                part = frame.iloc[start:start + _BATCH]
                cursor = self.conn.executemany(
                    _DECIDE_SQL, zip(*[_cells(part[c]) for c in LINK_COLUMNS]))
                changed += max(cursor.rowcount, 0)
            return changed
