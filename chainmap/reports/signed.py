"""The bulletin of signed projects (签约项目通报): what a zone reports for a period.

The Dangtu article's sentence is the model::

    新签约亿元以上项目16个，其中来自苏浙沪项目8个，总投资116.3亿元，其中超30亿元项目1个、
    超20亿元项目1个、超10亿元项目3个

:func:`signed_report` counts the projects signed in a period whose investment is at
least a minimum (1 亿元 by default), how many of them come from the target regions
(苏浙沪 by default), their total investment and how many fall in each size band, and
writes that sentence in Chinese and in English.

*Signed in the period*: the contract date says when, the stage history says whether.
The contract date is the one set with ``leads update --contract-date``
(:func:`chainmap.update_lead`), else the date of the lead's latest move to ``signed``
(as :func:`chainmap.signed_projects` reads it); it must lie in the period. The lead
must be at ``signed``, ``started`` or ``producing`` on the as-of day: a project that went
on to start or produce still counts (it was signed), one that was lost (终止) or moved
back before ``signed`` does not (a bulletin reports the deals that stand). Only the
records dated on or before the as-of day are read, so a past bulletin can be made again
as the pipeline stood then.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..crm.common import today as _today
from ..crm.history import moves_until
from ..crm.leads import _frame
from ..dates import parse_date
from ..errors import ArgumentError
from ..i18n import _, label, language, use_language
from ..snapshot import reads_snapshot

if TYPE_CHECKING:
    from ..regions import Region
    from ..workspace import Workspace

__all__ = ["DEFAULT_BANDS", "SIGNED_COLUMNS", "SIGNED_MEASURES", "SignedReport",
           "signed_report"]

#: The default size bands (亿元): 30 and more, 20 to under 30, 10 to under 20.
DEFAULT_BANDS = (30, 20, 10)
#: Columns of :attr:`SignedReport.projects`.
SIGNED_COLUMNS = [
    "lead",           # lead id (the project's number in the pipeline)
    "company",        # firm id
    "company_name",   # registered name
    "region",         # province/city/district of the firm
    "from_targets",   # whether the firm is in the target regions (苏浙沪)
    "product",        # product id (may be empty)
    "product_name",   # product name
    "chain_name",     # the chain(s) of the product, joined by 、
    "investment",     # 亿元
    "band",           # the lower edge of its size band (亿元); empty below the lowest
    "contract_date",  # the day it was signed
    "stage",          # its stage on the as-of day: signed, started or producing
]
#: The summary's measures besides the band rows, in order (``measure`` codes): counted,
#: then not counted (and why).
SIGNED_MEASURES = ("count", "from_targets", "total", "below_min", "without_investment",
                   "not_signed", "undated")
_SIGNED = ("signed", "started", "producing")
#: The default target regions (苏浙沪), as :func:`chainmap.analysis.common.target_regions`.
_DEFAULT_TARGET_CODES = frozenset({"310000", "320000", "330000"})
_SPLIT = re.compile(r"[,，、;；]")


def _number(value: float) -> str:
    """``value`` as a bulletin writes it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _plain_number(value: float) -> int | float:
    """An integral float as an int (30.0 -> 30), for JSON people read."""
    return int(value) if float(value).is_integer() else float(value)


@dataclass(frozen=True)
class SignedReport:
    """The bulletin of :func:`signed_report`: the period, the figures, the sentence.

    Attributes
    ----------
    start, end, as_of : str
        The period (ISO dates, both days included) and the day the records are read as
        of.
    min_investment : float
        Projects of at least this many 亿元 count.
    targets : tuple of str
        The target regions (names).
    count, from_targets : int
        The projects counted, and those of them whose firm is in the target regions.
    total : float
        Their investment, 亿元 (rounded to 0.0001, i.e. 1 万元).
    bands : DataFrame
        ``min`` (亿元), ``count``: one row per band, largest first; a band holds the
        projects from its ``min`` up to (not including) the next band above.
    below_min, without_investment, not_signed, undated : int
        What was not counted: signed in the period under ``min_investment``; signed in
        the period with no investment figure (taken as below the minimum); contract
        date in the period but, on the as-of day, not at ``signed``, ``started`` or
        ``producing`` (lost, moved back, or its move to ``signed`` is dated later); at
        one of those stages with no contract date at all (in no period).
    projects : DataFrame
        The projects counted, columns :data:`SIGNED_COLUMNS`, largest investment first.
    sentence_zh, sentence_en : str
        The bulletin's sentence in Chinese (the article's form) and in English; see
        :meth:`sentence`.
    """

    start: str
    end: str
    as_of: str
    min_investment: float
    targets: tuple[str, ...]
    count: int
    from_targets: int
    total: float
    bands: pd.DataFrame = field(repr=False)
    below_min: int
    without_investment: int
    not_signed: int
    undated: int
    projects: pd.DataFrame = field(repr=False)
    sentence_zh: str
    sentence_en: str = field(repr=False)

    def sentence(self, lang: str | None = None) -> str:
        """The bulletin's sentence in ``lang`` (default: the current language)."""
        return self.sentence_zh if (lang or language()) == "zh" else self.sentence_en

    def summary(self, lang: str | None = None, *, sentence: bool = True) -> pd.DataFrame:
        """The figures as a table people read: one row per measure.

        Parameters
        ----------
        lang : str, optional
            The language of the sentence row (default: the current language).
        sentence : bool
            Whether the first row is the sentence (``measure`` ``sentence``).

        Returns
        -------
        DataFrame
            ``measure`` (code), ``measure_zh``, ``value``, ``start``, ``end``,
            ``as_of``: the sentence, ``count``, ``from_targets``, ``total`` (亿元), a
            row per band (``band_30`` ...), then what was not counted (``below_min``,
            ``without_investment``, ``not_signed``, ``undated``).
        """
        lang = lang or language()
        rows: list[tuple[str, str, object]] = []
        if sentence:
            rows.append(("sentence", label("measure", "sentence", "zh"), self.sentence(lang)))
        values = {m: getattr(self, m) for m in SIGNED_MEASURES}
        for measure in SIGNED_MEASURES[:3]:
            rows.append((measure, label("measure", measure, "zh"), values[measure]))
        edges = [float(v) for v in self.bands["min"]]
        for i, (low, n) in enumerate(zip(edges, self.bands["count"], strict=True)):
            with use_language("zh"):
                words = (_("projects of {lower} 亿元 or more").format(lower=_number(low))
                         if i == 0 else
                         _("projects of {lower} to under {upper} 亿元").format(
                             lower=_number(low), upper=_number(edges[i - 1])))
            rows.append((f"band_{_number(low)}", words, int(n)))
        for measure in SIGNED_MEASURES[3:]:
            rows.append((measure, label("measure", measure, "zh"), values[measure]))
        frame = pd.DataFrame(rows, columns=["measure", "measure_zh", "value"])
        frame["value"] = frame["value"].astype(object)
        frame["start"], frame["end"], frame["as_of"] = self.start, self.end, self.as_of
        return frame

    def sheets(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """``summary`` (the sentence first) and ``projects``, in workbook order."""
        return {"summary": self.summary(lang), "projects": self.projects}

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (English keys and codes).

        ``count``, ``from_targets``, ``total``, ``bands`` (``[{"min", "count"}]``), then
        ``period`` (``start``, ``end``, ``as_of``), ``min_investment``, ``targets``,
        ``not_counted`` (``below_min``, ``without_investment``, ``not_signed``,
        ``undated``), ``sentence`` (``{"zh", "en"}``) and ``projects`` (one object per
        row of :attr:`projects`).
        """
        from ..output import to_records

        return {
            "count": self.count,
            "from_targets": self.from_targets,
            "total": self.total,
            "bands": [{"min": _plain_number(m), "count": int(n)}
                      for m, n in zip(self.bands["min"], self.bands["count"], strict=True)],
            "period": {"start": self.start, "end": self.end, "as_of": self.as_of},
            "min_investment": _plain_number(self.min_investment),
            "targets": list(self.targets),
            "not_counted": {"below_min": self.below_min,
                            "without_investment": self.without_investment,
                            "not_signed": self.not_signed,
                            "undated": self.undated},
            "sentence": {"zh": self.sentence_zh, "en": self.sentence_en},
            "projects": to_records(self.projects),
        }

    def __str__(self) -> str:
        """The sentence, then the summary and the projects as tables."""
        from ..output import render

        return "\n\n".join([self.sentence()] + [
            f"[{name}]\n{render(frame, 'table')}"
            for name, frame in {"summary": self.summary(sentence=False),
                                "projects": self.projects}.items()])

    @staticmethod
    def titles(lang: str) -> dict[str, str]:
        """The tables' titles in ``lang``: their ``sheet`` labels.

        汇总 and 签约项目, or ``Summary`` and ``Signed projects``.

        (The ``sheet`` label ``summary`` is the anchor report's 链主概况: the bulletin's
        summary takes ``overview``.) The command line heads its English tables, and
        names its English sheets, ``summary`` and ``projects``.
        """
        return {"summary": label("sheet", "overview", lang),
                "projects": label("sheet", "projects", lang)}

    def _repr_html_(self) -> str:
        """The sentence, then the summary and projects as ``chainmap report signed`` has them."""
        from ..output import report_html

        lang = language()
        return report_html({"summary": self.summary(lang, sentence=False),
                            "projects": self.projects}, lang, sentence=self.sentence(lang),
                           titles=self.titles(lang))


def _minimum(value: float | str) -> float:
    """``min_investment=`` as a finite float ≥ 0."""
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise ArgumentError(
            _("min_investment= must be a finite number of 亿元, 0 or more, not '{value}'")
            .format(value=value), parameter="min_investment")
    return number


def _bands(value: Sequence[float] | float | str | None) -> tuple[float, ...]:
    """``bands=`` as distinct finite amounts above 0, largest first."""
    if value is None:
        return tuple(float(b) for b in DEFAULT_BANDS)
    if isinstance(value, str):
        items: list[Any] = [t.strip() for t in _SPLIT.split(value)]
    else:
        items = [value] if isinstance(value, (int, float)) else list(value)
    items = [t for t in items if not (isinstance(t, str) and not t)]
    found: list[float] = []
    for item in items:
        try:
            number = float(item) if not isinstance(item, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number <= 0:
            raise ArgumentError(
                _("bands= must be amounts in 亿元 above 0, such as 30,20,10; '{value}' is not "
                  "one").format(value=item), parameter="bands")
        if number in found:
            raise ArgumentError(_("bands= names {amount} 亿元 twice").format(
                amount=_number(number)), parameter="bands")
        found.append(number)
    return tuple(sorted(found, reverse=True))


def _period(start: str | dt.date | None, end: str | dt.date | None,
            as_of: str) -> tuple[str, str]:
    """The period: ``end`` defaults to ``as_of``, ``start`` to 1 January of ``end``'s year."""
    last = parse_date(end, "end")
    first = parse_date(start, "start")
    if last is None:
        if first is not None and first > as_of:
            raise ArgumentError(
                _("the period's start= ({start}) is after as_of= ({as_of}), the default "
                  "end").format(start=first, as_of=as_of), parameter=("start", "as_of"))
        last = as_of
    first = first or f"{last[:4]}-01-01"
    if first > last:
        raise ArgumentError(_("the period's start= ({start}) is after its end= ({end})").format(
            start=first, end=last), parameter=("start", "end"))
    return first, last


def _target_words(targets: str | Sequence[str] | None, regions: list[Region],
                  lang: str) -> str:
    """How the sentence names the target regions in ``lang``."""
    if targets is None or {r.code for r in regions} == _DEFAULT_TARGET_CODES:
        with use_language(lang):
            return _("Shanghai, Jiangsu and Zhejiang")
    items = [t.strip() for t in _SPLIT.split(targets)] if isinstance(targets, str) \
        else [str(t).strip() for t in targets]
    return ("、" if lang == "zh" else ", ").join(t for t in items if t)


def _sentence(lang: str, *, count: int, from_targets: int, total: float, minimum: float,
              targets: str, bands: list[tuple[float, int]]) -> str:
    """The bulletin's sentence in ``lang``: whole sentences from the catalogue."""
    with use_language(lang):
        items = [_("{count} over {amount} 亿元").format(count=n, amount=_number(b))
                 for b, n in bands if n]
        words = {"count": count, "from_targets": from_targets, "targets": targets,
                 "total": _number(total), "minimum": _number(minimum),
                 "bands": ("、" if lang == "zh" else ", ").join(items)}
        if minimum == 1 and items:
            text = _("{count} project(s) of 1 亿元 or more newly signed, {from_targets} of them "
                     "from {targets}; total investment {total} 亿元, of which {bands}")
        elif minimum == 1:
            text = _("{count} project(s) of 1 亿元 or more newly signed, {from_targets} of them "
                     "from {targets}; total investment {total} 亿元")
        elif minimum == 0 and items:
            text = _("{count} project(s) newly signed, {from_targets} of them from {targets}; "
                     "total investment {total} 亿元, of which {bands}")
        elif minimum == 0:
            text = _("{count} project(s) newly signed, {from_targets} of them from {targets}; "
                     "total investment {total} 亿元")
        elif items:
            text = _("{count} project(s) of {minimum} 亿元 or more newly signed, {from_targets} "
                     "of them from {targets}; total investment {total} 亿元, of which {bands}")
        else:
            text = _("{count} project(s) of {minimum} 亿元 or more newly signed, {from_targets} "
                     "of them from {targets}; total investment {total} 亿元")
        return text.format(**words)


@reads_snapshot
def signed_report(workspace: Workspace, *, start: str | dt.date | None = None,
                  end: str | dt.date | None = None, min_investment: float | str = 1.0,
                  targets: str | Sequence[str] | None = None,
                  bands: Sequence[float] | float | str | None = DEFAULT_BANDS,
                  as_of: str | dt.date | None = None) -> SignedReport:
    """The bulletin of the projects signed from ``start`` to ``end`` (签约项目通报).

    Parameters
    ----------
    workspace : Workspace
        A workspace that keeps leads (SQLite, or a Neo4j store with a pushed pipeline).
    start, end : str or date, optional
        The period's first and last day, both included. ``end`` defaults to ``as_of``;
        ``start`` to 1 January of ``end``'s year: the year to date, the figure a zone
        reports all year round ("今年以来，新签约……"; the article's sentence is of that
        kind, written at mid-year). Give ``start="2026-01-01", end="2026-06-30"`` for
        a half year (上半年).
    min_investment : float, default 1.0
        Count the projects of at least this many 亿元 (亿元以上项目: 1). A project with
        no investment figure is taken as below it, and counted in
        ``without_investment`` instead.
    targets : str or list of str, optional
        The regions (or groups) a project "comes from" when its firm is inside one
        of them; default 苏浙沪 (上海市, 江苏省, 浙江省).
    bands : sequence of float, float or str, default (30, 20, 10)
        Lower edges of the size bands in 亿元 (any order; ``"30,20,10"`` too). A band
        counts the projects from its edge up to, not including, the next edge above:
        with the default, 30 亿元 is in the 30 band, 29.99 and 20 in the 20 band.
        An empty sequence: no bands.
    as_of : str or date, optional
        The day the records are read as of (default today): stage moves dated after
        it are ignored, so a project lost later still counts in a bulletin made again
        as of an earlier day, and a contract dated after it is not yet signed.

    Returns
    -------
    SignedReport
        The figures (``count``, ``from_targets``, ``total``, ``bands``), what was not
        counted and why, the projects and the sentence in Chinese and English.

    Raises
    ------
    ArgumentError
        A date that is not a date, ``start`` after ``end``, a ``min_investment``
        that is negative or not a finite number, bands that are not distinct
        amounts above 0.
    RegionError
        An unknown target region.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.signed_report(ws, start="2026-01-01", end="2026-06-30",
    ...                                 as_of="2026-07-15")
    >>> report.count, report.from_targets, report.total, report.undated
    (1, 1, 28.0, 2)
    >>> report.sentence_zh
    '新签约亿元以上项目1个，其中来自苏浙沪项目1个，总投资28亿元，其中超20亿元项目1个'
    >>> report.bands
        min  count
    0  30.0      0
    1  20.0      1
    2  10.0      0
    >>> report.projects[["lead", "company_name", "investment", "band", "contract_date"]]
        lead   company_name  investment  band contract_date
    0  L0003  上海浦江压缩机股份有限公司        28.0  20.0    2026-01-15
    """
    from ..analysis.common import region_paths, target_regions
    from ..regions import inside_any

    day = _today(parse_date(as_of, "as_of")).isoformat()
    first, last = _period(start, end, day)
    minimum = _minimum(min_investment)
    edges = _bands(bands)
    regions = target_regions(targets if targets is None or isinstance(targets, str)
                             else list(targets))

    leads = _frame(workspace)
    events = moves_until(workspace)  # every move, in the order recorded
    events = events[events["date"].fillna("").astype(str).str[:10] <= day]
    stage_then = events.groupby("lead_id")["to_stage"].last()
    signing = events[events["to_stage"] == "signed"].groupby("lead_id")["date"].last()
    given = leads["contract_date"].map(lambda d: d[:10] if isinstance(d, str) and d else None)
    contract = given.where(given.notna(), leads["id"].map(signing))
    contract = contract.map(lambda d: d[:10] if isinstance(d, str) and d else None)
    stage = leads["id"].map(stage_then)
    standing = stage.isin(_SIGNED).to_numpy(dtype=bool)
    dated = contract.notna().to_numpy(dtype=bool)
    text = contract.fillna("")
    in_period = (dated & (text >= first).to_numpy() & (text <= last).to_numpy()
                 & (text <= day).to_numpy())
    investment = leads["investment"].astype(float)
    known = investment.notna().to_numpy(dtype=bool)
    big = known & (investment.fillna(-1.0) >= minimum).to_numpy(dtype=bool)
    counted = in_period & standing & big

    chosen = leads[counted].copy()
    # the chosen projects' firms only, by id (not every firm of the workspace)
    firms = workspace._rows_where("companies", "id", set(chosen["company"].dropna())) \
        .set_index("id")
    inside = pd.Series(inside_any(firms, regions), index=firms.index, dtype=bool)
    paths = region_paths(firms.reset_index()).set_axis(firms.index)
    chains = workspace._table("chains").set_index("id")["name"]
    links = workspace._table("product_chains")[["product_id", "chain_id"]]
    links = links.assign(name=links["chain_id"].map(chains)).dropna(subset=["name"]) \
        .sort_values(["product_id", "chain_id"])
    chain_names = links.groupby("product_id")["name"].agg("、".join)
    ascending = sorted(edges)
    amounts = chosen["investment"].astype(float).to_numpy()
    where = np.searchsorted(np.asarray(ascending, dtype=float), amounts, side="right") - 1
    projects = pd.DataFrame({
        "lead": chosen["id"].tolist(),
        "company": chosen["company"].tolist(),
        "company_name": chosen["company_name"].tolist(),
        "region": chosen["company"].map(paths).tolist(),
        "from_targets": chosen["company"].map(inside).fillna(False).astype(bool).tolist(),
        "product": chosen["product"].tolist(),
        "product_name": chosen["product_name"].tolist(),
        "chain_name": chosen["product"].map(chain_names).fillna("").tolist(),
        "investment": amounts,
        "band": [ascending[i] if i >= 0 else math.nan for i in where],
        "contract_date": contract[counted].tolist(),
        "stage": stage[counted].tolist(),
    }, columns=SIGNED_COLUMNS)
    projects = projects.astype({"investment": float, "band": float, "from_targets": bool})
    for col in ("lead", "company", "company_name", "region", "product", "product_name",
                "chain_name", "contract_date", "stage"):
        projects[col] = projects[col].astype(object).where(projects[col].notna(), None)
    projects = projects.sort_values(["investment", "contract_date", "lead"],
                                    ascending=[False, True, True], kind="mergesort") \
        .reset_index(drop=True)

    band_counts = [(edge, int((projects["band"] == edge).sum())) for edge in edges]
    count = len(projects)
    from_targets = int(projects["from_targets"].sum())
    total = round(float(projects["investment"].sum()), 4) + 0.0
    names = tuple(r.name for r in regions)
    facts: dict[str, Any] = {"count": count, "from_targets": from_targets, "total": total,
                             "minimum": minimum, "bands": band_counts}
    return SignedReport(
        start=first, end=last, as_of=day, min_investment=minimum, targets=names,
        count=count, from_targets=from_targets, total=total,
        bands=pd.DataFrame({"min": [float(e) for e in edges],
                            "count": [n for _e, n in band_counts]},
                           columns=["min", "count"]).astype({"min": float, "count": int}),
        below_min=int((in_period & standing & known & ~big).sum()),
        without_investment=int((in_period & standing & ~known).sum()),
        not_signed=int((in_period & ~standing).sum()),
        undated=int((standing & ~dated).sum()),
        projects=projects,
        sentence_zh=_sentence("zh", targets=_target_words(targets, regions, "zh"), **facts),
        sentence_en=_sentence("en", targets=_target_words(targets, regions, "en"), **facts),
    )
