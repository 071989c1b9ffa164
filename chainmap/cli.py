"""The ``chainmap`` command line: thin wrappers over the library functions.

Data goes to stdout; messages and progress go to stderr. Exit 0 on success, 1 on
a user error (one ``Error: ...`` line, no traceback), 2 on a usage error.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import pandas as pd

import chainmap

from . import regions
from .errors import ChainmapError, DatasetError
from .output import FORMATS, render

FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                      show_default=True, help="Output format.")
REPORT_FORMAT = click.option(
    "--format", "fmt", type=click.Choice((*FORMATS, "xlsx")), default="table",
    show_default=True, help="Output format; xlsx needs -o FILE.")
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path),
                      help="Write the report to this file instead of stdout.")
LANG = click.option("--lang", type=click.Choice(("en", "zh")), default="en",
                    show_default=True, help="Column headers in English or Chinese (中文).")
HOME = click.option("--home", metavar="REGION",
                    help="Home zone, e.g. 安徽省/马鞍山市/当涂县 (default: chainmap config home).")


def _say(message: str) -> None:
    click.echo(message, err=True)


def _emit(text: str) -> None:
    click.echo(text)


@contextmanager
def _progress(label: str):
    """``progress(done, total)`` drawing a bar on a terminal; ``None`` when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict = {}

    def progress(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)

    try:
        yield progress
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def _report(sheets: dict[str, pd.DataFrame], fmt: str, output: Path | None,
            lang: str = "en") -> None:
    """Print (or write to ``output``) one or more report frames in ``fmt``."""
    from .output import localize, write_xlsx

    sheets = {name: localize(frame, lang) for name, frame in sheets.items()}
    if fmt == "xlsx" or (output is not None and output.suffix.lower() == ".xlsx"):
        if output is None:
            raise ChainmapError("--format xlsx needs -o FILE.xlsx")
        write_xlsx(sheets, output)
        _say(f"Wrote {output}")
        return
    if fmt == "json" and len(sheets) > 1:
        import json

        from .output import to_records

        text = json.dumps({k: to_records(v) for k, v in sheets.items()}, ensure_ascii=False,
                          indent=2)
    else:
        parts = []
        for name, frame in sheets.items():
            body = render(frame, fmt)
            parts.append(body if len(sheets) == 1 or fmt in ("json", "csv")
                         else f"## {name}\n\n{body}" if fmt == "md" else f"[{name}]\n{body}")
        text = "\n\n".join(parts)
    if output is not None:
        from .io.write import _atomic

        _atomic(output, lambda tmp: Path(tmp).write_text(text + "\n", encoding="utf-8"))
        _say(f"Wrote {output}")
    else:
        _emit(text)


class _Group(click.Group):
    """Turns chainmap errors into ``Error: ...`` and exit 1; never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DatasetError as exc:
            lines = str(exc).splitlines()
            _say(f"Error: {lines[0]}")
            for line in lines[1:]:
                _say(f"  {line}")
            ctx.exit(1)
        except ChainmapError as exc:
            _say(f"Error: {exc}")
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _say("Interrupted; nothing half-written was kept.")
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("CHAINMAP_DEBUG"):
                raise
            _say(f"Error: internal error ({type(exc).__name__}: {exc}); "
                 "set CHAINMAP_DEBUG=1 to see the traceback and please report it")
            ctx.exit(1)


class Context:
    def __init__(self, db: str | None) -> None:
        self.db = db
        self._ws: chainmap.Workspace | None = None

    @property
    def ws(self) -> chainmap.Workspace:
        if self._ws is None:
            self._ws = chainmap.open(self.db)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", envvar="CHAINMAP_DB", show_envvar=True,
              help="Workspace file (default ./chainmap.db).")
@click.version_option(chainmap.__version__, prog_name="chainmap")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """chainmap: industrial-chain maps, gaps (缺链/弱链) and targets for development zones.

    \b
    Start with:  chainmap demo
    Then:        chainmap import DATASET   (a folder of CSVs or one .xlsx)
    """
    ctx.obj = Context(db)
    ctx.call_on_close(ctx.obj.close)


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@pass_ctx
def import_(c: Context, path: Path) -> None:
    """Import a dataset (folder of CSVs or one .xlsx), all or nothing.

    CSV files may be UTF-8, UTF-8 with BOM or GBK/GB18030; headers may be English
    or Chinese. On any error nothing is written and every problem is listed.
    Importing the same data again changes nothing.
    """
    if sys.stderr.isatty():
        _say(f"Reading {path} ...")
    with _progress("Writing") as progress:
        result = chainmap.import_dataset(c.ws, path, progress=progress)
    for w in result.warnings:
        _say(f"Warning: {w}")
    _say(f"{result} into {c.ws.location}")


@main.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@pass_ctx
def export(c: Context, path: Path) -> None:
    """Export the workspace as a dataset: a folder of CSVs (UTF-8 with BOM, for
    Excel), or one workbook when PATH ends in .xlsx."""
    files = chainmap.export_dataset(c.ws, path)
    _say(f"Wrote {len(files)} file(s) to {path}")


@main.command("sample")
@click.argument("path", type=click.Path(path_type=Path))
def sample(path: Path) -> None:
    """Write the bundled Dangtu (当涂经开区) sample dataset to the folder PATH."""
    files = chainmap.sample(path)
    _say(f"Wrote the sample ({len(files)} files) to {path}; "
         f"import it with: chainmap import {path}")


@main.command("check")
@FORMAT
@pass_ctx
def check(c: Context, fmt: str) -> None:
    """Data-quality report: cycles, products nobody makes, idle firms, missing USCCs,
    duplicate-looking names. Exit 1 if any row is an error."""
    report = chainmap.check(c.ws)
    _emit(render(report, fmt))
    errors = int((report["severity"] == "error").sum())
    _say(f"{errors} error(s), {len(report) - errors} warning(s)")
    if errors:
        raise click.exceptions.Exit(1)


@main.group("config")
def config() -> None:
    """Workspace settings."""


@config.command("home")
@click.argument("region", required=False)
@click.option("--unset", is_flag=True, help="Forget the home region.")
@pass_ctx
def config_home(c: Context, region: str | None, unset: bool) -> None:
    """Show or set the home region used when --home is omitted
    (e.g. 安徽省/马鞍山市/当涂县)."""
    if unset:
        c.ws.set_home(None)
        _say("Home region unset")
    elif region:
        r = c.ws.set_home(region)
        _say(f"Home region set to {r.path} ({r.code})")
    home = c.ws.home
    if not unset:
        _emit(home.path if home else "(not set)")


@main.command("region")
@click.argument("names", nargs=-1, required=True)
@FORMAT
def region(names: tuple[str, ...], fmt: str) -> None:
    """Look up regions: paths, bare names, codes, 皖/沪 abbreviations, groups (苏浙沪)."""
    found = regions.resolve_many(list(names))
    frame = pd.DataFrame([{"code": r.code, "path": r.path, "level": r.level,
                           "name_en": r.name_en or ""} for r in found])
    _emit(render(frame, fmt))


@main.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default="chainmap-demo.db",
              show_default=True, help="Demo workspace file (made anew each time).")
def demo(out: Path) -> None:
    """Build a workspace from the bundled Dangtu sample and show what the zone looks like."""
    _emit(chainmap.demo(out))


@main.command("gaps")
@click.option("--chain", required=True, help="Chain id or name (e.g. 智能家电).")
@HOME
@click.option("--targets", metavar="R1,R2", help="Target regions or groups (default 苏浙沪).")
@click.option("--weak-threshold", type=click.IntRange(min=1), default=2, show_default=True,
              help="Fewer local producers than this (but some) is a weak link.")
@REPORT_FORMAT
@OUTPUT
@LANG
@pass_ctx
def gaps(c: Context, chain: str, home: str | None, targets: str | None, weak_threshold: int,
         fmt: str, output: Path | None, lang: str) -> None:
    """Gap report: missing (缺链) and weak (弱链) links of CHAIN at the home zone, local
    demand, and candidate firms in the target regions, ranked."""
    report = chainmap.gaps(c.ws, chain, home=home, targets=targets,
                           weak_threshold=weak_threshold)
    if fmt == "table" and output is None:
        report = _gap_table(c.ws, report)
    _report({"gaps": report}, fmt, output, lang)


def _gap_table(ws: chainmap.Workspace, report: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The terminal view: candidate names (top few) instead of the id lists."""
    names = ws.table("companies").set_index("id")["name"]
    view = report.drop(columns=["name_en", "local_firms", "explanation"]).copy()
    view["candidates"] = [
        ", ".join(names.get(i, i) for i in ids[:top]) + (f" +{len(ids) - top}"
                                                         if len(ids) > top else "")
        for ids in report["candidates"]]
    return view


def run() -> None:  # pragma: no cover - console entry point
    main(prog_name="chainmap")
