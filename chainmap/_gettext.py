"""The core of :mod:`chainmap.i18n`: the current language and the catalogue lookups.

Kept apart from :mod:`chainmap.i18n` (which checks a language a caller names, raising
:class:`chainmap.errors.ArgumentError`) so that :mod:`chainmap.errors` can write its own
messages through the catalogue without an import cycle. Import these names from
:mod:`chainmap.i18n`.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "_", "counted", "join", "label", "labels",
           "language", "pgettext", "translate"]

#: The languages chainmap speaks: English and (simplified) Chinese.
LANGUAGES = ("en", "zh")
#: Where the compiled catalogues are (``<lang>/LC_MESSAGES/chainmap.mo``).
LOCALE_DIR = Path(__file__).parent / "locale"
#: The gettext domain.
DOMAIN = "chainmap"

_current: ContextVar[str | None] = ContextVar("chainmap_language", default=None)
_session: list[str | None] = [None]


def language() -> str:
    """The current language: ``en`` or ``zh``.

    Returns
    -------
    str
        The language of :func:`use_language`, else :func:`set_language`, else
        ``CHAINMAP_LANG``, else ``en``.

    Examples
    --------
    >>> from chainmap.i18n import use_language
    >>> with use_language("zh"):
    ...     language()
    'zh'
    """
    chosen = _current.get() or _session[0]
    if chosen:
        return chosen
    env = os.environ.get("CHAINMAP_LANG", "").strip().lower()
    return "zh" if env.startswith(("zh", "cn", "中文")) else "en"


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


def join(items: Iterable[object]) -> str:
    """``items`` as one list in the current language: ``a, b, c`` or ``a、b、c``.

    Examples
    --------
    >>> join(["上海市", "江苏省"])
    '上海市, 江苏省'
    >>> from chainmap.i18n import use_language
    >>> with use_language("zh"):
    ...     join(["上海市", "江苏省"])
    '上海市、江苏省'
    """
    return pgettext("word", ", ").join(map(str, items))


#: A count of a table's rows in words, for many rows and for one, by table.
_COUNTED: dict[str, tuple[str, str]] = {
    "chains": (N_("{n} chains"), N_("{n} chain")),
    "products": (N_("{n} products"), N_("{n} product")),
    "product_chains": (N_("{n} chain memberships"), N_("{n} chain membership")),
    "inputs": (N_("{n} inputs"), N_("{n} input")),
    "companies": (N_("{n} companies"), N_("{n} company")),
    "capabilities": (N_("{n} capabilities"), N_("{n} capability")),
    "supplies": (N_("{n} supplies"), N_("{n} supply")),
    "leads": (N_("{n} leads"), N_("{n} lead")),
    "lead_events": (N_("{n} stage moves"), N_("{n} stage move")),
    "activities": (N_("{n} activities"), N_("{n} activity")),
    "followups": (N_("{n} follow-ups"), N_("{n} follow-up")),
    "liaisons": (N_("{n} firm liaisons"), N_("{n} firm liaison")),
    "requests": (N_("{n} firm requests"), N_("{n} firm request")),
    "request_events": (N_("{n} request updates"), N_("{n} request update")),
    "visits": (N_("{n} service visits"), N_("{n} service visit")),
    "merges": (N_("{n} firm merges"), N_("{n} firm merge")),
    "audit": (N_("{n} audit log entries"), N_("{n} audit log entry")),
    "stage_limits": (N_("{n} stage limits"), N_("{n} stage limit")),
    "commitments": (N_("{n} commitments"), N_("{n} commitment")),
    "actuals": (N_("{n} actual results"), N_("{n} actual result")),
    "meta": (N_("{n} workspace settings"), N_("{n} workspace setting")),
}


def counted(n: int, table: str, lang: str | None = None) -> str:
    """``n`` rows of ``table`` in words: ``1 chain``, ``3 companies``, ``企业 3 家``.

    Parameters
    ----------
    n : int
        How many rows.
    table : str
        The table's name (``companies``, ``lead_events`` ...); a table without words of
        its own is named by its ``table`` label.
    lang : str or None
        ``en`` or ``zh`` (default: the current language).

    Returns
    -------
    str
        The count, in the singular for one row.

    Examples
    --------
    >>> counted(1, "chains"), counted(1000, "companies"), counted(2, "lead_events")
    ('1 chain', '1000 companies', '2 stage moves')
    >>> counted(3, "companies", "zh"), counted(1, "products", "zh")
    ('企业 3 家', '产品 1 个')
    """
    words = _COUNTED.get(table)
    if words is None:
        return f"{n} {label('table', table, lang)}"
    return translate(words[n == 1], lang).format(n=n)


#: The English words of the labels whose keys are names, not words for people: the
#: ``sheet`` labels, the titles of report tables in notebook views (``signed_by_year`` is
#: "Signed by year"). Their Chinese is in the catalogue as for every label; a test checks
#: that each ``sheet`` label has its English here.
ENGLISH_LABELS: dict[str, dict[str, str]] = {"sheet": {
    "activities": "Visits and activities", "activity_kinds": "Activities by kind",
    "actuals": "Actual results", "by_chain": "By chain", "by_kind": "By request kind",
    "by_officer": "By service officer", "by_owner": "By owner", "chains": "Chains",
    "commitments": "Commitments", "conversion": "Stage conversion",
    "customers": "Local customers affected", "deals": "Signed, started, producing",
    "delivery": "Project delivery", "firms": "Firms served", "followups": "Follow-ups",
    "gaps": "Gap report", "history": "Stage history", "inputs": "Input products",
    "metrics": "Chain completeness", "new_leads": "New leads",
    "opportunities": "Where to attract next", "overdue_followups": "Overdue follow-ups",
    "overview": "Summary", "owners": "Owners", "products": "Products affected",
    "projects": "Signed projects", "regions": "Regions", "related": "Related products",
    "requests": "Firm requests", "review": "Review", "signed_by_year": "Signed by year",
    "signed_not_started": "Signed, not started", "stage_days": "Days in stage",
    "stage_moves": "Stage moves", "stages": "Stages", "summary": "Anchor firm",
    "supervise": "Supervision", "suppliers": "Known suppliers", "targets": "Target firms",
    "total": "Requests handled", "visits": "Service visits",
}}


def label(kind: str, key: str, lang: str | None = None) -> str:
    """The word for ``key`` of ``kind`` in ``lang``.

    In English the key itself, or its English words (:data:`ENGLISH_LABELS`: the
    ``sheet`` labels, ``Signed by year``).

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
    if lang == "en":
        return ENGLISH_LABELS.get(kind, {}).get(key, key)
    return pgettext(kind, key, lang)


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
