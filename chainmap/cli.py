"""The ``chainmap`` command line: thin wrappers over the library functions.

Data goes to stdout; messages and progress go to stderr. Exit 0 on success, 1 on
a user error (one ``Error: ...`` line, no traceback), 2 on a usage error.
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import pandas as pd

import chainmap

from . import regions
from .errors import ChainmapError, DatasetError
from .output import FORMATS, render

FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                      show_default=True, help="Output format.")
REPORT_FORMAT = click.option(
    "--format", "fmt", type=click.Choice((*FORMATS, "xlsx")), default="table",
    show_default=True, help="Output format; xlsx needs -o FILE.")
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path),
                      help="Write the report to this file instead of stdout.")
LANG = click.option("--lang", type=click.Choice(("en", "zh")), default="en",
                    show_default=True, help="Column headers in English or Chinese (中文).")
HOME = click.option("--home", metavar="REGION",
                    help="Home zone, e.g. 安徽省/马鞍山市/当涂县 (default: chainmap config home).")


def _say(message: str) -> None:
    click.echo(message, err=True)


def _emit(text: str) -> None:
    click.echo(text)


@contextmanager
def _progress(label: str):
    """``progress(done, total)`` drawing a bar on a terminal; ``None`` when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict = {}

    def progress(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)

    try:
        yield progress
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def _report(sheets: dict[str, pd.DataFrame], fmt: str, output: Path | None,
            lang: str = "en") -> None:
    """Print (or write to ``output``) one or more report frames in ``fmt``."""
    from .output import localize, write_xlsx

    sheets = {name: localize(frame, lang) for name, frame in sheets.items()}
    if fmt == "xlsx" or (output is not None and output.suffix.lower() == ".xlsx"):
        if output is None:
            raise ChainmapError("--format xlsx needs -o FILE.xlsx")
        write_xlsx(sheets, output)
        _say(f"Wrote {output}")
        return
    if fmt == "json" and len(sheets) > 1:
        import json

        from .output import to_records

        text = json.dumps({k: to_records(v) for k, v in sheets.items()}, ensure_ascii=False,
                          indent=2)
    else:
        parts = []
        for name, frame in sheets.items():
            body = render(frame, fmt)
            parts.append(body if len(sheets) == 1 or fmt in ("json", "csv")
                         else f"## {name}\n\n{body}" if fmt == "md" else f"[{name}]\n{body}")
        text = "\n\n".join(parts)
    if output is not None:
        from .io.write import _atomic

        # a .csv file gets a BOM so that Excel on Chinese Windows reads it as UTF-8
        encoding = "utf-8-sig" if output.suffix.lower() == ".csv" else "utf-8"
        _atomic(output, lambda tmp: Path(tmp).write_text(text + "\n", encoding=encoding))
        _say(f"Wrote {output}")
    else:
        _emit(text)


class _Group(click.Group):
    """Turns chainmap errors into ``Error: ...`` and exit 1; never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DatasetError as exc:
            lines = str(exc).splitlines()
            _say(f"Error: {lines[0]}")
            for line in lines[1:]:
                _say(f"  {line}")
            ctx.exit(1)
        except ChainmapError as exc:
            _say(f"Error: {exc}")
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _say("Interrupted. An unfinished write to a SQLite workspace was rolled back; "
                 "an unfinished Neo4j push is repaired by the next push.")
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("CHAINMAP_DEBUG"):
                raise
            _say(f"Error: internal error ({type(exc).__name__}: {exc}); "
                 "set CHAINMAP_DEBUG=1 to see the traceback and please report it")
            ctx.exit(1)


class Context:
    def __init__(self, db: str | None, neo4j: dict | None = None) -> None:
        self.db = db
        self.neo4j = neo4j or {}
        self._ws: chainmap.Workspace | None = None

    @property
    def ws(self) -> chainmap.Workspace:
        if self._ws is None:
            self._ws = chainmap.open(self.db, user=self.neo4j.get("user"),
                                     database=self.neo4j.get("database"))
        return self._ws

    def neo4j_store(self):
        """The Neo4j server named by --neo4j-uri / NEO4J_URI (for push and pull)."""
        from .store.neo4j import Neo4jStore

        return Neo4jStore(self.neo4j.get("uri"), user=self.neo4j.get("user"),
                          database=self.neo4j.get("database"))

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", envvar="CHAINMAP_DB", show_envvar=True,
              help="Workspace file (default ./chainmap.db).")
@click.option("--store", type=click.Choice(("sqlite", "neo4j")), default=None,
              help="neo4j: use the Neo4j server (--neo4j-uri) instead of a SQLite file.")
@click.option("--neo4j-uri", metavar="URI", envvar="NEO4J_URI", show_envvar=True,
              help="bolt:// or neo4j:// URI of the Neo4j server (Desktop, server, Aura).")
@click.option("--neo4j-user", metavar="NAME", envvar="NEO4J_USERNAME", show_envvar=True,
              help="Neo4j user (the password comes only from NEO4J_PASSWORD).")
@click.option("--neo4j-database", metavar="NAME", envvar="NEO4J_DATABASE", show_envvar=True,
              help="Neo4j database (default: the server's default).")
@click.version_option(chainmap.__version__, prog_name="chainmap")
@click.pass_context
def main(ctx: click.Context, db: str | None, store: str | None, neo4j_uri: str | None,
         neo4j_user: str | None, neo4j_database: str | None) -> None:
    """chainmap: industrial-chain maps, gaps (缺链/弱链) and targets for development zones.

    \b
    Start with:  chainmap demo
    Then:        chainmap import DATASET   (a folder of CSVs or one .xlsx)
    """
    # the Neo4j driver logs connection trouble itself; chainmap reports it as Error: ...
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    if store == "neo4j":
        db = neo4j_uri
        if not db:
            raise click.UsageError("--store neo4j needs --neo4j-uri or NEO4J_URI "
                                   "(e.g. bolt://localhost:7687)")
    ctx.obj = Context(db, {"uri": neo4j_uri, "user": neo4j_user, "database": neo4j_database})
    ctx.call_on_close(ctx.obj.close)


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@pass_ctx
def import_(c: Context, path: Path) -> None:
    """Import a dataset (folder of CSVs or one .xlsx), all or nothing.

    CSV files may be UTF-8, UTF-8 with BOM or GBK/GB18030; headers may be English
    or Chinese. On any error nothing is written and every problem is listed.
    Importing the same data again changes nothing.
    """
    if sys.stderr.isatty():
        _say(f"Reading {path} ...")
    with _progress("Writing") as progress:
        result = chainmap.import_dataset(c.ws, path, progress=progress)
    for w in result.warnings:
        _say(f"Warning: {w}")
    _say(f"{result} into {c.ws.location}")


@main.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@pass_ctx
def export(c: Context, path: Path) -> None:
    """Export the workspace as a dataset: a folder of CSVs (UTF-8 with BOM, for
    Excel), or one workbook when PATH ends in .xlsx."""
    files = chainmap.export_dataset(c.ws, path)
    _say(f"Wrote {len(files)} file(s) to {path}")


@main.command("sample")
@click.argument("path", type=click.Path(path_type=Path))
def sample(path: Path) -> None:
    """Write the bundled Dangtu (当涂经开区) sample dataset to the folder PATH."""
    files = chainmap.sample(path)
    _say(f"Wrote the sample ({len(files)} files) to {path}; "
         f"import it with: chainmap import {path}")


@main.command("synth")
@click.option("--firms", type=int, default=10_000, show_default=True,
              help="Number of companies.")
@click.option("--products", type=int, default=300, show_default=True,
              help="Number of products (about one chain per 60).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed: the same seed gives the same files.")
@click.argument("outdir", type=click.Path(path_type=Path))
def synth(firms: int, products: int, seed: int, outdir: Path) -> None:
    """Write a synthetic dataset (CSV folder OUTDIR) around 当涂县, for tests and
    benchmarks. Everything in it is invented."""
    from .synth import synth as make

    rows = make(outdir, firms=firms, products=products, seed=seed)
    _say(f"Wrote {', '.join(f'{n} {t}' for t, n in rows.items())} to {outdir}; "
         f"import it with: chainmap import {outdir}")


@main.command("check")
@FORMAT
@pass_ctx
def check(c: Context, fmt: str) -> None:
    """Data-quality report: cycles, products nobody makes, idle firms, missing USCCs,
    duplicate-looking names. Exit 1 if any row is an error."""
    report = chainmap.check(c.ws)
    _emit(render(report, fmt))
    errors = int((report["severity"] == "error").sum())
    _say(f"{errors} error(s), {len(report) - errors} warning(s)")
    if errors:
        raise click.exceptions.Exit(1)


@main.group("config")
def config() -> None:
    """Workspace settings."""


@config.command("home")
@click.argument("region", required=False)
@click.option("--unset", is_flag=True, help="Forget the home region.")
@pass_ctx
def config_home(c: Context, region: str | None, unset: bool) -> None:
    """Show or set the home region used when --home is omitted
    (e.g. 安徽省/马鞍山市/当涂县)."""
    if unset:
        c.ws.set_home(None)
        _say("Home region unset")
    elif region:
        r = c.ws.set_home(region)
        _say(f"Home region set to {r.path} ({r.code})")
    home = c.ws.home
    if not unset:
        _emit(home.path if home else "(not set)")


@main.command("region")
@click.argument("names", nargs=-1, required=True)
@FORMAT
def region(names: tuple[str, ...], fmt: str) -> None:
    """Look up regions: paths, bare names, codes, 皖/沪 abbreviations, groups (苏浙沪)."""
    found = regions.resolve_many(list(names))
    frame = pd.DataFrame([{"code": r.code, "path": r.path, "level": r.level,
                           "name_en": r.name_en or ""} for r in found])
    _emit(render(frame, fmt))


@main.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default="chainmap-demo.db",
              show_default=True, help="Demo workspace file (made anew each time).")
def demo(out: Path) -> None:
    """Build a workspace from the bundled Dangtu sample and show what the zone looks like."""
    _emit(chainmap.demo(out))


@main.command("gaps")
@click.option("--chain", required=True, help="Chain id or name (e.g. 智能家电).")
@HOME
@click.option("--targets", metavar="R1,R2", help="Target regions or groups (default 苏浙沪).")
@click.option("--weak-threshold", type=click.IntRange(min=1), default=2, show_default=True,
              help="Fewer local producers than this (but some) is a weak link.")
@REPORT_FORMAT
@OUTPUT
@LANG
@pass_ctx
def gaps(c: Context, chain: str, home: str | None, targets: str | None, weak_threshold: int,
         fmt: str, output: Path | None, lang: str) -> None:
    """Gap report: missing (缺链) and weak (弱链) links of CHAIN at the home zone, local
    demand, and candidate firms in the target regions, ranked."""
    report = chainmap.gaps(c.ws, chain, home=home, targets=targets,
                           weak_threshold=weak_threshold)
    if fmt == "table" and output is None:
        report = _gap_table(c.ws, report)
    _report({"gaps": report}, fmt, output, lang)


def _gap_table(ws: chainmap.Workspace, report: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The terminal view: candidate names (top few) instead of the id lists."""
    names = ws.table("companies").set_index("id")["name"]
    view = report.drop(columns=["name_en", "local_firms", "explanation"]).copy()
    view["candidates"] = [
        ", ".join(names.get(i, i) for i in ids[:top]) + (f" +{len(ids) - top}"
                                                         if len(ids) > top else "")
        for ids in report["candidates"]]
    return view


# -- targets, anchor, metrics, impact, graph (gap analysis around the contract) ------------
TARGETS = click.option("--targets", metavar="R1,R2",
                       help="Target regions or groups (default 苏浙沪).")
WEAK_THRESHOLD = click.option(
    "--weak-threshold", type=click.IntRange(min=1), default=2, show_default=True,
    help="Fewer local producers than this (but some) is a weak link.")


@main.command("targets")
@click.option("--chain", required=True, help="Chain id or name (e.g. 智能家电).")
@click.option("--product", required=True, help="Product id or name (e.g. 电容器, capacitor).")
@HOME
@TARGETS
@REPORT_FORMAT
@OUTPUT
@LANG
@pass_ctx
def targets(c: Context, chain: str, product: str, home: str | None, targets: str | None,
            fmt: str, output: Path | None, lang: str) -> None:
    """Candidate firms for one gap: who in the target regions makes PRODUCT, ranked as in
    the gap report, and why (already supplies a local firm; revenue rank in its
    province)."""
    report = chainmap.targets(c.ws, chain, product, home=home, targets=targets)
    if report.empty:
        _say("No firm in the target regions makes this product")
    _report({"targets": report}, fmt, output, lang)


@main.command("anchor")
@click.argument("firm")
@HOME
@TARGETS
@WEAK_THRESHOLD
@REPORT_FORMAT
@OUTPUT
@LANG
@pass_ctx
def anchor(c: Context, firm: str, home: str | None, targets: str | None, weak_threshold: int,
           fmt: str, output: Path | None, lang: str) -> None:
    """Anchor-firm view (链主): the inputs of what FIRM makes, who here makes them,
    its local supporting rate (本地配套率), and its known suppliers split local /
    target regions / elsewhere (以商招商). FIRM is an id, USCC or exact name."""
    report = chainmap.anchor(c.ws, firm, home=home, targets=targets,
                             weak_threshold=weak_threshold)
    _say(str(report))
    _say(report.definition)
    _report(report.sheets(), fmt, output, lang)


@main.command("metrics")
@click.option("--chain", help="Chain id or name (default: every chain).")
@HOME
@WEAK_THRESHOLD
@REPORT_FORMAT
@OUTPUT
@LANG
@pass_ctx
def metrics(c: Context, chain: str | None, home: str | None, weak_threshold: int, fmt: str,
            output: Path | None, lang: str) -> None:
    """Chain completeness at the home zone: share of products made locally, weak and
    missing links, per tier and overall."""
    report = chainmap.metrics(c.ws, chain, home=home, weak_threshold=weak_threshold)
    _report({"metrics": report}, fmt, output, lang)


@main.command("impact")
@click.argument("firm")
@HOME
@click.option("--chain", help="Only the products of this chain (id or name).")
@click.option("--add", is_flag=True,
              help="FIRM is a target outside the home zone: what changes if it lands here.")
@WEAK_THRESHOLD
@REPORT_FORMAT
@OUTPUT
@LANG
@pass_ctx
def impact(c: Context, firm: str, home: str | None, chain: str | None, add: bool,
           weak_threshold: int, fmt: str, output: Path | None, lang: str) -> None:
    """What-if: the products that turn weak or missing if the local FIRM leaves, and the
    local firms that lose their only local supplier; with --add, what a target landing
    here would close."""
    report = chainmap.impact(c.ws, firm, home=home, chain=chain, add=add,
                             weak_threshold=weak_threshold)
    _say(str(report))
    _report(report.sheets(), fmt, output, lang)


@main.command("graph")
@click.option("--chain", help="Chain id or name (default: the whole workspace).")
@HOME
@click.option("--no-firms", is_flag=True, help="Products and their inputs only.")
@WEAK_THRESHOLD
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write: .graphml or .gexf.")
@pass_ctx
def graph(c: Context, chain: str | None, home: str | None, no_firms: bool,
          weak_threshold: int, output: Path) -> None:
    """Write the chain as a graph (products, firms; input, makes, supplies edges) for
    Gephi, yEd or Cytoscape: GraphML or GEXF, by the suffix of -o."""
    from .analysis.graph import graph_format

    graph_format(output)  # refuse a bad suffix before building anything
    G = chainmap.graph(c.ws, chain=chain, home=home, firms=not no_firms,
                       weak_threshold=weak_threshold)
    chainmap.write_graph(G, output)
    _say(f"Wrote {output}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")


@main.command("viz")
@click.option("--chain", required=True, help="Chain id or name (e.g. 智能家电).")
@HOME
@TARGETS
@click.option("--firms", is_flag=True,
              help="Also draw local firms and the top candidates of each gap.")
@click.option("--top", type=click.IntRange(min=0), default=3, show_default=True,
              help="Candidates drawn per missing or weak product (with --firms).")
@click.option("--max-firms", type=click.IntRange(min=0), default=200, show_default=True,
              help="Above this many firm nodes, group firms per product (+N nodes).")
@WEAK_THRESHOLD
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="HTML file to write (works offline, no network needed).")
@pass_ctx
def viz(c: Context, chain: str, home: str | None, targets: str | None, firms: bool, top: int,
        max_firms: int, weak_threshold: int, output: Path) -> None:
    """Chain map: CHAIN's products from upstream (left) to downstream (right), coloured
    by gap status (缺链 red, 弱链 amber, covered green), sized by local demand; with
    --firms, local firms and candidates too. One self-contained HTML file."""
    from . import viz as chain_viz

    net = chain_viz.chain_map(c.ws, chain, home=home, targets=targets, firms=firms, top=top,
                              max_firms=max_firms, weak_threshold=weak_threshold)
    chain_viz.write_map(net, output)
    kinds = pd.Series([n["kind"] for n in net.nodes]).value_counts()
    firm_part = ""
    if firms:
        n_firms = int(kinds.get("local", 0) + kinds.get("candidate", 0))
        groups = int(kinds.get("local-group", 0) + kinds.get("candidate-group", 0))
        firm_part = (f", {groups} firm groups (+N)" if net.aggregated
                     else f", {n_firms} firms")
    _say(f"Wrote {output}: {int(kinds.get('product', 0))} products{firm_part}, "
         f"{net.num_edges()} edges")


@main.group("neo4j")
def neo4j_group() -> None:
    """Share the workspace through Neo4j (Desktop, server, cluster or Aura).

    The server comes from --neo4j-uri or NEO4J_URI, the user from --neo4j-user or
    NEO4J_USERNAME, the password only from NEO4J_PASSWORD (never printed), the database
    from --neo4j-database or NEO4J_DATABASE.
    """


def _counts(added: dict[str, int]) -> str:
    return ", ".join(f"{n} new {t}" for t, n in added.items() if t != "product_chains")


@neo4j_group.command("push")
@pass_ctx
def neo4j_push(c: Context) -> None:
    """Send the workspace (--db), lead pipeline included, to Neo4j in batches; running
    it again repairs a push that stopped midway."""
    store = c.neo4j_store()
    try:
        if store.push_state() == "incomplete":
            _say("The last push to this database stopped midway; this push repairs it.")
        with _progress("Pushing") as progress:
            added = chainmap.push(c.ws, store, progress=progress)
    finally:
        store.close()
    _say(f"Pushed {c.ws.location} to {store.uri}: {_counts(added)}")


@neo4j_group.command("pull")
@pass_ctx
def neo4j_pull(c: Context) -> None:
    """Bring a Neo4j database (and its lead pipeline) into the workspace (--db),
    upserting by id, all or nothing."""
    store = c.neo4j_store()
    try:
        with _progress("Pulling") as progress:
            added = chainmap.pull(c.ws, store, progress=progress)
    finally:
        store.close()
    _say(f"Pulled {store.uri} into {c.ws.location}: {_counts(added)}")


@main.group("chart")
def chart() -> None:
    """Charts as PNG (Chinese labels): the pipeline funnel, the gap bars."""


CHART_LANG = click.option("--lang", type=click.Choice(("zh", "en", "both")), default="both",
                          show_default=True, help="Labels in Chinese, English or both.")
CHART_TITLE = click.option("--title", help="Chart title (default: a standard one).")
CHART_OUTPUT = click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
                            help="PNG file to write.")


@chart.command("funnel")
@click.option("--measure", type=click.Choice(("reached", "current")), default="reached",
              show_default=True,
              help="reached: leads that ever reached each stage; current: leads now there.")
@CHART_LANG
@CHART_TITLE
@CHART_OUTPUT
@pass_ctx
def chart_funnel(c: Context, measure: str, lang: str, title: str | None, output: Path) -> None:
    """The lead pipeline funnel, 线索 to 投产, with the conversion between stages."""
    from . import charts

    charts.png_path(output)
    charts.save(charts.funnel(c.ws, measure=measure, lang=lang, title=title), output)
    _say(f"Wrote {output}")


@chart.command("gaps")
@click.option("--chain", required=True, help="Chain id or name (e.g. 智能家电).")
@HOME
@TARGETS
@WEAK_THRESHOLD
@CHART_LANG
@CHART_TITLE
@CHART_OUTPUT
@pass_ctx
def chart_gaps(c: Context, chain: str, home: str | None, targets: str | None,
               weak_threshold: int, lang: str, title: str | None, output: Path) -> None:
    """Missing (缺链), weak (弱链) and covered products per tier of CHAIN at home."""
    from . import charts

    charts.png_path(output)
    report = chainmap.gaps(c.ws, chain, home=home, targets=targets,
                           weak_threshold=weak_threshold)
    if title is None:
        chains = c.ws.table("chains").set_index("id")["name"]
        chain_id = c.ws.chain_id(chain)
        title = f"{chains.get(chain_id, chain_id)} · {c.ws.resolve_home(home).path}"
    charts.save(charts.gap_bars(report, lang=lang, title=title), output)
    _say(f"Wrote {output}")


# The lead pipeline (招商线索): leads ..., pipeline, firms ..., log, config overdue-days.
from .crm.commands import register as _register_crm  # noqa: E402

_register_crm(main)


def run() -> None:  # pragma: no cover - console entry point
    main(prog_name="chainmap")
