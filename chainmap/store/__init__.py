"""Where a workspace keeps its data: one :class:`Store` protocol, several back ends."""

from .base import TABLE_COLUMNS, Store
from .sqlite import SQLiteStore

__all__ = ["TABLE_COLUMNS", "SQLiteStore", "Store"]
