"""The main group ``chainmap``: the workspace options every command shares."""

from __future__ import annotations

import logging

import click

from .. import __version__
from ..i18n import _
from .context import Context
from .errors import ChainmapGroup

__all__ = ["main"]


@click.group(cls=ChainmapGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
