"""``chainmap firms ...``: importing a firm list, likely duplicate firm records, and
merging two of them."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import emit, progress, report, say

__all__ = ["COMMANDS"]


@click.group("firms", cls=ChainmapGroup)
def firms() -> None:
    """Firms: import an office list or registry export, likely duplicates, merging."""


@firms.command("import")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--sheet", metavar="NAME",
              help="The workbook's sheet (default: the first with a firm header).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="The date the list describes (default today).")
@options.LANG
@pass_ctx
def import_firms(c: Context, path: Path, sheet: str | None, as_of: str | None) -> None:
    """Import a firm list: an office sheet or a registry export (CSV in UTF-8 or GBK, or
    a sheet of an .xlsx or .xls), all or nothing.

    Headers in English or Chinese (企业名称, 统一社会信用代码, 所在地区, 主营产品, 经营范围,
    登记状态, 注册资本 ...). Firms are matched by USCC, else registered name: a refreshed
    export updates them (a closed firm turns closed), adds new ones, never duplicates.
    Then run 'chainmap classify' to put them on the chain.
    """
    import chainmap

    with progress(_("Writing")) as bar:
        result = chainmap.import_firms(c.workspace(create=True), path, sheet=sheet,
                                       as_of=as_of, progress=bar)
    for w in result.warnings:
        say(_("Warning: {message}").format(message=w))
    say(_("{result} into {workspace}").format(result=result, workspace=c.ws.location))


@firms.command("dupes")
@click.option("--min-score", type=click.FloatRange(0, 100), default=90, show_default=True,
              help="Least name similarity (0-100) to list a pair.")
@options.FORMAT
@options.LANG
@pass_ctx
def duplicate_firms(c: Context, min_score: float, fmt: str) -> None:
    """Pairs of firm records that are likely one firm (same USCC or similar names)."""
    import chainmap

    frame = chainmap.duplicate_firms(c.ws, min_score=min_score)
    report({"dupes": frame}, fmt, None, ws=c.ws)
    say(_("{count} likely duplicate pair(s)").format(count=len(frame)))


@firms.command("merge")
@click.argument("keep")
@click.argument("drop")
@click.option("--apply", "apply_", is_flag=True, help="Do it (default: a dry run).")
@options.BY
@options.LANG
@pass_ctx
def merge_firms(c: Context, keep: str, drop: str, apply_: bool, by: str | None) -> None:
    """Merge firm DROP into KEEP: capabilities, supplies, leads (with activities and
    follow-ups) move to KEEP. A dry run unless --apply; one transaction."""
    import chainmap

    plan = chainmap.merge_firms(c.ws, keep, drop, apply=apply_, by=by)
    emit(str(plan))
    if not apply_:
        say(_("Dry run: nothing changed; add --apply to merge"))


#: The commands of this module, for the main group.
COMMANDS = (firms,)
