"""The lead-pipeline writes of the SQLite workspace (the SQL behind :mod:`chainmap.crm`).

Each method reads or writes inside the caller's :meth:`SQLiteStore.transaction` (or its
own, when called outside one). The rules deciding what to write stay in
:mod:`chainmap.crm`; these only carry them out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import pandas as pd

from ...errors import WorkspaceError
from ...i18n import _
from ..base import CRM_COLUMNS, TABLE_COLUMNS, Progress, Row
from .connection import Connection

__all__ = ["PipelineWrites"]


def _columns(table: str, row: Mapping[str, object]) -> list[str]:
    """The keys of ``row``, checked against the columns of ``table``."""
    known = CRM_COLUMNS[table]
    unknown = [c for c in row if c not in known]
    if unknown:
        raise KeyError(f"{table} has no column {', '.join(unknown)}")
    return list(row)


class PipelineWrites:
    """The lead-pipeline side of :class:`~chainmap.store.sqlite.SQLiteStore`."""

    conn: Connection
    location: str

    if TYPE_CHECKING:  # given by the store
        def transaction(self) -> AbstractContextManager[None]:
            """The store's transaction (:meth:`SQLiteStore.transaction`)."""

        def firm_rows(self, *firms: Collection[object]) -> AbstractContextManager[None]:
            """Declare the firms the writes inside change (:meth:`FirmMark.firm_rows`)."""

    # -- plumbing ----------------------------------------------------------------
    def _insert(self, table: str, row: Row) -> int:
        columns = _columns(table, row)
        with self.transaction():
            cur = self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})", tuple(row.values()))
        return int(cur.lastrowid or 0)

    def _row(self, sql: str, args: tuple) -> dict | None:
        cur = self.conn.execute(sql, args)
        row = cur.fetchone()
        return None if row is None else dict(zip([d[0] for d in cur.description], row))

    # -- reads for the checks ------------------------------------------------------
    def lead(self, lead_id: str) -> dict | None:
        """The stored row of the lead ``lead_id``, or ``None``."""
        return self._row("SELECT * FROM leads WHERE id = ?", (lead_id,))

    def leads_for(self, company_id: str, product_id: str | None) -> list[dict]:
        """``id``, ``stage`` and ``source`` of the leads for this firm and product."""
        cur = self.conn.execute(
            "SELECT id, stage, source FROM leads WHERE company_id = ? AND product_id IS ? "
            "ORDER BY seq", (company_id, product_id))
        return [{"id": i, "stage": s, "source": src} for i, s, src in cur]

    def next_lead_number(self) -> int:
        """One more than the highest lead number used."""
        return int(self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM leads")
                   .one()[0])

    def followup(self, number: int) -> dict | None:
        """The stored row of the follow-up ``number``, or ``None``."""
        return self._row("SELECT * FROM followups WHERE id = ?", (number,))

    def firm_links(self, keep_id: str, drop_id: str) -> dict[str, int]:
        """What merging ``drop_id`` into ``keep_id`` would move (see :class:`Store`)."""
        def count(sql: str, *args: object) -> int:
            return int(self.conn.execute(sql, args).one()[0])

        between = ("(supplier_id = ? AND customer_id = ?) OR (supplier_id = ? AND "
                   "customer_id = ?)")
        pair = (drop_id, keep_id, keep_id, drop_id)
        return {
            "capabilities": count("SELECT count(*) FROM capabilities WHERE company_id = ?",
                                  drop_id),
            "supplies": count(f"SELECT count(*) FROM supplies WHERE (supplier_id = ? OR "
                              f"customer_id = ?) AND NOT ({between})", drop_id, drop_id, *pair),
            "leads": count("SELECT count(*) FROM leads WHERE company_id = ?", drop_id),
            "activities": count("SELECT count(*) FROM activities a JOIN leads l ON "
                                "l.id = a.lead_id WHERE l.company_id = ?", drop_id),
            "followups": count("SELECT count(*) FROM followups f JOIN leads l ON "
                               "l.id = f.lead_id WHERE l.company_id = ?", drop_id),
            "internal": count(f"SELECT count(*) FROM supplies WHERE {between}", *pair),
            # after signing (schema 5): named only when there are some, so that a merge
            # plan of firms without them reads as before
            **{table: n for table in ("requests", "visits")
               if (n := count(f"SELECT count(*) FROM {table} WHERE company_id = ?", drop_id))},
        }

    # -- writes --------------------------------------------------------------------
    def add_lead(self, lead: Row, event: Row) -> None:
        """Insert a lead (every leads column) and its first history row."""
        with self.transaction():
            self._insert("leads", lead)
            self._insert("lead_events", event)

    def move_lead(self, lead_id: str, stage: str, lost_reason: str | None, updated: str,
                  event: Row) -> None:
        """Set the lead's stage and lost reason; append the history row ``event``."""
        with self.transaction():
            self.conn.execute("UPDATE leads SET stage = ?, lost_reason = ?, updated = ? "
                              "WHERE id = ?", (stage, lost_reason, updated, lead_id))
            self._insert("lead_events", event)

    def update_lead(self, lead_id: str, changes: Row, updated: str) -> None:
        """Set the leads columns ``changes`` of the lead ``lead_id``."""
        if not changes:
            return
        columns = _columns("leads", changes)
        with self.transaction():
            self.conn.execute(
                f"UPDATE leads SET {', '.join(f'{c} = ?' for c in columns)}, updated = ? "
                "WHERE id = ?", (*changes.values(), updated, lead_id))

    def log_activity(self, activity: Row) -> int:
        """Append an activity; return its number."""
        return self._insert("activities", activity)

    def add_followup(self, followup: Row) -> int:
        """Append a follow-up; return its number."""
        return self._insert("followups", followup)

    def complete_followup(self, number: int, done_at: str, done_by: str,
                          done_note: str | None) -> None:
        """Mark the follow-up ``number`` done."""
        with self.transaction():
            self.conn.execute("UPDATE followups SET done_at = ?, done_by = ?, done_note = ? "
                              "WHERE id = ?", (done_at, done_by, done_note, number))

    def merge_firms(self, keep_id: str, drop_id: str, fills: Row, extra: str | None,
                    updated: str) -> dict[str, list]:
        """Fold the firm ``drop_id`` into ``keep_id`` (see :class:`Store`)."""
        pair = (drop_id, keep_id, keep_id, drop_id)
        between = ("(supplier_id = ? AND customer_id = ?) OR (supplier_id = ? AND "
                   "customer_id = ?)")
        fill_columns = list(fills)
        if not set(fill_columns) <= set(TABLE_COLUMNS["companies"]) - {"id", "extra"}:
            raise KeyError(f"a merge cannot fill {', '.join(fill_columns)}")
        with self.transaction(), self.firm_rows((keep_id, drop_id)):
            conn = self.conn
            internal = [list(r) for r in conn.execute(
                f"SELECT supplier_id, customer_id, product_id FROM supplies WHERE {between}",
                pair)]
            sets = "".join(f"{c} = ?, " for c in fill_columns) + "extra = ?"
            conn.execute(f"UPDATE companies SET {sets} WHERE id = ?",
                         (*(fills[c] for c in fill_columns), extra, keep_id))
            conn.execute("INSERT OR IGNORE INTO capabilities (company_id, product_id) "
                         "SELECT ?, product_id FROM capabilities WHERE company_id = ?",
                         (keep_id, drop_id))
            conn.execute("DELETE FROM capabilities WHERE company_id = ?", (drop_id,))
            conn.execute(f"DELETE FROM supplies WHERE {between}", pair)
            conn.execute("INSERT OR IGNORE INTO supplies (supplier_id, customer_id, product_id) "
                         "SELECT CASE WHEN supplier_id = ? THEN ? ELSE supplier_id END, "
                         "CASE WHEN customer_id = ? THEN ? ELSE customer_id END, product_id "
                         "FROM supplies WHERE supplier_id = ? OR customer_id = ?",
                         (drop_id, keep_id, drop_id, keep_id, drop_id, drop_id))
            conn.execute("DELETE FROM supplies WHERE supplier_id = ? OR customer_id = ?",
                         (drop_id, drop_id))
            leads = [r[0] for r in conn.execute("SELECT id FROM leads WHERE company_id = ?",
                                                (drop_id,))]
            conn.execute("UPDATE leads SET company_id = ?, updated = ? WHERE company_id = ?",
                         (keep_id, updated, drop_id))
            # after signing: requests and visits move; KEEP's 1+1+1 people stay, the ones
            # it lacks come from DROP's
            for table in ("requests", "visits"):
                conn.execute(f"UPDATE {table} SET company_id = ? WHERE company_id = ?",
                             (keep_id, drop_id))
            conn.execute("INSERT INTO liaisons (id, contact, phone, officer, leader, at, by) "
                         "SELECT ?, contact, phone, officer, leader, at, by FROM liaisons "
                         "WHERE id = ? ON CONFLICT(id) DO UPDATE SET "
                         "phone = CASE WHEN liaisons.contact IS NULL THEN excluded.phone "
                         "ELSE liaisons.phone END, "
                         "contact = coalesce(liaisons.contact, excluded.contact), "
                         "officer = coalesce(liaisons.officer, excluded.officer), "
                         "leader = coalesce(liaisons.leader, excluded.leader)",
                         (keep_id, drop_id))
            conn.execute("DELETE FROM liaisons WHERE id = ?", (drop_id,))
            conn.execute("DELETE FROM companies WHERE id = ?", (drop_id,))
        return {"internal_supplies": internal, "leads": leads}

    def log_merge(self, merge: Row) -> None:
        """Append a row to the merge log."""
        self._insert("merges", merge)

    def audit(self, entry: Row) -> None:
        """Append a row to the audit log."""
        self._insert("audit", entry)

    def write_pipeline(self, tables: Mapping[str, pd.DataFrame],
                       progress: Progress | None = None) -> None:
        """Upsert whole pipeline tables by id, ids kept (what ``chainmap neo4j pull`` brings).

        A lead number taken by another lead id is refused.
        """
        try:
            with self.transaction():
                for name, columns in CRM_COLUMNS.items():
                    frame = tables[name].loc[:, list(columns)].astype(object)
                    frame = frame.where(frame.notna(), None)
                    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
                    self.conn.executemany(
                        f"INSERT INTO {name} ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' * len(columns))}) ON CONFLICT(id) DO UPDATE SET {sets}",
                        frame.itertuples(index=False, name=None))
                    if progress:
                        progress(name, len(frame))
        except sqlite3.IntegrityError as exc:  # e.g. a lead number taken by another lead id
            raise WorkspaceError(_("cannot pull into {location}: its own leads clash with the "
                                   "pulled ones ({reason}); pull into a new workspace").format(
                                       location=self.location, reason=exc)) from None
