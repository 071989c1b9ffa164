"""The lead-pipeline commands of the ``chainmap`` CLI: ``leads ...``, ``pipeline``,
``firms ...``, ``log`` and ``config overdue-days``.

Thin wrappers over :mod:`chainmap.crm`; :func:`register` adds them to the main group
(``chainmap.cli``), whose error handling turns chainmap errors into ``Error: ...``.
Ids of new records go to stdout, messages to stderr.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

import chainmap

from ..output import FORMATS, render
from . import (
    add_followup,
    audit_log,
    complete_followup,
    duplicate_firms,
    export_leads,
    followups_due,
    import_leads,
    lead_details,
    leads_from_gaps,
    list_leads,
    log_activity,
    merge_firms,
    move_lead,
    overdue_projects,
    signed_projects,
    stale_leads,
    update_lead,
)
from .common import ACTIVITY_KINDS, SOURCES, STAGE_ZH, lead_id

__all__ = ["register"]

FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                      show_default=True, help="Output format.")
BY = click.option("--by", metavar="NAME",
                  help="Who makes the change (default $CHAINMAP_USER, else the OS user).")
DATE = click.option("--date", metavar="YYYY-MM-DD", help="When it happened (default today).")


class _Investment(click.ParamType):
    """A finite number ≥ 0 of 亿元 (``inf`` and ``nan`` are refused: JSON cannot carry
    them, and no project is worth infinitely much)."""

    name = "亿元"

    def convert(self, value, param, ctx):
        if isinstance(value, float) and math.isfinite(value) and value >= 0:
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' is not a number of 亿元", param, ctx)
        if not math.isfinite(number):
            self.fail(f"'{value}' is not a finite number of 亿元", param, ctx)
        if number < 0:
            self.fail(f"'{value}' is negative; give a number ≥ 0 of 亿元", param, ctx)
        return number


INVESTMENT = _Investment()


def _say(message: str) -> None:
    click.echo(message, err=True)


def _ws(obj) -> chainmap.Workspace:
    return obj.ws


@click.group("leads")
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
@click.option("--investment", type=INVESTMENT, metavar="亿元",
              help="Expected investment in 亿元.")
@click.option("--source", type=click.Choice(SOURCES), default="other", show_default=True,
              help="Where the lead came from.")
@click.option("--note", help="A note.")
@DATE
@click.option("--force", is_flag=True, help="Add it even if the firm has an open lead for "
              "the product.")
@BY
@click.pass_obj
def leads_add(obj, firm: str, product, owner, investment, source, note, date, force,
              by) -> None:
    """Add a lead for FIRM (id, USCC or registered name); print its id."""
    click.echo(chainmap.add_lead(_ws(obj), firm, product=product, owner=owner,
                                 investment=investment, source=source, note=note, date=date,
                                 by=by, force=force))


@leads.command("from-gaps")
@click.option("--chain", required=True, help="Chain id or name (e.g. 智能家电).")
@click.option("--home", metavar="REGION", help="Home zone (default: chainmap config home).")
@click.option("--targets", metavar="R1,R2", help="Target regions or groups (default 苏浙沪).")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Candidates per missing or weak product.")
@click.option("--weak-threshold", type=click.IntRange(min=1), default=2, show_default=True,
              help="Fewer local producers than this (but some) is a weak link.")
@click.option("--owner", metavar="NAME", help="Owner of the new leads.")
@BY
@click.pass_obj
def leads_from_gaps_cmd(obj, chain, home, targets, top, weak_threshold, owner, by) -> None:
    """Add the top candidates of each missing (缺链) and weak (弱链) product as leads
    (source gap), skipping firm+product pairs that have an open lead; print new ids."""
    result = leads_from_gaps(_ws(obj), chain, home=home, top=top, targets=targets,
                             weak_threshold=weak_threshold, owner=owner, by=by)
    for lid in result.added:
        click.echo(lid)
    _say(str(result).capitalize())


@leads.command("move")
@click.argument("lead")
@click.argument("stage")
@click.option("--note", help="A note on the move.")
@DATE
@click.option("--reason", help="Why the lead is lost (required for STAGE lost/终止).")
@BY
@click.pass_obj
def leads_move(obj, lead, stage, note, date, reason, by) -> None:
    """Move LEAD to STAGE (English or Chinese); every move is recorded."""
    target = move_lead(_ws(obj), lead, stage, note=note, date=date, reason=reason, by=by)
    _say(f"{lead_id(lead)} moved to {target} ({STAGE_ZH[target]})")


@leads.command("update")
@click.argument("lead")
@click.option("--owner", metavar="NAME", help="New owner ('' clears it).")
@click.option("--investment", type=INVESTMENT, metavar="亿元",
              help="Investment in 亿元.")
@click.option("--product", help="Product id or name.")
@click.option("--contract-date", metavar="YYYY-MM-DD",
              help="Contract date, if not the date of the move to signed.")
@click.option("--note", help="Replace the note.")
@BY
@click.pass_obj
def leads_update(obj, lead, owner, investment, product, contract_date, note, by) -> None:
    """Change a lead's owner, investment, product, contract date or note."""
    given = {k: v for k, v in {"owner": owner, "investment": investment, "product": product,
                               "contract_date": contract_date, "note": note}.items()
             if v is not None}
    changes = update_lead(_ws(obj), lead, by=by, **given)
    for line in changes or ["nothing changed"]:
        _say(line)


@leads.command("show")
@click.argument("lead")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True, help="Output format.")
@click.pass_obj
def leads_show(obj, lead, fmt) -> None:
    """Show LEAD with its whole history, activities and follow-ups."""
    details = lead_details(_ws(obj), lead)
    if fmt == "json":
        click.echo(json.dumps(details.to_dict(), ensure_ascii=False, indent=2,
                              allow_nan=False))
    else:
        click.echo(str(details))


@leads.command("list")
@click.option("--stage", multiple=True, help="Only this stage (repeatable; 'open' for all "
              "open stages).")
@click.option("--owner", metavar="NAME", help="Only this owner's leads.")
@click.option("--region", help="Only firms inside this region (江苏, 苏州市, 苏浙沪 ...).")
@click.option("--chain", help="Only leads whose product is in this chain.")
@FORMAT
@click.pass_obj
def leads_list(obj, stage, owner, region, chain, fmt) -> None:
    """List leads."""
    frame = list_leads(_ws(obj), stage=list(stage) or None, owner=owner, region=region,
                       chain=chain)
    click.echo(render(frame, fmt))


@leads.command("log")
@click.argument("lead")
@click.option("--kind", required=True, help=f"One of {', '.join(ACTIVITY_KINDS)} "
              "(or 拜访, 电话, 会谈, 邮件, 活动).")
@click.option("--note", required=True, help="What happened.")
@DATE
@BY
@click.pass_obj
def leads_log(obj, lead, kind, note, date, by) -> None:
    """Record an activity (visit, call, meeting, email, event) on LEAD; print its id."""
    click.echo(log_activity(_ws(obj), lead, kind, note, date=date, by=by))


@leads.command("follow-up")
@click.argument("lead")
@click.option("--due", required=True, metavar="YYYY-MM-DD", help="When it is due.")
@click.option("--note", required=True, help="What to do.")
@BY
@click.pass_obj
def leads_follow_up(obj, lead, due, note, by) -> None:
    """Add a follow-up to LEAD; print its id (F0001 ...)."""
    click.echo(add_followup(_ws(obj), lead, due=due, note=note, by=by))


@leads.command("due")
@click.option("--overdue", is_flag=True, help="Only follow-ups past their due date.")
@click.option("--owner", metavar="NAME", help="Only follow-ups on this owner's leads.")
@FORMAT
@click.pass_obj
def leads_due(obj, overdue, owner, fmt) -> None:
    """Follow-ups not done yet, soonest first."""
    click.echo(render(followups_due(_ws(obj), overdue=overdue, owner=owner), fmt))


@leads.command("done")
@click.argument("followup")
@click.option("--note", help="How it went.")
@BY
@click.pass_obj
def leads_done(obj, followup, note, by) -> None:
    """Mark the follow-up FOLLOWUP (F0001) done."""
    fid = complete_followup(_ws(obj), followup, note=note, by=by)
    _say(f"{fid} done")


@leads.command("stale")
@click.option("--days", type=click.IntRange(min=0), default=30, show_default=True,
              help="Idle for more than this many days.")
@FORMAT
@click.pass_obj
def leads_stale(obj, days, fmt) -> None:
    """Open leads with no activity and no move in more than DAYS days."""
    click.echo(render(stale_leads(_ws(obj), days=days), fmt))


_OVERDUE_DAYS = click.option(
    "--days", type=click.IntRange(min=0),
    help="Signed but not started after this many days is overdue (签而未动; default: "
         "chainmap config overdue-days, else 180).")


@leads.command("projects")
@_OVERDUE_DAYS
@FORMAT
@click.pass_obj
def leads_projects(obj, days, fmt) -> None:
    """Signed projects: investment, contract, start and production dates, overdue flag."""
    click.echo(render(signed_projects(_ws(obj), days=days), fmt))


@leads.command("overdue")
@_OVERDUE_DAYS
@FORMAT
@click.pass_obj
def leads_overdue(obj, days, fmt) -> None:
    """Signed projects not started in time (签而未动)."""
    frame = overdue_projects(_ws(obj), days=days)
    click.echo(render(frame, fmt))
    _say(f"{len(frame)} overdue project(s)")


@leads.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@BY
@click.pass_obj
def leads_import(obj, path, by) -> None:
    """Import leads from a .csv or .xlsx file, all or nothing; print the new ids.

    Headers in English or Chinese: company 企业, product 产品, stage 阶段, owner 负责人,
    investment 投资额, source 来源, date 日期, note 备注 (reason 终止原因 for lost).
    Leads already in the workspace are skipped.
    """
    result = import_leads(_ws(obj), path, by=by)
    for lid in result.added:
        click.echo(lid)
    _say(str(result))


@leads.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_obj
def leads_export(obj, path) -> None:
    """Export every lead to PATH (.csv in UTF-8 with BOM, or .xlsx)."""
    export_leads(_ws(obj), path)
    _say(f"Wrote {path}")


@click.command("pipeline")
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "xlsx")), default="table",
              show_default=True, help="Output format; xlsx needs -o FILE.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the report to this file instead of stdout.")
@click.option("--lang", type=click.Choice(("en", "zh")), default="en", show_default=True,
              help="Column headers in English or Chinese (中文).")
@_OVERDUE_DAYS
@click.pass_obj
def pipeline_cmd(obj, fmt, output, lang, days) -> None:
    """Pipeline report: leads and investment (亿元) by stage, region, chain and owner;
    signed investment by year; stage conversion; median days per stage; signed
    projects with 签而未动 flags."""
    from ..cli import _report

    report = chainmap.pipeline(_ws(obj), days=days)
    _report(report.sheets(), fmt, output, lang)  # translated by chainmap.output.localize


@click.group("firms")
def firms() -> None:
    """Firm identity: likely duplicates, and merging two records of one firm."""


@firms.command("dupes")
@click.option("--min-score", type=click.FloatRange(0, 100), default=90, show_default=True,
              help="Least name similarity (0-100) to list a pair.")
@FORMAT
@click.pass_obj
def firms_dupes(obj, min_score, fmt) -> None:
    """Pairs of firm records that are likely one firm (same USCC or similar names)."""
    frame = duplicate_firms(_ws(obj), min_score=min_score)
    click.echo(render(frame, fmt))
    _say(f"{len(frame)} likely duplicate pair(s)")


@firms.command("merge")
@click.argument("keep")
@click.argument("drop")
@click.option("--apply", "apply_", is_flag=True, help="Do it (default: a dry run).")
@BY
@click.pass_obj
def firms_merge(obj, keep, drop, apply_, by) -> None:
    """Merge firm DROP into KEEP: capabilities, supplies, leads (with activities and
    follow-ups) move to KEEP. A dry run unless --apply; one transaction."""
    plan = merge_firms(_ws(obj), keep, drop, apply=apply_, by=by)
    click.echo(str(plan))
    if not apply_:
        _say("Dry run: nothing changed; add --apply to merge")


@click.command("log")
@click.option("--since", metavar="YYYY-MM-DD", help="Only changes on or after this day.")
@click.option("--lead", metavar="ID", help="Only changes to this lead.")
@FORMAT
@click.pass_obj
def log_cmd(obj, since, lead, fmt) -> None:
    """The audit log: every change to leads and firms, when and by whom."""
    click.echo(render(audit_log(_ws(obj), since=since, lead=lead), fmt))


@click.command("overdue-days")
@click.argument("days", type=click.IntRange(min=0), required=False)
@click.option("--unset", is_flag=True, help="Back to the default (180).")
@click.pass_obj
def config_overdue_days(obj, days, unset) -> None:
    """Show or set after how many days a signed project not started is overdue (签而未动)."""
    from .pipeline import overdue_days

    ws = _ws(obj)
    if unset:
        ws.store.set_config("overdue_days", None)
    elif days is not None:
        ws.store.set_config("overdue_days", str(days))
    click.echo(overdue_days(ws))


def register(main: click.Group) -> None:
    """Add the lead-pipeline commands to the ``chainmap`` group ``main``."""
    for command in (leads, pipeline_cmd, firms, log_cmd):
        main.add_command(command)
    config = main.commands.get("config")
    if isinstance(config, click.Group):
        config.add_command(config_overdue_days)
