"""Backups of a SQLite workspace: save one whole to a file, restore one from a file.

:func:`backup` copies the workspace with SQLite's online backup (one read of one
committed state, while other programs go on writing) into a file of its own, written
whole or not at all. :func:`restore` puts such a file back in place of the workspace,
after checking it (SQLite's ``integrity_check``, the schema of a chainmap workspace),
and keeps the workspace it replaces beside it. :func:`integrity_findings` is what
``chainmap.check(ws, integrity=True)`` adds: SQLite's ``integrity_check`` and
``foreign_key_check`` as findings.

A Neo4j database is backed up with Neo4j's own tools (``neo4j-admin database dump``);
``chainmap push`` recreates it from the workspace.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArgumentError, Finding, WorkspaceError
from .files import _umask, refuse_existing, system_error, write_atomic
from .i18n import _, counted, join
from .store.sqlite import SQLiteStore
from .store.sqlite import backup as sql
from .workspace import Workspace, workspace_path

__all__ = ["BackupResult", "backup", "restore"]

@dataclass(frozen=True)
class BackupResult:
    """What a backup saved, or what a restore put in place.

    Attributes
    ----------
    path : pathlib.Path
        The backup file written (:func:`backup`), or the workspace restored
        (:func:`restore`).
    source : str
        The workspace backed up, or the backup file restored.
    schema : int
        The schema version of the saved workspace (``PRAGMA user_version``).
    revision : int
        The workspace's revision (a number that changes with every write).
    tables : dict of str to int
        Rows per table, in the order of the schema.
    kept : pathlib.Path or None
        :func:`restore` only: the file the replaced workspace was kept in (``None``
        when there was no workspace to replace).
    """

    path: Path
    source: str
    schema: int
    revision: int
    tables: dict[str, int] = field(default_factory=dict)
    kept: Path | None = None

    def __str__(self) -> str:
        """The rows saved per table, in words."""
        rows = join([counted(n, t) for t, n in self.tables.items()])
        return _("schema {schema}, revision {revision}: {rows}").format(
            schema=self.schema, revision=self.revision, rows=rows)

    def _repr_html_(self) -> str:
        """The file, the rows saved per table (:meth:`__str__`), the file kept, for a notebook."""
        from .output import result_html

        lines = [_("{path}: {rows}").format(path=self.path, rows=str(self))]
        if self.kept is not None:
            lines.append(_("Kept the replaced workspace as {kept}").format(kept=self.kept))
        return result_html(lines)

    def as_dict(self) -> dict[str, object]:
        """The result as plain values (the command line's ``--format json``)."""
        return {"path": str(self.path), "source": self.source, "schema": self.schema,
                "revision": self.revision, "tables": dict(self.tables),
                "kept": None if self.kept is None else str(self.kept)}


def _sqlite_store(workspace: Workspace, refusal: str) -> SQLiteStore:
    """The SQLite store of ``workspace``; a Neo4j store is refused with ``refusal``."""
    store = workspace.store
    if not isinstance(store, SQLiteStore):
        raise WorkspaceError(refusal.format(location=workspace.location))
    return store


def backup(workspace: Workspace, path: str | os.PathLike, *, force: bool = False) -> BackupResult:
    """Save the whole workspace to the file ``path``, safely while others write.

    SQLite's online backup copies one committed state of the workspace in one read:
    other programs may go on writing meanwhile, and what they commit during the copy is
    not in it. The file is written whole or not at all (to a temporary file beside it,
    then renamed), is a workspace of its own (``chainmap --db FILE`` opens it) and is
    one self-contained file (no ``-wal`` beside it). Give it to :func:`restore` to put
    it back.

    Parameters
    ----------
    workspace
        An open SQLite workspace.
    path
        The backup file to write; its folder must exist.
    force
        Overwrite ``path`` when it exists (by default an existing file is refused).

    Returns
    -------
    BackupResult
        The file, the workspace's schema version and revision, and rows per table, as
        saved.

    Raises
    ------
    ArgumentError
        ``path`` exists and ``force`` is false, or is the workspace itself.
    WorkspaceError
        The workspace is on a Neo4j server, or ``path`` cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> saved = chainmap.backup(ws, Path(tempfile.mkdtemp()) / "zone.db")
    >>> saved.tables["companies"], saved.schema
    (131, 5)
    >>> chainmap.open(saved.path).counts()["companies"]
    131
    """
    store = _sqlite_store(workspace, _(
        "cannot back up {location}: a Neo4j database is backed up with Neo4j's own tools "
        "(neo4j-admin database dump); chainmap push recreates it from a SQLite workspace"))
    target = Path(path)
    if str(store.path) != ":memory:" and target.resolve() == store.path.resolve():
        raise ArgumentError(_("cannot back up {path} onto itself; give another file")
                            .format(path=target), parameter="path")
    if target.is_dir():
        raise ArgumentError(_("{path} is a folder; give the backup file's name").format(
            path=target), parameter="path")
    refuse_existing(target, force=force)
    if not target.parent.is_dir():
        raise WorkspaceError(_("cannot write {path}: folder {folder} does not exist").format(
            path=target, folder=target.parent))
    found: list[sql.Summary] = []
    write_atomic(target, lambda tmp: found.append(sql.copy_to(store, tmp)))
    schema, revision, tables = found[0]
    return BackupResult(target, store.location, schema, revision, tables)


@contextlib.contextmanager
def _temporary(folder: Path, name: str) -> Iterator[Path]:
    """A temporary file name in ``folder``, removed at the end with its SQLite journal.

    Named as :func:`~chainmap.files.write_atomic` names its temporary files.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    except OSError as exc:
        raise WorkspaceError(_("cannot write {path}: {reason}").format(
            path=folder / name, reason=system_error(exc))) from None
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(tmp + suffix)


def _open(target: Path) -> SQLiteStore | None:
    """The workspace ``target``, or ``None`` when SQLite cannot read it as a database."""
    return None if target.is_file() and sql.unreadable(target) else SQLiteStore(target)


def _kept_name(target: Path) -> Path:
    """A free name beside ``target`` for the workspace a restore replaces.

    ``chainmap.db.20261130-021500.bak`` (``-2``, ``-3`` ... when taken).
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = target.with_name(f"{target.name}.{stamp}.bak")
    number = 1
    while kept.exists():
        number += 1
        kept = target.with_name(f"{target.name}.{stamp}-{number}.bak")
    return kept


def restore(path: str | os.PathLike, workspace: str | os.PathLike | None = None
            ) -> BackupResult:
    """Put the backup file ``path`` in place of a workspace, keeping the one it replaces.

    The file must pass SQLite's ``integrity_check`` and be a chainmap workspace (its
    schema and tables) of a schema this chainmap knows; one made by an older chainmap
    is upgraded, as opening it would. The workspace it replaces, when there is one, is
    saved beside it as ``NAME.YYYYMMDD-HHMMSS.bak`` (a backup: restore that file to
    undo) and replaced by the backup's data in one write transaction, with other
    writers waiting: a program reading the workspace meanwhile sees the old data or the
    new, one that has it open reads the new data from its next read on, and what it
    writes afterwards is written on top of the restored data. The restored workspace's
    revision is above both the old one's and the backup's, so no cache takes it for
    either. A damaged workspace (often the reason to restore) is replaced page by page
    when its rows cannot be read, and moved aside as the ``.bak`` when SQLite cannot
    read it as a database at all.

    Parameters
    ----------
    path
        The backup file (made by :func:`backup`, or a copy of a workspace file).
    workspace
        The workspace file to replace (created when missing); default
        ``$CHAINMAP_DB``, else ``./chainmap.db``.

    Returns
    -------
    BackupResult
        The workspace restored, the file it came from, its schema, revision and rows
        per table, and the file the replaced workspace was kept in (:attr:`~BackupResult.kept`).

    Raises
    ------
    ArgumentError
        ``path`` is the workspace itself.
    WorkspaceError
        ``path`` is missing, fails the integrity check, is not a chainmap workspace or
        is of a newer schema; ``workspace`` is a Neo4j URI or ``:memory:``, or cannot be
        written (another program holding it longer than the wait). Nothing is changed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import chainmap
    >>> folder = Path(tempfile.mkdtemp())
    >>> with chainmap.open(folder / "chainmap.db") as ws:
    ...     _ = chainmap.import_dataset(ws, chainmap.sample_path())
    ...     saved = chainmap.backup(ws, folder / "zone.db")
    ...     chainmap.add_lead(ws, "haoyue", date="2026-03-02")
    'L0013'
    >>> done = chainmap.restore(folder / "zone.db", folder / "chainmap.db")
    >>> done.tables["leads"], done.kept.suffix
    (12, '.bak')
    >>> chainmap.open(folder / "chainmap.db").counts()["companies"]
    131
    """
    from .store.neo4j import is_neo4j_uri

    source = Path(path)
    location = workspace_path(workspace)
    if is_neo4j_uri(location) or location == ":memory:":
        raise WorkspaceError(_(
            "cannot restore into {location}: a Neo4j database is restored with Neo4j's own "
            "tools (neo4j-admin database load), or recreated by chainmap push from a "
            "restored SQLite workspace; restore into a workspace file").format(
                location=location))
    target = Path(location)
    if not source.is_file():
        raise WorkspaceError(_("no backup file {path}").format(path=source))
    if target.exists() and source.resolve() == target.resolve():
        raise ArgumentError(_("{path} is the workspace itself; nothing to restore").format(
            path=source), parameter="path")
    if not target.parent.is_dir():
        raise WorkspaceError(_("cannot restore into {path}: folder {folder} does not exist")
                             .format(path=target, folder=target.parent))
    with _temporary(target.parent, target.name) as tmp:
        sql.checked_copy(source, tmp)
        kept: Path | None = None
        current = _open(target) if target.exists() else None
        if current is not None:
            try:
                keep_as = kept = _kept_name(target)
                schema, revision, tables = sql.replace(
                    tmp, current, lambda write: write_atomic(keep_as, write))
            finally:
                current.close()
        else:
            if target.exists():  # a file SQLite cannot read as a database: moved aside
                kept = _kept_name(target)
                for suffix in ("", "-wal", "-shm"):
                    if Path(f"{target}{suffix}").exists():
                        os.replace(f"{target}{suffix}", f"{kept}{suffix}")
            sql.set_revision(tmp, sql.revision(tmp) + 1)
            sql.use_wal(tmp)
            schema, revision, tables = sql.summary_of(tmp)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
    return BackupResult(target, str(source), schema, revision, tables, kept)


def integrity_findings(workspace: Workspace) -> list[Finding]:
    """SQLite's ``integrity_check`` and ``foreign_key_check`` of the workspace, as findings.

    Each line of ``integrity_check`` other than ``ok`` is an ``integrity`` error (a
    damaged page or index: restore a backup); each row that names a record that does
    not exist (a lead of a firm no longer stored) is a ``foreign-key`` error, its
    ``table`` the row's table and its ``id`` the row's id (or rowid).

    Parameters
    ----------
    workspace
        An open SQLite workspace.

    Returns
    -------
    list of Finding
        Empty when SQLite finds nothing wrong.

    Raises
    ------
    WorkspaceError
        The workspace is on a Neo4j server.
    """
    store = _sqlite_store(workspace, _(
        "cannot check the integrity of {location}: these are SQLite's checks of a "
        "workspace file; Neo4j checks its own database (neo4j-admin database check)"))
    lines, orphans = sql.integrity_problems(store)
    said = _("SQLite's integrity check: {problem}; restore a backup (chainmap restore)")
    found = [Finding("integrity", said.format(problem=line), table="", id="") for line in lines]
    said = _("{table} row {row} refers to {parent} '{value}', which does not exist")
    found += [Finding("foreign-key", said.format(table=table, row=row, parent=parent,
                                                 value=value), table=table, id=row)
              for table, row, parent, value in orphans]
    return found
