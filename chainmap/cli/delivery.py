"""Commitments against delivery, and supervision.

``leads actual``, ``projects delivery``, ``supervise`` and ``config stage-limit``: thin
wrappers over :mod:`chainmap.crm.delivery` and :mod:`chainmap.crm.supervise`. ``leads
actual`` joins the ``leads`` group, ``stage-limit`` the ``config`` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _, language
from . import options
from .context import Context, pass_ctx
from .data import config
from .errors import ChainmapCommand, ChainmapGroup
from .leads import leads
from .report import emit, report, say
from .service import AS_OF, people

__all__ = ["COMMANDS"]


@leads.command("actual")
@click.argument("lead")
@click.option("--date", required=True, metavar="YYYY-MM-DD", help="The date of the figures.")
@click.option("--invested", metavar="亿元", help="Investment made so far (cumulative), 亿元.")
@click.option("--output", metavar="亿元", help="Latest annual output, 亿元.")
@click.option("--tax", metavar="万元", help="Latest annual tax, 万元.")
@click.option("--jobs", metavar="N", help="Latest number of jobs.")
@options.BY
@options.LANG
@pass_ctx
def record_actual(c: Context, lead: str, date: str, invested: str | None, output: str | None,
                  tax: str | None, jobs: str | None, by: str | None) -> None:
    """Record what the signed project LEAD delivered by --date (履约实绩)."""
    import chainmap

    changes = chainmap.record_actual(c.ws, lead, date, invested=invested, output=output,
                                     tax=tax, jobs=jobs, by=by)
    for line in changes or [_("nothing changed")]:
        say(line)


@click.group("projects", cls=ChainmapGroup)
def projects() -> None:
    """Signed projects after signing: commitments against delivery (履约)."""


@projects.command("delivery")
@AS_OF
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def project_delivery(c: Context, as_of: str | None, fmt: str, output: Path | None) -> None:
    r"""Each signed project's commitments against what it delivered by --as-of.

    \b
    invested_share = invested / investment; intensity = investment in 万元 per 亩;
    output and tax per 亩 (万元), committed and actual; flags: not_started 签而未动
    (still signed after --start-by, else the contract plus overdue-days),
    not_producing 开工未投产 (started, not producing after --produce-by),
    below_output 未达产 (producing a year, output under 80% of the commitment).
    Commitments: chainmap leads update L --land --output --tax --jobs --start-by
    --produce-by; actuals: chainmap leads actual L --date ...
    """
    import chainmap

    lang = language()
    frame = chainmap.project_delivery(c.ws, as_of=as_of)
    report({"delivery": people(frame, lang, fmt)}, fmt, output, lang, c.ws)
    flagged = int(frame["flags"].map(bool).sum())
    say(_("{projects} signed project(s), {flagged} flagged")
        .format(projects=len(frame), flagged=flagged))


@click.command("supervise", cls=ChainmapCommand)
@AS_OF
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def supervise(c: Context, as_of: str | None, fmt: str, output: Path | None) -> None:
    r"""Traffic lights (红黄绿灯督办): every yellow and red lead, project and request.

    \b
    Days in a stage = --as-of minus the move into it; green below 80% of the stage's
    limit (chainmap config stage-limit), yellow from 80% up to the limit, red past it.
    Requests: yellow within 3 days of due, red past due. Yellow goes to the officer or
    lead owner, red to the firm's leader (1+1+1), else the owner.
    xlsx: one sheet (督办单) per responsible person.
    """
    import chainmap

    from ..output import SUPERVISE_HEADERS

    lang = language()
    frame = chainmap.supervise(c.ws, as_of=as_of)
    if fmt == "xlsx" or (output is not None and output.suffix.lower() == ".xlsx"):
        if output is None:
            raise chainmap.ChainmapError(_("--format xlsx needs -o FILE.xlsx"))
        chainmap.supervision_workbook(c.ws, output, frame, lang=lang)  # one sheet a person
        say(_("Wrote {file}").format(file=output))
    else:
        report({"supervise": people(frame, lang, fmt, SUPERVISE_HEADERS)}, fmt, output,
               lang, c.ws)
    lights = frame["light"].value_counts()
    say(_("{red} red, {yellow} yellow").format(red=int(lights.get("red", 0)),
                                                yellow=int(lights.get("yellow", 0))))


@config.command("stage-limit")
@click.argument("stage", required=False)
@click.argument("days", required=False)
@click.option("--unset", is_flag=True, help="Back to the default limit of STAGE.")
@options.BY
@options.FORMAT
@options.LANG
@pass_ctx
def set_stage_limit(c: Context, stage: str | None, days: str | None, unset: bool,
                    by: str | None, fmt: str) -> None:
    r"""Show or set the time limit (days) of a stage, for supervision (红黄绿灯).

    \b
    Defaults: lead 30, contacted 45, visited 60, negotiating 90, signed 180 (until
    started; chainmap config overdue-days when set), started 365 (until producing).
    Without arguments: every stage's limit.
    """
    import chainmap


    if stage is None:
        if unset:
            raise click.UsageError(_("--unset needs STAGE"))
        report({"stage_limits": chainmap.stage_limits(c.ws)}, fmt, None)
        return
    if unset:
        if days is not None:
            raise click.UsageError(_("give DAYS or --unset, not both"))
        emit(str(chainmap.set_stage_limit(c.ws, stage, None, by=by)))
    elif days is not None:
        emit(str(chainmap.set_stage_limit(c.ws, stage, days, by=by)))
    else:
        from ..crm.supervise import _limited

        limits = chainmap.stage_limits(c.ws).set_index("stage")["limit"]
        emit(str(int(limits[_limited(stage)])))


#: The commands of this module, for the main group (``leads actual`` and ``config
#: stage-limit`` join their groups when this module is imported).
COMMANDS = (projects, supervise)
