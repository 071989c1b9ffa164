"""The periodic reports: ``report weekly`` (招商周报).

Thin wrappers over :mod:`chainmap.reports`.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _, language
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import report as _report
from .report import say

__all__ = ["COMMANDS"]


@click.group("report", cls=ChainmapGroup)
def report() -> None:
    """Periodic reports for leadership (招商周报 ...)."""


@report.command("weekly")
@click.option("--from", "start", metavar="YYYY-MM-DD",
              help="First day of the period (default: six days before --to).")
@click.option("--to", "end", metavar="YYYY-MM-DD",
              help="Last day of the period, included (default: today).")
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def weekly_report(c: Context, start: str | None, end: str | None, fmt: str,
                  output: Path | None) -> None:
    r"""Weekly report (招商周报) of a period (default the last 7 days).

    New leads, stage moves, activities, signed / started / producing with 亿元,
    overdue follow-ups and 签而未动, by owner and by chain; a summary first.

    \b
    JSON keys and codes stay English whatever --lang; xlsx: one workbook, one sheet
    per table, the summary sheet first.
    """
    import chainmap

    from ..output import HEADERS_ZH

    found = chainmap.weekly_report(c.ws, start=start, end=end)
    sheets = found.sheets()
    lang = language()
    if fmt == "json":  # machine output: keys and codes in English
        lang = "en"
    elif lang == "zh":
        sheets = {HEADERS_ZH.get(name, name): frame for name, frame in sheets.items()}
    _report(sheets, fmt, output, lang)  # translated by chainmap.output.localize
    say(_("招商周报 {start} – {end}").format(start=found.start, end=found.end))


#: The commands of this module, for the main group.
COMMANDS = (report,)
