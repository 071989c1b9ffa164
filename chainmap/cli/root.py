"""The main group ``chainmap``: the workspace options every command shares."""

from __future__ import annotations

import click

from .. import __version__
from ..i18n import _
from .context import Context, lang_from_option
from .errors import ChainmapGroup

__all__ = ["main"]


#: The module of this package that holds each command, imported when the command runs
#: (or when ``--help`` lists them all), so that ``chainmap --version`` and a command load
#: only what they need. ``tests/test_cli_lazy.py`` keeps it equal to the modules' COMMANDS.
MODULES = {
    "import": "data", "export": "data", "sample": "data", "synth": "data", "check": "data",
    "region": "data", "demo": "data", "config": "data",
    "gaps": "analysis", "targets": "analysis", "anchor": "analysis", "metrics": "analysis",
    "impact": "analysis", "graph": "analysis",
    "classify": "intake", "chains": "intake",
    "leads": "leads", "pipeline": "leads", "log": "leads",
    "report": "report_cmds", "firms": "firms", "neo4j": "neo4j", "viz": "pictures",
    "chart": "pictures", "service": "service", "projects": "delivery", "supervise": "delivery",
    "opportunities": "opportunities", "related": "opportunities",
    "backup": "backups", "restore": "backups",
}
#: The short help of each command (its first sentence), so that ``chainmap --help`` lists
#: the commands without importing their modules. ``tests/test_cli_lazy.py`` keeps it equal
#: to each command's own short help (the catalogue translates it as that one).
SHORT_HELP = {
    "anchor": ("Anchor-firm view (链主): the inputs of what FIRM makes, who here makes "
               "them, its local supporting rate (本地配套率), and its known suppliers "
               "split local / target regions / elsewhere (以商招商)."),
    "backup": "Save the whole workspace to FILE, safely while others write to it.",
    "chains": "Reference chain templates (参考产业链模板): list them, add one to the workspace.",
    "chart": "Charts as PNG (Chinese labels): the pipeline funnel, the gap bars.",
    "check": ("Data-quality report: cycles, products nobody makes, idle firms, "
              "missing USCCs, duplicate-looking names."),
    "classify": ("Propose which active firm makes which product, as suggestions to "
                 "review."),
    "config": "Workspace settings.",
    "demo": ("Build a workspace from the bundled Dangtu sample and show what the "
             "zone looks like."),
    "export": ("Export the workspace as a dataset: a folder of CSVs (UTF-8 with BOM, "
               "for Excel), or one workbook when PATH ends in .xlsx."),
    "firms": ("Firms: import an office list or registry export, likely duplicates, "
              "merging."),
    "gaps": ("Gap report: missing (缺链) and weak (弱链) links of CHAIN at the home "
             "zone, local demand, and candidate firms in the target regions, "
             "ranked."),
    "graph": ("Write the chain as a graph (products, firms; input, makes, supplies "
              "edges) for Gephi, yEd or Cytoscape: GraphML or GEXF, by the suffix "
              "of -o."),
    "impact": ("What-if: the products that turn weak or missing if the local FIRM "
               "leaves, and the local firms that lose their only local supplier; "
               "with --add, what a target landing here would close."),
    "import": "Import a dataset (folder of CSVs or one .xlsx or .xls), all or nothing.",
    "leads": ("The lead pipeline (招商线索): add, move, log, follow up, list, import "
              "and export."),
    "log": "The audit log: every change to leads and firms, when and by whom.",
    "metrics": ("Chain completeness at the home zone: share of products made locally, "
                "weak and missing links, per tier and overall."),
    "neo4j": "Share the workspace through Neo4j (Desktop, server, cluster or Aura).",
    "opportunities": ("Which link of CHAIN to attract next, ranked by relatedness, "
                      "complexity and demand."),
    "pipeline": ("Pipeline report: leads and investment (亿元) by stage, region, chain "
                 "and owner; signed investment by year; stage conversion; median days "
                 "per stage; signed projects with 签而未动 flags."),
    "projects": "Signed projects after signing: commitments against delivery (履约).",
    "region": ("Look up regions: paths, bare names, codes, 皖/沪 abbreviations, groups "
               "(苏浙沪)."),
    "related": ("The products nearest to PRODUCT: made as a strength in the same "
                "districts."),
    "report": "Periodic reports for leadership (招商周报 ...).",
    "restore": "Put the backup FILE in place of the workspace, keeping the one it replaces.",
    "sample": "Write the bundled Dangtu (当涂经开区) sample dataset to the folder PATH.",
    "service": ("After signing: the 1+1+1 service of firms, their requests (诉求) and "
                "visits."),
    "supervise": ("Traffic lights (红黄绿灯督办): every yellow and red lead, project and "
                  "request."),
    "synth": ("Write a synthetic dataset (CSV folder OUTDIR) around 当涂县, for tests "
              "and benchmarks."),
    "targets": ("Candidate firms for one gap: who in the target regions makes "
                "PRODUCT, ranked as in the gap report, and why (already supplies a "
                "local firm; revenue rank in its province)."),
    "viz": ("Chain map: CHAIN's products from upstream (left) to downstream "
            "(right), coloured by gap status (缺链 red, 弱链 amber, covered green), "
            "sized by local demand; with --firms, local firms and candidates too."),
}
#: Modules that add subcommands to a group another module holds (``delivery`` adds
#: ``leads actual`` and ``config stage-limit``; ``pictures`` adds ``chart opportunities``
#: through ``opportunities``): imported with the group's own module.
EXTENDS = {"config": ("delivery",), "leads": ("delivery",)}


class LazyGroup(ChainmapGroup):
    """The main group: a command's module is imported when the command is asked for.

    :attr:`commands` (click's mapping of name to command) loads every module on first
    use, for callers that read it directly; :meth:`get_command` loads one.
    """

    _loaded: dict[str, click.Command]
    _all = False

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        """Every command, all modules imported."""
        if not self._all:
            for name in MODULES:
                self._load(name)
            self._all = True
        return self._loaded

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._loaded = dict(value)

    def _load(self, name: str) -> click.Command | None:
        if name not in self._loaded and name in MODULES:
            import importlib

            module = importlib.import_module(f"{__package__}.{MODULES[name]}")
            for command in module.COMMANDS:
                if command.name is not None:
                    self._loaded.setdefault(command.name, command)
        if name in EXTENDS:  # also when the group came with another command's module
            import importlib

            for extension in EXTENDS[name]:
                importlib.import_module(f"{__package__}.{extension}")
        return self._loaded.get(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing only its module."""
        return self._load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`SHORT_HELP`, without importing a command's module.

        The same rows as the commands' own short help would give, in the language of
        the page (:func:`~chainmap.cli.helptext.listed_help`); the modules' own when a
        command outside :data:`SHORT_HELP` is loaded.
        """
        names = self.list_commands(ctx)
        if set(names) != set(SHORT_HELP):
            super().format_commands(ctx, formatter)
            return
        from .helptext import listed_help

        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, listed_help(SHORT_HELP[name], limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted (without importing a module)."""
        return sorted({*MODULES, *self._loaded})


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--lang", type=click.Choice(("en", "zh")), default=None, is_eager=True,
              expose_value=False, callback=lang_from_option,
              help="Language of headers, labels and messages: en or zh (中文); default "
                   "CHAINMAP_LANG, else chainmap config lang, else en. JSON stays "
                   "English.")
@click.version_option(__version__, prog_name="chainmap")
@click.pass_context
def main(ctx: click.Context, db: str | None, store: str | None, neo4j_uri: str | None,
         neo4j_user: str | None, neo4j_database: str | None) -> None:
    """chainmap: industrial-chain maps, gaps (缺链/弱链) and targets for development zones.

    \b
    Start with:  chainmap demo
    Then:        chainmap import DATASET   (a folder of CSVs or one .xlsx)
    """
    import logging  # here, not at the top: --help and --version end before this

    # the Neo4j driver logs connection trouble itself; chainmap reports it as Error: ...
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    if store == "neo4j":
        db = neo4j_uri
        if not db:
            raise click.UsageError(_("--store neo4j needs --neo4j-uri or NEO4J_URI "
                                     "(e.g. bolt://localhost:7687)"))
    ctx.obj = Context(db, {"uri": neo4j_uri, "user": neo4j_user, "database": neo4j_database})
    ctx.obj.peek_lang(ctx)  # the workspace's config lang, unless CHAINMAP_LANG or --lang
    ctx.call_on_close(ctx.obj.close)
