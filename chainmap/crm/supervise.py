"""Traffic-light supervision (红黄绿灯督办): leads, projects and requests past their time.

Each stage a lead or project waits in has a time limit in days (:func:`stage_limits`;
set with :func:`set_stage_limit`, ``chainmap config stage-limit``). The days in a stage
are the ``as_of`` day minus the date of the move into it. An item is **green** below 80%
of its limit, **yellow** from 80% up to the limit, **red** past it. A request is yellow
within 3 days of its due date and red past it (a request without a due date is not
supervised).

:func:`supervise` lists every yellow and red item with whom it goes to
(``escalate_to``): a yellow one to its officer or the lead's owner, a red one to the
firm's responsible leader (1+1+1, :func:`chainmap.assign_service`), else to the same
officer or owner. :func:`supervision_orders` splits the list into one 督办单 per person.

Examples
--------
>>> import chainmap
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> chainmap.stage_limits(ws).set_index("stage").loc[["lead", "negotiating", "signed"]]
             limit  default
stage
lead            30       30
negotiating     90       90
signed         180      180
>>> items = chainmap.supervise(ws, as_of="2026-06-01")
>>> items[["kind", "id", "stage", "light", "days", "limit", "escalate_to"]].head(3)
   kind     id      stage   light  days  limit escalate_to
0  lead  L0002    visited     red    95     60          李娜
1  lead  L0004  contacted     red    60     45          王磊
2  lead  L0009  contacted  yellow    42     45          李娜
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..i18n import _, join, label
from ..names import person_name
from ..snapshot import reads_snapshot
from .common import (
    STAGE_ZH,
    current_user,
    now,
    parse_stage,
    pipeline_store,
    record,
    whole_days,
)
from .history import as_of_day, stages_at
from .leads import _frame
from .pipeline import DEFAULT_OVERDUE_DAYS, overdue_days
from .service import _requests

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["DEFAULT_STAGE_LIMITS", "LIGHTS", "REQUEST_WARNING_DAYS", "SUPERVISE_COLUMNS",
           "YELLOW_SHARE", "set_stage_limit", "stage_limits", "supervise",
           "supervision_orders", "supervision_workbook"]

#: Days a lead or project may stay in a stage before it is red, unless set otherwise.
#: ``signed`` (until started) follows ``chainmap config overdue-days`` when that is set.
DEFAULT_STAGE_LIMITS = {"lead": 30, "contacted": 45, "visited": 60, "negotiating": 90,
                        "signed": DEFAULT_OVERDUE_DAYS, "started": 365}
#: From this share of the limit on, an item is yellow.
YELLOW_SHARE = 0.8
#: A request is yellow this many days (or fewer) before its due date.
REQUEST_WARNING_DAYS = 3
#: The lights, worst first (green items are not listed).
LIGHTS = ("red", "yellow", "green")
#: Columns of :func:`supervise`.
SUPERVISE_COLUMNS = [
    "kind",          # lead (before signing), project (signed, started) or request
    "id",            # L0001 / R0001
    "company",       # firm id
    "company_name",
    "stage",         # a lead's or project's stage (empty for a request)
    "request_kind",  # a request's kind (empty for a lead or project)
    "text",          # a request's text
    "since",         # the move into the stage / the day the request was made
    "due",           # since + limit / the request's due date
    "days",          # days since `since`, on as_of
    "limit",         # the stage's limit / days from made to due
    "light",         # red or yellow
    "owner",         # the lead's owner / the request's officer
    "leader",        # the firm's responsible leader (1+1+1)
    "escalate_to",   # yellow: the owner; red: the leader, else the owner
]
_LEAD_STAGES = ("lead", "contacted", "visited", "negotiating")


def _limited(stage: str) -> str:
    """``stage`` (English or Chinese) if it has a time limit, else a clear error."""
    code = parse_stage(stage)
    if code not in DEFAULT_STAGE_LIMITS:
        stages = join(f"{s}/{STAGE_ZH[s]}" for s in DEFAULT_STAGE_LIMITS)
        raise ArgumentError(_("stage {stage} ({zh}) has no time limit: a lead there is done; "
                              "stages with one: {stages}")
                            .format(stage=code, zh=STAGE_ZH[code], stages=stages),
                            parameter="stage")
    return code


@reads_snapshot
def stage_limits(workspace: Workspace) -> pd.DataFrame:
    """The time limit of each stage, in days: ``stage``, ``limit``, ``default``.

    ``default`` is :data:`DEFAULT_STAGE_LIMITS`, where ``signed`` takes
    :func:`chainmap.overdue_days` (``chainmap config overdue-days``) when it is set;
    ``limit`` is the one set with :func:`set_stage_limit`, else the default.
    """
    defaults = dict(DEFAULT_STAGE_LIMITS, signed=overdue_days(workspace))
    stored = workspace._table("stage_limits")
    limits = dict(zip(stored["id"], pd.to_numeric(stored["days"]).astype(int)))
    return pd.DataFrame({"stage": list(defaults),
                         "limit": [int(limits.get(s, d)) for s, d in defaults.items()],
                         "default": list(defaults.values())})


def set_stage_limit(workspace: Workspace, stage: str, days: int | str | None,
                    by: str | None = None) -> int:
    """Set (or, with ``None``, forget) the time limit of ``stage`` in days.

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline (the SQLite one).
    stage : str
        A stage with a limit (English or Chinese): lead, contacted, visited,
        negotiating, signed (until started) or started (until producing).
    days : int, str or None
        Whole days, at least 1 (``"120"`` too); ``None`` for the default again.
    by : str or None
        Who changes it (audited).

    Returns
    -------
    int
        The limit now in force.

    Raises
    ------
    ArgumentError
        An unknown stage, one without a limit (producing, lost), or days below 1.
    """
    code = _limited(stage)
    limit = None if days is None else whole_days(days)
    store = pipeline_store(workspace)
    who = current_user(by)
    with store.transaction():
        before = stage_limits(workspace).set_index("stage")["limit"][code]
        at = now()
        store.set_stage_limit(code, limit, at, who)
        after = limit if limit is not None else \
            dict(DEFAULT_STAGE_LIMITS, signed=overdue_days(workspace))[code]
        detail = _("{stage}: {before} → {after} days") if limit is not None \
            else _("{stage}: {before} → {after} days (default)")
        record(store, who, "stage", code, "limit",
               detail.format(stage=label("stage", code), before=before, after=after), at=at)
    return int(after)


@reads_snapshot
def supervise(workspace: Workspace, as_of: str | None = None) -> pd.DataFrame:
    """Every yellow and red lead, project and request on ``as_of``, with whom it goes to.

    Parameters
    ----------
    workspace : Workspace
        The workspace (any store that keeps the pipeline).
    as_of : str or None
        The day (default today): stages and requests as they stood then.

    Returns
    -------
    DataFrame
        Columns :data:`SUPERVISE_COLUMNS`: red before yellow, the longest past its
        due date first, then by id. ``kind`` is ``lead`` (lead ... negotiating),
        ``project`` (signed, started) or ``request``.
    """
    day = as_of_day(as_of)
    when = pd.Timestamp(day)
    limits = stage_limits(workspace).set_index("stage")["limit"]
    leaders = workspace._table("liaisons").set_index("id")["leader"]
    columns = [c for c in SUPERVISE_COLUMNS if c not in ("company_name", "leader", "escalate_to")]
    leads = _lead_rows(workspace, day, limits, columns)
    rows = []
    requests = _requests(workspace, day)
    for req in requests[requests["closed_date"].isna() & requests["due"].notna()] \
            .to_dict("records"):
        days = (when - pd.Timestamp(req["date"])).days
        limit = (pd.Timestamp(req["due"]) - pd.Timestamp(req["date"])).days
        light = "red" if days > limit else \
            "yellow" if limit - days <= REQUEST_WARNING_DAYS else "green"
        rows.append({"kind": "request", "id": req["id"], "company": req["company"],
                     "stage": None, "request_kind": req["kind"], "text": req["text"],
                     "since": req["date"], "due": req["due"], "days": days, "limit": limit,
                     "light": light, "owner": req["officer"]})
    frame = pd.concat([leads, pd.DataFrame(rows, columns=columns).astype(object)],
                      ignore_index=True) if rows else leads
    frame = frame[frame["light"] != "green"].astype(object)
    if rows:  # the requests' rows may hold NaN (the leads' hold None where empty)
        frame = frame.where(frame.notna(), None)
    named = _frame(workspace)  # the lead firms' names came with the leads
    names = dict(zip(named["company"].tolist(), named["company_name"].tolist(), strict=True))
    names.update(workspace._names("companies", set(frame["company"].dropna()) - set(names)))
    for column, by_firm in (("company_name", names), ("leader", leaders)):
        found = frame["company"].map(by_firm).astype(object)
        frame[column] = found.where(found.notna(), None)
    # one person however spaced (王 磊 stored by an older import is 王磊): one 督办单
    for column in ("owner", "leader"):
        values = frame[column].tolist()  # each distinct name written once (a few dozen)
        people = {v: person_name(v) or None for v in set(values) if isinstance(v, str)}
        frame[column] = pd.Series([people.get(v, v) for v in values], index=frame.index,
                                  dtype=object)
    frame["escalate_to"] = pd.Series([(leader or owner) if light == "red" else owner
                                      for light, leader, owner in
                                      zip(frame["light"], frame["leader"], frame["owner"])],
                                     index=frame.index, dtype=object)
    frame = frame.assign(_rank=frame["light"].map(LIGHTS.index),
                         _over=frame["days"].astype(int) - frame["limit"].astype(int))
    frame = frame.sort_values(["_rank", "_over", "id"], ascending=[True, False, True],
                              kind="mergesort")
    frame = frame[SUPERVISE_COLUMNS].reset_index(drop=True)
    return frame.astype({"days": int, "limit": int})


def _lead_rows(workspace: Workspace, day: str, limits: pd.Series,
               columns: list[str]) -> pd.DataFrame:
    """The rows of the leads and projects in a stage with a limit on ``day``, by number.

    Only the yellow and red ones (the report leaves green out), made a column at a
    time for every lead at once: ``columns`` of objects (``None`` where empty).
    """
    when = pd.Timestamp(day)
    stages = stages_at(workspace, day)
    leads = _frame(workspace)[["id", "company", "owner"]]  # by number
    at = stages.reindex(leads["id"])
    limited = at["stage"].isin(limits.index).to_numpy()
    leads, at = leads[limited], at[limited]
    limit = at["stage"].map(limits).astype(int).to_numpy()
    days = (when - pd.to_datetime(at["since"], format="ISO8601")).dt.days.to_numpy()
    shown = (days > limit) | (days >= YELLOW_SHARE * limit)  # not green
    stage, since = at["stage"][shown].tolist(), at["since"][shown].tolist()
    light = np.where(days > limit, "red", "yellow")[shown].tolist()  # shown: not green
    days, limit = days[shown].tolist(), limit[shown].tolist()
    dues: dict[tuple[str, int], str] = {}  # a due date per distinct (since, limit)
    out = {"kind": ["lead" if s in _LEAD_STAGES else "project" for s in stage],
           "id": leads["id"][shown].tolist(), "company": leads["company"][shown].tolist(),
           "stage": stage, "request_kind": [None] * len(stage), "text": [None] * len(stage),
           "since": since,
           "due": [dues.get(k) or dues.setdefault(k, (dt.date.fromisoformat(k[0])
                                                      + dt.timedelta(days=int(k[1]))).isoformat())
                   for k in zip(since, limit, strict=True)],
           "days": [int(d) for d in days], "limit": [int(n) for n in limit],
           "light": light,
           "owner": leads["owner"][shown].tolist()}
    return pd.DataFrame({c: pd.Series(out[c], dtype=object) for c in columns},
                        columns=columns)


def supervision_orders(items: pd.DataFrame, lang: str | None = None,
                       ) -> dict[str, pd.DataFrame]:
    """The items of :func:`supervise` as one 督办单 per responsible person.

    Parameters
    ----------
    items : DataFrame
        A frame of :func:`supervise`.
    lang : str or None
        The language of the label of items without a person; ``None``, the current one.

    Returns
    -------
    dict of str to DataFrame
        Person (``escalate_to``) -> their items, persons by name, items without one
        last (under the label 未指定 / ``(unassigned)`` of ``lang``).
    """
    nobody = label("value", "(unassigned)", lang)
    people = items["escalate_to"].fillna(nobody)
    order = sorted(p for p in set(people) if p != nobody) + \
        ([nobody] if nobody in set(people) else [])
    return {person: items[people == person].reset_index(drop=True) for person in order}


def supervision_workbook(workspace: Workspace, path: str | os.PathLike,
                         items: pd.DataFrame | None = None, *, as_of: str | None = None,
                         lang: str | None = None) -> Path:
    """Write the 督办单 workbook: one sheet per responsible person, their items.

    What ``chainmap supervise -o 督办单.xlsx`` writes: :func:`supervision_orders` of the
    items, each sheet named after its person (``escalate_to``; items without one on a
    last sheet, 未指定), for people in ``lang`` as every report workbook is
    (:func:`chainmap.output.for_people`: 督办类型, 红灯, 是/否, dates as dates, firm names).
    With no yellow or red item, one empty ``supervise`` sheet. Whole or not at all
    (:func:`chainmap.files.write_xlsx`).

    Parameters
    ----------
    workspace : Workspace
        The workspace (where the items' firms and products are named).
    path : str or path-like
        The ``.xlsx`` file to write.
    items : DataFrame or None
        A frame of :func:`supervise`; ``None``: ``supervise(workspace, as_of)``.
    as_of : str or None
        The day to supervise on when ``items`` is ``None`` (default today).
    lang : str or None
        ``en`` or ``zh``: the headers, words and sheet names; ``None``, the current
        language (:func:`chainmap.i18n.language`).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, openpyxl, chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> _ = chainmap.sample_service(ws)
    >>> path = chainmap.supervision_workbook(ws, tempfile.mkdtemp() + "/督办单.xlsx",
    ...                                      as_of="2026-11-27", lang="zh")
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames
    ['张超', '李娜', '王磊']
    >>> [c.value for c in book["王磊"][1]][:4], book["王磊"]["L2"].value
    (['督办类型', '编号', '企业编号', '企业名称'], '红灯')
    """
    from ..files import write_xlsx
    from ..i18n import language
    from ..output import (
        SUPERVISE_HEADERS,
        WORKBOOK_LIST_MOST,
        code_words,
        for_people,
        id_names,
    )

    lang = lang or language()
    if items is None:
        items = supervise(workspace, as_of=as_of)
    orders = supervision_orders(items, lang) or {"supervise": items}
    sheets = {person: code_words(rows, lang, SUPERVISE_HEADERS)
              for person, rows in orders.items()}
    most = WORKBOOK_LIST_MOST
    frames, kinds = for_people(sheets, lang, id_names(workspace, sheets, most), most=most)
    return write_xlsx(frames, path, kinds=kinds)
