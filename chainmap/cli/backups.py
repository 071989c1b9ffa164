"""``backup`` and ``restore``: a SQLite workspace saved to a file, and put back from one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import _
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapCommand
from .report import emit, report, say

if TYPE_CHECKING:
    from ..backups import BackupResult

__all__ = ["COMMANDS"]

_FORMAT = options.format_option(("table", "json"), "Output format: the rows saved per "
                                "table, or JSON with the file, schema and revision.")


def _show(result: BackupResult, fmt: str) -> None:
    """The rows per table (stdout), or the whole result as JSON."""
    import pandas as pd

    if fmt == "json":
        import json

        emit(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    frame = pd.DataFrame({"table": list(result.tables), "rows": list(result.tables.values())})
    report({"backup": frame}, fmt, None)


@click.command("backup", cls=ChainmapCommand)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@_FORMAT
@options.LANG
@pass_ctx
def backup(c: Context, file: Path, force: bool, fmt: str) -> None:
    """Save the whole workspace to FILE, safely while others write to it.

    SQLite's online backup copies one committed state into FILE, written whole or
    not at all; FILE is a workspace itself (chainmap --db FILE). Put it back with
    chainmap restore FILE. A Neo4j database is backed up with Neo4j's own tools.
    """
    import chainmap

    result = chainmap.backup(c.ws, file, force=force)
    _show(result, fmt)
    say(_("Saved {workspace} to {path}: schema {schema}, revision {revision}").format(
        workspace=result.source, path=result.path, schema=result.schema,
        revision=result.revision))


@click.command("restore", cls=ChainmapCommand)
@click.argument("file", type=click.Path(path_type=Path))
@_FORMAT
@options.LANG
@pass_ctx
def restore(c: Context, file: Path, fmt: str) -> None:
    """Put the backup FILE in place of the workspace, keeping the one it replaces.

    FILE must pass SQLite's integrity check and be a chainmap workspace (an older
    one is upgraded). The workspace it replaces is first saved beside it as
    NAME.YYYYMMDD-HHMMSS.bak (restore that file to undo); JSON gives its path as "kept".
    """
    import chainmap

    result = chainmap.restore(file, c.db)
    _show(result, fmt)
    if result.kept is not None:
        say(_("Kept the replaced workspace as {kept}").format(kept=result.kept))
    say(_("Restored {path} into {workspace}: schema {schema}, revision {revision}").format(
        path=result.source, workspace=result.path, schema=result.schema,
        revision=result.revision))


COMMANDS = [backup, restore]
