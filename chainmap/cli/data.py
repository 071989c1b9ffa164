"""Commands on the data itself: import, export, check, sample, synth, demo, region, config.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import emit, progress, say

__all__ = ["COMMANDS"]


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@pass_ctx
def import_dataset(c: Context, path: Path) -> None:
    """Import a dataset (folder of CSVs or one .xlsx), all or nothing.

    CSV files may be UTF-8, UTF-8 with BOM or GBK/GB18030; headers may be English
    or Chinese. On any error nothing is written and every problem is listed.
    Importing the same data again changes nothing.
    """
    import chainmap

    if sys.stderr.isatty():
        say(f"Reading {path} ...")
    with progress("Writing") as bar:
        result = chainmap.import_dataset(c.ws, path, progress=bar)
    for w in result.warnings:
        say(f"Warning: {w}")
    say(f"{result} into {c.ws.location}")


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@pass_ctx
def export_dataset(c: Context, path: Path) -> None:
    """Export the workspace as a dataset: a folder of CSVs (UTF-8 with BOM, for
    Excel), or one workbook when PATH ends in .xlsx."""
    import chainmap

    files = chainmap.export_dataset(c.ws, path)
    say(f"Wrote {len(files)} file(s) to {path}")


@click.command("sample")
@click.argument("path", type=click.Path(path_type=Path))
def sample(path: Path) -> None:
    """Write the bundled Dangtu (当涂经开区) sample dataset to the folder PATH."""
    import chainmap

    files = chainmap.sample(path)
    say(f"Wrote the sample ({len(files)} files) to {path}; "
        f"import it with: chainmap import {path}")


@click.command("synth")
@click.option("--firms", type=int, default=10_000, show_default=True,
              help="Number of companies.")
@click.option("--products", type=int, default=300, show_default=True,
              help="Number of products (about one chain per 60).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed: the same seed gives the same files.")
@click.argument("outdir", type=click.Path(path_type=Path))
def synth(firms: int, products: int, seed: int, outdir: Path) -> None:
    """Write a synthetic dataset (CSV folder OUTDIR) around 当涂县, for tests and
    benchmarks. Everything in it is invented."""
    from ..synth import synth as make

    rows = make(outdir, firms=firms, products=products, seed=seed)
    say(f"Wrote {', '.join(f'{n} {t}' for t, n in rows.items())} to {outdir}; "
        f"import it with: chainmap import {outdir}")


@click.command("check")
@options.FORMAT
@pass_ctx
def check(c: Context, fmt: str) -> None:
    """Data-quality report: cycles, products nobody makes, idle firms, missing USCCs,
    duplicate-looking names. Exit 1 if any row is an error."""
    import chainmap

    from ..output import render

    found = chainmap.check(c.ws)
    emit(render(found, fmt))
    errors = int((found["severity"] == "error").sum())
    say(f"{errors} error(s), {len(found) - errors} warning(s)")
    if errors:
        raise click.exceptions.Exit(1)


@click.command("region")
@click.argument("names", nargs=-1, required=True)
@options.FORMAT
def region(names: tuple[str, ...], fmt: str) -> None:
    """Look up regions: paths, bare names, codes, 皖/沪 abbreviations, groups (苏浙沪)."""
    import pandas as pd

    from ..output import render
    from ..regions import resolve_many

    frame = pd.DataFrame([{"code": r.code, "path": r.path, "level": r.level,
                           "name_en": r.name_en or ""} for r in resolve_many(list(names))])
    emit(render(frame, fmt))


@click.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default="chainmap-demo.db",
              show_default=True, help="Demo workspace file (made anew each time).")
def demo(out: Path) -> None:
    """Build a workspace from the bundled Dangtu sample and show what the zone looks like."""
    import chainmap

    emit(chainmap.demo(out))


@click.group("config", cls=ChainmapGroup)
def config() -> None:
    """Workspace settings."""


@config.command("home")
@click.argument("region", required=False)
@click.option("--unset", is_flag=True, help="Forget the home region.")
@pass_ctx
def home(c: Context, region: str | None, unset: bool) -> None:
    """Show or set the home region used when --home is omitted
    (e.g. 安徽省/马鞍山市/当涂县)."""
    if unset:
        c.ws.set_home(None)
        say("Home region unset")
    elif region:
        r = c.ws.set_home(region)
        assert r is not None  # a region was given
        say(f"Home region set to {r.path} ({r.code})")
    current = c.ws.home
    if not unset:
        emit(current.path if current else "(not set)")


@config.command("overdue-days")
@click.argument("days", type=click.IntRange(min=0), required=False)
@click.option("--unset", is_flag=True, help="Back to the default (180).")
@pass_ctx
def overdue_days(c: Context, days: int | None, unset: bool) -> None:
    """Show or set after how many days a signed project not started is overdue (签而未动)."""
    from ..crm.pipeline import overdue_days, set_overdue_days

    if unset:
        set_overdue_days(c.ws, None)
    elif days is not None:
        set_overdue_days(c.ws, days)
    emit(str(overdue_days(c.ws)))


#: The commands of this module, for the main group.
COMMANDS = (import_dataset, export_dataset, sample, synth, check, region, demo, config)
