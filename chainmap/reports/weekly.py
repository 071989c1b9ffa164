"""The weekly report (招商周报): what happened in the pipeline in a period.

New leads, stage moves, activities, projects signed / started / producing (with their
亿元), overdue follow-ups and 签而未动, each counted by owner and by chain, after a
one-row-per-measure summary. Dates come from the pipeline's own records
(``leads.created``, ``lead_events.date``, ``activities.date``, ``followups.due``), not
from when they were typed in (the audit time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

from ..crm.activities import followups_due
from ..crm.common import ACTIVITY_KINDS
from ..crm.common import today as _today
from ..crm.leads import _frame
from ..crm.pipeline import overdue_projects
from ..dates import parse_date
from ..errors import ArgumentError
from ..i18n import _, label
from ..names import person_name
from ..snapshot import reads_snapshot
from ..workspace import in_period

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["WEEKLY_MEASURES", "WeeklyReport", "weekly_report"]

#: The summary's measures, in order: code (the ``measure`` column) -> Chinese name (the
#: ``measure`` labels of the message catalogue, the same words as the ``column`` labels of
#: ``by_owner`` and ``by_chain``: 签约项目数, 签约金额(亿元) ...).
WEEKLY_MEASURES = {m: label("measure", m, "zh") for m in (
    "new_leads", "stage_moves", "activities", "signed", "started", "producing",
    "signed_investment", "overdue_followups", "signed_not_started")}
#: The counts of ``by_owner`` and ``by_chain``, after the owner or chain columns.
_TALLY = ["new_leads", "stage_moves", "activities", "signed", "started", "producing",
          "signed_investment", "started_investment", "producing_investment",
          "overdue_followups", "signed_not_started"]
_MILESTONES = ("signed", "started", "producing")
_NONE = "(none)"


@dataclass(frozen=True)
class WeeklyReport:
    """The weekly report of :func:`weekly_report`: the period and one DataFrame per table.

    Attributes
    ----------
    start, end : str
        The period, ISO dates, both days included.
    summary : DataFrame
        ``measure`` (code), ``measure_zh``, ``value``, ``start``, ``end``: one row per
        measure of :data:`WEEKLY_MEASURES`, in that order.
    by_owner : DataFrame
        ``owner`` then the counts ``new_leads``, ``stage_moves``, ``activities``,
        ``signed``, ``started``, ``producing``, ``signed_investment``,
        ``started_investment``, ``producing_investment`` (亿元), ``overdue_followups``,
        ``signed_not_started``; one row per owner with anything to count (``(none)``
        for leads without one), by name.
    by_chain : DataFrame
        ``chain``, ``chain_name`` and the same counts, by the chain of the lead's product
        (a product in two chains counts in both; ``(none)`` for no product).
    new_leads : DataFrame
        ``id``, ``company``, ``company_name``, ``product``, ``product_name``,
        ``chain_name``, ``owner``, ``investment``, ``source``, ``stage`` (now),
        ``created``: the leads created in the period.
    stage_moves : DataFrame
        ``lead``, ``company_name``, ``chain_name``, ``owner``, ``from_stage``,
        ``to_stage``, ``date``, ``investment``, ``note``: the moves dated in the period
        (a lead's creation is not a move).
    activities : DataFrame
        ``id``, ``lead``, ``company_name``, ``chain_name``, ``owner``, ``kind``,
        ``date``, ``note``, ``by``: the activities dated in the period.
    activity_kinds : DataFrame
        ``kind``, ``activities``: the period's activities by kind (every kind listed).
    deals : DataFrame
        ``lead``, ``company_name``, ``product_name``, ``chain_name``, ``owner``,
        ``stage`` (signed, started or producing), ``date``, ``investment``: the leads
        that moved into those stages in the period (once per lead and stage, the
        latest move).
    overdue_followups : DataFrame
        ``id``, ``lead``, ``company_name``, ``chain_name``, ``owner``, ``due``,
        ``days_overdue``, ``note``: follow-ups not done and due before the period's
        end (:func:`chainmap.followups_due` at ``end``).
    signed_not_started : DataFrame
        ``id``, ``company_name``, ``product``, ``chain_name``, ``owner``,
        ``investment``, ``contract_date``, ``days_to_start``: the 签而未动 projects
        at the period's end (:func:`chainmap.overdue_projects` at ``end``).
    """

    start: str
    end: str
    summary: pd.DataFrame
    by_owner: pd.DataFrame
    by_chain: pd.DataFrame
    new_leads: pd.DataFrame
    stage_moves: pd.DataFrame
    activities: pd.DataFrame
    activity_kinds: pd.DataFrame
    deals: pd.DataFrame
    overdue_followups: pd.DataFrame
    signed_not_started: pd.DataFrame

    @property
    def heading(self) -> str:
        """The report's title and period, in the current language."""
        return _("Weekly report (招商周报) {start} – {end}").format(start=self.start,
                                                                    end=self.end)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in report order (``summary`` first)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("start", "end")}

    def __str__(self) -> str:
        """The period, then every table in report order, each under its name."""
        from ..output import render

        return "\n\n".join([self.heading] +
                           [f"[{name}]\n{render(frame, 'table')}"
                            for name, frame in self.sheets().items()])

    def _repr_html_(self) -> str:
        """The heading, then every table as ``chainmap report weekly`` shows it."""
        from ..i18n import language
        from ..output import report_html

        lang = language()
        return report_html(self.sheets(), lang, heading=self.heading,
                           titles=self.titles(lang))

    def titles(self, lang: str) -> dict[str, str]:
        """The tables' titles in ``lang``: their ``sheet`` labels.

        汇总, 新增线索; ``Summary``, ``New leads`` (the summary's is ``overview``:
        ``summary`` is the anchor report's 链主概况).
        """
        from ..i18n import label

        return {name: label("sheet", "overview" if name == "summary" else name, lang)
                for name in self.sheets()}


def _period(start: str | dt.date | None, end: str | dt.date | None,
            as_of: str | dt.date | None) -> tuple[str, str]:
    """The period's first and last day.

    ``end`` defaults to ``as_of`` (today), ``start`` to six days before ``end``.
    """
    last = parse_date(end, "end") or _today(parse_date(as_of, "as_of")).isoformat()
    first = parse_date(start, "start") or \
        (dt.date.fromisoformat(last) - dt.timedelta(days=6)).isoformat()
    if first > last:
        raise ArgumentError(_("start= ({start}) is after end= ({end})").format(
            start=first, end=last), parameter=("start", "end"))
    return first, last


def _lead_chains(workspace: Workspace, leads: pd.DataFrame) -> pd.DataFrame:
    """``lead``, ``chain``: one row per chain of each lead's product (``(none)``)."""
    links = workspace._table("product_chains")[["product_id", "chain_id"]]
    pairs = leads[["id", "product"]].merge(links, left_on="product", right_on="product_id",
                                           how="left")
    return pd.DataFrame({"lead": pairs["id"].tolist(),
                         "chain": pairs["chain_id"].fillna(_NONE).tolist()}, dtype=object)


@reads_snapshot
def weekly_report(workspace: Workspace, *, start: str | dt.date | None = None,
                  end: str | dt.date | None = None, as_of: str | dt.date | None = None,
                  days: int | None = None) -> WeeklyReport:
    """The weekly report (招商周报) of the period ``start`` to ``end``, both included.

    Parameters
    ----------
    workspace : Workspace
        A workspace that keeps leads (SQLite, or a Neo4j store with a pushed pipeline).
    start, end : str or date, optional
        The period's first and last day (``YYYY-MM-DD``). ``end`` defaults to ``as_of``;
        ``start`` to six days before ``end`` (seven days in all).
    as_of : str or date, optional
        The day the report is made (default today): the default ``end``.
    days : int, optional
        签而未动 after this many days (default: :func:`chainmap.overdue_days`).

    Returns
    -------
    WeeklyReport
        The period and its tables (see :class:`WeeklyReport` for the columns):
        ``summary`` first, then ``by_owner``, ``by_chain`` and the rows behind them.
        Signed, started and producing count the leads that moved into those stages on
        a day of the period, with their investment (亿元); overdue follow-ups and
        签而未动 are counted as at ``end``.

    Raises
    ------
    ArgumentError
        A date that is not ``YYYY-MM-DD``, or ``start`` after ``end``.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> week = chainmap.weekly_report(ws, start="2026-01-01", end="2026-03-31")
    >>> week.start, week.end
    ('2026-01-01', '2026-03-31')
    >>> week.summary[["measure_zh", "value"]]
      measure_zh value
    0       新增线索     6
    1       阶段推进     0
    2       走访活动     0
    3      签约项目数     1
    4      开工项目数     1
    5      投产项目数     1
    6   签约金额(亿元)  28.0
    7       逾期跟进     0
    8       签而未动     0
    >>> week.by_owner[["owner", "new_leads", "signed", "signed_investment"]]
      owner  new_leads  signed  signed_investment
    0    张超          2       1               28.0
    1    李娜          2       0                0.0
    2    王磊          2       0                0.0
    >>> week.deals[["lead", "owner", "stage", "date", "investment"]]
        lead owner      stage        date  investment
    0  L0003    张超     signed  2026-01-15        28.0
    1  L0005    李娜    started  2026-02-10         8.0
    2  L0007    张超  producing  2026-01-08         2.0
    """
    first, last = _period(start, end, as_of)
    leads = _frame(workspace)
    chains = _lead_chains(workspace, leads)
    chain_names = workspace._table("chains").set_index("id")["name"]
    named = chains.assign(name=chains["chain"].map(chain_names)).dropna(subset=["name"])
    # each lead's chain names joined with 、 (a sum of texts: no Python call per lead)
    names = (named["name"] + "、").groupby(named["lead"], sort=False).sum().str[:-1] \
        if len(named) else pd.Series(dtype=object)
    info = leads.set_index("id")
    info = info.assign(chain_name=info.index.map(names).fillna(""))

    def about(frame: pd.DataFrame, key: str, cols: list[str]) -> pd.DataFrame:
        """``frame`` with the columns ``cols`` of each row's lead (``frame[key]``)."""
        out = frame.copy()
        for col in cols:
            out[col] = out[key].map(info[col]).tolist()
        return out

    # new leads
    new = leads[in_period(leads["created"], first, last)]
    new = about(new, "id", ["chain_name"])[
        ["id", "company", "company_name", "product", "product_name", "chain_name", "owner",
         "investment", "source", "stage", "created"]].reset_index(drop=True)

    # stage moves (and, from the same rows, the milestones)
    events = workspace._rows_between("lead_events", "date", first, last).sort_values("id")
    moves = events[events["from_stage"].notna()]
    moves = about(moves.rename(columns={"lead_id": "lead"}), "lead",
                  ["company_name", "chain_name", "owner", "investment"])[
        ["lead", "company_name", "chain_name", "owner", "from_stage", "to_stage", "date",
         "investment", "note"]].reset_index(drop=True)
    deals = events[events["to_stage"].isin(_MILESTONES)] \
        .drop_duplicates(["lead_id", "to_stage"], keep="last") \
        .rename(columns={"lead_id": "lead", "to_stage": "stage"})
    deals = about(deals, "lead",
                  ["company_name", "product_name", "chain_name", "owner", "investment"])
    deals = deals.assign(order=deals["stage"].map(_MILESTONES.index)) \
        .sort_values(["order", "date", "lead"], kind="mergesort")[
        ["lead", "company_name", "product_name", "chain_name", "owner", "stage", "date",
         "investment"]].reset_index(drop=True)

    # activities
    acts = workspace._rows_between("activities", "date", first, last).sort_values("id") \
        .rename(columns={"lead_id": "lead"})
    acts = acts.assign(id=[f"A{int(i):04d}" for i in acts["id"]])
    acts = about(acts, "lead", ["company_name", "chain_name", "owner"])[
        ["id", "lead", "company_name", "chain_name", "owner", "kind", "date", "note", "by"]
    ].reset_index(drop=True)
    counts = acts["kind"].value_counts()
    kinds = pd.DataFrame({"kind": list(ACTIVITY_KINDS)})
    kinds["activities"] = kinds["kind"].map(counts).fillna(0).astype(int)

    # as at the period's end
    due = followups_due(workspace, overdue=True, today=last)
    due = about(due, "lead", ["chain_name"])[
        ["id", "lead", "company_name", "chain_name", "owner", "due", "days_overdue", "note"]]
    idle = overdue_projects(workspace, days=days, today=last)
    idle = about(idle, "id", ["chain_name"])[
        ["id", "company_name", "product", "chain_name", "owner", "investment",
         "contract_date", "days_to_start"]]

    # one row per thing counted: lead, measure, amount
    facts = pd.concat([
        pd.DataFrame({"lead": new["id"], "measure": "new_leads"}),
        pd.DataFrame({"lead": moves["lead"], "measure": "stage_moves"}),
        pd.DataFrame({"lead": acts["lead"], "measure": "activities"}),
        pd.DataFrame({"lead": deals["lead"], "measure": deals["stage"]}),
        pd.DataFrame({"lead": deals["lead"], "measure": deals["stage"] + "_investment",
                      "amount": deals["investment"].fillna(0.0)}),
        pd.DataFrame({"lead": due["lead"], "measure": "overdue_followups"}),
        pd.DataFrame({"lead": idle["id"], "measure": "signed_not_started"}),
    ], ignore_index=True)
    facts["amount"] = facts["amount"].fillna(1.0)
    facts["lead"] = facts["lead"].astype(object)

    def tally(frame: pd.DataFrame, key: str) -> pd.DataFrame:
        table = frame.pivot_table(index=key, columns="measure", values="amount",
                                  aggfunc="sum", fill_value=0.0) if len(frame) else \
            pd.DataFrame(index=pd.Index([], name=key))
        table = table.reindex(columns=_TALLY, fill_value=0.0)
        table.columns.name = None
        order = sorted(k for k in table.index if k != _NONE) + \
            [k for k in table.index if k == _NONE]
        table = table.reindex(order).reset_index()
        for col in _TALLY:
            table[col] = table[col].astype(float if col.endswith("_investment") else int)
        return table

    owners = facts["lead"].map(info["owner"])
    named = {v: person_name(v) or _NONE for v in owners.dropna().unique()}  # 王 磊 is 王磊
    by_owner = tally(facts.assign(owner=owners.map(named).fillna(_NONE)), "owner")
    by_chain = tally(facts.merge(chains, on="lead"), "chain")
    by_chain.insert(1, "chain_name", by_chain["chain"].map(chain_names).fillna("").tolist())

    totals = facts.groupby("measure")["amount"].sum()
    summary = pd.DataFrame({"measure": list(WEEKLY_MEASURES),
                            "measure_zh": list(WEEKLY_MEASURES.values())})
    summary["value"] = pd.Series([float(totals.get(m, 0.0)) if m.endswith("_investment")
                                  else int(totals.get(m, 0)) for m in WEEKLY_MEASURES],
                                 dtype=object)
    summary["start"], summary["end"] = first, last
    return WeeklyReport(first, last, summary, by_owner, by_chain, new, moves, acts, kinds,
                        deals, due.reset_index(drop=True), idle.reset_index(drop=True))
