"""Small words for the messages of reading and checking files, in the current language.

Lists inside a message are joined as each language writes them (``a, b`` / ``a、b``;
``a or b`` / ``a或b``), and a table is named by its word (``companies`` / 企业).

Lists of names are joined with :func:`chainmap.i18n.join`.

>>> from chainmap.i18n import use_language
>>> either(["'leads'", "'线索'"]), table_word("companies")
("'leads' or '线索'", 'companies')
>>> with use_language("zh"):
...     either(["'leads'", "'线索'"]), table_word("companies")
("'leads'或'线索'", '企业')
"""

from __future__ import annotations

from collections.abc import Iterable

from ..files import system_error
from ..i18n import label, pgettext

__all__ = ["either", "system_error", "table_word"]


def either(items: Iterable[object]) -> str:
    """``items`` as alternatives: ``a or b or c`` in English, ``a或b或c`` in Chinese."""
    return pgettext("word", " or ").join(str(i) for i in items)


def table_word(table: str) -> str:
    """The name of a dataset table for people: ``companies`` in English, 企业 in Chinese."""
    return label("table", table)
