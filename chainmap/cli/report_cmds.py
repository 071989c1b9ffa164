"""The periodic reports: ``report weekly`` (招商周报), ``report signed`` (签约项目通报).

Thin wrappers over :mod:`chainmap.reports`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import _, language
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import emit, say
from .report import report as _report

if TYPE_CHECKING:
    from ..reports.signed import SignedReport

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

    found = chainmap.weekly_report(c.ws, start=start, end=end)
    sheets = found.sheets()
    lang = language()
    if fmt == "json":  # machine output: keys and codes in English
        lang = "en"
    elif lang == "zh":  # English tables and sheets keep their names
        titles = found.titles(lang)
        sheets = {titles[name]: frame for name, frame in sheets.items()}
    _report(sheets, fmt, output, lang, ws=c.ws)  # translated by chainmap.output.localize
    say(found.heading)


@report.command("signed")
@click.option("--from", "start", metavar="YYYY-MM-DD",
              help="First day of the period (default: 1 January of the year of --to).")
@click.option("--to", "end", metavar="YYYY-MM-DD",
              help="Last day of the period, included (default: --as-of).")
@click.option("--min", "min_investment", metavar="亿元", default="1", show_default=True,
              help="Count projects of at least this investment (亿元以上: 1).")
@options.TARGETS
@click.option("--bands", metavar="30,20,10", default="30,20,10", show_default=True,
              help="Lower edges of the size bands, 亿元: a band holds the projects from "
                   "its edge up to the next edge above.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Read the pipeline as it stood on this day (default: today).")
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def signed_report(c: Context, start: str | None, end: str | None, min_investment: str,
                  targets: str | None, bands: str, as_of: str | None, fmt: str,
                  output: Path | None) -> None:
    """Bulletin of signed projects (签约项目通报), default the year to date.

    Projects whose contract date is in the period, at or above --min, still signed,
    started or producing on the --as-of day: how many, how many from the target
    regions (苏浙沪), total investment, how many in each size band, and the sentence
    a bulletin prints:

    新签约亿元以上项目16个，其中来自苏浙沪项目8个，总投资116.3亿元，其中超30亿元项目1个、超20亿元项目1个、超10亿元项目3个

    JSON: count, from_targets, total, bands [{min, count}], period, min_investment,
    targets, not_counted, sentence {zh, en}, projects; keys and codes in English
    whatever --lang. xlsx: the summary sheet (the sentence first), then the projects.
    """
    import chainmap

    from ..i18n import _, language

    lang = language()
    found = chainmap.signed_report(c.ws, start=start, end=end,
                                   min_investment=min_investment, targets=targets,
                                   bands=bands, as_of=as_of)
    _bulletin(found, fmt, output, lang, c)
    say(_("Bulletin of signed projects, {start} – {end} (as of {as_of})").format(
        start=found.start, end=found.end, as_of=found.as_of))
    minimum = f"{found.min_investment:g}"
    if found.below_min:
        say(_("Not counted: {n} project(s) signed in the period under {minimum} 亿元")
            .format(n=found.below_min, minimum=minimum))
    if found.without_investment:
        say(_("Not counted: {n} project(s) signed in the period without an investment "
              "figure (taken as under --min)").format(n=found.without_investment))
    if found.not_signed:
        say(_("Not counted: {n} project(s) with a contract date in the period but not at "
              "signed, started or producing on {as_of} (lost, moved back, or moved to "
              "signed later)").format(n=found.not_signed, as_of=found.as_of))
    if found.undated:
        say(_("Not counted: {n} project(s) at signed, started or producing without a "
              "contract date; give one with 'chainmap leads update LEAD --contract-date "
              "YYYY-MM-DD'").format(n=found.undated))


def _bulletin(found: SignedReport, fmt: str, output: Path | None, lang: str, c: Context) -> None:
    """Print or write the bulletin ``found`` (a :class:`chainmap.SignedReport`) in ``fmt``.

    Tables and Markdown start with the sentence (a table cell would cut it); CSV and
    workbooks carry it as the summary's first row; JSON is :meth:`SignedReport.to_dict`.
    Workbooks and Chinese CSV name firms and chains instead of giving their ids.
    """
    import json

    from ..files import write_atomic
    from ..output import localize, render

    workbook = fmt == "xlsx" or (output is not None and output.suffix.lower() == ".xlsx")
    if workbook or fmt == "csv":  # for people, the report writer's way
        # workbooks and Chinese CSV name firms and products: their id columns go
        people = workbook or lang == "zh"
        projects = found.projects.drop(columns=["company", "product"]) if people \
            else found.projects
        titles = _signed_titles(found, lang)  # 汇总, 签约项目 under zh
        sheets = {titles["summary"]: found.summary(lang), titles["projects"]: projects}
        _report(sheets, "xlsx" if workbook else fmt, output, lang, c.ws)
        return
    if fmt == "json":
        text = json.dumps(found.to_dict(), ensure_ascii=False, indent=2)
    else:  # the sentence first: a table cell would cut it
        tables = {"summary": found.summary(lang, sentence=False), "projects": found.projects}
        parts = [found.sentence(lang)]
        for name, frame in tables.items():
            shown = _signed_titles(found, lang)[name]
            body = render(localize(frame, lang), fmt)
            parts.append(f"## {shown}\n\n{body}" if fmt == "md" else f"[{shown}]\n{body}")
        text = "\n\n".join(parts)
    if output is not None:
        write_atomic(output, lambda tmp: Path(tmp).write_text(text + "\n", encoding="utf-8"))
        say(_("Wrote the bulletin to {path}").format(path=output))
    else:
        emit(text)


def _signed_titles(found: SignedReport, lang: str) -> dict[str, str]:
    """The bulletin's table titles on the command line.

    Its ``sheet`` labels under ``zh`` (汇总, 签约项目); in English, as every report's
    tables on the command line, their names.
    """
    return found.titles(lang) if lang == "zh" else {"summary": "summary",
                                                    "projects": "projects"}


#: The commands of this module, for the main group.
COMMANDS = (report,)
