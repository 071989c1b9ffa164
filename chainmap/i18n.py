"""The message catalogue: every word a person reads, in English and Chinese.

User-facing text lives in one gettext catalogue, ``chainmap/locale/zh/LC_MESSAGES/
chainmap.po`` (compiled to ``chainmap.mo`` beside it; ``python scripts/catalogue.py``
extracts the messages from the source, updates the ``.po`` and compiles it). The
English text is the message id itself, so English needs no file; Chinese is the
translation. ``tests/test_catalogue.py`` fails when a message lacks its Chinese.

Messages are written ``_("unknown lead '{lead}'").format(lead=lead)``: :func:`_`
looks the text up in the current language, then ``str.format`` fills it in.
Words with a fixed meaning (column headers, stages, statuses, sheet names) are
labels: :func:`label` ``("stage", "signed")`` gives ``签约`` under ``zh``.

The current language is, first to last: :func:`use_language` (``--lang`` of a
command), :func:`set_language` (a notebook), the ``CHAINMAP_LANG`` environment
variable, ``chainmap config lang`` of the workspace (the command line applies it),
English.

Examples
--------
>>> with use_language("zh"):
...     _("unknown lead '{lead}'").format(lead="L9")
"没有线索 'L9'"
>>> _("unknown lead '{lead}'").format(lead="L9")
"unknown lead 'L9'"
>>> label("stage", "signed", "zh"), label("stage", "signed", "en")
('签约', 'signed')
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ._gettext import DOMAIN as DOMAIN
from ._gettext import LANGUAGES as LANGUAGES
from ._gettext import LOCALE_DIR as LOCALE_DIR
from ._gettext import N_ as N_
from ._gettext import _ as _
from ._gettext import _current, _session
from ._gettext import counted as counted
from ._gettext import join as join
from ._gettext import label as label
from ._gettext import labels as labels
from ._gettext import language as language
from ._gettext import pgettext as pgettext
from ._gettext import translate as translate
from .errors import ArgumentError

# ``_``, ``N_``, ``pgettext`` and ``join`` are imported by name where messages are written
__all__ = ["LANGUAGES", "label", "language", "set_language", "translate", "use_language"]


def _check(lang: str) -> str:
    lang = lang.strip().lower().replace("_", "-")
    if lang in ("zh-cn", "zh-hans", "cn", "中文"):
        lang = "zh"
    if lang not in LANGUAGES:
        raise ArgumentError(_("unknown language '{lang}'; use en or zh").format(lang=lang),
                            parameter="lang")
    return lang


def set_language(lang: str | None) -> None:
    """Make ``lang`` the language of this Python session (``None``: back to the default).

    Parameters
    ----------
    lang : str or None
        ``en`` or ``zh``.

    Examples
    --------
    >>> set_language("zh"); language()
    'zh'
    >>> set_language(None)
    """
    _session[0] = None if lang is None else _check(lang)


@contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the ``with`` block (``None`` keeps the current language).

    Parameters
    ----------
    lang : str or None
        ``en`` or ``zh``.

    Yields
    ------
    str
        The language in force.
    """
    token = _current.set(_check(lang) if lang else _current.get())
    try:
        yield language()
    finally:
        _current.reset(token)
