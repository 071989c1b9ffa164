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

A write that says which firms it changes (:meth:`FirmMark.firm_rows`: an import into a
workspace without firms, a link decision, a merge; :meth:`FirmMark.firm_changes`: an
import into one with firms, whose temporary triggers note the rows that change) leaves a
*step* beside the mark (``meta.firms_steps``: the token before, the token after, the
firms): the reports' codes of the state before are then brought up to date by reading
those firms' rows alone (:meth:`FirmMark.firm_steps`,
:func:`chainmap.analysis.gaps.gap_codes`). A write that changes a firm table outside
such a declaration, or from a trigger (the authorizer sees the statement prepared),
ends the chain of steps: the next report reads every firm.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..base import FIRM_COLUMN

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["FIRM_TABLES", "STEP_FIRMS", "STEPS", "FirmMark"]

#: The tables the mark follows: what the reports' codes are made of.
FIRM_TABLES = frozenset(FIRM_COLUMN)
#: The most firms the kept steps name together (a bigger change is read whole).
STEP_FIRMS = 100_000
#: The most steps kept (write transactions that changed firms, newest last).
STEPS = 16
#: The temporary table of :meth:`FirmMark.firm_changes` (and its triggers' prefix).
_NOTED = "chainmap_noted_firms"
#: The firm columns of each firm table (a supply names two).
_FIRM_OF = {"companies": ("id",), "capabilities": ("company_id",),
            "supplies": ("supplier_id", "customer_id")}
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
    #: Whether one was prepared outside :meth:`firm_rows` and :meth:`firm_changes`, or
    #: by a trigger.
    _undeclared = False
    #: The firms named in it by :meth:`firm_rows` and :meth:`firm_changes` (``None``:
    #: more than :data:`STEP_FIRMS`, or an id that is not text).
    _declared: set[str] | None = None
    #: How many :meth:`firm_rows` and :meth:`firm_changes` blocks are open.
    _declaring = 0
    #: How many :meth:`firm_changes` blocks are open.
    _noting = 0

    def _watch(self, action: int, first: str | None, second: str | None,
               _database: str | None, _trigger: str | None) -> int:
        """SQLite's authorizer: note a write to a firm table; allow everything.

        Inside :meth:`firm_changes` the triggers tell whether rows changed instead.
        """
        if action not in _READS and (first in FIRM_TABLES or second in FIRM_TABLES):
            if not self._noting:
                self._firms_written = True
            if not self._declaring or _trigger is not None:  # a trigger names no firm
                self._undeclared = True
        return sqlite3.SQLITE_OK

    def _watch_firms(self, on: bool) -> None:
        """Start (as a write transaction begins) or stop watching for firm writes."""
        self._firms_written = self._undeclared = False
        self._declared, self._declaring, self._noting = set(), 0, 0
        self._set_watch(on)

    def _set_watch(self, on: bool) -> None:
        """Set (or clear) the authorizer; SQLite then prepares every statement again."""
        raw = cast(sqlite3.Connection, getattr(self.conn, "raw", self.conn))  # bare: tests
        raw.set_authorizer(self._watch if on else None)

    def firm_rows(self, *firms: Collection[object]) -> AbstractContextManager[None]:
        """Declare that the statements run inside change only the rows of ``firms``.

        That is, rows of ``companies`` with one of those ids, of ``capabilities`` with
        one as ``company_id``, of ``supplies`` with one as supplier or customer. The
        commit then records a step from the firm mark before to the new one naming those
        firms (:meth:`firm_steps`), and the reports' codes are patched instead of built
        again. Only inside a write transaction. A statement prepared inside the block and
        run again after it is prepared anew (the authorizer is set again at both ends),
        so a write outside a block is always seen.
        """
        if not self._depth:
            raise RuntimeError("firm_rows() is for a write transaction")
        return self._declaring_firms(firms)

    @contextlib.contextmanager
    def _declaring_firms(self, firms: tuple[Collection[object], ...]) -> Iterator[None]:
        """The block of :meth:`firm_rows`."""
        if self._declared is not None:
            if len(self._declared) + sum(map(len, firms)) > STEP_FIRMS:
                self._declared = None
            else:
                for part in firms:
                    values = [f for f in part if not _missing(f)]
                    named = [f for f in values if isinstance(f, str)]
                    if len(named) < len(values):  # SQLite keeps 123 as '123': not named so
                        self._declared = None
                        break
                    self._declared.update(named)
        self._declaring += 1
        self._set_watch(True)
        try:
            yield
        finally:
            self._declaring -= 1
            self._set_watch(True)

    def firm_changes(self) -> AbstractContextManager[Callable[[], None]]:
        """A block whose changes to the firm tables name their firms themselves.

        For a write that cannot tell beforehand which rows it will change (an import
        into a workspace that has firms: most of its rows may be as they are). Temporary
        triggers note the firm of every row of ``companies``, ``capabilities`` and
        ``supplies`` inserted, changed or deleted inside the block (both firms of a
        supply); at its end those firms are declared as :meth:`firm_rows` would. The
        block gives a function to call between batches of rows: once more than
        :data:`STEP_FIRMS` firms are noted the triggers are dropped and no step will
        be kept (the next report reads every firm). Only inside a write transaction.
        """
        if not self._depth:
            raise RuntimeError("firm_changes() is for a write transaction")
        return self._noting_firms()

    @contextlib.contextmanager
    def _noting_firms(self) -> Iterator[Callable[[], None]]:
        """The block of :meth:`firm_changes`."""
        conn = self.conn
        triggers = [f"{_NOTED}_{table}_{event}" for table in _FIRM_OF
                    for event in ("insert", "update", "delete")]
        noting = [False]

        def drop() -> None:
            for name in triggers:
                conn.execute(f"DROP TRIGGER IF EXISTS temp.{name}")
            noting[0] = False

        def check() -> None:
            """Stop noting once more firms are noted than a step may name."""
            if noting[0] and conn.execute(
                    f"SELECT count(*) FROM temp.{_NOTED}").one()[0] > STEP_FIRMS:
                drop()
                self._declared = None
                self._firms_written = True

        self._declaring += 1  # the triggers' own statements name firm tables too
        self._noting += 1
        try:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_NOTED} (id TEXT)")
            conn.execute(f"DELETE FROM temp.{_NOTED}")
            for table, columns in _FIRM_OF.items():
                for event, row in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")),
                                   ("DELETE", ("OLD",))):
                    values = ", ".join(f"({r}.{c})" for r in row for c in columns)
                    conn.execute(f"CREATE TEMP TRIGGER {_NOTED}_{table}_{event.lower()} "
                                 f"AFTER {event} ON main.{table} BEGIN INSERT INTO "
                                 f"{_NOTED} (id) VALUES {values}; END")
            noting[0] = True
            self._set_watch(True)
            yield check
            if noting[0]:
                noted = [r[0] for r in conn.execute(
                    f"SELECT DISTINCT id FROM temp.{_NOTED}").fetchall()]
                if noted:  # rows changed: the mark moves
                    self._firms_written = True
                if self._declared is not None:
                    if len(self._declared) + len(noted) > STEP_FIRMS:
                        self._declared = None
                    else:
                        self._declared.update(noted)
        except BaseException:
            self._firms_written = True  # whatever happens next, never a stale mark
            raise
        finally:
            with contextlib.suppress(sqlite3.Error):  # the rollback drops them anyway
                drop()
                conn.execute(f"DELETE FROM temp.{_NOTED}")
            self._declaring -= 1
            self._noting -= 1
            self._set_watch(True)

    def _stamp_firms(self, revision: int) -> None:
        """Set the mark for ``revision`` + 1, the revision the open transaction commits.

        A new token when the firm tables were written (with a step from the old one when
        every such write was declared by :meth:`firm_rows`) or the mark is not this
        revision's (the steps are then dropped: an older chainmap may have written).
        """
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'firms_mark'").fetchone()
        old, _, at = (row[0] if row else "").partition("@")
        token = old
        if self._firms_written or not old or at != str(revision):
            token = secrets.token_hex(8)
            steps: list = []
            if old and at == str(revision) and not self._undeclared \
                    and self._declared is not None:
                steps = self._steps() + [[old, token, sorted(self._declared)]]
                total, keep = 0, 0
                for step in reversed(steps):
                    total += len(step[2])
                    if total > STEP_FIRMS or keep == STEPS:
                        break
                    keep += 1
                steps = steps[len(steps) - keep:]
            self.conn.execute("DELETE FROM meta WHERE key = 'firms_steps'")
            if steps:
                self.conn.execute("INSERT INTO meta (key, value) VALUES ('firms_steps', ?)",
                                  (json.dumps(steps, ensure_ascii=False),))
        self.conn.execute("INSERT INTO meta (key, value) VALUES ('firms_mark', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (f"{token}@{revision + 1}",))

    def _steps(self) -> list:
        """The steps in ``meta`` (``[token before, token after, firms]``, oldest first)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'firms_steps'").fetchone()
        try:
            steps = json.loads(row[0]) if row else []
        except ValueError:
            return []
        return steps if isinstance(steps, list) else []

    def firm_steps(self) -> list[tuple[tuple[str, str], list[str]]]:
        """Earlier firm keys and the firms changed since each, newest first.

        For each state the chain of declared writes (:meth:`firm_rows`) leads back to:
        its :meth:`firms_key` and the ids of every firm whose rows may differ between it
        and now (some may be gone, some new). Empty without a valid mark, for
        ``:memory:``, inside a transaction, or when the last firm write was undeclared.
        """
        if str(self.path) == ":memory:" or self._depth:
            return []
        with self.snapshot():
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'firms_mark'"
                                    ).fetchone()
            token, _, at = (row[0] if row else "").partition("@")
            if not token or at != str(self.revision()):
                return []
            steps = self._steps()
            found: list[tuple[tuple[str, str], list[str]]] = []
            firms: set[str] = set()
            for step in reversed(steps):
                if not (isinstance(step, list) and len(step) == 3 and step[1] == token):
                    break
                token = step[0]
                firms.update(step[2])
                found.append((self._key_of(token), sorted(firms)))
            return found

    def _key_of(self, token: str) -> tuple[str, str]:
        """The :meth:`firms_key` of the firm mark ``token``."""
        return str(self.path.resolve()), f"firms:{token}:schema{self.schema_version()}"

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
            return self._key_of(token)


def _missing(value: object) -> bool:
    """Whether ``value`` is no value: None, NaN or pandas' NA."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pandas.NA: its comparisons have no truth value
        return True
