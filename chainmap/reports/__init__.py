"""Periodic reports built on the lead pipeline: the weekly report (招商周报).

The package re-exports each module's ``__all__`` lazily, as :mod:`chainmap.crm` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

# Each module's ``__all__``, imported on first use (tests/test_public_api.py checks them).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "weekly": ("WEEKLY_MEASURES", "WeeklyReport", "weekly_report"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .weekly import *  # noqa: F403
