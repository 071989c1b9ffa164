"""Commands that rank what to attract next: opportunities, related, chart opportunities."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import _, label, language
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapCommand
from .report import chart_title, report, say

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMMANDS", "chart_opportunities"]

STRATEGY = click.option(
    "--strategy", type=click.Choice(("balanced", "near", "bets")), default="balanced",
    show_default=True,
    help="near: within reach (related products and local buyers here); bets: complex "
         "products that open the most further ones; balanced: between.")
WEIGHT = click.option(
    "--weight", type=click.Choice(("firms", "revenue")), default="firms", show_default=True,
    help="What a region has of a product: its firms making it, or their revenue.")
#: Columns of the terminal table (the explanation and English name are in the other
#: formats).
_TABLE = ("product", "name", "status", "rca", "present", "density", "pci", "cog",
          "upstream_local", "downstream_local", "local_demand", "n_candidates", "score")


def _warned(call: object) -> tuple[object, list[str]]:
    """``call()``, and the texts of the :class:`~chainmap.ThinDataWarning` it raised."""
    from ..analysis.opportunities import ThinDataWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ThinDataWarning)
        result = call()  # type: ignore[operator]
    notes = []
    for w in caught:
        if issubclass(w.category, ThinDataWarning):
            notes.append(str(w.message))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return result, notes


@click.command("opportunities", cls=ChainmapCommand)
@options.CHAIN
@options.HOME
@STRATEGY
@WEIGHT
@options.TARGETS
@options.WEAK_THRESHOLD
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def opportunities(c: Context, chain: str, home: str | None, strategy: str, weight: str,
                  targets: str | None, weak_threshold: int, fmt: str,
                  output: Path | None) -> None:
    """Which link of CHAIN to attract next, ranked by relatedness, complexity and demand.

    Every product of CHAIN with its advantage here (rca, present), relatedness density
    (related products already made here), complexity (pci) and complexity outlook gain
    (cog), how many of its inputs and uses are made here, local demand and candidates,
    and a score weighted by --strategy; the products not yet a local strength first.
    """
    import chainmap

    found, notes = _warned(lambda: chainmap.opportunities(
        c.ws, chain, home=home, strategy=strategy, weight=weight, targets=targets,
        weak_threshold=weak_threshold))
    for note in notes:
        say(_("Warning: {message}").format(message=note))
    frame: pd.DataFrame = found  # type: ignore[assignment]
    if fmt == "table" and output is None:
        frame = frame.loc[:, list(_TABLE)]
    if fmt in ("table", "md"):  # two decimals, before 得分 takes the place of score
        from ..output import rounded

        frame = rounded(frame)
    if language() == "zh" and fmt != "json":  # 得分 here; the column label `score` is 相似度
        frame = frame.rename(columns={"score": label("column", "opportunity_score", "zh")})
    # no firm ids to name (ws=None): naming would read every firm of the workspace
    report({"opportunities": frame}, fmt, output, ws=None)


@click.command("related", cls=ChainmapCommand)
@click.option("--product", required=True, help="Product id or name (e.g. 压缩机, compressor).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many products to list.")
@WEIGHT
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def related(c: Context, product: str, top: int, weight: str, fmt: str,
            output: Path | None) -> None:
    """The products nearest to PRODUCT: made as a strength in the same districts.

    Proximity is the number of regions strong in both (RCA at least 1) over the larger
    number strong in either; is_input and is_use mark the bill-of-materials links.
    """
    import chainmap

    found = chainmap.related(c.ws, product, top=top, weight=weight)
    if found.empty:
        say(_("No region has {product} as a strength (RCA at least 1): nothing is related "
              "to it yet").format(product=product))
    if fmt == "table" and output is None:  # report() rounds the proximity
        found = found.drop(columns=["name_en", "explanation"])
    report({"related": found}, fmt, output, ws=None)


@click.command("opportunities", cls=ChainmapCommand)
@options.CHAIN
@options.HOME
@WEIGHT
@options.TARGETS
@options.CHART_LANG
@options.CHART_TITLE
@options.output_file_option("PNG file to write.")
@pass_ctx
def chart_opportunities(c: Context, chain: str, home: str | None, weight: str,
                        targets: str | None, lang: str, title: str | None,
                        output: Path) -> None:
    """Advantage (RCA, x) against relatedness density (y) of CHAIN's products.

    Coloured by gap status; the possible entrants (not made here, high density) named.
    """
    import chainmap

    from .. import charts, opportunity_chart

    charts.png_path(output)
    found, notes = _warned(lambda: chainmap.opportunities(
        c.ws, chain, home=home, weight=weight, targets=targets))
    for note in notes:
        say(_("Warning: {message}").format(message=note))
    if title is None:
        title = chart_title(c.ws, chain, home, lang)
    frame: pd.DataFrame = found  # type: ignore[assignment]
    charts.save(opportunity_chart.opportunity_scatter(frame, lang=lang, title=title), output)
    say(_("Wrote {file}").format(file=output))


#: The commands of this module, for the main group (``chart opportunities`` joins the
#: ``chart`` group).
COMMANDS = (opportunities, related)
