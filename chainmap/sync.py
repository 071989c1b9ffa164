"""Copy a workspace between stores: push the embedded workspace to Neo4j, pull it back."""

from __future__ import annotations

from collections.abc import Callable

from .io.validate import Dataset
from .store.base import TABLE_COLUMNS
from .store.neo4j import Neo4jStore
from .workspace import Workspace

__all__ = ["pull", "push"]

Progress = Callable[[int, int], None]


def _dataset(store) -> Dataset:
    return Dataset(**{name: store.table(name) for name in TABLE_COLUMNS})


def _counting(dataset: Dataset, progress: Progress | None):
    if progress is None:
        return None
    total = sum(len(getattr(dataset, name)) for name in TABLE_COLUMNS)
    done = [0]

    def on_write(table: str, n: int) -> None:
        done[0] += n
        progress(done[0], total)

    return on_write


def push(workspace: Workspace, target: Neo4jStore | str | None = None,
         progress: Progress | None = None) -> dict[str, int]:
    """Send every table of ``workspace`` to Neo4j in batches, idempotently.

    ``target`` is a :class:`~chainmap.store.neo4j.Neo4jStore`, a ``bolt://`` /
    ``neo4j://`` URI, or ``None`` for ``$NEO4J_URI``. Returns the new rows per table.
    A push that fails midway leaves the database marked incomplete; pushing again
    repairs it.
    """
    store = target if isinstance(target, Neo4jStore) else Neo4jStore(target)
    try:
        dataset = _dataset(workspace.store)
        return store.write_dataset(dataset, progress=_counting(dataset, progress))
    finally:
        if store is not target:
            store.close()


def pull(workspace: Workspace, source: Neo4jStore | str | None = None,
         progress: Progress | None = None) -> dict[str, int]:
    """Bring a Neo4j database's chains, products and firms into ``workspace``.

    The write into the workspace is one transaction (all or nothing); records are
    upserted by id as in an import.
    """
    store = source if isinstance(source, Neo4jStore) else Neo4jStore(source)
    try:
        dataset = _dataset(store)
    finally:
        if store is not source:
            store.close()
    return workspace.store.write_dataset(dataset, progress=_counting(dataset, progress))
