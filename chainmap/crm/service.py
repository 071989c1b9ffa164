"""Serving the zone's firms after they settle: 1+1+1, requests (诉求) and 四送一服 visits.

The Dangtu article's "1+1+1 联系企业制": every firm has a named contact (联系人, with a
phone), a zone service officer (服务专员) and a responsible leader (联系领导) above,
"确保企业反映的问题渠道通畅解决及时". :func:`assign_service` records them and
:func:`service_firms` lists the local firms with their three people, open requests
and visits (an officer's workload with ``officer=``).

A firm's request (诉求: 用工, 土地, 资金 ...) gets an id ``R0001`` ...
(:func:`add_request`); its officer (by default the firm's) owns it, notes its progress
(:func:`record_progress`) and closes it with a note on how it was solved (销号,
:func:`close_request`). :func:`list_requests` lists them and :func:`service_report`
measures them: how many were closed, how many on time, in how many days. Visits
(四送一服: 送政策, 送要素, 送项目, 服务) are logged with :func:`log_visit`.

Kinds are stored as English codes (:data:`REQUEST_KINDS`, :data:`VISIT_KINDS`) and
accepted in Chinese too. Every change is one transaction and a row of the audit log.

Examples
--------
>>> import chainmap
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> for change in chainmap.assign_service(ws, "aux", contact="人事部王经理:0555-6710000",
...                                       officer="张超", leader="陈主任", by="张超"):
...     print(change)
contact: (none) → 人事部王经理
phone: (none) → 0555-6710000
officer: (none) → 张超
leader: (none) → 陈主任
>>> chainmap.add_request(ws, "aux", "投产之初出现用工荒", kind="用工", date="2026-07-01",
...                      due="2026-08-31", by="张超")
'R0001'
>>> chainmap.record_progress(ws, "R1", "联系县人社局，筹备体验式招工", date="2026-07-10")
'R0001'
>>> chainmap.close_request(ws, "R1", "首次试水体验式招工，招聘200余人", date="2026-08-20")
'R0001'
>>> chainmap.list_requests(ws, as_of="2026-09-01")[["id", "kind", "officer", "closed_date",
...                                                   "days", "on_time"]]
      id    kind officer closed_date  days  on_time
0  R0001  labour      张超  2026-08-20    50     True
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ..dates import parse_date
from ..errors import ArgumentError, NotFoundError
from ..i18n import _, label
from ..names import person_name
from ..snapshot import reads_snapshot
from .common import current_user, now, owned_by, pipeline_store, record, today
from .figures import shown
from .history import as_of_day
from .kinds import (
    REQUEST_KINDS,
    VISIT_KINDS,
    parse_request_kind,
    parse_visit_kind,
    request_id,
)
from .leadfiles import kept_lead_files

if TYPE_CHECKING:
    from ..regions import Region
    from ..store import Store
    from ..workspace import Workspace

__all__ = ["REQUEST_COLUMNS", "REQUEST_KINDS", "SERVICE_FIRM_COLUMNS", "SERVICE_MEASURES",
           "VISIT_KINDS", "ServiceReport", "add_request", "assign_service", "close_request",
           "list_requests", "log_visit", "record_progress", "sample_service",
           "service_firms", "service_report"]

#: Columns of :func:`service_firms`.
SERVICE_FIRM_COLUMNS = [
    "company",        # firm id
    "company_name",   # registered name
    "in_park",        # in the park (入园)
    "contact",        # the firm's contact (联系人)
    "phone",          # the contact's phone
    "officer",        # the zone's service officer (服务专员)
    "leader",         # the responsible leader (联系领导)
    "open_requests",  # requests not closed by as_of
    "past_due",       # of them, past their due date
    "visits",         # visits up to as_of
    "last_visit",     # the date of the latest
]
#: Columns of :func:`list_requests`.
REQUEST_COLUMNS = [
    "id",           # R0001 ...
    "company",      # firm id
    "company_name",
    "kind",         # labour, land, funding, technology, policy, approval, other
    "text",         # the request in the firm's words
    "officer",      # who owns it
    "date",         # when it was made
    "due",          # when it is to be solved (may be empty)
    "closed_date",  # when it was closed (销号), empty while open on as_of
    "close_note",   # how it was solved
    "days",         # days from made to closed, or to as_of while open
    "past_due",     # open on as_of and past its due date
    "on_time",      # closed on or before due (a request without due: on time); open: empty
    "notes",        # progress notes up to as_of
    "last_note",    # the latest of them
]
#: The measures of :func:`service_report`, per kind, per officer and in total.
SERVICE_MEASURES = [
    "total",                 # requests made in the period
    "closed",                # of them, closed by as_of
    "closed_on_time",        # closed on or before due (no due: on time)
    "still_open",            # not closed by as_of
    "past_due",              # open and past due on as_of
    "close_rate",            # closed / total
    "on_time_rate",          # closed_on_time / total
    "median_days_to_close",  # over the closed ones
]
_NONE = "(none)"


class _Unset(enum.Enum):
    """An argument not given (``None`` or ``""`` clears a field)."""

    UNSET = "unset"


_UNSET: Literal[_Unset.UNSET] = _Unset.UNSET


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _person(value: str | None) -> str | None:
    """A person's name as stored (:func:`chainmap.names.person_name`: ``张 超`` is ``张超``)."""
    return person_name(value) or None


def _firm(workspace: Workspace, company_id: str) -> str:
    """``name (id)`` of a firm for a message (the id alone when it has no name)."""
    name = workspace._names("companies", {company_id}).get(company_id)
    return _("{name} ({id})").format(name=name, id=company_id) \
        if name and name != company_id else company_id


def _phone(value: str | None) -> str | None:
    """A phone number as typed, with its full-width digits and signs half-width.

    ``１３９`` -> ``139``, ``（0555）－`` -> ``(0555)-``: what a search or a dialler finds.
    """
    import unicodedata

    return _text(unicodedata.normalize("NFKC", value) if value else value)


def _required_note(note: str | None, message: str) -> str:
    text = _text(note)
    if not text:
        raise ArgumentError(message, parameter="note")
    return text


# -- 1+1+1 ----------------------------------------------------------------------------
def assign_service(workspace: Workspace, firm: str, *,
                   contact: str | None | _Unset = _UNSET,
                   phone: str | None | _Unset = _UNSET,
                   officer: str | None | _Unset = _UNSET,
                   leader: str | None | _Unset = _UNSET,
                   by: str | None = None) -> list[str]:
    """Set the 1+1+1 people of ``firm``: its contact and phone, officer and leader.

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline (the SQLite one).
    firm : str
        The firm: id, USCC or registered name.
    contact : str or None
        The firm's contact (联系人); ``"NAME:PHONE"`` (or ``NAME：PHONE``) gives the phone
        too.
    phone : str or None
        The contact's phone (full-width digits and signs are stored half-width).
    officer : str or None
        The zone's service officer (服务专员): owns the firm's requests.
    leader : str or None
        The responsible leader (联系领导): red supervision items go to them.
    by : str or None
        Who makes the change (default ``$CHAINMAP_USER``, else the OS user).

    Only the people given change; ``None`` or ``""`` clears one.

    Returns
    -------
    list of str
        The changes, as text (``officer: (none) → 张超``); empty when nothing changed.

    Raises
    ------
    NotFoundError
        Unknown firm.
    ArgumentError
        No person given.
    """
    given = {"contact": contact, "phone": phone, "officer": officer, "leader": leader}
    changes = {k: (_text(v) if k == "phone" else _person(v))
               for k, v in given.items() if v is not _UNSET}
    if not changes:
        raise ArgumentError(_("nothing to assign: give contact=, phone=, officer= or leader="),
                            parameter=("contact", "phone", "officer", "leader"))
    name = changes.get("contact")
    if name and phone is _UNSET:
        for colon in (":", "："):
            if colon in name:
                person, number = name.split(colon, 1)
                changes["contact"], changes["phone"] = _person(person), _text(number)
                break
    if changes.get("phone"):
        changes["phone"] = _phone(changes["phone"])
    store = pipeline_store(workspace)
    company_id = workspace.company_id(firm)
    who = current_user(by)
    done: list[str] = []
    with kept_lead_files(workspace) as touched, store.transaction():
        row = store.liaison(company_id) or {}
        new = {c: row.get(c) for c in ("contact", "phone", "officer", "leader")}
        for column in new:
            if column not in changes:
                continue
            value = changes[column]
            if new[column] != value:
                done.append(_("{field}: {before} → {after}").format(
                    field=label("column", column), before=shown(new[column]),
                    after=shown(value)))
                new[column] = value
        if done:
            at = now()
            store.set_liaison({"id": company_id, **new, "at": at, "by": who})
            record(store, who, "firm", company_id, "assign", "1+1+1: " + "; ".join(done),
                   at=at)
        touched()  # no lead, move or firm changed
    return done


def _liaisons(workspace: Workspace) -> pd.DataFrame:
    frame = workspace._table("liaisons")
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.set_index("id")


@reads_snapshot
def service_firms(workspace: Workspace, home: str | Region | None = None,
                  unassigned: bool = False, officer: str | None = None,
                  as_of: str | None = None) -> pd.DataFrame:
    """The local firms with their 1+1+1 people, open requests and visits.

    Parameters
    ----------
    workspace : Workspace
        The workspace (any store that keeps the pipeline).
    home : str, Region or None
        Whose firms: the active firms inside this region (default: the workspace's
        home). Firms with 1+1+1 people elsewhere are listed too.
    unassigned : bool
        Only firms without a service officer.
    officer : str or None
        Only this officer's firms: their workload.
    as_of : str or None
        The day the requests and visits are counted on (default today).

    Returns
    -------
    DataFrame
        Columns :data:`SERVICE_FIRM_COLUMNS`; firms with an officer first (by officer),
        then by id.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> _ = chainmap.sample_service(ws)
    >>> firms = chainmap.service_firms(ws, home="当涂县", as_of="2020-12-31")
    >>> firms[["company", "officer", "leader", "open_requests", "visits"]].head(2)
      company officer leader  open_requests  visits
    0     aux      张超   None              0       2
    1    fuma      李侃   None              0       1
    """
    day = as_of_day(as_of)
    companies = workspace._live("companies")
    region = workspace.resolve_home(home)
    from ..regions import inside

    local = companies[inside(companies, region)]
    people = _liaisons(workspace)
    everyone = workspace._table("companies").set_index("id")
    ids = list(dict.fromkeys([*local["id"], *[i for i in people.index if i in everyone.index]]))
    frame = pd.DataFrame({"company": ids})
    frame["company_name"] = frame["company"].map(everyone["name"])
    park = everyone["in_park"].reindex(ids)
    frame["in_park"] = [None if pd.isna(v) else bool(v) for v in park]
    for column in ("contact", "phone", "officer", "leader"):
        frame[column] = frame["company"].map(people[column]) if len(people) else None
    frame = frame.astype(object).where(frame.notna(), None)
    requests = list_requests(workspace, open_only=True, as_of=day)
    frame["open_requests"] = frame["company"].map(requests.groupby("company").size()) \
        .fillna(0).astype(int)
    late = requests.loc[requests["past_due"].astype(bool)]
    frame["past_due"] = frame["company"].map(late.groupby("company").size()).fillna(0) \
        .astype(int)
    visits = workspace._table("visits")
    visits = visits[visits["date"].astype(str) <= day]
    frame["visits"] = frame["company"].map(visits.groupby("company_id").size()).fillna(0) \
        .astype(int)
    frame["last_visit"] = frame["company"].map(visits.groupby("company_id")["date"].max())
    frame["last_visit"] = frame["last_visit"].astype(object).where(frame["last_visit"].notna(),
                                                                   None)
    if unassigned:
        frame = frame[frame["officer"].isna()]
    if officer:
        frame = frame[owned_by(frame["officer"], officer)]
    frame = frame.assign(_none=frame["officer"].isna(), _officer=frame["officer"].fillna(""))
    frame = frame.sort_values(["_none", "_officer", "company"], kind="mergesort")
    return frame[SERVICE_FIRM_COLUMNS].reset_index(drop=True)


# -- requests (诉求) ----------------------------------------------------------------------
def _require_request(store: Store, request: str) -> dict:
    row = store.request(request_id(request))
    if row is None:
        raise NotFoundError(_("unknown request '{request}'").format(request=request))
    return row


def add_request(workspace: Workspace, firm: str, text: str, kind: str,
                due: str | None = None, date: str | None = None,
                officer: str | None = None, by: str | None = None) -> str:
    """Record a firm's request (诉求); return its id (``R0001`` ...).

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline (the SQLite one).
    firm : str
        The firm: id, USCC or registered name.
    text : str
        The request in the firm's words.
    kind : str
        One of :data:`REQUEST_KINDS`, or 用工, 土地, 资金, 科技, 政策, 审批, 其他.
    due : str or None
        When it is to be solved (``YYYY-MM-DD``); not before ``date``.
    date : str or None
        When the firm made it (default today).
    officer : str or None
        Who owns it (default: the firm's service officer, :func:`assign_service`).
    by : str or None
        Who records it.

    Returns
    -------
    str
        The request's id.

    Raises
    ------
    NotFoundError
        Unknown firm.
    ArgumentError
        No text, an unknown kind, ``due`` before ``date``, or no officer: neither
        given nor assigned to the firm.
    """
    kind = parse_request_kind(kind)
    words = _text(text)
    if not words:
        raise ArgumentError(_("a request needs its text (text=)"), parameter="text")
    day = parse_date(date, "date") or today().isoformat()
    due = parse_date(due, "due")
    if due is not None and due < day:
        raise ArgumentError(_("due= {due} is before the request was made ({date})")
                            .format(due=due, date=day), parameter="due")
    store = pipeline_store(workspace)
    company_id = workspace.company_id(firm)
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        owner = _person(officer) or (store.liaison(company_id) or {}).get("officer")
        if not owner:
            raise ArgumentError(_("firm '{firm}' has no service officer (1+1+1): give "
                                  "officer=, or assign one to the firm first (service "
                                  "assign)").format(firm=_firm(workspace, company_id)),
                                parameter="officer")
        seq = store.next_request_number()
        rid = f"R{seq:04d}"
        at = now()
        store.add_request({"id": rid, "seq": seq, "company_id": company_id, "kind": kind,
                           "text": words, "officer": owner, "date": day, "due": due,
                           "closed_date": None, "close_note": None, "at": at, "by": who,
                           "updated": at})
        detail = _("{firm} {kind} on {day}: {text}; officer {officer}; due {due}") if due \
            else _("{firm} {kind} on {day}: {text}; officer {officer}")
        record(store, who, "request", rid, "request",
               detail.format(firm=company_id, kind=label("value", kind), day=day, text=words,
                             officer=owner, due=due), at=at)
        touched()  # no lead, move or firm changed
    return rid


def _dated_note(store: Store, request: str, note: str | None, date: str | None,
                message: str) -> tuple[dict, str, str]:
    """The open request, the note and the day of a progress note or a closing."""
    text = _required_note(note, message)
    day = parse_date(date, "date") or today().isoformat()
    row = _require_request(store, request)
    if row["closed_date"] is not None:
        raise ArgumentError(_("request {request} is already closed ({date})")
                            .format(request=row["id"], date=row["closed_date"]))
    if day < row["date"]:
        raise ArgumentError(_("date= {day} is before request {request} was made ({date})")
                            .format(day=day, request=row["id"], date=row["date"]),
                            parameter="date")
    return row, text, day


def record_progress(workspace: Workspace, request: str, note: str, date: str | None = None,
                    by: str | None = None) -> str:
    """Note progress on an open request; return its id.

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline.
    request : str
        The request id (``R0001``, ``R1`` or ``1``).
    note : str
        What was done.
    date : str or None
        When (default today); not before the request was made.
    by : str or None
        Who records it.

    Returns
    -------
    str
        The request's id.

    Raises
    ------
    NotFoundError
        Unknown request.
    ArgumentError
        No note, a closed request, or a date before the request.
    """
    store = pipeline_store(workspace)
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        row, text, day = _dated_note(store, request, note, date,
                                     _("a progress note needs its text (note=)"))
        at = now()
        store.add_request_event({"request_id": row["id"], "action": "progress", "date": day,
                                 "note": text, "at": at, "by": who})
        record(store, who, "request", row["id"], "progress",
               _("{day}: {text}").format(day=day, text=text), at=at)
        touched()  # no lead, move or firm changed
    return str(row["id"])


def close_request(workspace: Workspace, request: str, note: str, date: str | None = None,
                  by: str | None = None) -> str:
    """Close a request (销号) with a note on how it was solved; return its id.

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline.
    request : str
        The request id (``R0001``, ``R1`` or ``1``).
    note : str
        How it was solved: required.
    date : str or None
        When (default today); not before the request was made.
    by : str or None
        Who closes it.

    Returns
    -------
    str
        The request's id.

    Raises
    ------
    NotFoundError
        Unknown request.
    ArgumentError
        No note, a request already closed, or a date before the request.
    """
    store = pipeline_store(workspace)
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        row, text, day = _dated_note(
            store, request, note, date,
            _("closing a request needs a note on how it was solved (note=)"))
        at = now()
        store.add_request_event({"request_id": row["id"], "action": "close", "date": day,
                                 "note": text, "at": at, "by": who})
        store.close_request(row["id"], day, text, at)
        record(store, who, "request", row["id"], "close",
               _("closed on {day}: {text}").format(day=day, text=text), at=at)
        touched()  # no lead, move or firm changed
    return str(row["id"])


def _requests(workspace: Workspace, day: str) -> pd.DataFrame:
    """Every request made by ``day`` as it stood then, with the :data:`REQUEST_COLUMNS`."""
    return _request_frame(workspace, workspace._table("requests"),
                          workspace._table("request_events"), day)


def firm_requests(workspace: Workspace, company: str, day: str) -> pd.DataFrame:
    """The requests of the firm ``company`` (an id) made by ``day``, as they stood then.

    As :func:`list_requests` with ``firm=`` and ``as_of=``, reading only the firm's
    requests and their notes (by ``company_id``, then ``request_id``), not the whole
    tables: what a lead's card (:func:`chainmap.lead_details`) shows.
    """
    rows = workspace._rows_where("requests", "company_id", {company})
    ids = set(rows["id"])
    events = workspace._rows_where("request_events", "request_id", ids) if ids else \
        pd.DataFrame({c: pd.Series(dtype=object)  # a firm without requests: no query
                      for c in ("id", "request_id", "action", "date", "note")})
    return _request_frame(workspace, rows, events, day)


def _request_frame(workspace: Workspace, rows: pd.DataFrame, events: pd.DataFrame,
                   day: str) -> pd.DataFrame:
    """The requests ``rows`` made by ``day``, with their progress ``events``, as they stood.

    The :data:`REQUEST_COLUMNS`, by id.
    """
    rows = rows[rows["date"].astype(str) <= day].sort_values("seq")
    frame = pd.DataFrame({
        "id": rows["id"].tolist(), "company": rows["company_id"].tolist(),
        "kind": rows["kind"].tolist(), "text": rows["text"].tolist(),
        "officer": rows["officer"].tolist(), "date": rows["date"].tolist(),
        "due": rows["due"].tolist(), "closed_date": rows["closed_date"].tolist(),
        "close_note": rows["close_note"].tolist()}, dtype=object)
    frame = frame.where(frame.notna(), None)
    closed = frame["closed_date"].map(lambda d: isinstance(d, str) and d <= day).astype(bool)
    frame.loc[~closed, ["closed_date", "close_note"]] = None
    names = workspace._names("companies", set(frame["company"].dropna()))
    frame["company_name"] = frame["company"].map(names)
    made = pd.to_datetime(frame["date"])
    until = pd.to_datetime(frame["closed_date"]).fillna(pd.Timestamp(day))
    frame["days"] = (until - made).dt.days.astype(int)
    frame["past_due"] = pd.Series([not c and isinstance(d, str) and d < day
                                   for c, d in zip(closed, frame["due"])],
                                  index=frame.index, dtype=bool)
    frame["on_time"] = [None if not c else (d is None or cd <= d)
                        for c, d, cd in zip(closed, frame["due"], frame["closed_date"])]
    events = events.sort_values("id")
    notes = events[(events["action"] == "progress") & (events["date"].astype(str) <= day)]
    frame["notes"] = frame["id"].map(notes.groupby("request_id").size()).fillna(0).astype(int)
    frame["last_note"] = frame["id"].map(notes.groupby("request_id")["note"].last())
    frame["last_note"] = frame["last_note"].astype(object).where(frame["last_note"].notna(),
                                                                 None)
    return frame[REQUEST_COLUMNS].reset_index(drop=True)


@reads_snapshot
def list_requests(workspace: Workspace, open_only: bool = False, past_due: bool = False,
                  officer: str | None = None, kind: str | None = None,
                  firm: str | None = None, as_of: str | None = None) -> pd.DataFrame:
    """The requests made by ``as_of``, as they stood then; columns :data:`REQUEST_COLUMNS`.

    Parameters
    ----------
    workspace : Workspace
        The workspace (any store that keeps the pipeline).
    open_only : bool
        Only those not closed by ``as_of``.
    past_due : bool
        Only those open and past their due date on ``as_of`` (overdue).
    officer : str or None
        Only this officer's.
    kind : str or None
        Only this kind (English or Chinese).
    firm : str or None
        Only this firm's (id, USCC or name).
    as_of : str or None
        The day (default today): later requests, notes and closings are left out.

    Returns
    -------
    DataFrame
        One row per request, by id.
    """
    day = as_of_day(as_of)
    frame = _requests(workspace, day)
    if open_only:
        frame = frame[frame["closed_date"].isna()]
    if past_due:
        frame = frame.loc[frame["past_due"].astype(bool)]
    if officer:
        frame = frame[owned_by(frame["officer"], officer)]
    if kind:
        frame = frame[frame["kind"] == parse_request_kind(kind)]
    if firm:
        frame = frame[frame["company"] == workspace.company_id(firm)]
    return frame.reset_index(drop=True)


# -- visits (四送一服) --------------------------------------------------------------------
def log_visit(workspace: Workspace, firm: str, kind: str, note: str, date: str | None = None,
              officer: str | None = None, by: str | None = None) -> str:
    """Record a 四送一服 visit to ``firm``; return its id (``V0001`` ...).

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline.
    firm : str
        The firm: id, USCC or registered name.
    kind : str
        One of :data:`VISIT_KINDS`, or 送政策, 送要素, 送项目, 服务.
    note : str
        What was brought or done.
    date : str or None
        When (default today).
    officer : str or None
        Who visited (default: the firm's service officer, else ``by``).
    by : str or None
        Who records it.

    Returns
    -------
    str
        The visit's id.
    """
    kind = parse_visit_kind(kind)
    text = _required_note(note, _("a visit needs a note (note=)"))
    day = parse_date(date, "date") or today().isoformat()
    store = pipeline_store(workspace)
    company_id = workspace.company_id(firm)
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        visitor = _person(officer) or (store.liaison(company_id) or {}).get("officer") or who
        at = now()
        number = store.add_visit({"company_id": company_id, "kind": kind, "date": day,
                                  "officer": visitor, "note": text, "at": at, "by": who})
        vid = f"V{number:04d}"
        record(store, who, "visit", vid, "visit",
               _("{firm} {kind} on {day} by {officer}: {text}").format(
                   firm=company_id, kind=label("value", kind), day=day, officer=visitor,
                   text=text), at=at)
        touched()  # no lead, move or firm changed
    return vid


# -- the service report ----------------------------------------------------------------
@dataclass(frozen=True)
class ServiceReport:
    """How the requests of a period were served (:func:`service_report`).

    Attributes
    ----------
    start, end, as_of : str
        The period (requests made from ``start`` to ``end``, both included; ``start``
        ``None``: from the first) and the day they are counted on.
    total : DataFrame
        One row: ``start``, ``end``, ``as_of`` and :data:`SERVICE_MEASURES`.
    by_kind : DataFrame
        ``kind`` and the measures, every kind of :data:`REQUEST_KINDS` in order.
    by_officer : DataFrame
        ``officer`` and the measures, by officer's name (``(none)`` last).
    visits : DataFrame
        ``kind``, ``visits``, ``firms`` (visited): the period's visits by kind.
    """

    start: str | None
    end: str
    as_of: str
    total: pd.DataFrame
    by_kind: pd.DataFrame
    by_officer: pd.DataFrame
    visits: pd.DataFrame

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in report order."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if isinstance(getattr(self, f.name), pd.DataFrame)}

    @property
    def heading(self) -> str:
        """The period and the day counted on, in the current language."""
        if self.start:
            return _("Requests made {start} – {end}, counted on {as_of}").format(
                start=self.start, end=self.end, as_of=self.as_of)
        return _("Requests made up to {end}, counted on {as_of}").format(
            end=self.end, as_of=self.as_of)

    def people_sheets(self, lang: str) -> dict[str, pd.DataFrame]:
        """:meth:`sheets` with codes as words under ``zh`` (:func:`~chainmap.output.code_words`).

        A request's kind is headed 诉求类型 and a visit's 走访方式
        (:data:`~chainmap.output.REQUEST_HEADERS`, :data:`~chainmap.output.VISIT_HEADERS`);
        what ``chainmap service report`` prints and a notebook shows.
        """
        from ..output import REQUEST_HEADERS, VISIT_HEADERS, code_words

        return {name: code_words(frame, lang, REQUEST_HEADERS if name == "by_kind"
                                 else VISIT_HEADERS if name == "visits" else None)
                for name, frame in self.sheets().items()}

    def __str__(self) -> str:
        """Every table under its name."""
        from ..output import render

        return "\n\n".join(f"[{name}]\n{render(frame, 'table')}"
                           for name, frame in self.sheets().items())

    def _repr_html_(self) -> str:
        """The heading, then every table as ``chainmap service report`` shows it."""
        from ..i18n import language
        from ..output import report_html

        lang = language()
        return report_html(self.people_sheets(lang), lang, heading=self.heading)


def _measures(frame: pd.DataFrame) -> dict[str, object]:
    total = len(frame)
    closed = frame[frame["closed_date"].notna()]
    on_time = int(closed["on_time"].astype(bool).sum())
    median = float(closed["days"].median()) if len(closed) else float("nan")
    return {"total": total, "closed": len(closed), "closed_on_time": on_time,
            "still_open": total - len(closed), "past_due": int(frame["past_due"].sum()),
            "close_rate": round(len(closed) / total, 3) if total else float("nan"),
            "on_time_rate": round(on_time / total, 3) if total else float("nan"),
            "median_days_to_close": median}


def _grouped(frame: pd.DataFrame, key: str, order: list[str]) -> pd.DataFrame:
    rows = [{key: value, **_measures(frame[frame[key] == value])} for value in order]
    out = pd.DataFrame(rows, columns=[key, *SERVICE_MEASURES])
    return out.astype({c: int for c in SERVICE_MEASURES[:5]})


@reads_snapshot
def service_report(workspace: Workspace, start: str | None = None, end: str | None = None,
                   as_of: str | None = None) -> ServiceReport:
    """How the requests made in a period were served, per kind, per officer and in total.

    ``total`` requests made from ``start`` to ``end`` (both days included), of them
    ``closed`` by ``as_of`` and ``closed_on_time`` (on or before their due date; a
    request without one counts as on time), ``close_rate`` = closed / total,
    ``on_time_rate`` = closed_on_time / total, and the median days from made to
    closed; also ``still_open`` and ``past_due`` (open and past due on ``as_of``).

    Parameters
    ----------
    workspace : Workspace
        The workspace (any store that keeps the pipeline).
    start : str or None
        First day of the period (default: from the first request).
    end : str or None
        Last day of the period (default ``as_of``).
    as_of : str or None
        The day closings are counted up to (default today).

    Returns
    -------
    ServiceReport
        ``total``, ``by_kind``, ``by_officer`` and ``visits``.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> _ = chainmap.sample_service(ws)
    >>> report = chainmap.service_report(ws, as_of="2020-12-31")
    >>> report.total[["total", "closed", "closed_on_time", "close_rate", "on_time_rate"]]
       total  closed  closed_on_time  close_rate  on_time_rate
    0      2       2               2         1.0           1.0
    >>> report.by_kind.set_index("kind").loc[["labour", "funding"], ["total", "closed"]]
             total  closed
    kind
    labour       1       1
    funding      1       1
    """
    day = as_of_day(as_of)
    last = parse_date(end, "end") or day
    first = parse_date(start, "start")
    if first is not None and first > last:
        raise ArgumentError(_("start= {start} is after end= {end}").format(start=first, end=last),
                            parameter=("start", "end"))
    frame = _requests(workspace, day)
    frame = frame[(frame["date"] <= last) & ((frame["date"] >= first) if first else True)]
    total = pd.DataFrame([{"start": first, "end": last, "as_of": day, **_measures(frame)}])
    total = total.astype({c: int for c in SERVICE_MEASURES[:5]})
    by_kind = _grouped(frame, "kind", list(REQUEST_KINDS))
    officers = frame["officer"].map(
        {v: person_name(v) or _NONE for v in frame["officer"].dropna().unique()}).fillna(_NONE)
    named = sorted(o for o in set(officers) if o != _NONE)
    by_officer = _grouped(frame.assign(officer=officers), "officer",
                          named + ([_NONE] if _NONE in set(officers) else []))
    visits = workspace._table("visits")
    dates = visits["date"].astype(str)
    visits = visits[(dates <= last) & ((dates >= first) if first else True)]
    seen = pd.DataFrame({
        "kind": list(VISIT_KINDS),
        "visits": [int((visits["kind"] == k).sum()) for k in VISIT_KINDS],
        "firms": [visits.loc[visits["kind"] == k, "company_id"].nunique() for k in VISIT_KINDS]})
    return ServiceReport(first, last, day, total, by_kind, by_officer, seen)


# -- the sample's service facts -----------------------------------------------------------
def sample_service(workspace: Workspace, by: str | None = None) -> list[str]:
    """Add the Dangtu article's service facts to a workspace holding the bundled sample.

    From the article: 奥克斯 reported a 用工荒 when it started production (July of the
    year before, 2019); the zone's staff member 张超 answered with its first
    "体验式招工", which hired 200+ people. 福马汽车零部件's 网格员 李侃 helped it obtain
    190万元 of project funds (its contact: 顾鹏); a policy briefing (政策宣讲会) reached
    100+ firms. The 1+1+1 people are those the article names; every date, due date and
    phone is **illustrative**, and each note says so.

    Parameters
    ----------
    workspace : Workspace
        A workspace into which the bundled sample was imported (``aux`` and ``fuma``).
    by : str or None
        Who records them (default ``sample``).

    Returns
    -------
    list of str
        The ids of the requests and visits added.
    """
    who = by or "sample"
    note = "（据报道；日期为示意）"
    assign_service(workspace, "aux", officer="张超", by=who)
    assign_service(workspace, "fuma", contact="顾鹏", officer="李侃", by=who)
    ids = [
        add_request(workspace, "aux", "投产之初出现“用工荒”" + note, kind="labour",
                    date="2019-07-01", due="2019-08-31", by=who),
        record_progress(workspace, "R1", "多方商议，决定首次试水“体验式”招工" + note,
                        date="2019-07-10", by=who),
        close_request(workspace, "R1", "首次“体验式”招工，帮助企业招聘200余人" + note,
                      date="2019-08-20", by=who),
        add_request(workspace, "fuma", "申报项目资金，用于加大自动化生产投入" + note,
                    kind="funding", date="2020-03-02", due="2020-06-30", by=who),
        close_request(workspace, "R2", "网格员帮助成功申请项目资金190万元" + note,
                      date="2020-06-15", by=who),
        log_visit(workspace, "aux", "送要素", "对接用工需求" + note, date="2019-07-05",
                  by=who),
        log_visit(workspace, "aux", "送政策", "政策宣讲会：惠企政策宣讲" + note,
                  date="2020-05-20", by=who),
        log_visit(workspace, "fuma", "送政策", "帮助摸清并申报项目资金政策" + note,
                  date="2020-03-02", by=who),
    ]
    return list(dict.fromkeys(ids))
