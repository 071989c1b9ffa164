"""Leads (招商线索): add, move through the stages, update, show and list.

A lead is a target firm (and, usually, the product it would bring) in the pipeline.
Its id is ``L`` and four digits (``L0001``, ``L0002`` ...; ``L10000`` after ``L9999``),
given in order and never reused; ``L1``, ``l1`` and ``1`` are accepted wherever an id
is typed. Every stage move is kept (from, to, date, by whom, note) and every change
goes to the audit log (:func:`chainmap.audit_log`).

Examples
--------
>>> import chainmap
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> lid = chainmap.add_lead(ws, "gree", product="compressor", owner="王磊", investment=15,
...                         date="2026-06-01", by="王磊")
>>> lid
'L0013'
>>> chainmap.move_lead(ws, lid, "接洽", date="2026-06-10", note="first call", by="王磊")
'contacted'
>>> chainmap.lead_details(ws, lid).history[["from_stage", "to_stage", "date"]]
  from_stage    to_stage        date
0       None        lead  2026-06-01
1       lead   contacted  2026-06-10
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any, Literal, cast

import pandas as pd

from ..dates import parse_date
from ..errors import ArgumentError, NotFoundError
from ..i18n import N_, _, label, pgettext
from ..names import person_name
from ..regions import REGION_COLUMN
from ..snapshot import reads_snapshot
from .common import (
    CLOSED_STAGES,
    STAGE_ZH,
    current_user,
    lead_id,
    now,
    owned_by,
    parse_investment,
    parse_source,
    parse_stage,
    pipeline_store,
    record,
    today,
)
from .figures import COMMITMENTS, checked, commit
from .history import PERSIST_MIN_ROWS, last_moves
from .leadfiles import _FRAME_COLUMNS, _FRAME_NAMES, LEADS_CACHE, kept_lead_files
from .service import firm_requests

if TYPE_CHECKING:
    from ..regions import Region
    from ..store import Store
    from ..store.base import ColumnReads
    from ..workspace import Workspace

__all__ = ["ACTUAL_COLUMNS", "CARD_REQUEST_COLUMNS", "COMMITMENT_KEYS", "FROM_GAPS_COLUMNS",
           "LEAD_COLUMNS", "FromGapsResult", "LeadDetails", "add_lead", "lead_details",
           "leads_from_gaps", "list_leads", "move_lead", "update_lead"]

#: Columns of the frame :func:`list_leads` returns.
LEAD_COLUMNS = [
    "id",            # lead id, L0001 ...
    "company",       # firm id
    "company_name",  # registered name
    "province",      # the firm's province
    "product",       # product id (may be empty)
    "product_name",  # product name
    "stage",         # current stage (lead ... producing, lost)
    "since",         # date the lead entered its current stage
    "owner",         # who follows it (负责人)
    "investment",    # expected or signed investment, 亿元
    "source",        # gap / referral / event / other
    "created",       # date the lead was added
]


class _Unset(enum.Enum):
    """The type of :data:`_UNSET`: an argument not given (``None`` clears a field)."""

    UNSET = "unset"


_UNSET: Literal[_Unset.UNSET] = _Unset.UNSET


def _require(store: Store, lead: str) -> dict:
    """The stored row of ``lead`` (an id as typed); :class:`NotFoundError` if none."""
    row = store.lead(lead_id(lead))
    if row is None:
        raise NotFoundError(_("unknown lead '{lead}'").format(lead=lead))
    return row


def not_before_created(row: dict, day: str | None, parameter: str = "date") -> None:
    """Refuse ``day`` (``YYYY-MM-DD``) when it is before the lead ``row`` was created.

    An event of a lead (a stage move, an activity, a follow-up's due date, a contract
    date, a project's actuals) cannot come before the lead itself: ``created``, the
    date :func:`add_lead` was given (or the day it was added). A lead whose history
    starts earlier is added with that earlier ``date=``.

    Raises
    ------
    ArgumentError
        ``day`` is before the lead's creation date; names ``parameter``.
    """
    created = str(row.get("created") or "")[:10]
    if day and created and day < created:
        raise ArgumentError(_("{parameter}= {day} is before lead {lead} was created "
                              "({created}); a lead with earlier history is added with its "
                              "first date")
                            .format(parameter=parameter, day=day, lead=row["id"],
                                    created=created), parameter=parameter)


def _not_before_last_move(workspace: Workspace, lead_id: str, day: str) -> None:
    """Refuse a move dated before the lead's latest move.

    A lead's stage is the one its last move put it at, and the reports read its history
    by date (the stage on a day, the days in each stage): a move dated before the one
    recorded last would make the lead's stage now and its history disagree. A day equal
    to the last move's is allowed (two moves on one day).

    Raises
    ------
    ArgumentError
        ``day`` is before the latest move's date; names ``date``.
    """
    moves = workspace._rows_where("lead_events", "lead_id", {lead_id})
    if not len(moves):
        return
    dates = [str(d)[:10] for d in moves["date"]]
    last = moves.iloc[max(range(len(dates)), key=lambda i: (dates[i], i))]  # the latest
    if day < str(last["date"])[:10]:
        raise ArgumentError(_("date= {day} is before the last move of lead {lead} ({last}: "
                              "{before} → {after}); moves are kept in the order they "
                              "happened: date this one {last} or later").format(
                                  day=day, lead=lead_id, last=str(last["date"])[:10],
                                  before=label("stage", last["from_stage"])
                                  if isinstance(last["from_stage"], str) else "—",
                                  after=label("stage", last["to_stage"])),
                            parameter="date")


def find_open_lead(store: Store, company_id: str,
                   product_id: str | None) -> tuple[str, str] | None:
    """The (id, stage) of an open lead for this firm and product, if there is one.

    *Open* means not ``lost`` and not ``producing``. Call it inside the transaction of
    the write it decides.
    """
    for row in store.leads_for(company_id, product_id):
        if row["stage"] not in CLOSED_STAGES:
            return row["id"], row["stage"]
    return None


def insert_lead(store: Store, company_id: str, product_id: str | None, *, by: str, date: str,
                stage: str = "lead", owner: str | None = None,
                investment: float | None = None, source: str = "other",
                note: str | None = None, reason: str | None = None,
                imported: bool = False, extra: str | None = None,
                action: str = "add") -> str:
    """Insert a lead (inside the caller's transaction) with its first history row.

    The low-level writer under :func:`add_lead` and the importers; no checks.
    """
    seq = store.next_lead_number()
    lid = f"L{seq:04d}"
    at = now()
    owner = person_name(owner) or None
    lost = reason if stage == "lost" else None
    store.add_lead(
        {"id": lid, "seq": seq, "company_id": company_id, "product_id": product_id,
         "stage": stage, "owner": owner, "investment": investment, "source": source,
         "note": note, "lost_reason": lost, "contract_date": None, "imported": int(imported),
         "extra": extra, "created": date, "created_by": by, "updated": at},
        {"lead_id": lid, "from_stage": None, "to_stage": stage, "date": date, "at": at,
         "by": by, "note": note, "reason": lost})
    what = f"{company_id}" + (f" / {product_id}" if product_id else "")
    detail = _ADDED[(bool(owner), investment is not None)]
    record(store, by, "lead", lid, action, _(detail).format(
        what=what, stage=label("stage", stage), source=label("value", source), owner=owner,
        investment=f"{investment:g}" if investment is not None else ""), lead=lid, at=at)
    return lid


#: The audit log's words for a lead added, by (owner given, investment given).
_ADDED = {
    (False, False): N_("{what} at stage {stage}, source {source}"),
    (True, False): N_("{what} at stage {stage}, source {source}, owner {owner}"),
    (False, True): N_("{what} at stage {stage}, source {source}, {investment} 亿元"),
    (True, True): N_("{what} at stage {stage}, source {source}, owner {owner}, "
                     "{investment} 亿元"),
}
#: The audit log's words for a move, by (reason given, note given).
_MOVED = {
    (False, False): N_("{before} → {after} on {date}"),
    (True, False): N_("{before} → {after} on {date}; reason: {reason}"),
    (False, True): N_("{before} → {after} on {date}; note: {note}"),
    (True, True): N_("{before} → {after} on {date}; reason: {reason}; note: {note}"),
}


def _check_investment(investment: float | None) -> float | None:
    """``investment`` as a finite float ≥ 0 (亿元); ``None`` stays ``None``."""
    if investment is None:
        return None
    try:
        value = parse_investment(investment) if isinstance(investment, str) \
            else float(investment)
    except (TypeError, ValueError):
        raise ArgumentError(_("investment must be a number of 亿元, not '{value}'").format(
            value=investment), parameter="investment") from None
    if not math.isfinite(value):
        raise ArgumentError(_("investment must be a finite number of 亿元, not '{value}'"
                              ).format(value=investment), parameter="investment")
    if value < 0:
        raise ArgumentError(_("investment must be a number ≥ 0 (亿元), not '{value}'").format(
            value=investment), parameter="investment")
    return value


def add_lead(workspace: Workspace, firm: str, product: str | None = None, owner: str | None = None,
             investment: float | None = None, source: str = "other", note: str | None = None,
             date: str | None = None, by: str | None = None, force: bool = False) -> str:
    """Add a lead for ``firm`` (id, USCC or exact registered name); return its id.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    firm
        The target firm: its id, USCC or exact registered name.
    product
        The product the firm would bring (id, Chinese or English name); optional.
    owner
        Who follows the lead (负责人).
    investment
        Expected investment in 亿元 (1e8 CNY).
    source
        ``gap`` (from the gap report), ``referral`` (以商招商), ``event`` or ``other``.
    note, date
        A note, and the date the lead was found (``YYYY-MM-DD``, default today).
    by
        Who adds it (default ``$CHAINMAP_USER``, else the OS user).
    force
        Add it even when the firm already has an open lead for this product.

    Raises
    ------
    NotFoundError
        Unknown firm or product.
    ArgumentError
        An open lead (not ``lost``, not ``producing``) for the same firm and product
        exists, and ``force`` is false; the message names it.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> chainmap.add_lead(ws, "xinchang-valve", product="eev")
    Traceback (most recent call last):
    ...
    chainmap.errors.ArgumentError: firm 'xinchang-valve' already has an open lead for product
    'eev': L0001 (negotiating); use force=True to add another
    """
    store = pipeline_store(workspace)
    company_id = workspace.company_id(firm)
    product_id = workspace.product_id(product) if product else None
    source = parse_source(source)
    investment = _check_investment(investment)
    date = parse_date(date, "date") or today().isoformat()
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        if not force:
            existing = find_open_lead(store, company_id, product_id)
            if existing:
                message = _("firm '{firm}' already has an open lead for product '{product}': "
                            "{lead} ({stage}); use force=True to add another") if product_id \
                    else _("firm '{firm}' already has an open lead for no product: {lead} "
                           "({stage}); use force=True to add another")
                raise ArgumentError(message.format(
                    firm=company_id, product=product_id, lead=existing[0],
                    stage=label("stage", existing[1])), parameter="force")
        lid = insert_lead(store, company_id, product_id, by=who, date=date, owner=owner or None,
                          investment=investment, source=source, note=note or None)
        touched(lid)
    return lid


def move_lead(workspace: Workspace, lead: str, stage: str, note: str | None = None,
              date: str | None = None, reason: str | None = None,
              by: str | None = None) -> str:
    """Move ``lead`` to ``stage`` (English or Chinese) and record the move; return the stage.

    Any move is allowed (teams go back), but a lead cannot move to the stage it is at,
    and a move to ``lost`` (终止) needs a ``reason``. ``date`` is when it happened
    (``YYYY-MM-DD``, default today): a move to ``signed`` sets the contract date, to
    ``started`` / ``producing`` the start and production dates.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> chainmap.move_lead(ws, "L0001", "lost")
    Traceback (most recent call last):
    ...
    chainmap.errors.ArgumentError: a move to lost (终止) needs a reason: give reason=
    >>> chainmap.move_lead(ws, "L1", "lost", reason="chose 江西", date="2026-06-01")
    'lost'
    """
    store = pipeline_store(workspace)
    target = parse_stage(stage)
    date = parse_date(date, "date") or today().isoformat()
    reason = (reason or "").strip() or None
    if target == "lost" and not reason:
        raise ArgumentError(_("a move to lost (终止) needs a reason: give reason="),
                            parameter="reason")
    if target != "lost" and reason:
        raise ArgumentError(_("reason= is only for a move to lost (终止), not to {stage}; "
                              "use note=").format(stage=label("stage", target)),
                            parameter=("reason", "note"))
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        row = _require(store, lead)
        lid, current = row["id"], row["stage"]
        not_before_created(row, date)
        _not_before_last_move(workspace, lid, date)
        if current == target:
            raise ArgumentError(_("lead {lead} is already at stage {stage} ({stage_zh})").format(
                lead=lid, stage=target, stage_zh=STAGE_ZH[target]))
        at = now()
        store.move_lead(lid, target, reason, at,
                        {"lead_id": lid, "from_stage": current, "to_stage": target,
                         "date": date, "at": at, "by": who, "note": note or None,
                         "reason": reason})
        detail = _(_MOVED[(bool(reason), bool(note))]).format(
            before=label("stage", current), after=label("stage", target), date=date,
            reason=reason, note=note)
        record(store, who, "lead", lid, "move", detail, lead=lid, at=at)
        touched(lid)
    return target


def update_lead(workspace: Workspace, lead: str, *, owner: str | None | _Unset = _UNSET,
                investment: float | None | _Unset = _UNSET,
                product: str | None | _Unset = _UNSET,
                contract_date: str | dt.date | None | _Unset = _UNSET,
                note: str | None | _Unset = _UNSET, by: str | None = None,
                land: float | str | None | _Unset = _UNSET,
                output: float | str | None | _Unset = _UNSET,
                tax: float | str | None | _Unset = _UNSET,
                jobs: int | str | None | _Unset = _UNSET,
                start_by: str | dt.date | None | _Unset = _UNSET,
                produce_by: str | dt.date | None | _Unset = _UNSET) -> list[str]:
    """Change a lead's owner, investment, product, contract date, note or commitments.

    Only the fields given change (``None`` clears one); each change is audited.
    Returns the changes made, as text. ``contract_date`` overrides the date of the
    move to ``signed`` as the project's contract date.

    The commitments of a project (履约承诺, see :mod:`chainmap.crm.delivery`), at full
    production, are keyword arguments too: ``land`` (亩), ``output`` (亿元 a year), ``tax``
    (万元 a year), ``jobs``, ``start_by`` and ``produce_by`` (the dates by which it is to
    start construction and production); with ``investment`` (亿元) they are what
    :func:`chainmap.project_delivery` compares the actuals with.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> chainmap.update_lead(ws, "L0003", owner="李娜", investment=30)
    ['owner: 张超 → 李娜', 'investment: 28 → 30']
    """
    store = pipeline_store(workspace)
    changes: dict[str, object] = {}
    if owner is not _UNSET:
        changes["owner"] = person_name(owner) or None
    if investment is not _UNSET:
        changes["investment"] = _check_investment(investment)
    if product is not _UNSET:
        changes["product_id"] = workspace.product_id(product) if product else None
    if contract_date is not _UNSET:
        changes["contract_date"] = parse_date(contract_date, "contract_date")
    if note is not _UNSET:
        changes["note"] = (note or "").strip() or None
    given = {"land": land, "output": output, "tax": tax, "jobs": jobs, "start_by": start_by,
             "produce_by": produce_by}
    commitments = checked({k: v for k, v in given.items() if v is not _UNSET})
    if not changes and not commitments:
        raise ArgumentError(_("nothing to update: give owner=, investment=, product=, "
                              "contract_date=, note=, land=, output=, tax=, jobs=, start_by= "
                              "or produce_by="),
                            parameter=("owner", "investment", "product", "contract_date", "note",
                                       *COMMITMENTS))
    who = current_user(by)
    done: list[str] = []
    with kept_lead_files(workspace) as touched, store.transaction():
        row = _require(store, lead)
        at = now()
        changed: dict[str, object] = {}
        for column, value in changes.items():
            old = row[column]
            if old == value:
                continue
            name = label("column", column.removesuffix("_id"))
            done.append(_("{field}: {before} → {after}").format(
                field=name, before=_show(old), after=_show(value)))
            changed[column] = value
        if commitments:
            done += commit(store, row["id"], commitments, who, at)
        if "contract_date" in changed:
            not_before_created(row, cast("str | None", changed["contract_date"]),
                               "contract_date")
        if changed:
            store.update_lead(row["id"], changed, at)
        if done:
            record(store, who, "lead", row["id"], "update", pgettext("word", "; ").join(done),
                   lead=row["id"], at=at)
        touched(row["id"])
    return done


def _text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a wide, Chinese, character two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _show(value: object) -> str:
    if value is None:
        return _("(none)")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


#: The commitments of a lead's card (:attr:`LeadDetails.commitments`): the figures and
#: deadlines of :data:`chainmap.crm.figures.COMMITMENTS`, then who set them last and when.
COMMITMENT_KEYS = [
    "land",        # land, 亩
    "output",      # annual output at full production, 亿元
    "tax",         # annual tax at full production, 万元
    "jobs",        # jobs at full production
    "start_by",    # the date by which construction is to start
    "produce_by",  # the date by which production is to start
    "by",          # who set them last
    "at",          # when (timestamp)
]
#: Columns of :attr:`LeadDetails.actuals`, one row per date, oldest first.
ACTUAL_COLUMNS = [
    "date",      # the date of the figures
    "invested",  # investment made so far (cumulative), 亿元
    "output",    # the latest annual output, 亿元
    "tax",       # the latest annual tax, 万元
    "jobs",      # jobs
    "by",        # who recorded them
    "at",        # when (timestamp)
]
#: Columns of :attr:`LeadDetails.requests`, one row per request of the lead's firm, by id.
CARD_REQUEST_COLUMNS = [
    "id",           # R0001 ...
    "date",         # when the firm made it
    "kind",         # labour, land, funding, technology, policy, approval, other
    "text",         # the request in the firm's words
    "officer",      # who owns it
    "due",          # when it is to be solved (may be empty)
    "status",       # open, past_due (open after its due date) or closed
    "closed_date",  # when it was closed (销号)
    "close_note",   # how it was solved
    "last_note",    # the latest progress note
]
#: Stages at which a lead is a signed project: its card always has the commitments and
#: actuals sections, empty or not.
_PROJECT_STAGES = ("signed", "started", "producing")
#: The ``column`` labels that name a request's status in Chinese (未办结, 逾期未办结,
#: 已办结): the words of the service reports.
_STATUS_LABELS = {"open": "still_open", "past_due": "past_due", "closed": "closed"}
#: The card's tables, in the order shown.
_SECTIONS = ("history", "activities", "followups", "commitments", "actuals", "requests")


@dataclass(frozen=True)
class LeadDetails:
    """One lead with its history, activities, follow-ups, commitments, actuals and requests.

    For a project: what it promised and delivered; and the requests of its firm.

    Attributes
    ----------
    lead : dict
        The lead's fields (:func:`lead_details`).
    history : DataFrame
        Its stage moves, oldest first: ``from_stage``, ``to_stage``, ``date``, ``by``,
        ``note``, ``reason``, ``at``.
    activities : DataFrame
        Its activities by date: ``id``, ``date``, ``kind``, ``note``, ``by``.
    followups : DataFrame
        Its follow-ups by due date: ``id``, ``due``, ``note``, ``by``, ``done_at``,
        ``done_by``.
    extra : dict
        Not filled by :func:`lead_details` (a lead's own extra attributes are
        ``lead["extra"]``).
    commitments : dict or None
        The project's commitments (履约承诺, set with :func:`chainmap.update_lead`), keys
        :data:`COMMITMENT_KEYS` (a figure or deadline not set is ``None``); ``None``
        when none was ever set. The committed investment is ``lead["investment"]``.
    actuals : DataFrame
        What the project delivered (:func:`chainmap.record_actual`), one row per date,
        oldest first; columns :data:`ACTUAL_COLUMNS` (figures not recorded are empty).
    requests : DataFrame
        The requests (企业诉求, :func:`chainmap.add_request`) of the lead's firm made up
        to today, as they stand today, by id; columns :data:`CARD_REQUEST_COLUMNS`.
    """

    lead: dict
    history: pd.DataFrame
    activities: pd.DataFrame
    followups: pd.DataFrame
    extra: dict = field(default_factory=dict)
    commitments: dict | None = None
    actuals: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: pd.Series(dtype=object)
                                              for c in ACTUAL_COLUMNS}))
    requests: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: pd.Series(dtype=object)
                                              for c in CARD_REQUEST_COLUMNS}))

    def to_dict(self) -> dict:
        """The lead and its tables as plain values, for JSON.

        Keys ``lead``, ``history``, ``activities``, ``followups``, ``commitments`` (an
        object, or ``None``), ``actuals`` and ``requests``.
        """
        from ..files import plain_value as _plain
        from ..output import to_records

        return {"lead": {k: _plain(v) for k, v in self.lead.items()},
                "history": to_records(self.history),
                "activities": to_records(self.activities),
                "followups": to_records(self.followups),
                "commitments": None if self.commitments is None else
                {k: _plain(v) for k, v in self.commitments.items()},
                "actuals": to_records(self.actuals),
                "requests": to_records(self.requests)}

    def __str__(self) -> str:
        """The lead's fields, then its history, activities and follow-ups as tables.

        Then the project's commitments and actuals (always for a signed project, at
        ``signed``, ``started`` or ``producing``; for another lead only when it has
        some) and its firm's requests (when it has some). In the current language:
        field names, stages, codes and table headers in Chinese under ``zh``.
        """
        from ..i18n import language
        from ..output import render

        lang = language()
        lead = self._shown()
        width = max(_text_width(k) for k in lead)
        head = [f"{k}{' ' * (width - _text_width(k))}  {_show(v) if v is not None else ''}"
                for k, v in lead.items()]
        parts = ["\n".join(head)]
        for name, frame in self._tables(lang):
            # the command line heads its English tables by name, as every report's
            title = name if lang == "en" else label("sheet", name, lang)
            parts.append(f"[{title}]\n{render(frame, 'table')}")
        return "\n\n".join(parts)

    def _tables(self, lang: str) -> list[tuple[str, pd.DataFrame]]:
        """The card's tables to show, by sheet name, for people in ``lang``."""
        from ..output import localize

        shown = []
        for name in _SECTIONS:
            if name == "commitments":
                frame = pd.DataFrame([self.commitments] if self.commitments else [],
                                     columns=COMMITMENT_KEYS)
            else:
                frame = getattr(self, name)
            always = name in ("history", "activities", "followups") or (
                name in ("commitments", "actuals") and self.lead.get("stage") in _PROJECT_STAGES)
            if not always and not len(frame):
                continue  # a card without them reads as before
            if lang == "zh" and name == "actuals":
                # the words for what was delivered (实际产值), not the promise (承诺产值)
                frame = frame.rename(columns={c: f"actual_{c}" for c in ("output", "tax",
                                                                         "jobs")})
            elif lang == "zh" and name == "requests":
                frame = frame.assign(
                    kind=[label("value", k, lang) if isinstance(k, str) else k
                          for k in frame["kind"]],
                    status=[label("column", _STATUS_LABELS.get(s, s), lang)
                            if isinstance(s, str) else s for s in frame["status"]],
                ).rename(columns={"kind": "request_kind", "text": "request_text"})
            shown.append((name, localize(frame, lang)))
        return shown

    def _shown(self) -> dict:
        """The lead's fields as a person reads them: labels for names, stages, sources."""
        from ..i18n import language

        shown = {}
        for key, value in self.lead.items():
            if key == "stage_zh" and language() != "en":
                continue  # the stage is shown in the language already
            if key == "stage" and isinstance(value, str):
                value = label("stage", value)
            elif key == "source" and isinstance(value, str):
                value = label("value", value)
            shown[label("column", key)] = value
        return shown

    def _repr_html_(self) -> str:
        from ..i18n import language
        from ..output import table_html

        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(_show(v))}</td></tr>"
                       for k, v in self._shown().items() if v is not None)
        # each cell as the text card shows it (a missing value blank, 1500 not 1500.0)
        return (f"<table>{rows}</table>"
                + "".join(f"<h4>{escape(label('sheet', n))}</h4>{table_html(frame)}"
                          for n, frame in self._tables(language())))


@reads_snapshot
def lead_details(workspace: Workspace, lead: str) -> LeadDetails:
    """The lead ``lead`` with its history, activities, follow-ups, commitments, actuals, requests.

    ``lead`` holds the lead's fields (firm and product names, contract, start and
    production dates included); ``history`` one row per move, oldest first;
    ``commitments`` what the project promised (:func:`update_lead`), ``actuals`` what
    it delivered (:func:`chainmap.record_actual`), ``requests`` its firm's requests
    (:func:`chainmap.add_request`) as they stand today. Only the rows of this lead and
    its firm are read. See :class:`LeadDetails`.

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline (the SQLite one).
    lead : str
        The lead's id (``L0003``, ``L3`` or ``3``).

    Returns
    -------
    LeadDetails
        The card; ``str()`` of it is what ``chainmap leads show`` prints, ``to_dict()``
        its JSON.

    Raises
    ------
    NotFoundError
        Unknown lead.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> card = chainmap.lead_details(ws, "L0003")
    >>> card.lead["company_name"], card.lead["stage"], card.lead["contract_date"]
    ('上海浦江压缩机股份有限公司', 'signed', '2026-01-15')
    >>> card.commitments is None, len(card.actuals), len(card.requests)
    (True, 0, 0)

    A producing project with its commitments, two reports of what it delivered and a
    request of its firm:

    >>> _ = chainmap.update_lead(ws, "L0007", land=50, output=5, tax=1500, jobs=200,
    ...                          start_by="2025-06-30", produce_by="2026-03-31")
    >>> _ = chainmap.record_actual(ws, "L0007", date="2026-03-31", invested=1.2, jobs=80)
    >>> _ = chainmap.record_actual(ws, "L0007", date="2026-06-30", invested=1.5, output=2,
    ...                            jobs=150)
    >>> _ = chainmap.add_request(ws, "lishui-comp", "扩建用地50亩", kind="土地",
    ...                          date="2026-07-01", officer="张超")
    >>> card = chainmap.lead_details(ws, "L0007")
    >>> {k: card.commitments[k] for k in ("land", "output", "jobs", "produce_by")}
    {'land': 50.0, 'output': 5.0, 'jobs': 200, 'produce_by': '2026-03-31'}
    >>> card.actuals[["date", "invested", "output", "jobs"]]
             date  invested  output  jobs
    0  2026-03-31       1.2     NaN    80
    1  2026-06-30       1.5     2.0   150
    >>> card.requests[["id", "kind", "text", "status"]]
          id  kind    text status
    0  R0001  land  扩建用地50亩   open
    """
    lid = lead_id(lead)
    # the lead's own rows only (by id and by lead_id), its firm and product by id: not
    # the whole tables of a pipeline of 100,000 leads
    found = workspace._rows_where("leads", "id", {lid})
    if not len(found):
        raise NotFoundError(_("unknown lead '{lead}'").format(lead=lead))
    row: dict[str, Any] = {str(k): _none(v) for k, v in found.iloc[0].items()}
    companies = workspace._record_columns("companies", {row["company_id"]},
                                          ("name", "province")).set_index("id")
    product_names = workspace._names("products", {row["product_id"]}) \
        if row["product_id"] else {}
    events = workspace._rows_where("lead_events", "lead_id", {lid})
    history = events.sort_values("id")[
        ["from_stage", "to_stage", "date", "by", "note", "reason", "at"]].reset_index(drop=True)
    history = history.astype(object).where(history.notna(), None)
    acts = workspace._rows_where("activities", "lead_id", {lid}).sort_values(["date", "id"])
    activities = pd.DataFrame({"id": [f"A{int(i):04d}" for i in acts["id"]],
                               "date": acts["date"].tolist(), "kind": acts["kind"].tolist(),
                               "note": acts["note"].tolist(), "by": acts["by"].tolist()})
    fups = workspace._rows_where("followups", "lead_id", {lid}).sort_values(["due", "id"])
    followups = pd.DataFrame({"id": [f"F{int(i):04d}" for i in fups["id"]],
                              **{c: [_none(v) for v in fups[c]] for c in
                                 ("due", "note", "by", "done_at", "done_by")}})
    dates = _milestones(history, row.get("contract_date"))
    info = {
        "id": lid,
        "company": row["company_id"],
        "company_name": companies["name"].get(row["company_id"]),
        "province": companies["province"].get(row["company_id"]),
        "product": row["product_id"],
        "product_name": product_names.get(row["product_id"]),
        "stage": row["stage"],
        "stage_zh": STAGE_ZH[row["stage"]],
        "since": history["date"].iloc[-1] if len(history) else None,
        "owner": row["owner"],
        "investment": row["investment"],
        "source": row["source"],
        "note": row["note"],
        "lost_reason": row["lost_reason"],
        **dates,
        "created": row["created"],
        "created_by": row["created_by"],
    }
    if row.get("extra"):
        info["extra"] = json.loads(row["extra"])
    return LeadDetails(info, history, activities, followups,
                       commitments=_commitments(workspace, lid),
                       actuals=_actuals(workspace, lid),
                       requests=_firm_requests(workspace, row["company_id"]))


def _commitments(workspace: Workspace, lid: str) -> dict | None:
    """The commitments row of the lead ``lid`` (:data:`COMMITMENT_KEYS`), or ``None``."""
    found = workspace._rows_where("commitments", "id", {lid})
    if not len(found):
        return None
    stored = found.iloc[0]
    out: dict[str, object] = {c: _none(stored[c]) for c in COMMITMENT_KEYS}
    for column in ("land", "output", "tax"):
        out[column] = None if out[column] is None else float(cast(float, out[column]))
    if out["jobs"] is not None:
        out["jobs"] = int(cast(int, out["jobs"]))
    return out


def _actuals(workspace: Workspace, lid: str) -> pd.DataFrame:
    """The actuals of the lead ``lid`` (:data:`ACTUAL_COLUMNS`), oldest first."""
    rows = workspace._rows_where("actuals", "lead_id", {lid}).sort_values(["date", "id"])

    def number(column: str) -> pd.Series:
        return pd.to_numeric(rows[column], errors="coerce").astype("float64").reset_index(
            drop=True)

    return pd.DataFrame({
        "date": pd.Series(rows["date"].tolist(), dtype=object),
        "invested": number("invested"), "output": number("output"), "tax": number("tax"),
        "jobs": number("jobs").astype("Int64"),
        "by": pd.Series(rows["by"].tolist(), dtype=object),
        "at": pd.Series(rows["at"].tolist(), dtype=object)})[ACTUAL_COLUMNS]


def _firm_requests(workspace: Workspace, company: str) -> pd.DataFrame:
    """The requests of the firm ``company`` as they stand today (:data:`CARD_REQUEST_COLUMNS`)."""
    found = firm_requests(workspace, company, today().isoformat())
    status = ["closed" if isinstance(c, str) else "past_due" if late else "open"
              for c, late in zip(found["closed_date"], found["past_due"], strict=True)]
    return found.assign(status=pd.Series(status, index=found.index, dtype=object))[
        CARD_REQUEST_COLUMNS].reset_index(drop=True)


def _none(value: object) -> object:
    """A stored value with a store's missing marker (None, NaN) as ``None``."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _milestones(history: pd.DataFrame, contract_date: str | None) -> dict:
    """Contract, start and production dates from the moves (latest move to each)."""
    def last(stage: str) -> str | None:
        hit = history.loc[history["to_stage"] == stage, "date"]
        return hit.iloc[-1] if len(hit) else None

    return {"contract_date": contract_date or last("signed"), "start_date": last("started"),
            "production_date": last("producing")}


def _frame(workspace: Workspace) -> pd.DataFrame:
    """Every lead with firm, product and the date it entered its stage.

    Read through ``workspace.table`` so that it works on every store that keeps leads
    (the Neo4j store reads a pushed pipeline).
    """
    return workspace._derived("lead-frame", lambda: _lead_frame(workspace)).copy()


#: The region code columns of a firm (what :func:`chainmap.regions.inside` reads).
REGION_CODES = tuple(dict.fromkeys(REGION_COLUMN.values()))
#: The kind of the cache file of the lead firms' names and provinces, kept while the
#: firm tables stay as they are (:func:`chainmap.cache.derived` with ``firms_only``).
LEAD_FIRMS_CACHE = "lead-firms-1"


def _with_firms(workspace: Workspace, rows: pd.DataFrame) -> pd.DataFrame:
    """The lead ``rows`` with their firm's ``company_name`` and ``province`` (or ``None``).

    The names come from the lead firms kept while the firm tables stay as they are
    (:func:`chainmap.cache.derived` with ``firms_only``: a lead moved or added leaves
    them valid), the firms of leads added since then read by id.
    """
    import numpy as np

    from .. import cache

    store = cast("ColumnReads", workspace.store)
    firms = cache.derived(workspace, LEAD_FIRMS_CACHE, build=store.lead_firms,
                          restore=cache.arrays_frame, arrays=cache.frame_arrays,
                          persist=lambda f: len(f) >= PERSIST_MIN_ROWS, firms_only=True)
    ids = rows["company_id"].to_numpy(dtype=object)
    held = pd.Index(firms["id"].to_numpy(dtype=object), dtype=object)
    at = held.get_indexer(ids)  # -1: a firm of a lead added since (or no firm)
    names = firms["name"].to_numpy(dtype=object)
    provinces = firms["province"].to_numpy(dtype=object)
    missing = {i for i in ids[at < 0].tolist() if i is not None}
    if missing:  # firms of leads added since the kept ones were read
        found = workspace._record_columns("companies", missing, ("name", "province"))
        held = held.append(pd.Index(found["id"].to_numpy(dtype=object), dtype=object))
        names = np.concatenate([names, found["name"].to_numpy(dtype=object)])
        provinces = np.concatenate([provinces, found["province"].to_numpy(dtype=object)])
        at = held.get_indexer(ids)
    out = rows.copy()
    for column, values in (("company_name", names), ("province", provinces)):
        table = np.empty(len(values) + 1, dtype=object)
        table[:-1] = values
        table[-1] = None  # -1: the firm is not there
        out[column] = table[at]
    return out


def _lead_frame(workspace: Workspace) -> pd.DataFrame:
    """:func:`_frame`, built: the columns it needs, the lead firms' names by id.

    A store that reads columns (SQLite) gives the leads
    (:meth:`~chainmap.store.sqlite.SQLiteStore.lead_rows`) and their firms' names and
    provinces (:func:`_with_firms`); what is made of them and the moves
    (:func:`_read_frame`) is kept in a cache file from a thousand leads on until the
    data change (:func:`chainmap.cache.derived`), and a later process finishes the
    frame from it as a first one does (:func:`_finished`). Otherwise the lead firms
    are read by id. ``since`` is the date of each lead's latest move
    (:func:`chainmap.crm.history.last_moves`).
    """
    store = workspace.store
    if store.reads_columns:
        from .. import cache

        read = cache.derived(workspace, LEADS_CACHE, build=lambda: _read_frame(workspace),
                             restore=_restored, arrays=cache.frame_arrays,
                             persist=lambda f: len(f) >= PERSIST_MIN_ROWS)
        return _finished(workspace, read)
    frame = workspace._columns("leads", _FRAME_COLUMNS).sort_values("seq")[
        list(_FRAME_COLUMNS)
    ].rename(columns={"company_id": "company", "product_id": "product"}) \
        .reset_index(drop=True)
    # only the lead firms, by id (not every firm of the workspace)
    firms = workspace._record_columns("companies", set(frame["company"].dropna()),
                                      ("name", "province")).set_index("id")
    names = {"company_name": frame["company"].map(firms["name"]),
             "province": frame["company"].map(firms["province"])}
    frame = _with_since(workspace, frame).astype({"seq": int, "investment": float})
    products = workspace._table("products").set_index("id")
    frame["company_name"] = names["company_name"]
    frame["province"] = names["province"]
    frame["product_name"] = frame["product"].map(products["name"])
    return frame


def _with_since(workspace: Workspace, frame: pd.DataFrame, clean: bool = False) -> pd.DataFrame:
    """The leads ``frame`` with ``since``, as objects with ``None`` where missing.

    ``clean``: the columns of ``frame`` are objects with ``None`` where missing
    already (as :meth:`~chainmap.store.sqlite.SQLiteStore.lead_rows` gives them), and
    only ``since`` is made so.
    """
    last = last_moves(workspace)
    since = frame["id"].map(pd.Series(last["date"].to_numpy(),
                                      index=last["lead_id"].to_numpy())).astype(object)
    if clean:
        frame["since"] = since.where(since.notna(), None)
        return frame
    frame["since"] = since
    return frame.astype(object).where(frame.notna(), None)


def _read_frame(workspace: Workspace) -> pd.DataFrame:
    """The lead frame's columns as read (objects, ``None`` where missing), with ``since``.

    The lead columns (renamed), ``since``, then the firm's ``company_name`` and
    ``province``; :func:`_finished` makes the lead frame of it.
    """
    read = _with_firms(workspace,
                       cast("ColumnReads", workspace.store).lead_rows(_FRAME_COLUMNS))
    frame = _with_since(workspace, read[list(_FRAME_COLUMNS)].rename(
        columns={"company_id": "company", "product_id": "product"}), clean=True)
    frame["company_name"] = read["company_name"]
    frame["province"] = read["province"]
    return frame


def _restored(arrays: dict) -> pd.DataFrame:
    """:func:`_read_frame` from its cache file (``KeyError``: a file of another layout)."""
    from .. import cache

    frame = cache.arrays_frame(arrays)
    if list(frame.columns) != [*_FRAME_NAMES, "since", "company_name", "province"]:
        raise KeyError("columns")
    return frame


def _finished(workspace: Workspace, read: pd.DataFrame) -> pd.DataFrame:
    """The lead frame made of :func:`_read_frame` (built now or restored from its file)."""
    frame = read[[*_FRAME_NAMES, "since"]].astype({"seq": int, "investment": float})
    for column in ("company_name", "province"):
        frame[column] = pd.Series(read[column].tolist(), index=frame.index) if len(read) \
            else pd.Series([], index=frame.index, dtype=float)
    products = workspace._table("products").set_index("id")
    frame["product_name"] = frame["product"].map(products["name"])
    return frame


@reads_snapshot
def list_leads(workspace: Workspace, stage: str | list | None = None, owner: str | None = None,
          region: str | None = None, chain: str | None = None) -> pd.DataFrame:
    """The leads, filtered; columns :data:`LEAD_COLUMNS`, ordered by id.

    Parameters
    ----------
    stage
        One stage or a list (English or Chinese); ``"open"`` stands for every open
        stage (not lost, not producing).
    owner
        Only this owner's leads.
    region
        Only firms inside this region (``江苏``, ``苏州市``, ``苏浙沪`` ...).
    chain
        Only leads whose product is in this chain (id or name).

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> chainmap.list_leads(ws, stage="洽谈")["company"].tolist()
    ['xinchang-valve', 'yuhang-cloud']
    >>> chainmap.list_leads(ws, region="浙江", chain="智能家电", owner="王磊")["id"].tolist()
    ['L0001', 'L0004']
    """
    from .. import regions
    from ..analysis.common import in_regions

    frame = _frame(workspace)
    if stage is not None:
        wanted: set[str] = set()
        for s in [stage] if isinstance(stage, str) else stage:
            if str(s).strip().lower() in ("open", "进行中"):
                wanted.update(st for st in STAGE_ZH if st not in CLOSED_STAGES)
            else:
                wanted.add(parse_stage(s))
        frame = frame[frame["stage"].isin(wanted)]
    if owner:
        frame = frame[owned_by(frame["owner"], owner)]
    if region:
        places = regions.resolve_many(region)
        firms = workspace._record_columns("companies", set(frame["company"].dropna()),
                                          REGION_CODES)
        inside = set(firms.loc[in_regions(firms, places), "id"])
        frame = frame[frame["company"].isin(inside)]
    if chain:
        chain_id = workspace.chain_id(chain)
        links = workspace._table("product_chains")
        members = set(links.loc[links["chain_id"] == chain_id, "product_id"])
        frame = frame[frame["product"].isin(members)]
    return frame[LEAD_COLUMNS].reset_index(drop=True)


#: Columns of :attr:`FromGapsResult.plan`: one row per lead added (or, in a dry run,
#: that would be added).
FROM_GAPS_COLUMNS = [
    "lead",          # the new lead's id (empty in a dry run)
    "company",       # firm id
    "company_name",  # registered name
    "product",       # product id
    "product_name",  # product name
    "chain",         # chain name
    "status",        # missing (缺链) or weak (弱链)
    "why",           # the gap in words, the note the lead gets
]


@dataclass(frozen=True)
class FromGapsResult:
    """What :func:`leads_from_gaps` did (or, in a dry run, would do).

    ``added`` are the new lead ids (none in a dry run), ``skipped`` the (firm, product,
    open lead) pairs left alone, ``plan`` one row per lead added or planned
    (:data:`FROM_GAPS_COLUMNS`), ``dry_run`` whether nothing was written.
    """

    added: list[str]
    skipped: list[tuple[str, str, str]]
    plan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FROM_GAPS_COLUMNS))
    dry_run: bool = False

    def __str__(self) -> str:
        """One line: how many leads were (or would be) added and skipped."""
        if self.dry_run:
            return _("dry run: would add {added} lead(s), skip {skipped} (an open lead exists "
                     "for the firm and product)").format(added=len(self.plan),
                                                         skipped=len(self.skipped))
        return _("added {added} lead(s), skipped {skipped} (an open lead exists for the firm "
                 "and product)").format(added=len(self.added), skipped=len(self.skipped))

    def _repr_html_(self) -> str:
        """The sentence (:meth:`__str__`) and the leads added or planned, for a notebook."""
        from ..output import result_html

        plan = self.plan.drop(columns="lead") if self.dry_run else self.plan
        title = _("leads that would be added") if self.dry_run else _("leads added")
        return result_html([str(self)], {"plan": plan} if len(plan) else None,
                           titles={"plan": title})


def leads_from_gaps(workspace: Workspace, chain: str, home: str | Region | None = None,
                    top: int = 3, targets: str | list | None = None,
                    weak_threshold: int = 2, owner: str | None = None,
                    by: str | None = None, dry_run: bool = False) -> FromGapsResult:
    """Add the top ``top`` candidates of every missing or weak product as ``gap`` leads.

    Uses :func:`chainmap.gaps`; a firm and product that already have an open lead are
    skipped, never duplicated. All adds are one transaction.

    Parameters
    ----------
    workspace : Workspace
        The workspace; its store must keep leads.
    chain : str
        Chain id or name.
    home : str, Region or None
        The home zone (default: the workspace's).
    top : int
        Candidates per missing or weak product (at least 1).
    targets : str, list or None
        Regions to look for candidates in (default: the gap report's).
    weak_threshold : int
        Fewer local producers than this is weak (弱链).
    owner : str or None
        Owner of the new leads.
    by : str or None
        Who adds them (default: the current user).
    dry_run : bool
        Only plan: return what would be added in ``plan`` and write nothing.

    Returns
    -------
    FromGapsResult
        The ids added, the pairs skipped and the plan.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> preview = chainmap.leads_from_gaps(ws, "智能家电", home="当涂县", top=2, dry_run=True)
    >>> print(preview)
    dry run: would add 35 lead(s), skip 7 (an open lead exists for the firm and product)
    >>> preview.plan[["company", "product", "status"]].iloc[0].tolist()
    ['shenlian-ctrl', 'controller', 'missing']
    >>> result = chainmap.leads_from_gaps(ws, "智能家电", home="当涂县", top=2, by="王磊")
    >>> print(result)
    added 35 lead(s), skipped 7 (an open lead exists for the firm and product)
    >>> chainmap.leads_from_gaps(ws, "智能家电", home="当涂县", top=2).added
    []
    """
    from ..analysis import gaps as gap_report

    if int(top) < 1:
        raise ArgumentError(_("top= must be at least 1, not {top}").format(top=top),
                            parameter="top")
    store = pipeline_store(workspace)
    report = gap_report(workspace, chain, home=home, targets=targets,
                        weak_threshold=weak_threshold)
    report = report[report["status"].isin(["missing", "weak"])]
    chain_name = workspace._table("chains").set_index("id")["name"].get(
        workspace.chain_id(chain), chain)
    firm_names = workspace._table("companies").set_index("id")["name"]
    who = current_user(by)
    date = today().isoformat()
    added: list[str] = []
    skipped: list[tuple[str, str, str]] = []
    rows: list[dict[str, Any]] = []
    with store.transaction():
        for product, name, status, candidates in zip(report["product"], report["name"],
                                                     report["status"], report["candidates"]):
            for company in candidates[: int(top)]:
                existing = find_open_lead(store, company, product)
                if existing:
                    skipped.append((company, product, existing[0]))
                    continue
                why = (_("from the gap report: 缺链 missing link {product}") if status == "missing"
                       else _("from the gap report: 弱链 weak link {product}")).format(
                           product=name)
                lead = "" if dry_run else insert_lead(
                    store, company, product, by=who, date=date, owner=owner or None,
                    source="gap", note=why)
                if lead:
                    added.append(lead)
                rows.append({"lead": lead, "company": company,
                             "company_name": firm_names.get(company, company),
                             "product": product, "product_name": name, "chain": chain_name,
                             "status": status, "why": why})
    plan = pd.DataFrame(rows, columns=FROM_GAPS_COLUMNS)
    return FromGapsResult(added, skipped, plan, dry_run)
