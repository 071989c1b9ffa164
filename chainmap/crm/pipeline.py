"""The pipeline report (招商项目进度).

Stages, regions, chains, owners, conversion, and the signed projects (签约项目) with
their 签而未动 flags.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..i18n import _, label
from ..names import person_name
from ..snapshot import reads_snapshot
from .common import DEFAULT_OVERDUE_DAYS, PIPELINE_STAGES, STAGE_ZH, STAGES, whole_days
from .history import furthest_stages, latest_moves_to, stage_stays
from .leads import _frame

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["DEFAULT_OVERDUE_DAYS", "PROJECT_COLUMNS", "Pipeline", "overdue_days",
           "overdue_projects", "pipeline", "set_overdue_days", "signed_projects"]

#: Columns of :func:`signed_projects`.
PROJECT_COLUMNS = ["id", "company", "company_name", "product", "stage", "owner", "investment",
                   "contract_date", "start_date", "production_date", "days_to_start",
                   "overdue"]
_SIGNED = ("signed", "started", "producing")
_TARGET_PROVINCES = {"上海市": "上海", "江苏省": "江苏", "浙江省": "浙江"}


def overdue_days(workspace: Workspace, days: int | None = None) -> int:
    """The days after which a signed project not started is overdue.

    ``days``, else the workspace setting ``overdue_days`` (``chainmap config
    overdue-days``), else :data:`DEFAULT_OVERDUE_DAYS` (180).
    """
    if days is not None:
        if int(days) < 0:
            raise ArgumentError(_("days= must be 0 or more, not {days}").format(days=days),
                                parameter="days")
        return int(days)
    configured = workspace.store.get_config("overdue_days")
    return int(configured) if configured else DEFAULT_OVERDUE_DAYS


def set_overdue_days(workspace: Workspace, days: int | str | None) -> int:
    """Set (or, with ``None``, forget) the workspace setting read by :func:`overdue_days`.

    Parameters
    ----------
    workspace : Workspace
        The workspace to change.
    days : int, str or None
        Signed but not started after this many days is overdue: whole days, at least 1
        (``"120"`` too), as every limit (:func:`chainmap.set_stage_limit`; the signed
        stage's limit follows this one); ``None`` means :data:`DEFAULT_OVERDUE_DAYS`
        again.

    Returns
    -------
    int
        The setting now in force, as :func:`overdue_days` reads it.

    Raises
    ------
    ArgumentError
        ``days`` below 1 or not whole: 0 would make every signed project overdue (签而未动)
        the day after signing, and red in supervision.
    """
    limit = None if days is None else whole_days(days)
    workspace.store.set_config("overdue_days", None if limit is None else str(limit))
    return overdue_days(workspace)


@reads_snapshot
def signed_projects(workspace: Workspace, days: int | None = None,
                    today: str | None = None) -> pd.DataFrame:
    """Leads at ``signed``, ``started`` or ``producing``: columns :data:`PROJECT_COLUMNS`.

    The contract date is the one set with :func:`chainmap.update_lead`, else the date
    of the latest move to ``signed``; start and production dates come from the moves
    to ``started`` and ``producing``. ``days_to_start`` counts from contract to start
    (or to ``today`` while not started); ``overdue`` flags a project still at
    ``signed`` more than ``days`` days after its contract (签而未动; see
    :func:`overdue_days`).

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> p = chainmap.signed_projects(ws, today="2026-08-01")
    >>> p[["id", "stage", "contract_date", "days_to_start", "overdue"]]
          id      stage contract_date  days_to_start  overdue
    0  L0003     signed    2026-01-15          198.0     True
    1  L0005    started          None            NaN    False
    2  L0007  producing          None            NaN    False
    """
    from .common import today as _today

    limit = overdue_days(workspace, days)
    day = pd.Timestamp(_today(today))
    frame = _frame(workspace)
    frame = frame[frame["stage"].isin(_SIGNED)].copy()
    moves = latest_moves_to(workspace, _SIGNED, leads=tuple(frame["id"]))
    # each lead's date of its latest move to signed, started, producing
    rows = list(zip(moves["lead_id"].tolist(), moves["to_stage"].tolist(),
                    moves["date"].tolist(), strict=True))
    signed, started, producing = ({i: d for i, s, d in rows if s == stage}
                                  for stage in _SIGNED)
    frame["contract_date"] = [c if isinstance(c, str) and c else signed.get(i)
                              for i, c in zip(frame["id"], frame["contract_date"])]
    frame["start_date"] = [started.get(i) for i in frame["id"]]
    frame["production_date"] = [producing.get(i) for i in frame["id"]]
    contract = pd.to_datetime(frame["contract_date"])
    until = pd.to_datetime(frame["start_date"]).fillna(day)
    frame["days_to_start"] = (until - contract).dt.days.astype("float64")
    frame["overdue"] = ((frame["stage"] == "signed") & (frame["days_to_start"] > limit)) \
        .astype(bool)
    frame = frame.astype({"contract_date": object, "start_date": object,
                          "production_date": object})
    frame = frame.where(frame.notna(), None)
    frame["days_to_start"] = frame["days_to_start"].astype("float64")
    return frame[PROJECT_COLUMNS].reset_index(drop=True)


@reads_snapshot
def overdue_projects(workspace: Workspace, days: int | None = None,
                     today: str | None = None) -> pd.DataFrame:
    """Signed projects not started in time (签而未动).

    The rows of :func:`signed_projects` with ``overdue`` set.
    """
    projects = signed_projects(workspace, days=days, today=today)
    return projects[projects["overdue"]].reset_index(drop=True)


@dataclass(frozen=True)
class Pipeline:
    """The pipeline report: one DataFrame per table (see :func:`pipeline`)."""

    stages: pd.DataFrame
    regions: pd.DataFrame
    chains: pd.DataFrame
    owners: pd.DataFrame
    signed_by_year: pd.DataFrame
    conversion: pd.DataFrame
    stage_days: pd.DataFrame
    projects: pd.DataFrame

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in report order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        """Every table, in report order, each under its name (in the current language)."""
        from ..i18n import language
        from ..output import localize, render

        lang = language()
        return "\n\n".join(  # English: the names, as the command line heads its tables
            f"[{name if lang == 'en' else label('sheet', name)}]\n"
            f"{render(localize(frame, lang), 'table')}" for name, frame in self.sheets().items())

    def _repr_html_(self) -> str:
        """Every table, in report order, as :meth:`__str__` shows it (for a notebook)."""
        from ..i18n import language
        from ..output import report_html

        return report_html(self.sheets(), language())


def _summary(frame: pd.DataFrame, key: str, order: list | None = None) -> pd.DataFrame:
    """Leads, open leads, signed leads and investment per value of ``key``."""
    f = frame.assign(
        open=~frame["stage"].isin(("lost", "producing")),
        signed=frame["stage"].isin(_SIGNED),
        value=frame["investment"].where(frame["stage"] != "lost", 0).fillna(0),
    )
    f["signed_value"] = f["investment"].where(f["signed"], 0).fillna(0)
    out = f.groupby(key, sort=False).agg(
        leads=("id", "size"), open=("open", "sum"), signed=("signed", "sum"),
        investment=("value", "sum"), signed_investment=("signed_value", "sum"))
    if order is not None:
        out = out.reindex([o for o in order if o in out.index] +
                          sorted(o for o in out.index if o not in order))
    else:
        out = out.sort_values(["leads", "investment"], ascending=False, kind="mergesort")
    out = out.reset_index()
    for col in ("leads", "open", "signed"):
        out[col] = out[col].astype(int)
    return out


@reads_snapshot
def pipeline(workspace: Workspace, days: int | None = None, today: str | None = None) -> Pipeline:
    """The pipeline report of every lead.

    Tables (all DataFrames):

    ``stages``          stage, stage_zh, count, investment (亿元) of the leads now at each
                        stage, in stage order (``lost`` last)
    ``regions``         by target region of the firm (上海 / 江苏 / 浙江 / other): leads,
                        open, signed (at signed/started/producing), investment (of the
                        leads not lost) and signed_investment
    ``chains``          the same by the chain of the lead's product (a product in two
                        chains counts in both; ``(none)`` for no product)
    ``owners``          the same by owner
    ``signed_by_year``  year of the contract date, projects, investment
    ``conversion``      from_stage, to_stage, reached_from, reached_to, rate: the share of
                        the leads that ever reached ``from_stage`` that also reached
                        ``to_stage``. A lead *reached* a stage when its history put it
                        there or at a later stage (skipped stages count as passed); a
                        lead that was lost keeps the stages it reached before.
    ``stage_days``      stage, stays, median_days: days spent in each stage, over the
                        completed stays (from a move into the stage to the next move)
    ``projects``        :func:`signed_projects` with the 签而未动 flag (``days``, ``today``)

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.pipeline(ws, today="2026-06-01")
    >>> report.stages[["stage", "count", "investment"]]
             stage  count  investment
    0         lead      2         7.5
    1    contacted      2         5.5
    2      visited      2         5.8
    3  negotiating      2        12.5
    4       signed      1        28.0
    5      started      1         8.0
    6    producing      1         2.0
    7         lost      1         1.2
    >>> report.regions[["region", "leads", "signed_investment"]]
      region  leads  signed_investment
    0     上海      3               28.0
    1     江苏      5               10.0
    2     浙江      4                0.0
    >>> report.conversion.loc[3:4]
        from_stage to_stage  reached_from  reached_to   rate
    3  negotiating   signed             5           3  0.600
    4       signed  started             3           2  0.667
    """
    frame = _frame(workspace)
    value = frame["investment"].fillna(0)
    stages = pd.DataFrame({"stage": list(STAGES), "stage_zh": [STAGE_ZH[s] for s in STAGES]})
    counts = frame.groupby("stage").size()
    sums = value.groupby(frame["stage"]).sum()
    stages["count"] = stages["stage"].map(counts).fillna(0).astype(int)
    stages["investment"] = stages["stage"].map(sums).fillna(0.0).astype(float)

    frame["region"] = frame["province"].map(_TARGET_PROVINCES).fillna("other")
    regions = _summary(frame, "region", ["上海", "江苏", "浙江", "other"])

    links = workspace._table("product_chains")
    chain_names = workspace._table("chains").set_index("id")["name"]
    by_chain = frame.merge(links, left_on="product", right_on="product_id", how="left")
    by_chain["chain"] = by_chain["chain_id"].fillna("(none)")
    chains = _summary(by_chain, "chain")
    chains.insert(1, "chain_name", chains["chain"].map(chain_names).fillna(""))

    named = {v: person_name(v) or "(none)" for v in frame["owner"].dropna().unique()}
    frame["owner_"] = frame["owner"].map(named).fillna("(none)")  # 王 磊 stored before: 王磊
    owners = _summary(frame, "owner_").rename(columns={"owner_": "owner"})

    projects = signed_projects(workspace, days=days, today=today)
    year = projects["contract_date"].map(lambda d: d[:4] if isinstance(d, str) else "unknown")
    signed_by_year = projects.assign(year=year, value=projects["investment"].fillna(0)) \
        .groupby("year").agg(projects=("id", "size"), investment=("value", "sum")) \
        .reset_index()

    return Pipeline(stages, regions, chains, owners, signed_by_year,
                    _conversion(workspace), _stage_days(workspace), projects)


def _conversion(workspace: Workspace) -> pd.DataFrame:
    furthest = furthest_stages(workspace, PIPELINE_STAGES)  # position -> leads

    def reached(k: int) -> int:
        """The leads that reached position ``k`` or further."""
        return sum(n for at, n in furthest.items() if at >= k)

    rows = []
    for k in range(len(PIPELINE_STAGES) - 1):
        n_from, n_to = reached(k), reached(k + 1)
        rows.append({"from_stage": PIPELINE_STAGES[k], "to_stage": PIPELINE_STAGES[k + 1],
                     "reached_from": n_from, "reached_to": n_to,
                     "rate": round(n_to / n_from, 3) if n_from else np.nan})
    return pd.DataFrame(rows)


def _stage_days(workspace: Workspace) -> pd.DataFrame:
    lengths: dict[str, list[tuple[int, int]]] = {}  # stage -> (days, stays) by days
    for stage, days, n in sorted(stage_stays(workspace)):
        lengths.setdefault(stage, []).append((days, n))
    out = pd.DataFrame({"stage": list(PIPELINE_STAGES)})
    out["stays"] = [sum(n for _, n in lengths.get(s, [])) for s in PIPELINE_STAGES]
    out["median_days"] = pd.Series([_median(lengths.get(s, [])) for s in PIPELINE_STAGES],
                                   dtype=float)
    return out


def _median(counted: list[tuple[int, int]]) -> float:
    """The median of the values ``value`` repeated ``n`` times, sorted ``(value, n)`` pairs.

    As pandas takes it: the middle value, or the mean of the two middle ones; NaN when
    there is none.
    """
    total = sum(n for _, n in counted)
    if not total:
        return float("nan")

    def at(position: int) -> int:
        """The value at ``position`` (from 0) of the sorted values."""
        seen = 0
        for value, n in counted:
            seen += n
            if position < seen:
                return value
        raise IndexError(position)

    if total % 2:
        return float(at(total // 2))
    return (at(total // 2 - 1) + at(total // 2)) / 2
