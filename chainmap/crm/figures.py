"""What a signed project promises (履约承诺): the figures and deadlines of a lead's commitments.

Shared by :func:`chainmap.update_lead` (which sets them) and :mod:`chainmap.crm.delivery`
(which compares them with what was delivered). Every figure is a finite number ≥ 0 in
its unit; jobs a whole number.

>>> check_amount("12.5", "land", "亩"), check_count("200", "jobs")
(12.5, 200)
>>> check_amount(-3, "tax", "万元")
Traceback (most recent call last):
...
chainmap.errors.ArgumentError: tax= must be a number ≥ 0 (万元), not '-3'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..dates import parse_date
from ..errors import ArgumentError
from ..i18n import _, label

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["COMMITMENTS", "UNITS", "check_amount", "check_count", "checked", "commit", "shown"]

#: The commitments of a project (beside its ``investment``), in the order shown.
COMMITMENTS = ("land", "output", "tax", "jobs", "start_by", "produce_by")
#: The unit of each figure: land in 亩, investment and output in 亿元 (a year's output at
#: full production), tax in 万元 (a year's), jobs in people.
UNITS = {"land": "亩", "investment": "亿元", "invested": "亿元", "output": "亿元",
         "tax": "万元", "jobs": "人"}


#: The units a figure may be written with, per unit of the figure, and what each is worth
#: in it: ``120亩``, ``500人``, ``2.2亿`` (亿元), ``8000万`` or ``0.8亿`` (万元).
_WRITTEN = {"亿元": (("亿元", 1.0), ("亿", 1.0), ("万元", 1e-4), ("万", 1e-4)),
            "万元": (("万元", 1.0), ("万", 1.0), ("亿元", 1e4), ("亿", 1e4)),
            "亩": (("亩", 1.0),), "人": (("人", 1.0), ("名", 1.0))}


def _number(value: object, unit: str) -> float:
    """``value`` as a float, text written with its unit or full-width digits too.

    ``nan`` when it is no number.

    >>> _number("１２０亩", "亩"), _number("8,000万元", "万元"), _number("0.8亿", "万元")
    (120.0, 8000.0, 8000.0)
    """
    if not isinstance(value, str):
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return math.nan
    import re
    import unicodedata

    text = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", value))
    worth = 1.0
    for written, times in _WRITTEN.get(unit, ()):
        if text.endswith(written) and len(text) > len(written):
            text, worth = text[:-len(written)], times
            break
    try:
        return round(float(text) * worth, 8)
    except ValueError:
        return math.nan


def check_amount(value: object, parameter: str, unit: str) -> float | None:
    """``value`` as a finite number ≥ 0 (``None`` and ``""`` stay ``None``).

    Parameters
    ----------
    value : object
        A number, or text such as ``"12.5"`` (also written with its unit: ``"120亩"``,
        ``"2.2亿"``, ``"8000万"``; full-width digits).
    parameter : str
        The parameter that gave it, named in a refusal (``land=``).
    unit : str
        Its unit, named in a refusal (亩, 亿元, 万元).

    Returns
    -------
    float or None
        The number.

    Raises
    ------
    chainmap.errors.ArgumentError
        Not a number, negative, infinite or NaN.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(value, unit)
    if not math.isfinite(number) or number < 0:
        raise ArgumentError(_("{parameter}= must be a number ≥ 0 ({unit}), not '{value}'")
                            .format(parameter=parameter, unit=unit, value=value),
                            parameter=parameter)
    return number


def check_count(value: object, parameter: str) -> int | None:
    """``value`` as a whole number ≥ 0 (``None`` and ``""`` stay ``None``).

    Parameters
    ----------
    value : object
        A number, or text such as ``"200"`` (or ``"200人"``).
    parameter : str
        The parameter that gave it, named in a refusal (``jobs=``).

    Returns
    -------
    int or None
        The number.

    Raises
    ------
    chainmap.errors.ArgumentError
        Not a whole number ≥ 0.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(value, "人")
    if not math.isfinite(number) or number < 0 or not number.is_integer():
        raise ArgumentError(_("{parameter}= must be a whole number ≥ 0, not '{value}'")
                            .format(parameter=parameter, value=value), parameter=parameter)
    return int(number)


def _checked(column: str, value: object) -> object:
    """A commitment's value as stored: a figure checked, a date parsed, blank as ``None``."""
    if column in ("start_by", "produce_by"):
        text = None if value is None else str(value).strip()
        return parse_date(text, column) if text else None
    if column == "jobs":
        return check_count(value, column)
    return check_amount(value, column, UNITS[column])


def shown(value: object) -> str:
    """A stored value as a change shows it: ``(none)``, ``12.5``, ``2027-06-30``."""
    if value is None or (isinstance(value, float) and value != value):
        return _("(none)")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def checked(given: Mapping[str, object]) -> dict[str, object]:
    """The commitments ``given`` (:data:`COMMITMENTS`) as stored: checked, dates parsed."""
    return {column: _checked(column, value) for column, value in given.items()}


def commit(store: Store, lead_id: str, values: Mapping[str, object], by: str,
           at: str) -> list[str]:
    """Set the commitments ``values`` (:func:`checked`) of ``lead_id``; the changes, as text.

    Inside the caller's transaction (that of :func:`chainmap.update_lead`). A value equal
    to the stored one is no change; a production deadline before the start one is
    refused.
    """
    stored = store.commitment(lead_id) or {}
    row = {column: stored.get(column) for column in COMMITMENTS}
    done = []
    for column, value in values.items():
        if row[column] == value:
            continue
        done.append(_("{field}: {before} → {after}").format(
            field=label("column", column), before=shown(row[column]), after=shown(value)))
        row[column] = value
    start, produce = row["start_by"], row["produce_by"]
    if start and produce and str(produce) < str(start):
        raise ArgumentError(_("produce_by= {produce} is before start_by= {start}: a project "
                              "starts construction before it produces")
                            .format(produce=produce, start=start),
                            parameter=("produce_by", "start_by"))
    if done:
        store.set_commitment({"id": lead_id, **row, "at": at, "by": by})
    return done
