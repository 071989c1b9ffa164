"""Commitments against delivery (履约): what a signed project promised and what it delivered.

A project's commitments are set on its lead with :func:`chainmap.update_lead`:
``investment`` (亿元) and, at full production, ``land`` (亩), ``output`` (亿元 a year),
``tax`` (万元 a year) and ``jobs``, with the dates by which it is to start construction
(``start_by``) and production (``produce_by``). What it delivered is recorded over
time with :func:`record_actual`, one row per date: the investment made so far
(cumulative 亿元) and the latest annual output, tax and jobs.
:func:`project_delivery` sets one against the other for every signed project.

Examples
--------
>>> import chainmap
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> for change in chainmap.update_lead(ws, "L0007", land=50, output=5, tax=1500, jobs=200,
...                                    start_by="2025-06-30", produce_by="2026-03-31"):
...     print(change)
land: (none) → 50
output: (none) → 5
tax: (none) → 1500
jobs: (none) → 200
start_by: (none) → 2025-06-30
produce_by: (none) → 2026-03-31
>>> chainmap.record_actual(ws, "L0007", date="2026-06-30", invested=1.5, output=2, jobs=150)
['invested: (none) → 1.5', 'output: (none) → 2', 'jobs: (none) → 150']
>>> d = chainmap.project_delivery(ws, as_of="2026-07-01").set_index("id")
>>> d.loc["L0007", ["investment", "invested", "invested_share", "intensity", "flags"]].to_dict()
{'investment': 2.0, 'invested': 1.5, 'invested_share': 0.75, 'intensity': 400.0, 'flags': []}
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from ..dates import parse_date
from ..errors import ArgumentError
from ..i18n import _, label, language, pgettext
from ..snapshot import reads_snapshot
from .common import current_user, now, pipeline_store, record
from .figures import UNITS, check_amount, check_count, shown
from .history import as_of_day, milestones_at, stages_at
from .leadfiles import kept_lead_files
from .leads import _frame, _require, not_before_created
from .pipeline import overdue_days

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["DELIVERY_COLUMNS", "DELIVERY_FLAGS", "FULL_OUTPUT_SHARE", "project_delivery",
           "record_actual"]

#: The flags of :func:`project_delivery`, as codes (their Chinese: 签而未动, 开工未投产,
#: 未达产, the catalogue's ``value`` labels).
DELIVERY_FLAGS = ("not_started", "not_producing", "below_output")
#: A project producing for a year with output under this share of its commitment is
#: 未达产.
FULL_OUTPUT_SHARE = 0.8
#: Columns of :func:`project_delivery`. Money in 亿元 (tax in 万元), land in 亩; the
#: ``intensity`` and ``*_per_mu`` figures in 万元 per 亩, to 0.01.
DELIVERY_COLUMNS = [
    "id",                    # the lead's id
    "company", "company_name", "product", "stage", "owner",
    "contract_date", "start_date", "production_date",
    "start_by", "produce_by",  # committed deadlines
    "investment",            # committed investment, 亿元
    "invested",              # invested so far (cumulative), 亿元
    "invested_share",        # invested / investment, to 0.001
    "land",                  # committed land, 亩
    "intensity",             # committed investment per 亩, 万元 (投资强度)
    "output", "actual_output",                # annual output at full production / latest, 亿元
    "tax", "actual_tax",                      # annual tax, 万元
    "jobs", "actual_jobs",
    "output_per_mu", "actual_output_per_mu",  # 亩均产值, 万元
    "tax_per_mu", "actual_tax_per_mu",        # 亩均税收, 万元
    "actual_date",           # the date of the latest actuals
    "flags",                 # list of DELIVERY_FLAGS
]
_SIGNED = ("signed", "started", "producing")
_FIGURES = ("invested", "output", "tax", "jobs")


def record_actual(workspace: Workspace, lead: str, date: str, *,
                  invested: float | str | None = None, output: float | str | None = None,
                  tax: float | str | None = None, jobs: int | str | None = None,
                  by: str | None = None) -> list[str]:
    """Record what the project of ``lead`` delivered by ``date``; the changes, as text.

    Parameters
    ----------
    workspace : Workspace
        A workspace whose store keeps the pipeline (the SQLite one).
    lead : str
        A signed project: a lead at ``signed``, ``started`` or ``producing``.
    date : str
        The date of the figures (``YYYY-MM-DD``).
    invested : float or None
        Investment made so far, cumulative, 亿元.
    output, tax, jobs : float, float, int or None
        The latest annual output (亿元), tax (万元) and jobs.
    by : str or None
        Who records them.

    Only the figures given are set; recording the same date again changes them.

    Returns
    -------
    list of str
        The changes (``invested: (none) → 1.5``).

    Raises
    ------
    ArgumentError
        No figure, a negative or non-finite one, or a lead that is not a signed project.
    NotFoundError
        Unknown lead.
    """
    day = parse_date(date, "date")
    if day is None:
        raise ArgumentError(_("actuals need the date of their figures (date=)"),
                            parameter="date")
    values: dict[str, object] = {}
    for name, value in (("invested", invested), ("output", output), ("tax", tax)):
        if value is not None:
            values[name] = check_amount(value, name, UNITS[name])
    if jobs is not None:
        values["jobs"] = check_count(jobs, "jobs")
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        raise ArgumentError(_("no figure to record: give invested=, output=, tax= or jobs="),
                            parameter=_FIGURES)
    store = pipeline_store(workspace)
    who = current_user(by)
    with kept_lead_files(workspace) as touched, store.transaction():
        row = _require(store, lead)
        lid = row["id"]
        not_before_created(row, day)
        if row["stage"] not in _SIGNED:
            raise ArgumentError(_("lead {lead} is at stage {stage}: actuals are for signed "
                                  "projects (signed, started, producing)")
                                .format(lead=lid, stage=row["stage"]))
        stored = store.actual(lid, day) or {}
        new = {name: stored.get(name) for name in _FIGURES}
        done = []
        for name, figure in values.items():
            if new[name] != figure:
                # in Chinese, the word for what was delivered (实际产值), not the promise
                key = name if name == "invested" else f"actual_{name}"
                done.append(_("{field}: {before} → {after}").format(
                    field=name if language() == "en" else label("column", key),
                    before=shown(new[name]),
                    after=shown(figure)))
                new[name] = figure
        if done:
            at = now()
            store.set_actual({"lead_id": lid, "date": day, **new, "at": at, "by": who})
            record(store, who, "lead", lid, "actual",
                   _("actuals on {day}: {changes}").format(
                       day=day, changes=pgettext("word", "; ").join(done)), lead=lid, at=at)
        touched()  # no lead, move or firm changed
    return done


def _latest(actuals: pd.DataFrame, column: str) -> pd.Series:
    """Per lead, the latest non-empty ``column`` of the actuals (ordered by date)."""
    known = actuals[actuals[column].notna()]
    return known.groupby("lead_id")[column].last()


def _per_mu(amount: pd.Series, land: pd.Series, scale: float) -> pd.Series:
    """``amount`` × ``scale`` per 亩 of ``land``, to 0.01 (empty where either is missing)."""
    return (amount * scale / land.where(land > 0)).astype("float64").round(2)


@reads_snapshot
def project_delivery(workspace: Workspace, as_of: str | None = None) -> pd.DataFrame:
    """Every signed project's commitments against what it delivered by ``as_of``.

    Parameters
    ----------
    workspace : Workspace
        The workspace (any store that keeps the pipeline).
    as_of : str or None
        The day (default today): the projects at signed, started or producing then,
        with their actuals dated up to it.

    Returns
    -------
    DataFrame
        Columns :data:`DELIVERY_COLUMNS`, by lead id. ``invested_share`` = invested /
        committed investment; ``intensity`` = committed investment in 万元 per 亩;
        output and tax per 亩 committed and actual (万元). ``flags`` lists
        ``not_started`` (签而未动: still signed after ``start_by``; without one,
        after the contract date plus :func:`chainmap.overdue_days`), ``not_producing``
        (开工未投产: started, not producing after ``produce_by``) and ``below_output``
        (未达产: producing for a year or more with the latest annual output, or none
        recorded, under 80% of the committed output).

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> _ = chainmap.update_lead(ws, "L0003", start_by="2026-06-30")
    >>> chainmap.project_delivery(ws, as_of="2026-08-01")[["id", "stage", "flags"]]
          id      stage            flags
    0  L0003     signed  [not_started]
    1  L0005    started               []
    2  L0007  producing               []
    """
    day = as_of_day(as_of)
    stages = stages_at(workspace, day)
    # the lead frame (kept per revision, with its firms' names), by number
    leads = _frame(workspace).set_index("id")
    by_seq = leads.index
    signed = by_seq[by_seq.map(stages["stage"]).isin(_SIGNED)]
    frame = pd.DataFrame({"id": list(signed)}, dtype=object)
    frame["company"] = frame["id"].map(leads["company"])
    frame["company_name"] = frame["id"].map(leads["company_name"])
    frame["product"] = frame["id"].map(leads["product"])
    frame["stage"] = frame["id"].map(stages["stage"])
    frame["owner"] = frame["id"].map(leads["owner"])
    dates = milestones_at(workspace, day)
    contract = frame["id"].map(leads["contract_date"])
    signed_on = dates["signed"].to_dict()
    frame["contract_date"] = [c if isinstance(c, str) and c else signed_on.get(i)
                              for i, c in zip(frame["id"], contract)]
    frame["start_date"] = frame["id"].map(dates["started"])
    frame["production_date"] = frame["id"].map(dates["producing"])
    promised = workspace._table("commitments").set_index("id")
    for column in ("start_by", "produce_by"):
        frame[column] = frame["id"].map(promised[column])
    frame = frame.astype(object).where(frame.notna(), None)

    def number(series: pd.Series) -> pd.Series:
        return pd.to_numeric(series, errors="coerce").astype("float64")

    frame["investment"] = number(frame["id"].map(leads["investment"]))
    actuals = workspace._table("actuals")
    actuals = actuals[actuals["date"].astype(str) <= day].sort_values(["date", "id"])
    frame["invested"] = number(frame["id"].map(_latest(actuals, "invested")))
    frame["invested_share"] = (frame["invested"]
                               / frame["investment"].where(frame["investment"] > 0)).round(3)
    frame["land"] = number(frame["id"].map(promised["land"]))
    frame["intensity"] = _per_mu(frame["investment"], frame["land"], 10_000)
    for name in ("output", "tax", "jobs"):
        frame[name] = number(frame["id"].map(promised[name]))
        frame[f"actual_{name}"] = number(frame["id"].map(_latest(actuals, name)))
    for name, scale in (("output", 10_000), ("tax", 1)):
        frame[f"{name}_per_mu"] = _per_mu(frame[name], frame["land"], scale)
        frame[f"actual_{name}_per_mu"] = _per_mu(frame[f"actual_{name}"], frame["land"], scale)
    last = actuals.groupby("lead_id")["date"].max()
    frame["actual_date"] = frame["id"].map(last).astype(object)
    frame["actual_date"] = frame["actual_date"].where(frame["actual_date"].notna(), None)
    limit = overdue_days(workspace)
    frame["flags"] = [_flags(dict(zip(_FLAG_INPUTS, values, strict=True)), day, limit)
                      for values in zip(*(frame[c].tolist() for c in _FLAG_INPUTS),
                                        strict=True)]
    for column in ("jobs", "actual_jobs"):
        frame[column] = frame[column].astype("Int64")
    return frame[DELIVERY_COLUMNS].reset_index(drop=True)


#: The columns :func:`_flags` reads of a project's row.
_FLAG_INPUTS = ("start_by", "contract_date", "stage", "produce_by", "production_date",
                "output", "actual_output")


def _flags(row: dict, day: str, overdue: int) -> list[str]:
    """The :data:`DELIVERY_FLAGS` of one project on ``day``."""
    flags = []
    start_by = row["start_by"]
    if not start_by and row["contract_date"]:
        start_by = (dt.date.fromisoformat(row["contract_date"])
                    + dt.timedelta(days=overdue)).isoformat()
    if row["stage"] == "signed" and start_by and day > start_by:
        flags.append("not_started")
    if row["stage"] == "started" and row["produce_by"] and day > row["produce_by"]:
        flags.append("not_producing")
    produced = row["production_date"]
    output = row["output"]
    if (row["stage"] == "producing" and produced and output == output and output
            and (dt.date.fromisoformat(day) - dt.date.fromisoformat(produced)).days >= 365):
        actual = row["actual_output"]
        # as a share, rounded: 6.4 of 8 is 80%, although 0.8 * 8 > 6.4 in floating point
        if actual != actual or round(actual / output, 9) < FULL_OUTPUT_SHARE:
            flags.append("below_output")
    return flags
