"""The lead-pipeline reads of the SQLite workspace: the leads with their firms, the moves.

The reports of :mod:`chainmap.crm` (the pipeline, the lead list, the signed projects,
supervision) need every lead with its firm's name and province, and of every move
only the lead, the stage it went to and the date. Here the leads' columns and the
moves' three come as texts joined in SQLite over one scan of each table and split
here (no driver tuple per row); the lead firms' names and provinces are a query of
their own (:meth:`HistoryReads.lead_firms`), which the reports keep while the firm
tables stay as they are (a lead moved or added leaves them valid: see
:func:`chainmap.crm.leads._with_firms`). What the reports compute from the moves is
computed once, for every store, in :mod:`chainmap.crm.history`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .connection import Connection

if TYPE_CHECKING:
    import threading

__all__ = ["HistoryReads"]

#: Between the values of a column joined by ``group_concat`` (no id, stage or date has it).
_UNIT = "\x1f"
#: The columns of ``leads`` that hold numbers.
_LEAD_NUMBERS = ("seq", "investment", "imported")
#: The columns of the leads read with their firms that may be NULL (all but the
#: ``NOT NULL`` ones of ``leads``; the firm's may be missing).
_LEAD_NULLABLE = frozenset({"product_id", "owner", "note", "lost_reason", "contract_date",
                            "attrs", "company_name", "province"})


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """``rows`` as a frame of object columns (``None`` for NULL), nothing inferred."""
    data = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    out = {}
    for name, values in zip(columns, data, strict=True):
        array = np.empty(len(values), dtype=object)
        array[:] = values
        out[name] = array
    return _objects(out, columns)


def _objects(arrays: dict[str, np.ndarray], columns: list[str]) -> pd.DataFrame:
    """A frame of the object ``arrays`` as they are (no text type inferred)."""
    return pd.DataFrame({c: pd.Series(arrays[c], dtype=object, copy=False) for c in columns},
                        columns=columns)


def _joined(conn: Connection, table: str, columns: list[str],
            nullable: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The text ``columns`` of every row of ``table`` as object arrays, ``None`` for NULL.

    Each comes as one text joined in SQLite (``group_concat`` over a scan of the table
    itself, ``NOT INDEXED``: its rows in rowid order, no index picked instead) and
    split here: no driver tuple per row. A ``nullable`` column comes as its values
    (NULL as an empty text) and a text of ``0`` and ``1``, one per row, ``1`` for NULL.
    A value holding the separator sends the whole read through the driver's rows.
    """
    parts_sql = []
    for c in columns:
        if c in nullable:
            parts_sql.append(f"group_concat(ifnull({c}, ''), char(31)), "
                             f"group_concat({c} IS NULL, '')")
        else:
            parts_sql.append(f"group_concat({c}, char(31))")
    joined = conn.execute(f"SELECT count(*), {', '.join(parts_sql)} FROM {table} NOT INDEXED"
                          ).one()
    count, out, at = joined[0], {}, 1
    for column in columns:
        text = joined[at]
        parts = text.split(_UNIT) if count else []
        if len(parts) != count:  # a value holding the separator
            return _frame(conn.execute(f"SELECT {', '.join(columns)} FROM {table} "
                                       "ORDER BY rowid").fetchall(), columns)
        array = np.empty(len(parts), dtype=object)
        array[:] = parts
        if column in nullable:
            at += 1
            if count:
                array[np.frombuffer(joined[at].encode("ascii"), dtype=np.uint8) == ord("1")] \
                    = None
        at += 1
        out[column] = array
    return _objects(out, columns)


class HistoryReads:
    """The lead-pipeline reads of :class:`~chainmap.store.sqlite.SQLiteStore`."""

    conn: Connection
    _lock: threading.RLock

    def lead_rows(self, columns: tuple[str, ...]) -> pd.DataFrame:
        """``columns`` of every lead by number, objects with ``None`` for NULL.

        The lead firms' names and provinces come from :meth:`lead_firms`.
        """
        numbers = [c for c in columns if c in _LEAD_NUMBERS]
        texts = [c for c in columns if c not in _LEAD_NUMBERS]
        with self._lock:
            frame = _joined(self.conn, "leads", texts, nullable=_LEAD_NULLABLE)
            # in the table's order (no sort in SQLite), then by number here
            read = ["seq", *(c for c in numbers if c != "seq")]
            values = self.conn.execute(
                f"SELECT {', '.join(read)} FROM leads ORDER BY rowid").fetchall()
        seq = np.array([r[0] for r in values], dtype=np.int64)
        for i, column in enumerate(read):
            if column in numbers:
                array = np.empty(len(values), dtype=object)
                array[:] = [r[i] for r in values]
                frame[column] = array
        frame = frame.iloc[np.argsort(seq, kind="stable")].reset_index(drop=True)
        return frame[list(columns)]

    def lead_firms(self) -> pd.DataFrame:
        """``id``, ``name`` and ``province`` of every firm some lead is for."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT c.id, c.name, c.province FROM companies c "
                "WHERE c.id IN (SELECT company_id FROM leads)").fetchall()
        return _frame(rows, ["id", "name", "province"])

    def move_columns(self) -> pd.DataFrame:
        """``lead_id``, ``to_stage`` and ``date`` of every move, in the order recorded."""
        with self._lock:
            return _joined(self.conn, "lead_events", ["lead_id", "to_stage", "date"])

    def last_move_row(self) -> int:
        """The rowid of the newest history row (0 without any): a later move's is higher."""
        with self._lock:
            return int(self.conn.execute(
                "SELECT coalesce(max(rowid), 0) FROM lead_events").one()[0])

    def moves_after(self, rowid: int) -> list[tuple]:
        """``(lead_id, to_stage, date)`` of the history rows after ``rowid``, in order."""
        with self._lock:
            return self.conn.execute(
                "SELECT lead_id, to_stage, date FROM lead_events WHERE rowid > ? "
                "ORDER BY rowid", (int(rowid),)).fetchall()

    def lead_read_row(self, lead_id: str, columns: tuple[str, ...]) -> dict | None:
        """One lead as :meth:`lead_rows` and the lead files read it; ``None`` if unknown.

        ``columns`` of ``leads``, then ``since`` (the date of its latest move, in the order
        recorded), ``company_name`` and ``province`` (of its firm; ``None`` without one).
        """
        with self._lock:
            row = self.conn.execute(
                f"SELECT {', '.join(f'l.{c}' for c in columns)}, "
                "(SELECT e.date FROM lead_events e WHERE e.lead_id = l.id "
                "ORDER BY e.rowid DESC LIMIT 1), c.name, c.province "
                "FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.id = ?",
                (lead_id,)).fetchone()
        if row is None:
            return None
        return dict(zip((*columns, "since", "company_name", "province"), row, strict=True))
