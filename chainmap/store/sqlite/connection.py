"""The store's SQLite connection, which any thread may use: one statement at a time."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence

__all__ = ["Connection", "Rows"]


class Rows:
    """What a statement returned, fetched whole while the store's lock was held."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._rows = cursor.fetchall()
        self._next = 0
        self.description = cursor.description
        self.lastrowid = cursor.lastrowid
        self.rowcount = cursor.rowcount

    def fetchone(self) -> tuple | None:
        """The next row, or ``None``."""
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def one(self) -> tuple:
        """The next row, which the statement always returns (a ``count(*)``, a ``PRAGMA``).

        Raises
        ------
        LookupError
            The statement returned no more rows.
        """
        row = self.fetchone()
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    def fetchall(self) -> list[tuple]:
        """The rows not fetched yet."""
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[tuple]:
        """The rows not fetched yet."""
        return iter(self.fetchall())


class Connection:
    """An SQLite connection that any thread may use, one statement at a time.

    Each statement runs under the store's re-entrant lock, which a transaction holds
    from ``BEGIN`` to ``COMMIT``: another thread's statements wait for it to end (so
    they neither join it nor see its uncommitted rows). A ``SELECT``'s rows are
    fetched before the lock is let go.
    """

    def __init__(self, connection: sqlite3.Connection, lock: threading.RLock) -> None:
        self.raw = connection
        self._lock = lock

    def execute(self, sql: str, parameters: Sequence | dict = ()) -> Rows:
        """Run one statement; its rows, fetched."""
        with self._lock:
            return Rows(self.raw.execute(sql, parameters))

    def executemany(self, sql: str, rows: Iterable) -> sqlite3.Cursor:
        """Run one statement for each of ``rows``."""
        with self._lock:
            return self.raw.executemany(sql, rows)

    def executescript(self, script: str) -> sqlite3.Cursor:
        """Run several statements."""
        with self._lock:
            return self.raw.executescript(script)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self.raw.in_transaction

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.raw.close()
