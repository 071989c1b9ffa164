"""What the lead-pipeline modules share: stages, sources, ids, dates, who, the audit row.

Stages (English or Chinese) in pipeline order, then the terminal ``lost``:

>>> " → ".join(STAGE_ZH[s] for s in PIPELINE_STAGES)
'线索 → 接洽 → 考察 → 洽谈 → 签约 → 开工 → 投产'
>>> parse_stage("洽谈"), parse_stage(" Signed "), parse_stage("已签约"), parse_stage("洽谈中")
('negotiating', 'signed', 'signed', 'negotiating')
>>> lead_id("7"), lead_id("l12"), lead_id("L0003")
('L0007', 'L0012', 'L0003')

Dates are parsed by :func:`chainmap.dates.parse_date`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from typing import TYPE_CHECKING

from ..dates import parse_date
from ..errors import ArgumentError, NotFoundError, WorkspaceError
from ..i18n import N_, _, join
from ..labels import STAGE_ZH, STAGES
from ..names import person_name

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store
    from ..workspace import Workspace

__all__ = ["ACTIVITY_KINDS", "CLOSED_STAGES", "DEFAULT_OVERDUE_DAYS", "KIND_WORDS", "KIND_ZH",
           "MAX_ID_DIGITS", "OPEN_STAGES",
           "PIPELINE_STAGES", "SOURCES", "STAGES", "STAGE_ZH", "current_user", "followup_id",
           "lead_id", "now", "owned_by", "parse_investment", "parse_kind", "parse_source",
           "parse_stage", "pipeline_store", "record", "today", "whole_days"]

#: The ordered stages a lead moves through (all but ``lost``).
PIPELINE_STAGES = STAGES[:-1]
#: A lead is *open* unless it is lost (终止) or producing (投产): nothing more to win.
CLOSED_STAGES = ("producing", "lost")
OPEN_STAGES = tuple(s for s in STAGES if s not in CLOSED_STAGES)

#: Where a lead came from (Chinese forms accepted too).
SOURCES = ("gap", "referral", "event", "other")
_SOURCE_ALIASES = {"缺链": "gap", "缺链分析": "gap", "补链": "gap", "产业链": "gap",
                   "以商招商": "referral", "推荐": "referral", "介绍": "referral",
                   "活动": "event", "展会": "event", "会议": "event", "其他": "other",
                   "其它": "other"}
#: Kinds of activity (拜访, 电话, 会谈, 邮件, 活动 accepted too).
ACTIVITY_KINDS = ("visit", "call", "meeting", "email", "event")
#: The Chinese word of each kind (what the Chinese reports show), named in the refusal.
KIND_ZH = {"visit": "拜访", "call": "电话", "meeting": "会谈", "email": "邮件", "event": "活动"}
#: The words a 招商 office writes for each kind in a work log (走访, 推介会 ...).
_KIND_ALIASES = {
    **{zh: kind for kind, zh in KIND_ZH.items()},
    "走访": "visit", "上门拜访": "visit", "实地考察": "visit", "考察": "visit", "来访": "visit",
    "接待": "visit", "调研": "visit",
    "电话沟通": "call", "打电话": "call", "通话": "call", "电联": "call",
    "会议": "meeting", "座谈": "meeting", "座谈会": "meeting", "面谈": "meeting",
    "洽谈": "meeting", "洽谈会": "meeting", "视频会议": "meeting", "会见": "meeting",
    "电子邮件": "email", "e-mail": "email",
    "推介会": "event", "招商推介会": "event", "招商会": "event", "展会": "event",
    "博览会": "event", "论坛": "event", "峰会": "event"}
#: The Chinese words :func:`parse_kind` takes for each kind, its :data:`KIND_ZH` first
#: (what ``leads log --kind`` lists in its help).
KIND_WORDS = {kind: tuple(word for word, named in _KIND_ALIASES.items()
                          if named == kind and not word.isascii())
              for kind in ACTIVITY_KINDS}
#: A signed project not started within this many days is overdue (签而未动), unless
#: ``chainmap config overdue-days`` says otherwise (:func:`chainmap.crm.overdue_days`).
DEFAULT_OVERDUE_DAYS = 180

#: Record numbers (lead, follow-up, activity) have at most this many digits.
MAX_ID_DIGITS = 9


def _choice(value: str, names: tuple[str, ...], aliases: dict[str, str], message: str) -> str:
    key = str(value).strip().lower()
    if key in names:
        return key
    if key in aliases:
        return aliases[key]
    raise ArgumentError(_(message).format(value=value, choices=join(names)))


def parse_stage(value: str) -> str:
    """The stage ``value`` names, in English or Chinese (``'签约'`` -> ``'signed'``)."""
    zh = {v: k for k, v in STAGE_ZH.items()}
    zh.update({"放弃": "lost", "接触": "contacted", "开工建设": "started", "在谈": "negotiating"})
    key = str(value).strip().lower()
    if key in STAGES:
        return key
    if key in zh:
        return zh[key]
    # as a progress sheet writes it: 已签约, 已开工, 洽谈中
    bare = key.removeprefix("已").removesuffix("中")
    if bare != key and bare in zh:
        return zh[bare]
    known = join(f"{s}/{STAGE_ZH[s]}" for s in STAGES)
    raise ArgumentError(_("unknown stage '{value}'; stages: {stages}").format(value=value,
                                                                               stages=known))


def parse_source(value: str | None) -> str:
    """A lead source (``gap``, ``referral``, ``event``, ``other``); blank is ``other``."""
    if value is None or not str(value).strip():
        return "other"
    return _choice(value, SOURCES, _SOURCE_ALIASES,
                   N_("unknown source '{value}'; use one of {choices}"))


#: Units an amount of investment may be written with, and what one is worth in 亿元.
_YI_UNITS = (("亿元", 1.0), ("亿", 1.0), ("万元", 1e-4), ("万", 1e-4))


def parse_investment(value: object) -> float:
    """An amount of 亿元 as typed: ``15``, ``１５``, ``3.5亿``, ``3.5亿元``, ``5000万``.

    Full-width digits, spaces and thousands separators are allowed; 万 and 万元 are
    converted (5000万 is 0.5 亿元). Negative, infinite and NaN amounts are returned for
    the caller to refuse, with its own words.

    Raises
    ------
    ValueError
        For a text that is no amount (``12美元``, ``很多``).

    Examples
    --------
    >>> parse_investment("3.5亿"), parse_investment("１５"), parse_investment("5,000万元")
    (3.5, 15.0, 0.5)
    """
    import unicodedata

    text = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", str(value)))
    for unit, worth in _YI_UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            return round(float(text[:-len(unit)]) * worth, 8)
    return float(text)


def parse_kind(value: str) -> str:
    """An activity kind (``visit``, ``call``, ``meeting``, ``email``, ``event``).

    In English or in the words of a 招商 office's work log: 拜访, 走访, 上门拜访, 来访
    (visit); 电话, 电话沟通 (call); 会谈, 会议, 座谈会, 洽谈 (meeting); 邮件 (email);
    活动, 推介会, 招商会, 展会 (event).

    >>> parse_kind("走访"), parse_kind("推介会"), parse_kind("座谈会"), parse_kind(" Call ")
    ('visit', 'event', 'meeting', 'call')
    """
    try:
        return _choice(value, ACTIVITY_KINDS, _KIND_ALIASES, "")
    except ArgumentError:
        choices = join(f"{kind}/{KIND_ZH[kind]}" for kind in ACTIVITY_KINDS)
        raise ArgumentError(_("unknown activity kind '{value}'; use one of {choices}")
                            .format(value=value, choices=choices)) from None


def today(value: str | dt.date | None = None) -> dt.date:
    """``value`` as a date, or today's date."""
    if value is None:
        return dt.date.today()
    return dt.date.fromisoformat(parse_date(value, "today"))


def now() -> str:
    """The current local time as an ISO timestamp (seconds)."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def current_user(by: str | None = None) -> str:
    """Who makes a change: ``by``, else ``$CHAINMAP_USER``, else the OS user name."""
    if by and str(by).strip():
        return str(by).strip()
    env = os.environ.get("CHAINMAP_USER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (containers)
        return "unknown"


#: The messages of a record number that is no id, or names no record, by prefix.
_NOT_AN_ID = {"L": N_("'{value}' is not a lead id (like L0001 or L1)"),
              "F": N_("'{value}' is not a follow-up id (like F0001 or F1)"),
              "R": N_("'{value}' is not a request id (like R0001 or R1)")}
_UNKNOWN_ID = {"L": N_("unknown lead '{lead}'"), "F": N_("unknown follow-up '{followup}'"),
               "R": N_("unknown request '{request}'")}


def _numbered(value: str, prefix: str) -> str:
    text = str(value).strip().upper()
    m = re.fullmatch(prefix + r"?0*(\d+)", text)
    if not m or int(m.group(1)) == 0:
        raise ArgumentError(_(_NOT_AN_ID[prefix]).format(value=value))
    if len(m.group(1)) > MAX_ID_DIGITS:  # no such record; and too big for an SQLite integer
        raise NotFoundError(_(_UNKNOWN_ID[prefix]).format(lead=value, followup=value,
                                                          request=value))
    return f"{prefix}{int(m.group(1)):04d}"


def lead_id(value: str | int) -> str:
    """The canonical lead id: ``L`` and four or more digits (``'7'`` -> ``'L0007'``)."""
    return _numbered(str(value), "L")


def followup_id(value: str | int) -> int:
    """The number of a follow-up id (``'F0003'``, ``'f3'`` or ``'3'`` -> ``3``)."""
    return int(_numbered(str(value), "F")[1:])


def pipeline_store(workspace: Workspace) -> Store:
    """The store of ``workspace``, if lead-pipeline writes can go there.

    Parameters
    ----------
    workspace
        An open workspace.

    Returns
    -------
    Store
        Its store, which is :attr:`~chainmap.store.Store.writable` and keeps leads.

    Raises
    ------
    WorkspaceError
        When it cannot take them (the Neo4j store: write in the SQLite workspace, then
        push).
    """
    store = workspace.store
    if not (store.writable and store.keeps_leads):
        if store.keeps_leads:  # Neo4j: reads a pushed pipeline, takes no write
            from ..store.base import pushed_pipeline_error

            raise pushed_pipeline_error(workspace.location)  # as the store's own refusal
        raise WorkspaceError(_("the lead pipeline needs the embedded SQLite workspace; "
                               "{location} does not keep leads").format(
                                   location=workspace.location))
    return store


def record(store: Store, by: str, entity: str, entity_id: str, action: str,
           detail: str, lead: str | None = None, at: str | None = None) -> None:
    """Add one row to the audit log (inside the caller's transaction, if one is open).

    Parameters
    ----------
    store
        The workspace's store.
    by, entity, entity_id, action, detail
        Who changed what (``lead`` / ``followup`` / ``firm`` and its id), how, in words.
    lead
        The lead the change is about, if any.
    at
        When (default: now).
    """
    store.audit({"at": at or now(), "by": by, "entity": entity, "entity_id": entity_id,
                 "lead_id": lead, "action": action, "detail": detail})


def owned_by(owners: pd.Series, owner: str) -> pd.Series:
    """Which of ``owners`` (a column of owner names) are ``owner``.

    Compared by :func:`chainmap.names.person_name`: ``王 磊`` is ``王磊`` (also for names
    stored before owners were stored so).
    """
    keys = {v: person_name(v) for v in owners.dropna().unique()}
    return owners.map(keys).fillna("") == person_name(owner)


def whole_days(days: int | str) -> int:
    """``days`` as a time limit: a whole number of days, at least 1 (``"120"`` too).

    The one rule of the limits a workspace keeps (``config stage-limit``, ``config
    overdue-days``): 0 days would put every lead or project there past its limit on
    the day it arrived; ``--unset`` brings back the default.

    >>> whole_days("120"), whole_days(30)
    (120, 30)
    >>> whole_days(0)
    Traceback (most recent call last):
    ...
    chainmap.errors.ArgumentError: days= must be a whole number of days ≥ 1, not '0'
    """
    try:
        whole = float(days)
    except (TypeError, ValueError):
        whole = float("nan")
    if not whole == whole or whole < 1 or not whole.is_integer():
        raise ArgumentError(_("days= must be a whole number of days ≥ 1, not '{days}'")
                            .format(days=days), parameter="days")
    return int(whole)
