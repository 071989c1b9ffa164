"""Activities (visits, calls, meetings ...) and follow-ups (待办) on leads; stale leads.

Activity ids are ``A0001`` ..., follow-up ids ``F0001`` ... (``F1`` and ``1`` accepted).

Examples
--------
>>> import chainmap
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> chainmap.log_activity(ws, "L0002", "visit", "看了厂房", date="2026-03-05", by="李娜")
'A0001'
>>> chainmap.add_followup(ws, "L0002", due="2026-07-01", note="send the land offer")
'F0001'
>>> chainmap.followups_due(ws, today="2026-07-15")[["id", "lead", "due", "days_overdue"]]
      id   lead         due  days_overdue
0  F0001  L0002  2026-07-01            14
>>> chainmap.complete_followup(ws, "F1")
'F0001'
>>> len(chainmap.followups_due(ws))
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..dates import parse_date
from ..errors import ArgumentError, NotFoundError
from ..i18n import _, label
from ..snapshot import reads_snapshot
from .common import (
    CLOSED_STAGES,
    current_user,
    followup_id,
    now,
    owned_by,
    parse_kind,
    pipeline_store,
    record,
    today,
)
from .history import moves_until
from .leadfiles import kept_lead_files
from .leads import _frame, _require, not_before_created

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["DUE_COLUMNS", "STALE_COLUMNS", "add_followup", "complete_followup",
           "followups_due", "log_activity", "stale_leads"]

#: Columns of :func:`followups_due`.
DUE_COLUMNS = ["id", "lead", "company_name", "owner", "due", "days_overdue", "note"]
#: Columns of :func:`stale_leads`.
STALE_COLUMNS = ["id", "company", "company_name", "stage", "owner", "last_touch", "days_idle"]


def log_activity(workspace: Workspace, lead: str, kind: str, note: str, date: str | None = None,
                 by: str | None = None) -> str:
    """Record a visit, call, meeting, email or event on ``lead``; return its id.

    ``kind`` may be Chinese (拜访, 电话, 会谈, 邮件, 活动); ``date`` defaults to today.
    """
    kind = parse_kind(kind)
    note = (note or "").strip()
    if not note:
        raise ArgumentError(_("an activity needs a note (note=)"), parameter="note")
    date = parse_date(date, "date") or today().isoformat()
    who = current_user(by)
    store = pipeline_store(workspace)
    with kept_lead_files(workspace) as touched, store.transaction():
        row = _require(store, lead)
        not_before_created(row, date)
        lid = row["id"]
        at = now()
        number = store.log_activity({"lead_id": lid, "kind": kind, "date": date, "note": note,
                                     "at": at, "by": who})
        aid = f"A{number:04d}"
        record(store, who, "lead", lid, "activity",
               _("{activity} {kind} on {date}: {note}").format(
                   activity=aid, kind=label("value", kind), date=date, note=note),
               lead=lid, at=at)
        touched()  # no lead, move or firm changed
    return aid


def add_followup(workspace: Workspace, lead: str, due: str, note: str,
                 by: str | None = None) -> str:
    """Add a follow-up (a thing to do on ``lead`` by ``due``); return its id."""
    due = parse_date(due, "due")
    note = (note or "").strip()
    if not note:
        raise ArgumentError(_("a follow-up needs a note (note=)"), parameter="note")
    who = current_user(by)
    store = pipeline_store(workspace)
    with kept_lead_files(workspace) as touched, store.transaction():
        row = _require(store, lead)
        not_before_created(row, due, "due")
        lid = row["id"]
        at = now()
        number = store.add_followup({"lead_id": lid, "due": due, "note": note, "at": at,
                                     "by": who})
        fid = f"F{number:04d}"
        record(store, who, "followup", fid, "follow-up",
               _("{followup} due {due}: {note}").format(followup=fid, due=due, note=note),
               lead=lid, at=at)
        touched()  # no lead, move or firm changed
    return fid


def complete_followup(workspace: Workspace, followup: str, note: str | None = None,
                      by: str | None = None) -> str:
    """Mark the follow-up ``followup`` done; return its id. Refused if already done."""
    number = followup_id(followup)
    fid = f"F{number:04d}"
    who = current_user(by)
    store = pipeline_store(workspace)
    with kept_lead_files(workspace) as touched, store.transaction():
        row = store.followup(number)
        if row is None:
            raise NotFoundError(_("unknown follow-up '{followup}'").format(followup=followup))
        if row["done_at"] is not None:
            raise ArgumentError(_("follow-up {followup} is already done ({at})").format(
                followup=fid, at=row["done_at"]))
        at = now()
        store.complete_followup(number, at, who, (note or "").strip() or None)
        done = _("{followup} done: {note}") if note else _("{followup} done")
        record(store, who, "followup", fid, "done", done.format(followup=fid, note=note),
               lead=row["lead_id"], at=at)
        touched()  # no lead, move or firm changed
    return fid


@reads_snapshot
def followups_due(workspace: Workspace, overdue: bool = False, owner: str | None = None,
                  today: str | None = None) -> pd.DataFrame:
    """Follow-ups not yet done, soonest first; columns :data:`DUE_COLUMNS`.

    ``overdue`` keeps only those due before ``today`` (default: the real today);
    ``owner`` only those on that owner's leads. ``days_overdue`` is negative for
    follow-ups not yet due.
    """
    from .common import today as _today

    day = _today(today)
    # the three columns it needs, not the whole table (nor the lead frame, which a first
    # report after a change would have to build)
    leads = workspace._columns("leads", ("id", "owner", "company_id")).set_index("id")
    fups = workspace._table("followups")
    fups = fups[fups["done_at"].isna()].sort_values(["due", "id"])
    frame = pd.DataFrame({
        "id": [f"F{int(i):04d}" for i in fups["id"]], "lead": fups["lead_id"].tolist(),
        "owner": fups["lead_id"].map(leads["owner"]).tolist(), "due": fups["due"].tolist(),
        "note": fups["note"].tolist(),
        "company_id": fups["lead_id"].map(leads["company_id"]).tolist()})
    names = workspace._names("companies", set(frame["company_id"]))  # by id, not all firms
    frame["company_name"] = frame["company_id"].map(names)
    frame["days_overdue"] = (pd.Timestamp(day) - pd.to_datetime(frame["due"])).dt.days \
        .astype(int)
    if overdue:
        frame = frame[frame["days_overdue"] > 0]
    if owner:
        frame = frame[owned_by(frame["owner"], owner)]
    return frame[DUE_COLUMNS].reset_index(drop=True)


def _latest_date(touched: pd.DataFrame) -> pd.Series:
    """Each lead's latest ``date`` (as text, the greatest), by lead id.

    The dates as codes of their sorted distinct values, so that pandas takes the
    greatest per lead in its compiled code: a maximum of texts per group would go
    through Python for each of 100,000 leads.
    """
    if pd.api.types.infer_dtype(touched["date"], skipna=True) not in ("string", "empty"):
        return touched.groupby("lead_id")["date"].max()  # not all texts: as pandas takes it
    dates = pd.Categorical(touched["date"], ordered=True)
    top = pd.Series(dates.codes, index=touched.index).groupby(touched["lead_id"]).max()
    found = top.to_numpy() >= 0
    values = np.empty(len(top), dtype=object)
    values[found] = np.asarray(dates.categories, dtype=object)[top.to_numpy()[found]]
    values[~found] = np.nan  # a lead whose every date is missing
    return pd.Series(values, index=top.index, name="date")


@reads_snapshot
def stale_leads(workspace: Workspace, days: int = 30, today: str | None = None) -> pd.DataFrame:
    """Open leads with no activity and no move for more than ``days`` days.

    The last touch is the latest date of the lead's moves (its creation included)
    and activities. Columns :data:`STALE_COLUMNS`, most idle first.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> stale = chainmap.stale_leads(ws, days=60, today="2026-06-01")
    >>> stale[["id", "stage", "last_touch", "days_idle"]].head(2)
          id   stage  last_touch  days_idle
    0  L0003  signed  2026-01-15        137
    1  L0005 started  2026-02-10        111
    """
    from .common import today as _today

    if int(days) < 0:
        raise ArgumentError(_("days= must be 0 or more, not {days}").format(days=days),
                            parameter="days")
    day = _today(today)
    # the moves from their codes kept per revision, the activities' two columns only
    touched = pd.concat([moves_until(workspace)[["lead_id", "date"]],
                         workspace._columns("activities", ("lead_id", "date"))],
                        ignore_index=True)
    touches = _latest_date(touched)
    frame = _frame(workspace)
    frame = frame[~frame["stage"].isin(CLOSED_STAGES)].copy()
    frame["last_touch"] = frame["id"].map(touches)
    frame["days_idle"] = (pd.Timestamp(day) - pd.to_datetime(frame["last_touch"])).dt.days
    frame = frame[frame["days_idle"] > int(days)]
    frame = frame.sort_values(["days_idle", "seq"], ascending=[False, True], kind="mergesort")
    frame["days_idle"] = frame["days_idle"].astype(int)
    return frame[STALE_COLUMNS].reset_index(drop=True)
