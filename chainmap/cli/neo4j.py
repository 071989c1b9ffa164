"""``chainmap neo4j push`` and ``pull``: share a workspace through a Neo4j server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..i18n import _, counted, join
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import progress, say

if TYPE_CHECKING:
    from ..store.neo4j import PushResult

__all__ = ["COMMANDS"]


@click.group("neo4j", cls=ChainmapGroup)
def neo4j() -> None:
    """Share the workspace through Neo4j (Desktop, server, cluster or Aura).

    The server comes from --neo4j-uri or NEO4J_URI, the user from --neo4j-user or
    NEO4J_USERNAME, the password only from NEO4J_PASSWORD (never printed), the database
    from --neo4j-database or NEO4J_DATABASE.
    """


def _counts(added: dict[str, int]) -> str:
    """``added 1 product, 3 companies`` (dataset tables; chain memberships not counted)."""
    from ..store.base import TABLE_COLUMNS

    # in the order of the dataset's tables, whatever order the push wrote them in
    return _("added {rows}").format(rows=join(
        counted(added[t], t) for t in TABLE_COLUMNS if t in added and t != "product_chains"))


def _pushed(added: PushResult) -> str:
    """:func:`_counts`, and the rows a push replaced or deleted (in every table)."""
    changed = sum(added.changed.values())
    deleted = sum(added.deleted.values())
    if not changed and not deleted:
        return _counts(added)
    changes = _("{counts}; {changed} row changed, {deleted} removed") if changed == 1 else \
        _("{counts}; {changed} rows changed, {deleted} removed")
    return changes.format(counts=_counts(added), changed=changed, deleted=deleted)


@neo4j.command("push")
@options.LANG
@pass_ctx
def push(c: Context) -> None:
    """Make Neo4j equal to the workspace (--db), lead pipeline included: send what is
    new or changed, delete what is gone; running it again finishes a push that stopped
    midway. After the first push only the changes made since the last push to the same
    database are read and sent."""
    import chainmap

    store = c.neo4j_store()
    try:
        if store.push_state() == "incomplete":
            say(_("The last push to this database stopped midway; this push repairs it."))
        with progress(_("Pushing")) as bar:
            added = chainmap.push(c.ws, store, progress=bar)
    finally:
        store.close()
    if added.incremental:
        # the log's rows are writes (an upsert of a firm logs its firm once per table it
        # touched), not rows sent: what was sent is in the counts
        say(_("Pushed {workspace} to {uri}: compared what {changes} writes logged since the "
              "last push touched; {counts}").format(workspace=c.ws.location, uri=store.uri,
                                                     changes=added.changes,
                                                     counts=_pushed(added)))
    else:
        say(_("Pushed {workspace} to {uri} (compared the whole workspace): {counts}").format(
            workspace=c.ws.location, uri=store.uri, counts=_pushed(added)))
    if added.maker_lists:
        say((_("Rewrote the gap report's maker list of {n} product.")
             if added.maker_lists == 1 else
             _("Rewrote the gap report's maker lists of {n} products.")).format(
                 n=added.maker_lists))


@neo4j.command("pull")
@options.LANG
@pass_ctx
def pull(c: Context) -> None:
    """Bring a Neo4j database (and its lead pipeline) into the workspace (--db),
    upserting by id, all or nothing."""
    import chainmap

    store = c.neo4j_store()
    try:
        with progress(_("Pulling")) as bar:
            added = chainmap.pull(c.workspace(create=True), store, progress=bar)
    finally:
        store.close()
    say(_("Pulled {uri} into {workspace}: {counts}").format(uri=store.uri,
                                                             workspace=c.ws.location,
                                                             counts=_counts(added)))


#: The commands of this module, for the main group.
COMMANDS = (neo4j,)
