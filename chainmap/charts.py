"""Charts for reports and notebooks: the pipeline funnel and the gap bars, with matplotlib.

:func:`funnel` draws the lead pipeline (招商漏斗) stage by stage; :func:`gap_bars` draws
the gap report's missing (缺链), weak (弱链) and covered products per tier. Both return a
:class:`matplotlib.figure.Figure` that shows inline in Jupyter; :func:`save` writes it
as a PNG.

Labels are Chinese, so a font with Chinese glyphs is looked up (:func:`cjk_font`) and
set on every text of the chart; without one, the charts stop with a
:class:`~chainmap.errors.ChainmapError` that says how to install one, rather than draw
empty boxes (豆腐块). ``CHAINMAP_CJK_FONT`` may name a font file or family to use.

matplotlib is imported here (and only when a chart is made), never by
``import chainmap``. The figures are drawn with the Agg canvas: no display is needed.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .errors import ArgumentError, ChainmapError
from .i18n import N_, _, language, translate
from .labels import STAGE_ZH, STATUS_ZH, TIER_ZH, product_label, tier_key

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .crm.pipeline import Pipeline
    from .workspace import Workspace

__all__ = ["CJK_FAMILIES", "LANGS", "cjk_font", "funnel", "gap_bars", "png_path", "save"]

#: Font families tried, in order, for Chinese labels.
CJK_FAMILIES = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP", "Noto Sans CJK TC",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "Sarasa Gothic SC", "Droid Sans Fallback", "AR PL UKai CN", "AR PL UMing CN",
    "Noto Serif CJK SC", "SimSun",
)
#: Parts of font file names (lower case) that mark a CJK font, for fonts matplotlib's
#: cache has not seen yet (installed after matplotlib first ran).
_CJK_FILE_HINTS = ("wqy", "wenquanyi", "notosanscjk", "notoserifcjk", "notosanssc",
                   "sourcehansans", "sourcehanserif", "droidsansfallback", "msyh", "simhei",
                   "simsun", "pingfang", "sarasa", "uming", "ukai")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
              "~/.fonts", "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
_PROBE = "缺链弱链线索签约"
INSTALL_HINT = N_("install one, e.g. 'apt-get install fonts-wqy-microhei' (Debian/Ubuntu), "
                  "'dnf install wqy-microhei-fonts' (Fedora), or Noto Sans CJK SC from your "
                  "OS's package manager, or set CHAINMAP_CJK_FONT=/path/to/font.ttf")

#: Label languages: ``zh`` Chinese only, ``en`` English only, ``both``. Without one
#: (``None``) a chart speaks Chinese under ``zh`` (:func:`chainmap.i18n.language`), else
#: both languages.
LANGS = ("zh", "en", "both")
#: Bar colours by gap status (as on the chain map) and of the funnel.
COLORS = {"missing": "#d62728", "weak": "#f2a900", "covered": "#2ca02c", "funnel": "#1f77b4"}
#: The charts' own texts: English message ids, whose Chinese is in the catalogue.
_TEXTS = {
    "funnel_title": N_("Lead pipeline funnel"),
    "reached": N_("leads that reached each stage"),
    "current": N_("leads now at each stage"),
    "gaps_title": N_("Missing and weak links by tier"),
    "producers": N_("local producers"),
}


def _say(key: str, lang: str) -> str:
    message = _TEXTS[key]
    return _name(translate(message, "zh"), message, lang)


def _name(zh: str, en: str, lang: str) -> str:
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")


def _check_lang(lang: str | None) -> str:
    """``lang``; for ``None``, ``zh`` under Chinese, else ``both``."""
    if lang is None:
        return "zh" if language() == "zh" else "both"
    if lang not in LANGS:
        raise ArgumentError(_("unknown chart language '{lang}': use one of zh, en, "
                              "both").format(lang=lang))
    return lang


# -- fonts ------------------------------------------------------------------------------
def _covers(path: str, text: str = _PROBE) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


def _font_files() -> list[Path]:
    files: list[Path] = []
    for folder in _FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            files += [p for p in root.rglob("*")
                      if p.suffix.lower() in (".ttf", ".otf", ".ttc")]
    return sorted(files)


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str]:
    """The font used for Chinese labels: ``(family, path)``.

    ``CHAINMAP_CJK_FONT`` (a font file or a family name) wins; else the first of
    :data:`CJK_FAMILIES` that matplotlib knows; else a CJK font file found under the
    usual font folders (``/usr/share/fonts`` ...), which is then registered with
    matplotlib. The font must have glyphs for Chinese text.

    Raises
    ------
    ChainmapError
        No font with Chinese glyphs is installed; the message says how to install one.

    Examples
    --------
    >>> from chainmap.charts import cjk_font
    >>> family, path = cjk_font()
    >>> bool(family) and path.endswith((".ttf", ".otf", ".ttc"))
    True
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    wanted = os.environ.get("CHAINMAP_CJK_FONT", "").strip()
    if wanted:
        if os.path.isfile(wanted):
            if not _covers(wanted):
                raise ChainmapError(_("CHAINMAP_CJK_FONT={font} has no Chinese glyphs; "
                                      "{hint}").format(font=wanted, hint=_(INSTALL_HINT)))
            manager.addfont(wanted)
            return font_manager.FontProperties(fname=wanted).get_name(), wanted
        for entry in manager.ttflist:
            if entry.name == wanted and _covers(entry.fname):
                return entry.name, entry.fname
        raise ChainmapError(_("CHAINMAP_CJK_FONT={font}: no such font file or family with "
                              "Chinese glyphs; {hint}").format(font=wanted,
                                                               hint=_(INSTALL_HINT)))
    known: dict[str, list[str]] = {}
    for entry in manager.ttflist:
        known.setdefault(entry.name, []).append(entry.fname)
    for family in CJK_FAMILIES:
        for fname in known.get(family, []):
            if _covers(fname):
                return family, fname
    # fonts installed after matplotlib built its font cache are not in ttflist
    for path in _font_files():
        plain = path.name.lower().replace("-", "").replace("_", "").replace(" ", "")
        if any(hint in plain for hint in _CJK_FILE_HINTS) and _covers(str(path)):
            manager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name(), str(path)
    raise ChainmapError(_("no font with Chinese glyphs found for charts: {hint}").format(
        hint=_(INSTALL_HINT)))


def _families() -> list[str]:
    """The font family list set on every text.

    The CJK font, then DejaVu Sans for any character it lacks.
    """
    return [cjk_font()[0], "DejaVu Sans"]


@lru_cache(maxsize=1)
def _chart_class() -> type[Figure]:
    from matplotlib.figure import Figure

    class Chart(Figure):
        """A matplotlib Figure that shows itself as a PNG in Jupyter, pyplot or not."""

        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, facecolor="white")
            return buffer.getvalue()

    Chart.__module__ = __name__
    Chart.__qualname__ = "Chart"
    return Chart


def _figure(figsize: tuple[float, float]) -> Figure:
    """A new figure on the Agg canvas (no pyplot, no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _chart_class()(figsize=figsize, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _finish(fig: Figure) -> None:
    """Set the CJK font family on every text of ``fig`` (titles, labels, ticks, notes)."""
    from matplotlib.text import Text

    families = _families()
    for text in fig.findobj(Text):
        text.set_fontfamily(families)


def _rc() -> AbstractContextManager[Any]:
    import matplotlib

    return matplotlib.rc_context({"font.family": _families(), "axes.unicode_minus": False})


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Any, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = _figure(figsize)
    return fig, fig.add_subplot()


# -- the funnel -------------------------------------------------------------------------
def _pipeline_report(source: Pipeline | Workspace, today: str | None) -> Pipeline:
    from .crm.pipeline import Pipeline, pipeline

    if isinstance(source, Pipeline):
        return source
    if hasattr(source, "store") and hasattr(source, "table"):
        return pipeline(source, today=today)
    raise ArgumentError(_("funnel() needs a pipeline report (chainmap.pipeline(ws)) or a "
                          "workspace, not {type}").format(type=type(source).__name__))


def funnel(source: Pipeline | Workspace, measure: str = "reached", lang: str | None = None,
           title: str | None = None, ax: Axes | None = None,
           figsize: tuple[float, float] = (8, 5), today: str | None = None) -> Figure:
    """The lead pipeline as a funnel: one bar per stage, 线索 (lead) to 投产 (producing).

    Parameters
    ----------
    source
        A :class:`chainmap.Pipeline` (from :func:`chainmap.pipeline`) or a workspace,
        whose pipeline report is then made (with ``today``).
    measure
        ``reached`` (default): the leads that ever reached each stage (the
        ``conversion`` table; a true funnel), with the conversion rate from the stage
        before; ``current``: the leads now at each stage (the ``stages`` table).
    lang
        Labels in ``zh`` (Chinese), ``en`` or ``both``; default Chinese under ``zh``
        (:func:`chainmap.i18n.language`), else both.
    title
        The title; default 招商漏斗 / Lead pipeline funnel. The leads lost (终止) are
        noted under the bars.
    ax
        Draw into this matplotlib Axes instead of a new figure.
    figsize
        Size of a new figure, in inches.
    today
        As in :func:`chainmap.pipeline`, when ``source`` is a workspace.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import chainmap, chainmap.charts
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> fig = chainmap.charts.funnel(chainmap.pipeline(ws), lang="zh")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['线索', '接洽', '考察', '洽谈', '签约', '开工', '投产']
    >>> [int(p.get_width()) for p in ax.patches]
    [11, 9, 7, 5, 3, 2, 1]
    """
    from .crm.common import PIPELINE_STAGES

    lang = _check_lang(lang)
    if measure not in ("reached", "current"):
        raise ArgumentError(_("unknown funnel measure '{measure}': use reached or "
                              "current").format(measure=measure))
    report = _pipeline_report(source, today)
    stages = report.stages.set_index("stage")
    if measure == "reached":
        conv = report.conversion
        counts = [int(conv["reached_from"].iloc[0]) if len(conv) else 0]
        counts += [int(v) for v in conv["reached_to"]]
        counts = (counts + [0] * len(PIPELINE_STAGES))[:len(PIPELINE_STAGES)]
    else:
        counts = [int(stages.loc[s, "count"]) for s in PIPELINE_STAGES]
    lost = int(stages.loc["lost", "count"]) if "lost" in stages.index else 0
    labels = [_name(STAGE_ZH[s], s, lang) for s in PIPELINE_STAGES]

    with _rc():
        fig, ax = _axes(ax, figsize)
        widest = max(max(counts), 1)
        y = list(range(len(counts)))
        ax.barh(y, counts, left=[-c / 2 for c in counts], color=COLORS["funnel"],
                height=0.72)
        for i, c in enumerate(counts):
            text = str(c)
            if measure == "reached" and i and counts[i - 1]:
                text += f"  ({c / counts[i - 1]:.0%})"
            if c >= widest * 0.3:  # inside the bar
                ax.text(0, i, text, ha="center", va="center", fontsize=10, color="white")
            else:  # beside it
                ax.text(c / 2 + widest * 0.02, i, text, ha="left", va="center", fontsize=10,
                        color="#222")
        ax.set_yticks(y, labels)
        ax.tick_params(axis="y", length=0)
        ax.invert_yaxis()
        ax.set_xlim(-widest * 0.6, widest * 0.6)
        ax.set_xticks([])
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(title if title is not None else _say("funnel_title", lang))
        note = _say(measure, lang)
        if lost:  # a label and its count, as a table would show them
            colon = "：" if lang == "zh" else ": "
            note += f" · {_name(STAGE_ZH['lost'], 'lost', lang)}{colon}{lost}"
        ax.set_xlabel(note)
    _finish(fig)
    return fig


# -- the gap bars -----------------------------------------------------------------------
def gap_bars(report: pd.DataFrame, lang: str | None = None, title: str | None = None,
             ax: Axes | None = None, figsize: tuple[float, float] | None = None) -> Figure:
    """Every product of a gap report by name, its local producers as a bar coloured by status.

    Parameters
    ----------
    report
        A gap report from :func:`chainmap.gaps` (columns ``name``, ``tier``, ``status``,
        ``local_producers``; ``name_en`` for ``lang="en"``).
    lang
        Labels in ``zh`` (Chinese), ``en`` or ``both`` (default: Chinese under ``zh``,
        :func:`chainmap.i18n.language`, else both); product names are Chinese unless
        ``lang="en"`` and the product has an English name.
    title
        The title; default 各环节缺链 / 弱链 (Missing and weak links by tier).
    ax
        Draw into this matplotlib Axes instead of a new figure.
    figsize
        Size of a new figure, in inches (default: tall enough for every name).

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per product, top to bottom by tier (上游, 中游, 下游, then
        未分环节; a heading above each) and within a tier 缺链, 弱链, 已覆盖, then by local
        demand; the bar is the number of local producers (a stub for none), coloured by
        status, with the number at its end. The legend lists only the statuses present.

    Examples
    --------
    >>> import chainmap, chainmap.charts
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.gaps(ws, "智能家电", home="安徽省/马鞍山市/当涂县")
    >>> fig = chainmap.charts.gap_bars(report, lang="zh", title="智能家电")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()][:3]
    ['制冷剂', '工程塑料（ABS）', '铜管']
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['缺链', '弱链', '已覆盖']
    >>> only_gaps = chainmap.charts.gap_bars(report[report["status"] != "covered"], lang="zh")
    >>> [t.get_text() for t in only_gaps.axes[0].get_legend().get_texts()]
    ['缺链', '弱链']
    """
    lang = _check_lang(lang)
    needed = {"name", "tier", "status", "local_producers"}
    if not isinstance(report, pd.DataFrame) or not needed <= set(report.columns):
        raise ArgumentError(_("gap_bars() needs a gap report from chainmap.gaps() (columns "
                              "'name', 'tier', 'status', 'local_producers', English "
                              "headers)"))
    rows = report.assign(
        _tier=report["tier"].map(tier_key),
        _status=report["status"].map({s: i for i, s in enumerate(STATUS_ZH)}).fillna(9),
        _demand=report["local_demand"] if "local_demand" in report.columns else 0)
    tiers = [t for t in TIER_ZH if t in set(rows["_tier"])]
    tiers += sorted(set(rows["_tier"]) - set(tiers))
    rows["_order"] = rows["_tier"].map({t: i for i, t in enumerate(tiers)})
    rows = rows.sort_values(["_order", "_status", "_demand", "name"],
                            ascending=[True, True, False, True], kind="stable")

    # y positions, top to bottom, with a row left free for each tier's heading
    y, heads, pos = 0.0, [], []
    for tier in tiers:
        heads.append((y, tier))
        y += 1
        for _row in range(int((rows["_tier"] == tier).sum())):
            pos.append(y)
            y += 1
        y += 0.4
    if figsize is None:
        figsize = (8.5, round(max(3.0, 1.4 + 0.3 * y), 1))
    producers = [int(v) for v in rows["local_producers"]]
    widest = max(producers, default=0) or 1
    with _rc():
        fig, ax = _axes(ax, figsize)
        for status in STATUS_ZH:
            mine = [i for i, s in enumerate(rows["status"]) if s == status]
            if not mine:  # a legend entry only for a status that has bars
                continue
            ax.barh([pos[i] for i in mine], [max(producers[i], widest * 0.012) for i in mine],
                    color=COLORS[status], height=0.7,
                    label=_name(STATUS_ZH[status], status, lang))
        for i, v in enumerate(producers):
            ax.text(max(v, widest * 0.012) + widest * 0.015, pos[i], str(v), va="center",
                    fontsize=9, color="#333333")
        for at, tier in heads:
            ax.text(0, at, _name(TIER_ZH.get(tier, tier), tier, lang), va="center",
                    ha="left", fontsize=11.5, color="#000000")
            if at:
                ax.axhline(at - 0.7, color="#cccccc", linewidth=0.8)
        ax.set_yticks(pos, [product_label(r, lang) for _i, r in rows.iterrows()], fontsize=10)
        ax.set_ylim(y - 0.2, -0.8)
        ax.set_xlim(0, widest * 1.12 + 0.3)
        ax.set_xlabel(_say("producers", lang))
        ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(title if title is not None else _say("gaps_title", lang))
        if producers:
            ax.legend(frameon=False, loc="lower right")
    _finish(fig)
    return fig


# -- saving -----------------------------------------------------------------------------
def png_path(path: str | os.PathLike) -> Path:
    """``path`` as a :class:`~pathlib.Path` if a PNG can be written there, else an error.

    Checked before a chart is computed.
    """
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ArgumentError(_("charts are written as PNG: name the file .png, not "
                              "'{file}'").format(file=path.name))
    if not path.parent.is_dir():
        raise ArgumentError(_("cannot write {path}: no such folder {folder}").format(
            path=path, folder=path.parent))
    return path


def save(fig: Figure, path: str | os.PathLike[str], dpi: int = 150) -> Path:
    r"""Write ``fig`` to ``path`` as a PNG (atomically: whole or not at all).

    Examples
    --------
    >>> import tempfile, chainmap, chainmap.charts
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> path = chainmap.charts.save(chainmap.charts.funnel(ws),
    ...                             tempfile.mkdtemp() + "/funnel.png")
    >>> path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    True
    """
    from .files import write_atomic

    path = png_path(path)
    def write(tmp: str) -> None:
        with open(tmp, "wb") as handle:
            fig.savefig(handle, format="png", dpi=dpi, facecolor="white")

    write_atomic(path, write)
    return path
