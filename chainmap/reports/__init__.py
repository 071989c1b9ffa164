"""Periodic reports built on the lead pipeline: 招商周报 and 签约项目通报.

The weekly report (:mod:`.weekly`) and the bulletin of signed projects (:mod:`.signed`).

The package re-exports each module's ``__all__`` lazily, as :mod:`chainmap.crm` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

# Each module's ``__all__``, imported on first use (tests/test_public_api.py checks them).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "signed": ("DEFAULT_BANDS", "SIGNED_COLUMNS", "SIGNED_MEASURES", "SignedReport",
               "signed_report"),
    "weekly": ("WEEKLY_MEASURES", "WeeklyReport", "weekly_report"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .signed import *  # noqa: F403
    from .weekly import *  # noqa: F403
