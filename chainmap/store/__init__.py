"""Where a workspace keeps its data: one :class:`Store` protocol, several back ends."""

from typing import TYPE_CHECKING

from .base import TABLE_COLUMNS, ColumnReads, Store
from .sqlite import SQLiteStore

__all__ = ["TABLE_COLUMNS", "SQLiteStore", "Store"]

if TYPE_CHECKING:  # mypy: both stores implement the whole protocol (a missing method fails)
    from .neo4j import Neo4jStore

    def _sqlite_is_a_store(store: SQLiteStore) -> Store:
        return store

    def _neo4j_is_a_store(store: Neo4jStore) -> Store:
        return store

    def _sqlite_reads_columns(store: SQLiteStore) -> ColumnReads:
        return store
