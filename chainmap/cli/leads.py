"""The lead-pipeline commands: ``leads ...``, ``pipeline`` and ``log``.

Thin wrappers over :mod:`chainmap.crm`. Ids of new records go to stdout, messages to
stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..crm.common import ACTIVITY_KINDS, KIND_WORDS, SOURCES
from ..i18n import _, label
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapCommand, ChainmapGroup
from .report import emit, report, say

__all__ = ["COMMANDS", "KIND_HELP"]

#: ``leads log --kind``: every word :func:`chainmap.crm.common.parse_kind` takes, from
#: the same constants (:data:`~chainmap.crm.common.ACTIVITY_KINDS`, ``KIND_WORDS``).
KIND_HELP = (f"One of {', '.join(ACTIVITY_KINDS)}, or a word of a work log: "
             + "; ".join(f"{', '.join(words)} ({kind})" for kind, words in KIND_WORDS.items())
             + ".")


@click.group("leads", cls=ChainmapGroup)
def leads() -> None:
    """The lead pipeline (招商线索): add, move, log, follow up, list, import and export.

    \b
    Stages: lead 线索 → contacted 接洽 → visited 考察 → negotiating 洽谈 → signed 签约
            → started 开工 → producing 投产, and lost 终止 (needs --reason).
    A lead is open unless it is lost or producing. Lead ids: L0001 (L1 and 1 work too).
    """


@leads.command("add")
@click.argument("firm")
@click.option("--product", help="Product id or name the firm would bring.")
@click.option("--owner", metavar="NAME", help="Who follows the lead (负责人).")
@click.option("--investment", type=options.INVESTMENT, metavar="亿元",
              help="Expected investment in 亿元.")
@click.option("--source", type=options.SOURCE, default="other", show_default=True,
              help=f"Where the lead came from: {', '.join(SOURCES)} (or 缺链, 以商招商, 活动, "
              "其他).")
@click.option("--note", help="A note.")
@options.DATE
@click.option("--force", is_flag=True, help="Add it even if the firm has an open lead for "
              "the product.")
@options.BY
@options.LANG
@pass_ctx
def add_lead(c: Context, firm: str, product: str | None, owner: str | None,
             investment: float | None, source: str, note: str | None, date: str | None,
             force: bool, by: str | None) -> None:
    """Add a lead for FIRM (id, USCC or registered name); print its id."""
    import chainmap

    emit(chainmap.add_lead(c.ws, firm, product=product, owner=owner, investment=investment,
                           source=source, note=note, date=date, by=by, force=force))


@leads.command("from-gaps")
@options.CHAIN
@options.home_option("Home zone (default: chainmap config home).")
@options.TARGETS
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Candidates per missing or weak product.")
@options.WEAK_THRESHOLD
@click.option("--owner", metavar="NAME", help="Owner of the new leads.")
@options.BY
@click.option("--dry-run", is_flag=True,
              help="Show the leads that would be added (firm, product, chain, why); "
                   "write nothing.")
@options.format_option(help="Format of the --dry-run preview.")
@options.LANG
@pass_ctx
def leads_from_gaps(c: Context, chain: str, home: str | None, targets: str | None, top: int,
                    weak_threshold: int, owner: str | None, by: str | None, dry_run: bool,
                    fmt: str) -> None:
    """Add the top candidates of each missing (缺链) and weak (弱链) product as leads
    (source gap), skipping firm+product pairs that have an open lead; print new ids
    and how many were added (--dry-run: a preview, nothing written)."""
    import chainmap

    result = chainmap.leads_from_gaps(c.ws, chain, home=home, top=top, targets=targets,
                                      weak_threshold=weak_threshold, owner=owner, by=by,
                                      dry_run=dry_run)
    if dry_run:
        report({"from-gaps": result.plan.drop(columns="lead")}, fmt, None, ws=c.ws)
    for lid in result.added:
        emit(lid)
    say(str(result)[:1].upper() + str(result)[1:])


@leads.command("move")
@click.argument("lead")
@click.argument("stage")
@click.option("--note", help="A note on the move.")
@options.DATE
@click.option("--reason", help="Why the lead is lost (required for STAGE lost/终止).")
@options.BY
@options.LANG
@pass_ctx
def move_lead(c: Context, lead: str, stage: str, note: str | None, date: str | None,
              reason: str | None, by: str | None) -> None:
    """Move LEAD to STAGE (English or Chinese); every move is recorded."""
    import chainmap

    from ..crm.common import lead_id

    target = chainmap.move_lead(c.ws, lead, stage, note=note, date=date, reason=reason, by=by)
    say(_("{lead} moved to {stage} ({stage_zh})").format(
        lead=lead_id(lead), stage=target, stage_zh=label("stage", target, "zh")))


@leads.command("update")
@click.argument("lead")
@click.option("--owner", metavar="NAME", help="New owner ('' clears it).")
@click.option("--investment", type=options.INVESTMENT, metavar="亿元",
              help="Investment in 亿元.")
@click.option("--product", help="Product id or name.")
@click.option("--contract-date", metavar="YYYY-MM-DD",
              help="Contract date, if not the date of the move to signed.")
@click.option("--note", help="Replace the note.")
@click.option("--land", metavar="亩", help="Committed land, 亩.")
@click.option("--output", metavar="亿元", help="Committed annual output at full production, 亿元.")
@click.option("--tax", metavar="万元", help="Committed annual tax at full production, 万元.")
@click.option("--jobs", metavar="N", help="Committed jobs.")
@click.option("--start-by", metavar="YYYY-MM-DD", help="Committed start of construction.")
@click.option("--produce-by", metavar="YYYY-MM-DD", help="Committed start of production.")
@options.BY
@options.LANG
@pass_ctx
def update_lead(c: Context, lead: str, owner: str | None, investment: float | None,
                product: str | None, contract_date: str | None, note: str | None,
                land: str | None, output: str | None, tax: str | None, jobs: str | None,
                start_by: str | None, produce_by: str | None, by: str | None) -> None:
    """Change a lead's owner, investment, product, contract date, note, or the project's
    commitments (履约: land, output, tax, jobs, start-by, produce-by; '' clears one)."""
    import chainmap

    given: dict[str, Any]  # the options given, each of the type update_lead takes for it
    given = {k: v for k, v in {"owner": owner, "investment": investment, "product": product,
                               "contract_date": contract_date, "note": note, "land": land,
                               "output": output, "tax": tax, "jobs": jobs,
                               "start_by": start_by, "produce_by": produce_by}.items()
             if v is not None}
    changes = chainmap.update_lead(c.ws, lead, by=by, **given)
    for line in changes or [_("nothing changed")]:
        say(line)


@leads.command("show")
@click.argument("lead")
@options.format_option(("table", "json"))
@options.LANG
@pass_ctx
def lead_details(c: Context, lead: str, fmt: str) -> None:
    """Show LEAD with its whole history, activities and follow-ups, its project's
    commitments and actuals, and its firm's requests."""
    import chainmap

    details = chainmap.lead_details(c.ws, lead)
    if fmt == "json":
        emit(json.dumps(details.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        emit(str(details))


@leads.command("list")
@click.option("--stage", multiple=True, help="Only this stage (repeatable; 'open' for all "
              "open stages).")
@click.option("--owner", metavar="NAME", help="Only this owner's leads.")
@click.option("--region", help="Only firms inside this region (江苏, 苏州市, 苏浙沪 ...).")
@options.chain_option("Only leads whose product is in this chain.")
@options.FORMAT
@options.LANG
@pass_ctx
def list_leads(c: Context, stage: tuple[str, ...], owner: str | None, region: str | None,
               chain: str | None, fmt: str) -> None:
    """List leads."""
    import chainmap

    frame = chainmap.list_leads(c.ws, stage=list(stage) or None, owner=owner, region=region,
                                chain=chain)
    report({"leads": frame}, fmt, None, ws=c.ws)


@leads.command("log")
@click.argument("lead")
@click.option("--kind", required=True, help=KIND_HELP)
@click.option("--note", required=True, help="What happened.")
@options.DATE
@options.BY
@options.LANG
@pass_ctx
def log_activity(c: Context, lead: str, kind: str, note: str, date: str | None,
                 by: str | None) -> None:
    """Record an activity (visit, call, meeting, email, event) on LEAD; print its id."""
    import chainmap

    emit(chainmap.log_activity(c.ws, lead, kind, note, date=date, by=by))


@leads.command("follow-up")
@click.argument("lead")
@click.option("--due", required=True, metavar="YYYY-MM-DD", help="When it is due.")
@click.option("--note", required=True, help="What to do.")
@options.BY
@options.LANG
@pass_ctx
def add_followup(c: Context, lead: str, due: str, note: str, by: str | None) -> None:
    """Add a follow-up to LEAD; print its id (F0001 ...)."""
    import chainmap

    emit(chainmap.add_followup(c.ws, lead, due=due, note=note, by=by))


@leads.command("due")
@click.option("--overdue", is_flag=True, help="Only follow-ups past their due date.")
@click.option("--owner", metavar="NAME", help="Only follow-ups on this owner's leads.")
@options.FORMAT
@options.LANG
@pass_ctx
def followups_due(c: Context, overdue: bool, owner: str | None, fmt: str) -> None:
    """Follow-ups not done yet, soonest first."""
    import chainmap

    report({"due": chainmap.followups_due(c.ws, overdue=overdue, owner=owner)}, fmt, None,
           ws=c.ws)


@leads.command("done")
@click.argument("followup")
@click.option("--note", help="How it went.")
@options.BY
@options.LANG
@pass_ctx
def complete_followup(c: Context, followup: str, note: str | None, by: str | None) -> None:
    """Mark the follow-up FOLLOWUP (F0001) done."""
    import chainmap

    fid = chainmap.complete_followup(c.ws, followup, note=note, by=by)
    say(_("{followup} done").format(followup=fid))


@leads.command("stale")
@click.option("--days", type=click.IntRange(min=0), default=30, show_default=True,
              help="Idle for more than this many days.")
@options.FORMAT
@options.LANG
@pass_ctx
def stale_leads(c: Context, days: int, fmt: str) -> None:
    """Open leads with no activity and no move in more than DAYS days."""
    import chainmap

    report({"stale": chainmap.stale_leads(c.ws, days=days)}, fmt, None, ws=c.ws)


@leads.command("projects")
@options.OVERDUE_DAYS
@options.FORMAT
@options.LANG
@pass_ctx
def signed_projects(c: Context, days: int | None, fmt: str) -> None:
    """Signed projects: investment, contract, start and production dates, overdue flag."""
    import chainmap

    report({"projects": chainmap.signed_projects(c.ws, days=days)}, fmt, None, ws=c.ws)


@leads.command("overdue")
@options.OVERDUE_DAYS
@options.FORMAT
@options.LANG
@pass_ctx
def overdue_projects(c: Context, days: int | None, fmt: str) -> None:
    """Signed projects not started in time (签而未动)."""
    import chainmap

    frame = chainmap.overdue_projects(c.ws, days=days)
    report({"overdue": frame}, fmt, None, ws=c.ws)
    say(_("{count} overdue project(s)").format(count=len(frame)))


@leads.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@options.BY
@options.LANG
@pass_ctx
def import_leads(c: Context, path: Path, by: str | None) -> None:
    """Import leads from a .csv, .xlsx or .xls file, all or nothing; print the new ids.

    Headers in English or Chinese: company 企业, product 产品, stage 阶段, owner 负责人,
    investment 投资额, source 来源, date 日期, note 备注 (reason 终止原因 for lost).
    Leads already in the workspace are skipped.
    """
    import chainmap

    result = chainmap.import_leads(c.ws, path, by=by)
    for lid in result.added:
        emit(lid)
    for w in result.warnings:
        say(_("Warning: {message}").format(message=w))
    say(str(result))


@leads.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the file PATH if it exists.")
@options.LANG
@pass_ctx
def export_leads(c: Context, path: Path, force: bool) -> None:
    """Export every lead to PATH (.csv in UTF-8 with BOM, or .xlsx).

    An existing file PATH is refused unless --force is given.
    """
    import chainmap

    chainmap.export_leads(c.ws, path, force=force)
    say(_("Wrote {file}").format(file=path))


@click.command("pipeline", cls=ChainmapCommand)
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@options.OVERDUE_DAYS
@pass_ctx
def pipeline(c: Context, fmt: str, output: Path | None, days: int | None) -> None:
    """Pipeline report: leads and investment (亿元) by stage, region, chain and owner;
    signed investment by year; stage conversion; median days per stage; signed
    projects with 签而未动 flags."""
    import chainmap

    found = chainmap.pipeline(c.ws, days=days)
    report(found.sheets(), fmt, output, ws=c.ws)  # translated by chainmap.output.localize


@click.command("log", cls=ChainmapCommand)
@click.option("--since", metavar="YYYY-MM-DD", help="Only changes on or after this day.")
@click.option("--lead", metavar="ID", help="Only changes to this lead.")
@options.FORMAT
@options.LANG
@pass_ctx
def audit_log(c: Context, since: str | None, lead: str | None, fmt: str) -> None:
    """The audit log: every change to leads and firms, when and by whom."""
    import chainmap

    report({"log": chainmap.audit_log(c.ws, since=since, lead=lead)}, fmt, None, ws=c.ws)


#: The commands of this module, for the main group.
COMMANDS = (leads, pipeline, audit_log)
