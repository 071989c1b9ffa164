"""Where each lead stood on a given day, from its stage history (``lead_events``).

The reports after signing (:mod:`~chainmap.crm.delivery`, :mod:`~chainmap.crm.supervise`)
take an ``as_of`` day: a lead's stage then is the target of its latest move (in the
order recorded) dated on or before that day, and it has been there since that move's
date; a lead with no move by then did not exist yet.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from ..dates import parse_date

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["as_of_day", "milestones_at", "moves_until", "stages_at"]

#: The columns of ``lead_events`` the reports read (not the notes, who, when recorded).
EVENT_COLUMNS = ("id", "lead_id", "to_stage", "date")


def as_of_day(as_of: str | dt.date | None) -> str:
    """``as_of`` as an ISO date (a refusal names ``as_of=``), else today's date."""
    return parse_date(as_of, "as_of") or dt.date.today().isoformat()


def moves_until(workspace: Workspace, day: str) -> pd.DataFrame:
    """The moves (``lead_id``, ``to_stage``, ``date``) dated on or before ``day``, in order."""
    events = workspace._columns("lead_events", EVENT_COLUMNS).sort_values("id",
                                                                        kind="mergesort")
    events = events[events["date"].astype(str) <= day]
    return events[["lead_id", "to_stage", "date"]].reset_index(drop=True)


def stages_at(workspace: Workspace, day: str) -> pd.DataFrame:
    """Each lead's ``stage`` on ``day`` and the date it got there (``since``), by lead id."""
    moves = moves_until(workspace, day)
    last = moves.groupby("lead_id", sort=False).last()
    return pd.DataFrame({"stage": last["to_stage"], "since": last["date"]})


def milestones_at(workspace: Workspace, day: str) -> pd.DataFrame:
    """The dates of each lead's latest moves to signed, started and producing by ``day``.

    Columns ``signed``, ``started``, ``producing`` (ISO dates or ``None``), by lead id.
    """
    moves = moves_until(workspace, day)
    moves = moves[moves["to_stage"].isin(("signed", "started", "producing"))]
    last = moves.groupby(["lead_id", "to_stage"])["date"].last().unstack()
    last = last.reindex(columns=["signed", "started", "producing"])
    return last.astype(object).where(last.notna(), None)
