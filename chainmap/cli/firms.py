"""``chainmap firms ...``: likely duplicate firm records, and merging two of them."""

from __future__ import annotations

import click

from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import emit, say

__all__ = ["COMMANDS"]


@click.group("firms", cls=ChainmapGroup)
def firms() -> None:
    """Firm identity: likely duplicates, and merging two records of one firm."""


@firms.command("dupes")
@click.option("--min-score", type=click.FloatRange(0, 100), default=90, show_default=True,
              help="Least name similarity (0-100) to list a pair.")
@options.FORMAT
@pass_ctx
def duplicate_firms(c: Context, min_score: float, fmt: str) -> None:
    """Pairs of firm records that are likely one firm (same USCC or similar names)."""
    import chainmap

    from ..output import render

    frame = chainmap.duplicate_firms(c.ws, min_score=min_score)
    emit(render(frame, fmt))
    say(f"{len(frame)} likely duplicate pair(s)")


@firms.command("merge")
@click.argument("keep")
@click.argument("drop")
@click.option("--apply", "apply_", is_flag=True, help="Do it (default: a dry run).")
@options.BY
@pass_ctx
def merge_firms(c: Context, keep: str, drop: str, apply_: bool, by: str | None) -> None:
    """Merge firm DROP into KEEP: capabilities, supplies, leads (with activities and
    follow-ups) move to KEEP. A dry run unless --apply; one transaction."""
    import chainmap

    plan = chainmap.merge_firms(c.ws, keep, drop, apply=apply_, by=by)
    emit(str(plan))
    if not apply_:
        say("Dry run: nothing changed; add --apply to merge")


#: The commands of this module, for the main group.
COMMANDS = (firms,)
