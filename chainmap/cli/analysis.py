"""Commands that analyse a chain at the home zone: gaps, targets, anchor, metrics, impact,
graph."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import _
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapCommand
from .report import report, say

if TYPE_CHECKING:
    import pandas as pd

    from ..workspace import Workspace

__all__ = ["COMMANDS"]


@click.command("gaps", cls=ChainmapCommand)
@options.CHAIN
@options.HOME
@options.TARGETS
@options.WEAK_THRESHOLD
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def gaps(c: Context, chain: str, home: str | None, targets: str | None, weak_threshold: int,
         fmt: str, output: Path | None) -> None:
    """Gap report: missing (缺链) and weak (弱链) links of CHAIN at the home zone, local
    demand, and candidate firms in the target regions, ranked."""
    import chainmap

    _announce(c.ws)
    found = chainmap.gaps(c.ws, chain, home=home, targets=targets,
                          weak_threshold=weak_threshold)
    if fmt == "table" and output is None:
        found = _gap_table(found)
    report({"gaps": found}, fmt, output, ws=c.ws)


def _announce(ws: Workspace) -> None:
    """Say (standard error) that this report first codes a big workspace's firms.

    The first report after a change of the firms of a workspace of a million takes seconds
    (:func:`chainmap.analysis.gaps.codes_to_build`); later ones read the codes.
    """
    import importlib

    firms = importlib.import_module("chainmap.analysis.gaps").codes_to_build(ws)
    if firms:
        say(_("Preparing the reports' index of {firms} firms: the first report after a "
              "change of the firms builds it (seconds per million firms), later ones read "
              "it").format(firms=f"{firms:,}"))


def _gap_table(found: pd.DataFrame) -> pd.DataFrame:
    """The terminal view: without the English name, the local firms and the explanation
    (:func:`~chainmap.cli.report.report` then shows the candidates as a few names)."""
    return found.drop(columns=["name_en", "local_firms", "explanation"])


@click.command("targets", cls=ChainmapCommand)
@options.CHAIN
@click.option("--product", required=True, help="Product id or name (e.g. 电容器, capacitor).")
@options.HOME
@options.TARGETS
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def targets(c: Context, chain: str, product: str, home: str | None, targets: str | None,
            fmt: str, output: Path | None) -> None:
    """Candidate firms for one gap: who in the target regions makes PRODUCT, ranked as in
    the gap report, and why (already supplies a local firm; revenue rank in its
    province)."""
    import chainmap

    _announce(c.ws)
    found = chainmap.targets(c.ws, chain, product, home=home, targets=targets)
    if found.empty:
        say(_("No firm in the target regions makes this product"))
    report({"targets": found}, fmt, output, ws=c.ws)


@click.command("anchor", cls=ChainmapCommand)
@click.argument("firm")
@options.HOME
@options.TARGETS
@options.WEAK_THRESHOLD
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def anchor(c: Context, firm: str, home: str | None, targets: str | None, weak_threshold: int,
           fmt: str, output: Path | None) -> None:
    """Anchor-firm view (链主): the inputs of what FIRM makes, who here makes them,
    its local supporting rate (本地配套率), and its known suppliers split local /
    target regions / elsewhere (以商招商). FIRM is an id, USCC or exact name."""
    import chainmap

    _announce(c.ws)
    found = chainmap.anchor(c.ws, firm, home=home, targets=targets,
                            weak_threshold=weak_threshold)
    say(str(found))
    say(found.definition)
    report(found.sheets(), fmt, output, ws=c.ws)


@click.command("metrics", cls=ChainmapCommand)
@options.chain_option("Chain id or name (default: every chain).")
@options.HOME
@options.WEAK_THRESHOLD
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def metrics(c: Context, chain: str | None, home: str | None, weak_threshold: int, fmt: str,
            output: Path | None) -> None:
    """Chain completeness at the home zone: share of products made locally, weak and
    missing links, per tier and overall."""
    import chainmap

    _announce(c.ws)
    found = chainmap.metrics(c.ws, chain, home=home, weak_threshold=weak_threshold)
    report({"metrics": found}, fmt, output, ws=c.ws)


@click.command("impact", cls=ChainmapCommand)
@click.argument("firm")
@options.HOME
@options.chain_option("Only the products of this chain (id or name).")
@click.option("--add", is_flag=True,
              help="FIRM is a target outside the home zone: what changes if it lands here.")
@options.WEAK_THRESHOLD
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def impact(c: Context, firm: str, home: str | None, chain: str | None, add: bool,
           weak_threshold: int, fmt: str, output: Path | None) -> None:
    """What-if: the products that turn weak or missing if the local FIRM leaves, and the
    local firms that lose their only local supplier; with --add, what a target landing
    here would close."""
    import chainmap

    _announce(c.ws)
    found = chainmap.impact(c.ws, firm, home=home, chain=chain, add=add,
                            weak_threshold=weak_threshold)
    say(str(found))
    report(found.sheets(), fmt, output, ws=c.ws)


@click.command("graph", cls=ChainmapCommand)
@options.chain_option("Chain id or name (default: the whole workspace).")
@options.HOME
@click.option("--no-firms", is_flag=True, help="Products and their inputs only.")
@options.WEAK_THRESHOLD
@options.output_file_option("File to write: .graphml or .gexf.")
@options.LANG
@pass_ctx
def graph(c: Context, chain: str | None, home: str | None, no_firms: bool,
          weak_threshold: int, output: Path) -> None:
    """Write the chain as a graph (products, firms; input, makes, supplies edges) for
    Gephi, yEd or Cytoscape: GraphML or GEXF, by the suffix of -o."""
    import chainmap

    from ..analysis.graph import graph_format

    graph_format(output)  # refuse a bad suffix before building anything
    G = chainmap.graph(c.ws, chain=chain, home=home, firms=not no_firms,
                       weak_threshold=weak_threshold)
    chainmap.write_graph(G, output)
    say(_("Wrote {file}: {nodes} nodes, {edges} edges").format(
        file=output, nodes=G.number_of_nodes(), edges=G.number_of_edges()))


#: The commands of this module, for the main group.
COMMANDS = (gaps, targets, anchor, metrics, impact, graph)
