"""Commands that draw: ``viz`` (an HTML chain map) and ``chart ...`` (PNG charts)."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapCommand, ChainmapGroup
from .report import chart_title, say

__all__ = ["COMMANDS"]


@click.command("viz", cls=ChainmapCommand)
@options.CHAIN
@options.HOME
@options.TARGETS
@click.option("--firms", is_flag=True,
              help="Also draw local firms and the top candidates of each gap.")
@click.option("--top", type=click.IntRange(min=0), default=3, show_default=True,
              help="Candidates drawn per missing or weak product (with --firms).")
@click.option("--max-firms", type=click.IntRange(min=0), default=200, show_default=True,
              help="Above this many firm nodes, group firms per product (+N nodes).")
@options.WEAK_THRESHOLD
@options.output_file_option("HTML file to write (works offline, no network needed).")
@options.LANG
@pass_ctx
def viz(c: Context, chain: str, home: str | None, targets: str | None, firms: bool, top: int,
        max_firms: int, weak_threshold: int, output: Path) -> None:
    """Chain map: CHAIN's products from upstream (left) to downstream (right), coloured
    by gap status (缺链 red, 弱链 amber, covered green), sized by local demand; with
    --firms, local firms and candidates too. One self-contained HTML file."""
    from collections import Counter

    from .. import viz as chain_viz

    net = chain_viz.chain_map(c.ws, chain, home=home, targets=targets, firms=firms, top=top,
                              max_firms=max_firms, weak_threshold=weak_threshold)
    chain_viz.write_map(net, output)
    kinds = Counter(n["kind"] for n in net.nodes)
    counts = {"file": output, "products": kinds["product"], "edges": net.num_edges()}
    if not firms:
        say(_("Wrote {file}: {products} products, {edges} edges").format(**counts))
    elif net.aggregated:
        say(_("Wrote {file}: {products} products, {groups} firm groups (+N), {edges} edges")
            .format(groups=kinds["local-group"] + kinds["candidate-group"], **counts))
    else:
        say(_("Wrote {file}: {products} products, {firms} firms, {edges} edges")
            .format(firms=kinds["local"] + kinds["candidate"], **counts))


@click.group("chart", cls=ChainmapGroup)
def chart() -> None:
    """Charts as PNG (Chinese labels): the pipeline funnel, the gap bars."""


@chart.command("funnel")
@click.option("--measure", type=click.Choice(("reached", "current")), default="reached",
              show_default=True,
              help="reached: leads that ever reached each stage; current: leads now there.")
@options.CHART_LANG
@options.CHART_TITLE
@options.output_file_option("PNG file to write.")
@pass_ctx
def funnel(c: Context, measure: str, lang: str, title: str | None, output: Path) -> None:
    """The lead pipeline funnel, 线索 to 投产, with the conversion between stages."""
    from .. import charts

    charts.png_path(output)
    charts.save(charts.funnel(c.ws, measure=measure, lang=lang, title=title), output)
    say(_("Wrote {file}").format(file=output))


@chart.command("gaps")
@options.CHAIN
@options.HOME
@options.TARGETS
@options.WEAK_THRESHOLD
@options.CHART_LANG
@options.CHART_TITLE
@options.output_file_option("PNG file to write.")
@pass_ctx
def gap_bars(c: Context, chain: str, home: str | None, targets: str | None,
             weak_threshold: int, lang: str, title: str | None, output: Path) -> None:
    """Every product of CHAIN by name, its local producers coloured by gap status."""
    import chainmap

    from .. import charts

    charts.png_path(output)
    found = chainmap.gaps(c.ws, chain, home=home, targets=targets,
                          weak_threshold=weak_threshold)
    if title is None:
        title = chart_title(c.ws, chain, home, lang)
    charts.save(charts.gap_bars(found, lang=lang, title=title), output)
    say(_("Wrote {file}").format(file=output))


#: The commands of this module, for the main group.
def _add_opportunities_chart() -> None:
    """``chart opportunities`` lives with the opportunities commands (issue 15)."""
    from .opportunities import chart_opportunities

    chart.add_command(chart_opportunities)


_add_opportunities_chart()
COMMANDS = (viz, chart)
