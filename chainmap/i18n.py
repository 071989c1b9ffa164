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

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

# ``_``, ``N_`` and ``pgettext`` are imported by name where messages are written
__all__ = ["LANGUAGES", "label", "language", "set_language", "translate", "use_language"]

#: The languages chainmap speaks: English and (simplified) Chinese.
LANGUAGES = ("en", "zh")
#: Where the compiled catalogues are (``<lang>/LC_MESSAGES/chainmap.mo``).
LOCALE_DIR = Path(__file__).parent / "locale"
#: The gettext domain.
DOMAIN = "chainmap"

_current: ContextVar[str | None] = ContextVar("chainmap_language", default=None)
_session: list[str | None] = [None]


def _check(lang: str) -> str:
    lang = lang.strip().lower().replace("_", "-")
    if lang in ("zh-cn", "zh-hans", "cn", "中文"):
        lang = "zh"
    if lang not in LANGUAGES:
        from .errors import ArgumentError

        raise ArgumentError(_("unknown language '{lang}'; use en or zh").format(lang=lang),
                            parameter="lang")
    return lang


def language() -> str:
    """The current language: ``en`` or ``zh``.

    Returns
    -------
    str
        The language of :func:`use_language`, else :func:`set_language`, else
        ``CHAINMAP_LANG``, else ``en``.

    Examples
    --------
    >>> with use_language("zh"):
    ...     language()
    'zh'
    """
    chosen = _current.get() or _session[0]
    if chosen:
        return chosen
    env = os.environ.get("CHAINMAP_LANG", "").strip().lower()
    return "zh" if env.startswith(("zh", "cn", "中文")) else "en"


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


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fp:
        return gettext.GNUTranslations(fp)


def translate(message: str, lang: str | None = None) -> str:
    """``message`` (an English message id) in ``lang`` (default: the current language).

    Parameters
    ----------
    message : str
        The English text, as written in the source.
    lang : str or None
        ``en`` or ``zh``.

    Returns
    -------
    str
        The translation; the English text when the catalogue has none.
    """
    return _catalogue(lang or language()).gettext(message)


def _(message: str) -> str:
    """``message`` in the current language (the gettext function; see :func:`translate`)."""
    return _catalogue(language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """``message`` unchanged: marks text to translate later (with :func:`_`)."""
    return message


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` in ``context`` (``column``, ``stage`` ...) in ``lang`` or the current one.

    Parameters
    ----------
    context : str
        The kind of word (the gettext message context).
    message : str
        The English word.
    lang : str or None
        ``en`` or ``zh``.

    Returns
    -------
    str
        The translation, else ``message``.
    """
    return _catalogue(lang or language()).pgettext(context, message)


def label(kind: str, key: str, lang: str | None = None) -> str:
    """The word for ``key`` of ``kind`` in ``lang``: the key itself in English.

    Parameters
    ----------
    kind : str
        ``column``, ``sheet``, ``stage``, ``status``, ``tier``, ``severity``, ``value``
        and the like (the message context in the catalogue).
    key : str
        The code name (``signed``, ``local_producers``).
    lang : str or None
        ``en`` or ``zh`` (default: the current language).

    Returns
    -------
    str
        The label; ``key`` when the catalogue has none.
    """
    lang = lang or language()
    return key if lang == "en" else pgettext(kind, key, lang)


@cache
def labels(kind: str, lang: str = "zh") -> Mapping[str, str]:
    """Every label of ``kind`` in ``lang``, by key: ``{"signed": "签约", ...}``.

    Parameters
    ----------
    kind : str
        The message context (``column``, ``stage`` ...).
    lang : str
        A language other than English.

    Returns
    -------
    Mapping
        A read-only mapping of key to word.

    Examples
    --------
    >>> labels("status")["missing"]
    '缺链'
    """
    from types import MappingProxyType

    catalogue = _catalogue(lang)
    prefix = kind + "\x04"
    found = {k[len(prefix):]: v for k, v in getattr(catalogue, "_catalog", {}).items()
             if isinstance(k, str) and k.startswith(prefix)}
    return MappingProxyType(found)
