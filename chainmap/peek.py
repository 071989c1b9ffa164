"""A setting of a workspace file, read without opening the workspace.

For what runs before any workspace is opened: the command line's language
(``chainmap config lang``) for ``--help`` and usage errors, and whether a file is the
demo workspace. Only :mod:`sqlite3` is imported (not pandas, as opening a workspace
does), so ``chainmap --help`` in a folder holding a workspace stays quick; and it waits
at most :data:`PEEK_TIMEOUT` for a workspace another process is writing (then the
setting is unknown and ``--help`` speaks the default language), not SQLite's 5 s.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

__all__ = ["PEEK_TIMEOUT", "peek_config"]

#: Seconds :func:`peek_config` waits for a workspace locked by another process's write
#: (a workspace without its write-ahead log, on a share where SQLite cannot keep one,
#: or held in exclusive locking mode): ``chainmap --help`` then shows at once, in the
#: default language, instead of after SQLite's default 5 s.
PEEK_TIMEOUT = 0.2


def peek_config(path: str | Path, key: str, *, timeout: float = PEEK_TIMEOUT) -> str | None:
    """The configuration value ``key`` of the workspace file ``path``, read-only.

    The file is never upgraded or otherwise changed; ``None`` when it has no such value,
    is not a chainmap workspace (not even an SQLite file, or no file at all) or is still
    locked by another process's write after ``timeout`` seconds.

    Examples
    --------
    >>> peek_config("no-such-workspace.db", "lang") is None
    True
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"  # a ? # or % in the path is no query
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=timeout)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?",
                             ("config." + key,)).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]
