"""The lead files brought up to date by the write that changes one lead (issue 13).

The lead-pipeline reports of a big pipeline read two files kept per data revision
(:mod:`chainmap.cache`): the leads with their firms and ``since``
(:data:`LEADS_CACHE`) and the moves as codes
(:data:`chainmap.crm.history.MOVES_CACHE`). Every write is a new revision, so after
``leads move`` the next report would read 100,000 leads and 300,000 moves again (about a
second), though one lead changed and one move was added.

The write that adds, moves or updates one lead knows what it changed; one that logs an
activity, a follow-up, an actual, a request or a visit knows it changed none of it. Around its
transaction, :func:`kept_lead_files` notes the workspace's state before it (its
:meth:`~chainmap.store.SQLiteStore.cache_key` and its newest history row), reads the
lead's row as the files hold it and the history rows it added (inside the transaction,
after its writes), and after the commit writes the files of the new state from those
of the state before: the lead's row replaced (or, for a new lead, added last: its
number is the highest), the new moves appended; or, for a write of none of them, the
files as they were. Nothing is patched, and the next
report reads everything as before, unless all of this holds (nothing here can fail the
write: an error on the way only leaves the files to the next report):

- caching on disk is on, the store reads columns (SQLite), the workspace is a file;
- the files of the state before are on disk (a report made them), of the layout their
  kind names (a file of another, from another version or damaged, is not patched: the
  write stands all the same);
- no other write came in between: the revision inside the transaction is the one
  noted before it, and the one after the commit is the next;
- every value fits the file's layout (text where the file holds text, numbers where it
  holds numbers; a new lead's number above every other).

The patched files restore to what reading everything would give, value for value
(``tests/test_lead_files.py`` compares them after random writes).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from .. import cache
from ..errors import ChainmapError
from .history import MOVES_CACHE, _Moves

if TYPE_CHECKING:
    from ..store.base import ColumnReads
    from ..workspace import Workspace

__all__ = ["LEADS_CACHE", "kept_lead_files", "patch_lead_read", "patch_moves"]

#: The kind of the cache file of the leads with their firms and ``since``
#: (:func:`chainmap.crm.leads._read_frame`; :mod:`chainmap.cache`).
LEADS_CACHE = "lead-read-1"
#: The columns of ``leads`` the lead frame is made of.
_FRAME_COLUMNS = ("id", "seq", "company_id", "product_id", "stage", "owner", "investment",
                  "source", "created", "contract_date")
#: Their names in the lead frame.
_RENAMED = {"company_id": "company", "product_id": "product"}
#: Those columns as the lead frame names them.
_FRAME_NAMES = tuple(_RENAMED.get(c, c) for c in _FRAME_COLUMNS)
#: The columns of the lead file: the lead frame's, ``since``, the firm's name and province.
_FILE_COLUMNS = [*_FRAME_NAMES, "since", "company_name", "province"]


def _revision(key: tuple[str, str]) -> int:
    """The revision in a :meth:`cache_key` (``REVISION:device:inode:mtime:size``)."""
    return int(key[1].split(":", 1)[0])


class _Noted:
    """What :func:`kept_lead_files` learns before, inside and after the write."""

    def __init__(self, workspace: Workspace, before: tuple[str, str], last_move: int) -> None:
        self.workspace = workspace
        self.before = before
        self.last_move = last_move
        self.rows: dict[str, dict] = {}
        self.moves: list[tuple] = []
        self.read_in = False  # read() was called inside the transaction
        self.usable = True

    def read(self, lead_id: str | None = None) -> None:
        """Inside the transaction, after its writes: the lead's row and the new moves.

        ``None``: the write changed no lead, no move and no firm (an activity logged, a
        follow-up, a request); the files of the state before hold for the state after.
        """
        try:
            self._read(lead_id)
        except (sqlite3.Error, ChainmapError, LookupError, ValueError):
            self.usable = False  # the files are not needed: the write goes on without them

    def _read(self, lead_id: str | None) -> None:
        store = self.workspace.store
        if not self.usable or store.revision() != _revision(self.before):
            self.usable = False  # another write came in before this transaction
            return
        reads = cast("ColumnReads", store)
        self.moves = reads.moves_after(self.last_move)
        self.read_in = True
        if lead_id is None:
            self.usable = not self.moves and not self.rows
            return
        row = reads.lead_read_row(lead_id, _FRAME_COLUMNS)
        if row is None:
            self.usable = False
            return
        self.rows[lead_id] = row

    def write(self) -> None:
        """After the commit: the files of the state before, patched, under the new key."""
        if not self.usable or not self.read_in:
            return
        try:
            self._write()
        except (sqlite3.Error, ChainmapError):  # the state after could not be read
            pass  # the write is committed; the next report reads everything instead

    def _write(self) -> None:
        after = self.workspace.store.cache_key()
        if after is None or after[0] != self.before[0] or \
                _revision(after) != _revision(self.before) + 1:
            return
        rows = [{_RENAMED.get(k, k): v for k, v in row.items()} for row in self.rows.values()]
        # a move of a lead the write did not name: that lead's ``since`` was not read again
        unnamed = any(move[0] not in self.rows for move in self.moves)
        for kind, patch in ((LEADS_CACHE, lambda a: patch_lead_read(a, rows, _FILE_COLUMNS)),
                            (MOVES_CACHE, lambda a: patch_moves(a, self.moves))):
            if kind == LEADS_CACHE and unnamed:
                continue
            found = cache.load(kind, self.before)
            try:
                patched = patch(found) if found is not None else None
            except (KeyError, ValueError, IndexError, TypeError):
                patched = None  # a file of another layout: the write stands, not patched
            if patched is not None:
                cache.save(kind, after, patched)


@contextlib.contextmanager
def kept_lead_files(workspace: Workspace) -> Iterator[Callable[..., None]]:
    """Around a write of single leads: their files of the state before, patched after it.

    Gives a function to call with each lead's id inside the write's transaction, after
    its writes (with no id: the write changed no lead, move or firm). Leaving the block
    (the transaction committed) writes the files; an exception, or no call, leaves them
    as they are. A move recorded for a lead not named leaves the lead file unpatched.

    Examples
    --------
    >>> import chainmap
    >>> from chainmap.crm.leadfiles import kept_lead_files
    >>> ws = chainmap.open(":memory:")
    >>> with kept_lead_files(ws) as touched:
    ...     touched("L0001")  # no files for :memory:: nothing to do
    """
    store = workspace.store
    noted = None
    if store.reads_columns and _has_files(store):
        try:
            with store.snapshot():
                before = store.cache_key()
                last_move = cast("ColumnReads", store).last_move_row() if before else 0
        except (sqlite3.Error, ChainmapError):
            before = None  # the write says what is wrong; the files are not needed
        if before is not None:
            noted = _Noted(workspace, before, last_move)
    yield noted.read if noted is not None else (lambda _lead=None: None)
    if noted is not None:
        noted.write()


def _has_files(store: object) -> bool:
    """Whether the workspace file of ``store`` has a lead file or a moves file kept.

    Without one (a small pipeline, caching off, ``:memory:``) a write notes nothing: no
    snapshot and no checkpoint before it.
    """
    path = str(getattr(store, "path", ":memory:"))
    if path == ":memory:" or cache.cache_dir() is None:
        return False
    place = str(Path(path).resolve())  # as the store's cache_key names the workspace
    return cache.has_file(LEADS_CACHE, place) or cache.has_file(MOVES_CACHE, place)


def _code(texts: np.ndarray, value: object) -> tuple[int, np.ndarray] | None:
    """The code of ``value`` among the distinct ``texts``, and the texts (one more if new).

    ``-1`` for ``None``; ``None`` when ``value`` is not a text a file can hold.
    """
    if value is None:
        return -1, texts
    if type(value) is not str or "\x00" in value:
        return None
    hit = np.flatnonzero(texts == value)
    if len(hit):
        return int(hit[0]), texts
    grown = texts.tolist() + [value]
    return len(grown) - 1, np.array(grown, dtype=str)


def patch_lead_read(arrays: Mapping[str, np.ndarray], rows: list[dict],
                    columns: list[str]) -> dict[str, np.ndarray] | None:
    """The lead file's ``arrays`` (:func:`chainmap.cache.frame_arrays`) with ``rows`` in.

    Each row (a lead's ``columns``, ``id`` and ``seq`` among them) replaces the row with
    its id, or is added last when its ``seq`` is above every other (a new lead: the
    rows are in the order of their numbers). ``None`` when a value does not fit the
    file's layout, or the file is not one of ``columns``.
    """
    names = arrays["columns"].tolist()
    if names != columns or "0.codes" not in arrays or "seq" not in names:
        return None
    out = {name: np.array(value) for name, value in arrays.items()}
    numbers = out.get(f"{names.index('seq')}.int")
    for row in rows:
        hit = np.flatnonzero(out["0.text"] == row["id"])
        at = np.flatnonzero(out["0.codes"] == hit[0]) if len(hit) else hit
        if len(at) > 1:
            return None
        if len(at):
            where = int(at[0])
        else:  # a new lead: its number must be above every other
            if numbers is None or type(row["seq"]) is not int or \
                    (len(numbers) and row["seq"] <= int(numbers.max())):
                return None
            where = len(out["0.codes"])
            for name in list(out):
                if name != "columns" and not name.endswith(".text"):
                    out[name] = np.append(out[name], np.zeros(1, dtype=out[name].dtype))
        for i, name in enumerate(names):
            value = row[name]
            if f"{i}.codes" in out:
                found = _code(out[f"{i}.text"], value)
                if found is None:
                    return None
                out[f"{i}.codes"][where], out[f"{i}.text"] = found
            else:
                kind = "int" if f"{i}.int" in out else "float"
                if value is not None and type(value) is not (int if kind == "int" else float):
                    return None
                out[f"{i}.{kind}"][where] = 0 if value is None else value
                out[f"{i}.missing"][where] = value is None
        numbers = out.get(f"{names.index('seq')}.int")
    return out


def patch_moves(arrays: Mapping[str, np.ndarray],
                moves: list[tuple]) -> dict[str, np.ndarray] | None:
    """The moves file's ``arrays`` (:meth:`_Moves.arrays`) with ``moves`` appended.

    ``moves`` are ``(lead_id, to_stage, date)`` rows recorded after every row of the
    file. A value new to its column is added after the others, where the codes of every
    row read in order would put it too. ``None`` when a value is not a text.
    """
    out = {name: np.array(value) for name, value in arrays.items()}
    for position, (codes, uniques, _name) in enumerate(_Moves._COLUMNS):
        added = []
        for move in moves:
            found = _code(out[uniques], move[position])
            if found is None:
                return None
            code, out[uniques] = found
            added.append(code)
        out[codes] = np.concatenate([out[codes], np.asarray(added, dtype=out[codes].dtype)])
    return out
