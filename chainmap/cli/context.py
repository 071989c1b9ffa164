"""What every command gets from the main group: the workspace, opened when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..store.neo4j import Neo4jStore
    from ..workspace import Workspace

__all__ = ["Context", "pass_ctx"]


class Context:
    """The options of the main group, and the workspace they name.

    Parameters
    ----------
    db : str or None
        The workspace: a SQLite file, or a Neo4j URI (``--store neo4j``).
    neo4j : dict or None
        ``uri``, ``user`` and ``database`` of the Neo4j server.
    """

    def __init__(self, db: str | None, neo4j: dict | None = None) -> None:
        self.db = db
        self.neo4j = neo4j or {}
        self._ws: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        """The workspace, opened on first use."""
        if self._ws is None:
            import chainmap

            self._ws = chainmap.open(self.db, user=self.neo4j.get("user"),
                                     database=self.neo4j.get("database"))
        return self._ws

    def neo4j_store(self) -> Neo4jStore:
        """The Neo4j server named by --neo4j-uri / NEO4J_URI (for push and pull)."""
        from ..store.neo4j import Neo4jStore

        return Neo4jStore(self.neo4j.get("uri"), user=self.neo4j.get("user"),
                          database=self.neo4j.get("database"))

    def close(self) -> None:
        """Close the workspace if it was opened."""
        if self._ws is not None:
            self._ws.close()


#: Passes the :class:`Context` to a command as its first argument.
pass_ctx = click.make_pass_decorator(Context)
