"""The opportunity scatter: advantage (RCA) against relatedness density, entrants named.

Each product of a chain is a point: how much more of it the home makes than its fair
share (RCA, x; 1 is the average share, drawn as a dashed line) against how much of what
goes with it the home already makes (relatedness density, y), coloured by gap status
(缺链 red, 弱链 amber, covered green). The *possible entrants*, products not made here
at all (RCA 0) whose density is high, are named: the links within reach.

Drawn with the helpers of :mod:`chainmap.charts` (Chinese font, Agg canvas, PNG in
Jupyter); matplotlib is imported only when a chart is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import ArgumentError
from .i18n import N_, _, translate
from .labels import STATUS_ZH, product_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["ENTRANT_SHARE", "opportunity_scatter", "possible_entrants"]

#: A product not made here (RCA 0) is a possible entrant when its density is in the top
#: this share of the densities of the chain's products not made here (and above 0).
ENTRANT_SHARE = 1 / 3

_TITLE = N_("Which link to attract: advantage and relatedness")
_X = N_("advantage in the product (RCA; 1 = average share)")
_Y = N_("relatedness density (share of related products made here)")
_ENTRANTS = N_("possible entrants (not made here, high density)")
_AVERAGE = N_("average share (RCA 1)")


def _words(message: str, lang: str) -> str:
    """``message`` in ``lang``: ``zh``, ``en``, or ``both`` (Chinese, then English)."""
    zh, en = translate(message, "zh"), message
    return {"zh": zh, "en": en}.get(lang, f"{zh}\n{en}" if len(zh) + len(en) > 40
                                    else f"{zh} {en}")


def possible_entrants(report: pd.DataFrame, share: float = ENTRANT_SHARE) -> pd.Series:
    """Which products of an opportunity report are possible entrants.

    Not made here (``rca`` 0) and with a relatedness density above 0 and in the top
    ``share`` of the densities of the report's products not made here.

    Parameters
    ----------
    report
        A frame of :func:`chainmap.opportunities` (columns ``rca``, ``density``).
    share
        The top share of densities that counts as high (default one third).

    Returns
    -------
    pandas.Series
        One bool per row.
    """
    absent = report["rca"].to_numpy(dtype=float) == 0
    values = report["density"].to_numpy(dtype=float)
    if not absent.any():
        return pd.Series(False, index=report.index)
    cut = float(np.quantile(values[absent], 1 - share))
    return pd.Series(absent & (values > 0) & (values >= cut), index=report.index)


def opportunity_scatter(report: pd.DataFrame, lang: str | None = None, title: str | None = None,
                        ax: Axes | None = None,
                        figsize: tuple[float, float] = (9, 6.5)) -> Figure:
    """RCA (x) against relatedness density (y) of every product; entrants named.

    Parameters
    ----------
    report
        A frame of :func:`chainmap.opportunities` (English columns).
    lang
        Labels in ``zh``, ``en`` or ``both``; default ``zh`` when Chinese is the current
        language, else ``both``. Products are named in Chinese unless ``lang="en"`` and
        the product has an English name.
    title
        The title; default 招商方向：比较优势与关联密度 (Which link to attract).
    ax
        Draw into this matplotlib Axes instead of a new figure.
    figsize
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.figure.Figure
        The x axis is linear from 0 to 1 and logarithmic above (RCA runs to tens); the
        entrants (:func:`possible_entrants`) are drawn larger with a black edge and named
        in a column beside them, each with a line to its point.

    Examples
    --------
    >>> import warnings, chainmap
    >>> from chainmap.opportunity_chart import opportunity_scatter
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     report = chainmap.opportunities(ws, "智能家电", home="当涂县")
    >>> sorted(report.loc[possible_entrants(report), "product"])
    ['abs-resin', 'compressor', 'controller', 'pcb', 'refrigeration-unit']
    >>> fig = opportunity_scatter(report, lang="zh")
    >>> [t.get_text() for t in fig.axes[0].texts][1:3]  # top down, after the RCA 1 note
    ['工程塑料（ABS）', '控制器（主控板）']
    """
    from matplotlib.ticker import NullLocator

    from .charts import COLORS, _axes, _check_lang, _finish, _rc

    lang = _check_lang(lang)
    needed = {"name", "rca", "density", "status"}
    if not isinstance(report, pd.DataFrame) or not needed <= set(report.columns):
        raise ArgumentError(_("opportunity_scatter() needs a report of chainmap.opportunities() "
                              "(columns 'name', 'rca', 'density', 'status', English headers)"))
    entrants = possible_entrants(report)
    x = report["rca"].to_numpy(dtype=float)
    y = report["density"].to_numpy(dtype=float)

    with _rc():
        fig, ax = _axes(ax, figsize)
        ax.set_xscale("symlog", linthresh=1.0, linscale=1.0)
        for status in STATUS_ZH:
            mine = (report["status"] == status).to_numpy()
            if not mine.any():
                continue
            word = {"zh": STATUS_ZH[status], "en": status}.get(lang,
                                                               f"{STATUS_ZH[status]} {status}")
            plain = mine & ~entrants.to_numpy()
            ax.scatter(x[plain], y[plain], s=36, color=COLORS[status], alpha=0.8,
                       linewidths=0, label=word, zorder=2)
            star = mine & entrants.to_numpy()
            ax.scatter(x[star], y[star], s=90, color=COLORS[status], edgecolors="black",
                       linewidths=1.2, zorder=3)
        if entrants.any():
            ax.scatter([], [], s=90, facecolors="white", edgecolors="black", linewidths=1.2,
                       label=_words(_ENTRANTS, lang))
        ax.axvline(1.0, color="#888888", linestyle="--", linewidth=1, zorder=1)
        top = max(1.0, float(np.nanmax(y)) if len(y) else 1.0)
        ax.text(1.0, top * 1.02, _words(_AVERAGE, lang), ha="center", va="bottom",
                fontsize=9, color="#555555")
        # the entrants' names in a column right of RCA 0, evenly spaced, top down
        rows = report[entrants].assign(_y=y[entrants.to_numpy()]).sort_values(
            "_y", ascending=False)
        if len(rows):
            gap = top * 0.055
            slots: list[float] = []
            for value in rows["_y"]:
                slot = min(value, slots[-1] - gap) if slots else value
                slots.append(slot)
            shift = min(0.0, slots[-1] - 0.0) if slots else 0.0
            slots = [s - shift for s in slots]
            for (_index, row), slot in zip(rows.iterrows(), slots):
                ax.annotate(product_label(row, lang), xy=(0.0, row["_y"]), xytext=(0.42, slot),
                            textcoords="data", va="center", ha="left", fontsize=10.5,
                            color="#000000",
                            arrowprops={"arrowstyle": "-", "color": "#777777",
                                        "linewidth": 0.8, "shrinkA": 2, "shrinkB": 4})
        right = max(2.0, float(np.nanmax(x)) * 1.5 if len(x) else 2.0)
        ax.set_xlim(-0.08, right)
        ticks = [t for t in (0, 0.5, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500) if t <= right]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_ylim(-0.04, top * 1.1)
        ax.set_xlabel(_words(_X, lang))
        ax.set_ylabel(_words(_Y, lang))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(title if title is not None else _words(_TITLE, lang))
        ax.legend(frameon=True, framealpha=0.9, edgecolor="#dddddd", loc="lower right",
                  fontsize=9)
    _finish(fig)
    return fig
