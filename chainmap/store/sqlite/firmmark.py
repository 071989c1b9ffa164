"""A mark of the firm tables' state that lead-pipeline writes leave as it is.

Every write is a new revision (``meta.revision``), so anything kept per revision (the
reports' codes of a million firms, :func:`chainmap.analysis.gaps.gap_codes`) is made
again after a lead is added, though the firms did not change. The mark changes only
with the rows of ``companies``, ``capabilities`` and ``supplies``:

- each write transaction watches the statements it prepares (SQLite's authorizer,
  set as it begins, which makes every statement be prepared again: no per-row cost)
  for one that inserts, changes or deletes rows of those tables, or alters them;
- at its commit, the mark (``meta.firms_mark``, ``TOKEN@REVISION``) gets a new random
  token if one did, and is carried to the new revision otherwise;
- a mark whose revision is not the workspace's (a write by an older chainmap, a
  restore that set the revision) is no mark: :meth:`FirmMark.firms_key` is then the
  store's whole-state :meth:`cache_key`, and the next write makes a new token.

The token is random, so two copies of a workspace that both changed their firms never
share one; a copy (or a backup restored) with the same token holds the same firm rows.
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..base import FIRM_COLUMN

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from .connection import Connection

__all__ = ["FIRM_TABLES", "FirmMark"]

#: The tables the mark follows: what the reports' codes are made of.
FIRM_TABLES = frozenset(FIRM_COLUMN)
#: Authorizer actions that only read (everything else on a firm table marks it).
_READS = frozenset({sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION,
                    sqlite3.SQLITE_PRAGMA, sqlite3.SQLITE_TRANSACTION,
                    sqlite3.SQLITE_SAVEPOINT, sqlite3.SQLITE_ANALYZE,
                    sqlite3.SQLITE_RECURSIVE})


class FirmMark:
    """The firm mark of the SQLite store (mixed into :class:`~chainmap.store.SQLiteStore`)."""

    if TYPE_CHECKING:
        conn: Connection
        path: Path
        _depth: int

        def snapshot(self) -> AbstractContextManager[None]:
            """One committed state (:meth:`SQLiteStore.snapshot`)."""

        def revision(self) -> int:
            """The data revision (:meth:`SQLiteStore.revision`)."""

        def schema_version(self) -> int:
            """The schema version (:meth:`SQLiteStore.schema_version`)."""

        def cache_key(self) -> tuple[str, str] | None:
            """The whole state's key (:meth:`SQLiteStore.cache_key`)."""

    #: Whether the open write transaction prepared a statement writing a firm table.
    _firms_written = False

    def _watch(self, action: int, first: str | None, second: str | None,
               _database: str | None, _trigger: str | None) -> int:
        """SQLite's authorizer: note a write to a firm table; allow everything."""
        if action not in _READS and (first in FIRM_TABLES or second in FIRM_TABLES):
            self._firms_written = True
        return sqlite3.SQLITE_OK

    def _watch_firms(self, on: bool) -> None:
        """Start (as a write transaction begins) or stop watching for firm writes."""
        self._firms_written = False
        raw = cast(sqlite3.Connection, getattr(self.conn, "raw", self.conn))  # bare: tests
        raw.set_authorizer(self._watch if on else None)

    def _stamp_firms(self, revision: int) -> None:
        """Set the mark for ``revision`` + 1, the revision the open transaction commits."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'firms_mark'").fetchone()
        token, _, at = (row[0] if row else "").partition("@")
        if self._firms_written or not token or at != str(revision):
            token = secrets.token_hex(8)
        self.conn.execute("INSERT INTO meta (key, value) VALUES ('firms_mark', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (f"{token}@{revision + 1}",))

    def firms_key(self) -> tuple[str, str] | None:
        """A cache key that holds while the firm tables stay as they are.

        The workspace file's real path with the firm mark and the schema version; the
        store's :meth:`cache_key` (the whole state) when there is no valid mark. ``None``
        for ``:memory:`` and inside a transaction, as :meth:`cache_key`.
        """
        if str(self.path) == ":memory:" or self._depth:
            return None
        with self.snapshot():
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'firms_mark'"
                                    ).fetchone()
            token, _, at = (row[0] if row else "").partition("@")
            if not token or at != str(self.revision()):
                return self.cache_key()
            return str(self.path.resolve()), f"firms:{token}:schema{self.schema_version()}"
