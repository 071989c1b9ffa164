"""A setting of a workspace file, read without opening the workspace.

For what runs before any workspace is opened: the command line's language
(``chainmap config lang``) for ``--help`` and usage errors, and whether a file is the
demo workspace. Only :mod:`sqlite3` is imported (not pandas, as opening a workspace
does), so ``chainmap --help`` in a folder holding a workspace stays quick.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

__all__ = ["peek_config"]


def peek_config(path: str | Path, key: str) -> str | None:
    """The configuration value ``key`` of the workspace file ``path``, read-only.

    The file is never upgraded or otherwise changed; ``None`` when it has no such value
    or is not a chainmap workspace (not even an SQLite file, or no file at all).

    Examples
    --------
    >>> peek_config("no-such-workspace.db", "lang") is None
    True
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"  # a ? # or % in the path is no query
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?",
                             ("config." + key,)).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]
