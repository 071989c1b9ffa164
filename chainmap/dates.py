"""The one date parser: every command option and every file column that holds a date.

A date is written as 2026-11-25, 2026-1-5, 2026/11/25, 2026.11.25, 2026年11月25日 (or
2026年11月25号) or 20261125 (full-width digits too; a time after it is ignored), or given
as a Python ``date``/``datetime``. A cell read from a file may also be an Excel date number (45000,
what a date cell formatted as a number holds): :func:`parse_cell_date`.

>>> parse_date("2026/11/25"), parse_date("2026年1月5日"), parse_date("２０２６．１１．２５")
('2026-11-25', '2026-01-05', '2026-11-25')
>>> parse_cell_date("45000"), parse_cell_date("")
('2023-03-15', None)
>>> parse_date("2026-02-30", "due")
Traceback (most recent call last):
...
chainmap.errors.ArgumentError: invalid date '2026-02-30' for due=: there is no such day; ...
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import overload

from .errors import ArgumentError
from .i18n import N_, _

__all__ = ["DATE_FORMS", "parse_cell_date", "parse_date"]

#: The forms a date may be written in, as the messages list them (a message id: show it
#: as ``_(DATE_FORMS)``, in the current language).
DATE_FORMS = N_("2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")
#: Why a date is refused, in :func:`parse_date`'s messages.
_NOT_A_DATE = N_("invalid date '{value}' for {parameter}=: not a date; use {forms}")
_NO_SUCH_DAY = N_("invalid date '{value}' for {parameter}=: there is no such day; use {forms}")

_DATE = re.compile(r"(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})\s*[日号]?"
                   r"(?:(?:[T ]|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")  # 10000 is 1927-05-18, 99999 is 2173-10-14
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: What a spreadsheet puts in a cell that has no value.
_BLANKS = frozenset({"", "-", "--", "---", "—", "——", "/", "无", "暂无", "n/a", "na", "null",
                     "none", "nan"})
_SEPARATORS = {("-", "-"), ("/", "/"), (".", "."), ("年", "月")}


def _parts(text: str) -> tuple[int, int, int] | None:
    """Year, month, day of ``text`` if it has the shape of a date, else ``None``."""
    found = _DATE.fullmatch(text)
    if found and (found.group(2), found.group(4)) in _SEPARATORS:
        if found.group(2) == "年" or not text.rstrip().endswith(("日", "号")):
            return int(found.group(1)), int(found.group(3)), int(found.group(5))
    found = _COMPACT.fullmatch(text)
    if found:
        return int(found.group(1)), int(found.group(2)), int(found.group(3))
    return None


def _refuse(value: object, parameter: str, message: str) -> ArgumentError:
    return ArgumentError(_(message).format(value=value, parameter=parameter,
                                           forms=_(DATE_FORMS)), parameter=parameter)


@overload
def parse_date(value: str | dt.date, parameter: str = ...) -> str: ...


@overload
def parse_date(value: None, parameter: str = ...) -> None: ...


@overload
def parse_date(value: str | dt.date | None, parameter: str = ...) -> str | None: ...


def parse_date(value: str | dt.date | None, parameter: str = "date") -> str | None:
    """``value`` as an ISO date (``YYYY-MM-DD``); ``None`` stays ``None``.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime or None
        The date as given: a ``date``/``datetime``, or text in one of the forms of
        :data:`DATE_FORMS` (also ``2026-1-5``, ``20261125``, full-width digits).
    parameter : str
        The caller's parameter that gave ``value``; a refusal names it (``date=``).

    Returns
    -------
    str or None
        The day as ``YYYY-MM-DD``.

    Raises
    ------
    chainmap.errors.ArgumentError
        Text that is not a date, or a day that does not exist (2026-02-30).

    Examples
    --------
    >>> parse_date("2026.11.25"), parse_date(dt.datetime(2026, 1, 5, 9, 30))
    ('2026-11-25', '2026-01-05')
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    parts = _parts(text)
    if parts is None:
        raise _refuse(value, parameter, _NOT_A_DATE)
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        raise _refuse(value, parameter, _NO_SUCH_DAY) from None


def parse_cell_date(value: object, parameter: str = "date") -> str | None:
    """A date read from a file's cell as an ISO date; a blank cell is ``None``.

    What :func:`parse_date` accepts, a blank (``""``, ``-``, ``无`` ...), and an Excel
    date number of five digits (``45000`` is 2023-03-15): a number a user would never
    type on the command line, but what a spreadsheet cell formatted as a number holds.

    Parameters
    ----------
    value : object
        The cell: text, a number, a ``date``/``datetime`` or ``None``.
    parameter : str
        The column, named in a refusal.

    Returns
    -------
    str or None
        The day as ``YYYY-MM-DD``, ``None`` for a blank cell.

    Raises
    ------
    chainmap.errors.ArgumentError
        Anything else (a :class:`ValueError`, which file readers catch per cell).

    Examples
    --------
    >>> parse_cell_date("2015年3月18日"), parse_cell_date(42081), parse_cell_date("无")
    ('2015-03-18', '2015-03-18', None)
    """
    if value is None or isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value, parameter)
    if isinstance(value, float) and value != value:  # NaN
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.lower() in _BLANKS:
        return None
    if _SERIAL.fullmatch(text):
        return (_EXCEL_EPOCH + dt.timedelta(days=int(float(text)))).isoformat()
    return parse_date(text, parameter)
