"""A font with Chinese glyphs for the charts: ``scripts/test.sh`` installs WenQuanYi Micro
Hei (Debian's fonts-wqy-microhei) when none is there.

Without one the chart tests skip with the reason, except under CI (``CI`` set), where a
missing font is a failure (the same rule as the Neo4j test server).
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def cjk_font() -> tuple[str, str]:
    """``(family, path)`` of the font chainmap.charts uses for Chinese labels."""
    from chainmap.charts import cjk_font as find
    from chainmap.errors import ChainmapError

    try:
        return find()
    except ChainmapError as exc:
        reason = f"no CJK font for the charts ({exc}); scripts/test.sh installs one as root"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
