"""The one error of a workspace SQLite cannot open or write (busy, read-only, disk full).

Every write of the SQLite store (its transactions, the change log's own writes, a
restore) turns SQLite's ``OperationalError`` into this :class:`WorkspaceError`, which
says what happened and that nothing was changed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ...errors import WorkspaceError
from ...i18n import _

__all__ = ["DEFAULT_BUSY_TIMEOUT", "not_sqlite_reason", "unusable"]

#: Seconds a write waits for another process's write to end (``CHAINMAP_BUSY_TIMEOUT``).
DEFAULT_BUSY_TIMEOUT = 30.0


def not_sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    """Why SQLite cannot read a file as a database, in the current language.

    SQLite's own words for the common cases (``file is not a database``, ``database disk
    image is malformed``), translated by the catalogue (English: as SQLite says them);
    any other is SQLite's text.
    """
    text = str(exc)
    if text == "file is not a database":
        return _("file is not a database")
    if text == "database disk image is malformed":
        return _("database disk image is malformed")
    return text


def unusable(path: Path, exc: sqlite3.OperationalError, *, writing: bool,
              waited: float = DEFAULT_BUSY_TIMEOUT) -> WorkspaceError:
    """A clear error for a workspace SQLite cannot open or write; nothing was changed."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return WorkspaceError(_(
            "the workspace {path} is busy: another chainmap command is writing to it "
            "(waited {seconds} s, CHAINMAP_BUSY_TIMEOUT); nothing was changed; try again"
        ).format(path=path, seconds=f"{waited:g}"))
    if "readonly" in text or "read-only" in text:
        why = _("the file or its folder is read-only; copy it to a folder you can write")
    elif "unable to open" in text:
        why = _("the file or its folder cannot be opened for writing (permissions, or a "
                "read-only disk); chainmap keeps journal files beside the workspace")
    elif "disk" in text or "full" in text:
        why = _("the disk is full")
    else:
        why = text
    message = _("cannot write to workspace {path}: {reason}; nothing was changed") if writing \
        else _("cannot open workspace {path}: {reason}; nothing was changed")
    return WorkspaceError(message.format(path=path, reason=why))
