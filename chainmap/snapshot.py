"""One committed state per report: the decorator the library's reports wear.

A report reads several tables (firms, their links, the lead pipeline); another process
may commit an import between two of those reads. A function wearing
:func:`reads_snapshot` runs inside :meth:`Workspace.snapshot
<chainmap.Workspace.snapshot>` (its first argument's), so every table, name and
revision it reads comes from one committed state of the store: an SQLite read
transaction (the write-ahead log's snapshot), one Neo4j read transaction. A report
called by another joins the caller's snapshot.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["reads_snapshot"]

P = ParamSpec("P")
R = TypeVar("R")


def reads_snapshot(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` (whose first argument is a workspace) run inside one read snapshot.

    Its name, docstring and signature are kept (``functools.wraps``).

    Examples
    --------
    >>> import chainmap
    >>> @reads_snapshot
    ... def firms(ws):
    ...     return len(ws.table("companies"))
    >>> firms(chainmap.open(":memory:"))
    0
    """
    @functools.wraps(function)
    def reading(*args: P.args, **kwargs: P.kwargs) -> R:
        workspace = args[0] if args else kwargs.get("workspace")
        snapshot = getattr(workspace, "snapshot", None)
        if snapshot is None:
            return function(*args, **kwargs)
        with snapshot():
            return function(*args, **kwargs)

    return reading
