"""The options (and one parameter type) that several commands share, declared once.

Each name is a decorator (``@options.FORMAT``); the ``*_option`` functions make one for
options whose help text differs between commands.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..crm.common import DEFAULT_OVERDUE_DAYS
from ..i18n import _
from ..output import FORMATS
from ..regions import GROUPS, LIST_SEPARATORS
from .context import lang_from_option

__all__ = [
    "BY", "CHAIN", "CHART_LANG", "CHART_TITLE", "DATE", "FORMAT", "HOME", "INVESTMENT", "LANG",
    "OUTPUT", "OVERDUE_DAYS", "REPORT_FORMAT", "SOURCE", "TARGETS", "TARGETS_HELP",
    "WEAK_THRESHOLD",
    "Investment", "Source",
    "chain_option", "format_option", "home_option", "output_file_option",
]

F = TypeVar("F", bound=Callable[..., Any])

CHAIN_HELP = "Chain id or name (e.g. 智能家电)."


class Investment(click.ParamType):
    """A finite number ≥ 0 of 亿元.

    ``inf`` and ``nan`` are refused: JSON cannot carry them, and no project is worth
    infinitely much.
    """

    name = "亿元"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        """Return ``value`` as a float, or fail with a usage error saying why not."""
        if isinstance(value, float) and math.isfinite(value) and value >= 0:
            return value
        from ..crm.common import parse_investment

        try:
            number = parse_investment(value)
        except (TypeError, ValueError):
            self.fail(_("'{value}' is not a number of 亿元").format(value=value), param, ctx)
        if not math.isfinite(number):
            self.fail(_("'{value}' is not a finite number of 亿元").format(value=value),
                      param, ctx)
        if number < 0:
            self.fail(_("'{value}' is negative; give a number ≥ 0 of 亿元").format(value=value),
                      param, ctx)
        return number


#: The parameter type of ``--investment``.
INVESTMENT = Investment()


class Source(click.ParamType):
    """Where a lead came from: ``gap``, ``referral``, ``event`` or ``other``.

    Or its Chinese word (缺链, 以商招商, 活动, 其他 ...), as a lead file's 来源 column takes it.
    """

    name = "source"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        """Return the source code ``value`` names, or fail with a usage error."""
        from ..crm.common import parse_source
        from ..errors import ArgumentError

        try:
            return parse_source(value)
        except ArgumentError:
            self.fail(_("'{value}' is not a source: use gap, referral, event or other (or "
                        "缺链, 以商招商, 活动, 其他)").format(value=value), param, ctx)


#: The parameter type of ``--source``.
SOURCE = Source()


def format_option(choices: tuple[str, ...] = FORMATS,
                  help: str = "Output format.") -> Callable[[F], F]:  # noqa: A002
    """``--format`` (into the parameter ``fmt``) among ``choices``, default ``table``.

    Parameters
    ----------
    choices : tuple of str
        The formats the command offers.
    help : str
        The help text.

    Returns
    -------
    callable
        The option decorator.
    """
    return click.option("--format", "fmt", type=click.Choice(choices), default="table",
                        show_default=True, help=help)


def home_option(help: str = "Home zone, e.g. 安徽省/马鞍山市/当涂县 "  # noqa: A002
                "(default: chainmap config home).") -> Callable[[F], F]:
    """``--home REGION``, the home zone.

    Parameters
    ----------
    help : str
        The help text.

    Returns
    -------
    callable
        The option decorator.
    """
    return click.option("--home", metavar="REGION", help=help)


def chain_option(help: str = CHAIN_HELP, required: bool = False) -> Callable[[F], F]:  # noqa: A002
    """``--chain``, a chain id or name.

    Parameters
    ----------
    help : str
        The help text.
    required : bool
        Whether the command needs it.

    Returns
    -------
    callable
        The option decorator.
    """
    return click.option("--chain", required=required, help=help)


def output_file_option(help: str) -> Callable[[F], F]:  # noqa: A002
    """``-o/--output FILE``, required: the file a command writes.

    Parameters
    ----------
    help : str
        The help text (which files the command can write).

    Returns
    -------
    callable
        The option decorator.
    """
    return click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
                        help=help)


#: ``--format`` of a printed report.
FORMAT = format_option()
#: ``--format`` of a report that can also be a workbook.
REPORT_FORMAT = format_option((*FORMATS, "xlsx"), "Output format; xlsx needs -o FILE.")
#: ``-o/--output``: write the report to a file.
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path),
                      help="Write the report to this file instead of stdout.")
#: ``--lang``: the language of what people read (headers, labels, messages, errors);
#: default the current one (CHAINMAP_LANG, else chainmap config lang, else en). Eager, so
#: that the other options' errors speak it too; the value is in force for the whole
#: command (:func:`chainmap.cli.context.speak`), so commands need no parameter for it.
LANG = click.option("--lang", type=click.Choice(("en", "zh")), default=None,
                    is_eager=True, expose_value=False, callback=lang_from_option,
                    help="Language of headers, labels and messages: en or zh (中文); default "
                         "CHAINMAP_LANG, else chainmap config lang, else en. JSON stays "
                         "English.")
#: ``--home`` with an example.
HOME = home_option()
#: ``--chain``, required.
CHAIN = chain_option(required=True)


def _targets_help() -> str:
    """What ``--targets`` takes, from what :func:`chainmap.regions.resolve_many` reads.

    The groups of :data:`~chainmap.regions.GROUPS` (names of one group together) and the
    separators of :data:`~chainmap.regions.LIST_SEPARATORS`.
    """
    names: dict[tuple[str, ...], list[str]] = {}
    for name, members in GROUPS.items():
        names.setdefault(members, []).append(name)
    groups = " and ".join(f"{', '.join(group)} ({' '.join(members)})"
                          for members, group in names.items())
    separators = " ".join(LIST_SEPARATORS.pattern.strip("[]"))
    return (f"Target regions or groups (default 苏浙沪): provinces, cities or districts, or "
            f"the groups {groups}; several separated by {separators} or spaces.")


#: The help of ``--targets``.
TARGETS_HELP = _targets_help()
#: ``--targets``: where to look for candidate firms.
TARGETS = click.option("--targets", metavar="R1,R2", help=TARGETS_HELP)
#: ``--weak-threshold``.
WEAK_THRESHOLD = click.option(
    "--weak-threshold", type=click.IntRange(min=1), default=2, show_default=True,
    help="Fewer local producers than this (but some) is a weak link.")
#: ``--by``: who makes a change to the lead pipeline.
BY = click.option("--by", metavar="NAME",
                  help="Who makes the change (default $CHAINMAP_USER, else the OS user).")
#: ``--date``: when it happened.
DATE = click.option("--date", metavar="YYYY-MM-DD", help="When it happened (default today).")
#: ``--days`` after which a signed project not started is overdue.
OVERDUE_DAYS = click.option(
    "--days", type=click.IntRange(min=0),
    help="Signed but not started after this many days is overdue (签而未动; default: "
         f"chainmap config overdue-days, else {DEFAULT_OVERDUE_DAYS}).")
#: ``--lang`` of chart labels.
CHART_LANG = click.option("--lang", type=click.Choice(("zh", "en", "both")), default="both",
                          show_default=True, is_eager=True, callback=lang_from_option,
                          help="Labels in Chinese, English or both (zh or en: messages too).")
#: ``--title`` of a chart.
CHART_TITLE = click.option("--title", help="Chart title (default: a standard one).")
