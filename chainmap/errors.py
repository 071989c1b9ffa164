"""Exceptions raised by chainmap.

Every error chainmap raises on purpose derives from :class:`ChainmapError`; only
``chainmap.cli`` turns them into ``Error: ...`` lines and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ArgumentError",
    "ChainmapError",
    "DatasetError",
    "NotFoundError",
    "Problem",
    "RegionError",
    "WorkspaceError",
]


class ChainmapError(Exception):
    """Base class of every error chainmap raises for bad input or state.

    Each subclass also derives from the built-in exception a Python caller would expect
    (``ValueError`` for a bad argument, ``LookupError`` for an unknown name), so that
    ``except ValueError`` works as it does with any other library.

    ``parameter`` names the Python parameter the error is about (``"reason"``), when
    there is one: the message says ``reason=``, and the command line, which owns the
    words its users see, says ``--reason`` instead.
    """

    def __init__(self, message: str = "", *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class ArgumentError(ChainmapError, ValueError):
    """An argument that is not valid: a missing reason, a negative amount, a bad date."""


class RegionError(ChainmapError, LookupError):
    """A place name that is unknown or matches more than one region.

    ``field`` names the part of a company record that failed (``province``,
    ``city`` or ``district``) when the error comes from :func:`chainmap.regions.locate`.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ChainmapError, LookupError):
    """A chain, product, company or lead id that the workspace does not hold."""


class WorkspaceError(ChainmapError):
    """The workspace file cannot be opened, or is of a newer format."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or file) of a dataset.

    ``line`` is the 1-based line (header = line 1), ``None`` for a whole-file problem.
    """

    source: str
    line: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        parts = [where]
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            parts.append(f"value '{self.value}'")
        parts.append(self.reason)
        return ": ".join(parts)


class DatasetError(ChainmapError, ValueError):
    """A dataset that cannot be imported; ``problems`` lists every problem found."""

    #: How many problems are listed in the message; the rest are counted.
    shown = 50

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        lines = [str(p) for p in self.problems[: self.shown]]
        more = self.total - len(lines)
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        head = f"{self.total} problem(s) found; nothing was imported"
        super().__init__(head + "\n" + "\n".join(lines))
