"""Where each lead stood on a given day, from its stage history (``lead_events``).

What the reports need of the history is summed up here: each lead's latest move
(:func:`last_moves`), its latest moves to some stages (:func:`latest_moves_to`), how
far the leads got (:func:`furthest_stages`) and how long they stayed in each stage
(:func:`stage_stays`), each computed here for every store from three columns of the
moves read once per data revision (by the SQLite store without the other columns, see
:mod:`chainmap.store.sqlite.history`) and, from a thousand moves on, kept in a cache
file for the next process until the data change (:func:`chainmap.cache.derived`).

The reports after signing (:mod:`~chainmap.crm.delivery`, :mod:`~chainmap.crm.supervise`)
take an ``as_of`` day: a lead's stage then is the target of its latest move (in the
order recorded) dated on or before that day, and it has been there since that move's
date; a lead with no move by then did not exist yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from ..dates import parse_date

if TYPE_CHECKING:
    from ..store.base import ColumnReads
    from ..workspace import Workspace

__all__ = ["as_of_day", "furthest_stages", "last_moves", "latest_moves_to", "milestones_at",
           "moves_until", "stage_stays", "stages_at"]

#: The columns of ``lead_events`` the reports read (not the notes, who, when recorded).
EVENT_COLUMNS = ("id", "lead_id", "to_stage", "date")
#: The kind of the cache file of the moves' three columns (:mod:`chainmap.cache`).
MOVES_CACHE = "lead-moves-2"
#: A read of at least this many rows (moves, leads) is kept in a cache file too.
PERSIST_MIN_ROWS = 1000


def as_of_day(as_of: str | dt.date | None) -> str:
    """``as_of`` as an ISO date (a refusal names ``as_of=``), else today's date."""
    return parse_date(as_of, "as_of") or dt.date.today().isoformat()


def moves_until(workspace: Workspace, day: str | None = None) -> pd.DataFrame:
    """The moves (``lead_id``, ``to_stage``, ``date``) dated on or before ``day``, in order.

    Every move without ``day``. Objects, in the order recorded; made from the moves'
    codes kept per revision (:class:`_Moves`), not read from the table again.
    """
    moves = _moves(workspace)
    rows = np.flatnonzero(moves._mask(day=day)) if day is not None else np.arange(len(moves))
    return moves._at(rows)


def stages_at(workspace: Workspace, day: str) -> pd.DataFrame:
    """Each lead's ``stage`` on ``day`` and the date it got there (``since``), by lead id."""
    last = last_moves(workspace, day)
    return pd.DataFrame({"stage": last["to_stage"].to_numpy(), "since": last["date"].to_numpy()},
                        index=pd.Index(last["lead_id"].to_numpy(), name="lead_id"), dtype=object)


def milestones_at(workspace: Workspace, day: str) -> pd.DataFrame:
    """The dates of each lead's latest moves to signed, started and producing by ``day``.

    Columns ``signed``, ``started``, ``producing`` (ISO dates or ``None``), by lead id.
    """
    # each lead's latest move to each of them (in the order recorded), from the moves'
    # codes kept per revision: not every move read again
    moves = latest_moves_to(workspace, ("signed", "started", "producing"), day)
    last = moves.groupby(["lead_id", "to_stage"])["date"].last().unstack()
    last = last.reindex(columns=["signed", "started", "producing"])
    return last.astype(object).where(last.notna(), None)


def _objects(**columns: np.ndarray) -> pd.DataFrame:
    """A frame of object columns as they are (no text type inferred)."""
    return pd.DataFrame({k: pd.Series(v, dtype=object, copy=False) for k, v in columns.items()})


class _Moves:
    """Every move's lead, stage and date in the order recorded, as arrays (per revision).

    The one computation, for every store, of what the reports need of the history. Each
    column is kept as codes and its distinct values (``pandas.factorize``): a test on a
    stage or a date looks at the few distinct ones. The codes and distinct values are
    what the cache file holds (:meth:`arrays`, :meth:`restore`).
    """

    #: the columns, each as ``(codes, distinct values)``
    _COLUMNS = (("codes", "leads", "lead"), ("stage_codes", "stages", "stage"),
                ("date_codes", "dates", "date"))

    def __init__(self, codes: np.ndarray, leads: np.ndarray, stage_codes: np.ndarray,
                 stages: np.ndarray, date_codes: np.ndarray, dates: np.ndarray) -> None:
        #: each move's lead as a number; the leads in the order of their first move
        self.codes, self.leads = codes, leads
        self.stage_codes, self.stages = stage_codes, stages
        self.date_codes, self.dates = date_codes, dates
        #: the object columns as read (:meth:`of`), by name; restored moves have none
        self._values: dict[str, np.ndarray] = {}

    @classmethod
    def of(cls, moves: pd.DataFrame) -> _Moves:
        """The moves of the frame ``moves`` (``lead_id``, ``to_stage``, ``date``)."""
        columns = [moves[c].to_numpy(dtype=object) for c in ("lead_id", "to_stage", "date")]
        made = cls(*(part for values in columns for part in pd.factorize(values)))
        made._values = dict(zip(("lead", "stage", "date"), columns, strict=True))
        return made

    def _at(self, rows: np.ndarray) -> pd.DataFrame:
        """The moves at positions ``rows``: ``lead_id``, ``to_stage``, ``date`` (objects)."""
        out = {}
        for (codes, uniques, name), column in zip(self._COLUMNS, ("lead_id", "to_stage", "date"),
                                                  strict=True):
            if name in self._values:
                out[column] = self._values[name][rows]
            else:
                table = np.empty(len(getattr(self, uniques)) + 1, dtype=object)
                table[:-1] = getattr(self, uniques)
                table[-1] = None  # code -1: a missing value
                out[column] = table[getattr(self, codes)[rows]]
        return _objects(**out)

    def arrays(self) -> dict[str, np.ndarray] | None:
        """The codes and distinct texts, for :func:`chainmap.cache.save`; ``None`` if not texts.

        A distinct value that is not a text (a store's date object) or holds NUL (which
        fixed-width text could lose) gives ``None``: nothing is saved.
        """
        out: dict[str, np.ndarray] = {}
        for codes, uniques, _name in self._COLUMNS:
            texts = list(getattr(self, uniques))
            if not all(type(t) is str for t in texts) or "\x00" in "".join(texts):
                return None
            out[codes] = np.asarray(getattr(self, codes), dtype=np.int32)
            out[uniques] = np.array(texts, dtype=str) if texts else np.empty(0, "U1")
        return out

    @classmethod
    def restore(cls, arrays: Mapping[str, np.ndarray]) -> _Moves:
        """The moves :meth:`arrays` gave ``arrays`` of."""
        parts = []
        for codes, uniques, _name in cls._COLUMNS:
            values = np.empty(len(arrays[uniques]), dtype=object)
            values[:] = arrays[uniques].tolist()
            parts += [np.asarray(arrays[codes], dtype=np.intp), values]
        if not len({len(parts[0]), len(parts[2]), len(parts[4])}) == 1:
            raise ValueError("moves of another layout")
        return cls(*parts)

    def __len__(self) -> int:
        return len(self.codes)

    @staticmethod
    def _pick(codes: np.ndarray, wanted: list[bool]) -> np.ndarray:
        """Whether each row's distinct value is ``wanted`` (a missing value, code -1: no)."""
        return np.asarray([*wanted, False], dtype=bool)[codes]

    def _mask(self, stages: tuple[str, ...] | None = None, day: str | None = None,
              leads: tuple[str, ...] | None = None) -> np.ndarray:
        keep = np.ones(len(self), dtype=bool)
        if stages is not None:
            keep &= self._pick(self.stage_codes, [s in stages for s in self.stages])
        if day is not None:
            keep &= self._pick(self.date_codes, [str(d) <= day for d in self.dates])
        if leads is not None:
            wanted = set(leads)
            keep &= self._pick(self.codes, [i in wanted for i in self.leads])
        return keep

    def _positions(self, stages: tuple[str, ...]) -> np.ndarray:
        """Each move's stage as its position in ``stages`` (-1: not one of them)."""
        order = {s: i for i, s in enumerate(stages)}
        return np.asarray([*(order.get(s, -1) for s in self.stages), -1],
                          dtype=np.int64)[self.stage_codes]

    def last(self, day: str | None = None) -> pd.DataFrame:
        """Each lead's latest move (of those dated by ``day``), by first move."""
        at = np.flatnonzero(self._mask(day=day))
        codes = self.codes[at]
        _, first = np.unique(codes, return_index=True)
        _, back = np.unique(codes[::-1], return_index=True)
        last = at[len(at) - 1 - back][np.argsort(first, kind="stable")]
        return self._at(last)

    def latest_to(self, stages: tuple[str, ...], day: str | None = None,
                  leads: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Each lead's latest move to each of ``stages``: one row per lead and stage."""
        at = np.flatnonzero(self._mask(stages, day, leads))
        keys = self.codes[at].astype(np.int64) * len(stages) + self._positions(stages)[at]
        _, back = np.unique(keys[::-1], return_index=True)
        last = np.sort(at[len(at) - 1 - back])
        return self._at(last)

    def furthest(self, stages: tuple[str, ...]) -> dict[int, int]:
        """How many leads got at most that far: position in ``stages`` -> leads."""
        position = self._positions(stages)
        found = position >= 0
        reached = np.full(len(self.leads), -1, dtype=np.int64)
        np.maximum.at(reached, self.codes[found], position[found])
        counts = np.bincount(reached[reached >= 0], minlength=len(stages))
        return {k: int(n) for k, n in enumerate(counts.tolist()) if n}

    def stays(self) -> list[tuple[str, int, int]]:
        """The completed stays: ``(stage, days, stays)`` for each stage and length."""
        if not len(self):
            return []
        day_ns = pd.to_datetime(pd.Series(self.dates, dtype=object)) \
            .to_numpy("datetime64[ns]").astype(np.int64)
        nanoseconds = day_ns[self.date_codes]
        order = np.argsort(self.codes, kind="stable")  # each lead's moves in order
        codes, when = self.codes[order], nanoseconds[order]
        stayed = np.flatnonzero(codes[1:] == codes[:-1])  # a next move of the same lead
        days = np.maximum((when[stayed + 1] - when[stayed]) // 86_400_000_000_000, 0)
        stage = self.stage_codes[order[stayed]].astype(np.int64)
        width = int(days.max()) + 1 if len(days) else 1
        keys, counts = np.unique(stage * width + days, return_counts=True)
        return [(str(self.stages[k // width]), int(k % width), int(n))
                for k, n in zip(keys.tolist(), counts.tolist(), strict=True)]


def _moves(workspace: Workspace) -> _Moves:
    """The moves of :class:`_Moves`, read once per data revision.

    From the store's three columns when it reads them (SQLite), else from the table.
    """
    from .. import cache

    def read() -> pd.DataFrame:
        store = workspace.store
        if store.reads_columns:
            return cast("ColumnReads", store).move_columns()
        events = workspace._columns("lead_events", EVENT_COLUMNS).sort_values(
            "id", kind="mergesort")
        return events[["lead_id", "to_stage", "date"]]

    return cache.derived(workspace, MOVES_CACHE, build=lambda: _Moves.of(read()),
                         restore=_Moves.restore, arrays=_Moves.arrays,
                         persist=lambda moves: len(moves) >= PERSIST_MIN_ROWS)


def last_moves(workspace: Workspace, day: str | None = None) -> pd.DataFrame:
    """Each lead's latest move (in the order recorded), of those dated by ``day`` if given.

    Columns ``lead_id``, ``to_stage``, ``date`` (objects); the leads in the order of
    their first move.
    """
    return _moves(workspace).last(day)


def latest_moves_to(workspace: Workspace, stages: tuple[str, ...], day: str | None = None,
                    leads: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The date of each lead's latest move to each of ``stages`` (dated by ``day`` if given).

    Columns ``lead_id``, ``to_stage``, ``date``: one row per lead and stage, in the order
    of those moves; only the leads ``leads`` when given.
    """
    return _moves(workspace).latest_to(stages, day, leads)


def furthest_stages(workspace: Workspace, stages: tuple[str, ...]) -> dict[int, int]:
    """How many leads got at most that far: position in ``stages`` -> leads.

    A lead's furthest position is the highest position in ``stages`` of the stages its
    moves went to (other moves do not count; a lead with none is not counted).
    """
    return _moves(workspace).furthest(stages)


def stage_stays(workspace: Workspace) -> list[tuple[str, int, int]]:
    """The completed stays in each stage: ``(stage, days, stays)`` for each length in days.

    A stay runs from a move into the stage to the lead's next move (in the order
    recorded); its days are the whole days between their dates, at least 0.
    """
    return _moves(workspace).stays()
