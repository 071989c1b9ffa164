"""The main group ``chainmap``: the workspace options every command shares."""

from __future__ import annotations

import logging

import click

from .. import __version__
from ..i18n import _
from .context import Context
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
@click.version_option(__version__, prog_name="chainmap")
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
            raise click.UsageError(_("--store neo4j needs --neo4j-uri or NEO4J_URI "
                                     "(e.g. bolt://localhost:7687)"))
    ctx.obj = Context(db, {"uri": neo4j_uri, "user": neo4j_user, "database": neo4j_database})
    ctx.obj.peek_lang(ctx)  # the workspace's config lang, unless CHAINMAP_LANG or --lang
    ctx.call_on_close(ctx.obj.close)
