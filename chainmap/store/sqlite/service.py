"""The after-signing writes of the SQLite workspace.

The SQL behind :mod:`chainmap.crm.service`, :mod:`~chainmap.crm.delivery` and
:mod:`~chainmap.crm.supervise`: 1+1+1 liaisons, requests (诉求) and their progress
notes, 四送一服 visits, a project's commitments and actuals, stage time limits. Each
method runs inside the caller's :meth:`SQLiteStore.transaction` (or its own); the rules
deciding what to write stay in :mod:`chainmap.crm`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from ..base import Row
from .connection import Connection
from .pipeline import _columns

__all__ = ["ServiceWrites"]


class ServiceWrites:
    """The after-signing side of :class:`~chainmap.store.sqlite.SQLiteStore`."""

    conn: Connection

    if TYPE_CHECKING:  # given by the store and PipelineWrites
        def transaction(self) -> AbstractContextManager[None]:
            """The store's transaction (:meth:`SQLiteStore.transaction`)."""

        def _insert(self, table: str, row: Row) -> int:
            """Insert ``row`` into ``table``; its rowid."""

        def _row(self, sql: str, args: tuple) -> dict | None:
            """The first row of ``sql`` as a dict, or ``None``."""

    def _replace(self, table: str, row: Row, key: tuple[str, ...] = ("id",)) -> None:
        """Insert ``row`` into ``table``, or update the row with the same ``key``."""
        columns = _columns(table, row)
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        with self.transaction():
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"({', '.join('?' * len(columns))}) ON CONFLICT({', '.join(key)}) "
                f"DO UPDATE SET {sets}", tuple(row.values()))

    # -- 1+1+1 ---------------------------------------------------------------------
    def liaison(self, company_id: str) -> dict | None:
        """The 1+1+1 row of the firm ``company_id``, or ``None``."""
        return self._row("SELECT * FROM liaisons WHERE id = ?", (company_id,))

    def set_liaison(self, row: Row) -> None:
        """Insert or replace the firm's 1+1+1 row."""
        self._replace("liaisons", row)

    # -- requests (诉求) and visits -------------------------------------------------
    def next_request_number(self) -> int:
        """One more than the highest request number used."""
        return int(self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM requests")
                   .one()[0])

    def add_request(self, row: Row) -> None:
        """Insert a request (every requests column)."""
        self._insert("requests", row)

    def request(self, request_id: str) -> dict | None:
        """The stored row of the request ``request_id``, or ``None``."""
        return self._row("SELECT * FROM requests WHERE id = ?", (request_id,))

    def add_request_event(self, row: Row) -> int:
        """Append a progress note or a closing; return its number."""
        return self._insert("request_events", row)

    def close_request(self, request_id: str, closed_date: str, close_note: str,
                      updated: str) -> None:
        """Mark the request closed on ``closed_date`` with ``close_note``."""
        with self.transaction():
            self.conn.execute("UPDATE requests SET closed_date = ?, close_note = ?, "
                              "updated = ? WHERE id = ?",
                              (closed_date, close_note, updated, request_id))

    def add_visit(self, row: Row) -> int:
        """Append a visit; return its number."""
        return self._insert("visits", row)

    # -- commitments and actuals ----------------------------------------------------
    def commitment(self, lead_id: str) -> dict | None:
        """The commitments of the lead ``lead_id``, or ``None``."""
        return self._row("SELECT * FROM commitments WHERE id = ?", (lead_id,))

    def set_commitment(self, row: Row) -> None:
        """Insert or replace the lead's commitments row."""
        self._replace("commitments", row)

    def actual(self, lead_id: str, date: str) -> dict | None:
        """The actuals of the lead ``lead_id`` dated ``date``, or ``None``."""
        return self._row("SELECT * FROM actuals WHERE lead_id = ? AND date = ?",
                         (lead_id, date))

    def set_actual(self, row: Row) -> None:
        """Insert or replace the actuals row of the lead and date of ``row``."""
        self._replace("actuals", row, key=("lead_id", "date"))

    # -- stage limits ----------------------------------------------------------------
    def set_stage_limit(self, stage: str, days: int | None, at: str, by: str) -> None:
        """Set the time limit of ``stage``; ``None`` removes it."""
        if days is None:
            with self.transaction():
                self.conn.execute("DELETE FROM stage_limits WHERE id = ?", (stage,))
            return
        self._replace("stage_limits", {"id": stage, "days": int(days), "at": at, "by": by})
