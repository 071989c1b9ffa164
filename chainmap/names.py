"""Company-name normalisation, so that one firm written two ways is seen as one.

>>> normalize_name("苏州恒冷换热器股份有限公司")
'苏州恒冷换热器'
>>> normalize_name("奥克斯空调（马鞍山） 有限公司") == normalize_name("奥克斯空调(马鞍山)有限公司")
True
>>> normalize_name("上海华冷科技有限公司（上海）分公司")
'上海华冷科技'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_name"]

_BRANCH = re.compile(r"\([^()]*\)\s*(分公司|分厂|办事处)$|(分公司|分厂|办事处)$")
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "总公司", "公司",
             "股份", "co.,ltd.", "co.,ltd", "co.ltd.", "ltd.", "ltd", "inc.", "inc")


def normalize_name(name: str) -> str:
    """Fold width and case, drop spaces, branch suffixes and legal-form suffixes."""
    text = unicodedata.normalize("NFKC", str(name)).lower()
    text = re.sub(r"\s+", "", text)
    text = _BRANCH.sub("", text)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text
