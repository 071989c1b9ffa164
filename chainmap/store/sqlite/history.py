"""The lead-pipeline reads of the SQLite workspace: the leads with their firms, the moves.

The reports of :mod:`chainmap.crm` (the pipeline, the lead list, the signed projects,
supervision) need every lead with its firm's name and province, and of every move
only the lead, the stage it went to and the date. Here the first is one query joining
the lead firms by primary key (not a read of the firm table), the second three texts
joined in SQLite and split here (no driver tuple per move). What the reports compute
from the moves is computed once, for every store, in :mod:`chainmap.crm.history`.
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


def _joined(conn: Connection, rows: str, columns: list[str],
            nullable: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The text columns of the query ``rows`` as object arrays, ``None`` for NULL.

    Each comes as one text joined in SQLite (``group_concat``, in the query's order)
    and split here: no driver tuple per row. A value of a ``nullable`` column comes
    with a ``v`` before it, NULL as an empty text. A value holding the separator sends
    the whole read through the driver's rows.
    """
    joined = conn.execute(
        "SELECT count(*)" + "".join(
            f", group_concat(CASE WHEN {c} IS NULL THEN '' ELSE 'v' || {c} END, char(31))"
            if c in nullable else f", group_concat({c}, char(31))" for c in columns)
        + f" FROM ({rows})").one()
    count, out = joined[0], {}
    for column, text in zip(columns, joined[1:], strict=True):
        parts = text.split(_UNIT) if count else []
        if len(parts) != count:  # a value holding the separator
            return _frame(conn.execute(rows).fetchall(), columns)
        if column in nullable:
            parts = [p[1:] if p else None for p in parts]
        array = np.empty(len(parts), dtype=object)
        array[:] = parts
        out[column] = array
    return _objects(out, columns)


class HistoryReads:
    """The lead-pipeline reads of :class:`~chainmap.store.sqlite.SQLiteStore`."""

    conn: Connection
    _lock: threading.RLock

    def lead_rows(self, columns: tuple[str, ...]) -> pd.DataFrame:
        """``columns`` of every lead by number, and its firm's name and province.

        Columns ``columns``, ``company_name`` and ``province`` (``None`` when the firm is
        not there), all of objects with ``None`` for NULL.
        """
        numbers = [c for c in columns if c in _LEAD_NUMBERS]
        texts = [c for c in columns if c not in _LEAD_NUMBERS]
        picked = "".join(f"l.{c} AS {c}, " for c in texts)
        # in the table's order (no sort in SQLite), then by number here
        sql = (f"SELECT {picked}c.name AS company_name, c.province AS province FROM leads l "
               "LEFT JOIN companies c ON c.id = l.company_id ORDER BY l.rowid")
        with self._lock:
            frame = _joined(self.conn, sql, [*texts, "company_name", "province"],
                            nullable=_LEAD_NULLABLE)
            values = self.conn.execute(
                f"SELECT seq, {', '.join(numbers) or 'seq'} FROM leads ORDER BY rowid"
            ).fetchall()
        seq = np.array([r[0] for r in values], dtype=np.int64)
        for i, column in enumerate(numbers, start=1):
            array = np.empty(len(values), dtype=object)
            array[:] = [r[i] for r in values]
            frame[column] = array
        frame = frame.iloc[np.argsort(seq, kind="stable")].reset_index(drop=True)
        return frame[[*columns, "company_name", "province"]]

    def move_columns(self) -> pd.DataFrame:
        """``lead_id``, ``to_stage`` and ``date`` of every move, in the order recorded."""
        rows = "SELECT lead_id, to_stage, date FROM lead_events ORDER BY id"
        with self._lock:
            return _joined(self.conn, rows, ["lead_id", "to_stage", "date"])
