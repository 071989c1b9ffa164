"""Commands on the data itself: import, export, check, sample, synth, demo, region, config.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..crm.common import DEFAULT_OVERDUE_DAYS
from ..i18n import _, counted, join, label
from . import options
from .context import LANG_GIVEN, Context, env_lang, pass_ctx, speak
from .errors import ChainmapCommand, ChainmapGroup
from .report import emit, progress, report, say

__all__ = ["COMMANDS"]


@click.command("import", cls=ChainmapCommand)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--merge-by-uscc", is_flag=True,
              help="Read a firm whose USCC a stored firm holds as that firm (its id "
                   "replaced by the stored id in every table), instead of refusing it.")
@options.LANG
@pass_ctx
def import_dataset(c: Context, path: Path, merge_by_uscc: bool) -> None:
    """Import a dataset (folder of CSVs or one .xlsx or .xls), all or nothing.

    CSV files may be UTF-8, UTF-8 with BOM or GBK/GB18030; headers may be English
    or Chinese. On any error nothing is written and every problem is listed.
    Importing the same data again changes nothing.
    """
    import chainmap

    if sys.stderr.isatty():
        say(_("Reading {path} ...").format(path=path))
    with progress(_("Writing")) as bar:
        result = chainmap.import_dataset(c.workspace(create=True), path, progress=bar,
                                         merge_by_uscc=merge_by_uscc)
    for w in result.warnings:
        say(_("Warning: {message}").format(message=w))
    say(_("{result} into {workspace}").format(result=result, workspace=c.ws.location))


@click.command("export", cls=ChainmapCommand)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Overwrite the dataset files already in PATH (or the workbook PATH).")
@options.LANG
@pass_ctx
def export_dataset(c: Context, path: Path, force: bool) -> None:
    """Export the workspace as a dataset: a folder of CSVs (UTF-8 with BOM, for
    Excel), or one workbook when PATH ends in .xlsx.

    A folder already holding chains.csv, companies.csv ... or leads.csv, or an
    existing workbook, is refused (naming the files) unless --force is given; other
    files in the folder stay as they are. All files are written, or none.
    """
    import chainmap

    files = chainmap.export_dataset(c.ws, path, force=force)
    say(_("Wrote {count} file(s) to {path}").format(count=len(files), path=path))


@click.command("sample", cls=ChainmapCommand)
@click.argument("path", type=click.Path(path_type=Path))
@options.LANG
def sample(path: Path) -> None:
    """Write the bundled Dangtu (当涂经开区) sample dataset to the folder PATH."""
    import chainmap

    files = chainmap.sample(path)
    say(_("Wrote the sample ({count} files) to {path}; import it with: chainmap import "
          "{path}").format(count=len(files), path=path))


@click.command("synth", cls=ChainmapCommand)
@click.option("--firms", type=int, default=10_000, show_default=True,
              help="Number of companies.")
@click.option("--products", type=int, default=300, show_default=True,
              help="Number of products (about one chain per 60).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed: the same seed gives the same files.")
@click.argument("outdir", type=click.Path(path_type=Path))
@options.LANG
def synth(firms: int, products: int, seed: int, outdir: Path) -> None:
    """Write a synthetic dataset (CSV folder OUTDIR) around 当涂县, for tests and
    benchmarks. Everything in it is invented."""
    from ..synth import synth as make

    rows = make(outdir, firms=firms, products=products, seed=seed)
    counts = join(counted(n, t) for t, n in rows.items())
    say(_("Wrote {counts} to {path}; import it with: chainmap import {path}").format(
        counts=counts, path=outdir))


@click.command("check", cls=ChainmapCommand)
@click.option("--integrity", is_flag=True,
              help="Also run SQLite's integrity and foreign-key checks on the workspace "
                   "file (a damaged page, a row naming a record that does not exist).")
@options.FORMAT
@options.LANG
@pass_ctx
def check(c: Context, integrity: bool, fmt: str) -> None:
    """Data-quality report: cycles, products nobody makes, idle firms, missing USCCs,
    duplicate-looking names. Exit 1 if any row is an error."""
    import chainmap

    found = chainmap.check(c.ws, integrity=integrity)
    report({"check": found}, fmt, None, ws=c.ws)
    errors = int((found["severity"] == "error").sum())
    say(_("{errors} error(s), {warnings} warning(s)").format(errors=errors,
                                                              warnings=len(found) - errors))
    if errors:
        raise click.exceptions.Exit(1)


@click.command("region", cls=ChainmapCommand)
@click.argument("names", nargs=-1, required=True)
@options.FORMAT
@options.LANG
def region(names: tuple[str, ...], fmt: str) -> None:
    """Look up regions: paths, bare names, codes, 皖/沪 abbreviations, groups (苏浙沪)."""
    import pandas as pd

    from ..regions import resolve_many

    # the level is a code: English in JSON, a word (区县级) in what people read
    frame = pd.DataFrame([{"code": r.code, "path": r.path,
                           "level": r.level if fmt == "json" else label("value", r.level),
                           "name_en": r.name_en or ""} for r in resolve_many(list(names))])
    report({"region": frame}, fmt, None)


@click.command("demo", cls=ChainmapCommand)
@click.option("--out", "out", type=click.Path(path_type=Path), default="chainmap-demo.db",
              show_default=True, help="Demo workspace file (made anew each time).")
@options.LANG
def demo(out: Path) -> None:
    """Build a workspace from the bundled Dangtu sample and show what the zone looks like."""
    import chainmap

    summary = chainmap.demo(out)  # its next steps in Python; here, the commands
    path, chain = summary.values["path"], summary.values["chain"]
    emit(summary.with_next(
        _("Data check: {findings} finding(s); see 'chainmap --db {path} check'").format(
            findings=summary.values["findings"], path=path),
        [f"chainmap --db {path} gaps --chain {chain} --format json",
         f"chainmap --db {path} check", f"chainmap --db {path} export dangtu.xlsx"]))


@click.group("config", cls=ChainmapGroup)
def config() -> None:
    """Workspace settings."""


@config.command("home")
@click.argument("region", required=False)
@click.option("--unset", is_flag=True, help="Forget the home region.")
@options.LANG
@pass_ctx
def home(c: Context, region: str | None, unset: bool) -> None:
    """Show or set the home region used when --home is omitted
    (e.g. 安徽省/马鞍山市/当涂县)."""
    if unset:
        c.ws.set_home(None)
        say(_("Home region unset"))
    elif region:
        r = c.workspace(create=True).set_home(region)
        assert r is not None  # a region was given
        say(_("Home region set to {path} ({code})").format(path=r.path, code=r.code))
    current = c.ws.home
    if not unset:
        emit(current.path if current else _("(not set)"))


@config.command("overdue-days", help=(
    "Show or set after how many days a signed project not started is overdue (签而未动).\n\n"
    "DAYS is a whole number of days, at least 1 (120, or １２０ typed full-width); the "
    f"default is {DEFAULT_OVERDUE_DAYS}. Without DAYS: the days in force."))
@click.argument("days", required=False)
@click.option("--unset", is_flag=True, help=f"Back to the default ({DEFAULT_OVERDUE_DAYS}).")
@options.LANG
@pass_ctx
def overdue_days(c: Context, days: str | None, unset: bool) -> None:
    """Show or set after how many days a signed project not started is overdue; the help
    text, from :data:`~chainmap.crm.common.DEFAULT_OVERDUE_DAYS`, is the decorator's."""
    from ..crm.pipeline import overdue_days, set_overdue_days

    if unset:
        set_overdue_days(c.ws, None)
    elif days is not None:
        set_overdue_days(c.workspace(create=True), days)
    emit(str(overdue_days(c.ws)))


@config.command("lang")
@click.argument("language", metavar="[en|zh]", required=False)
@click.option("--unset", is_flag=True, help="Back to the default (English).")
@options.LANG
@pass_ctx
def lang(c: Context, language: str | None, unset: bool) -> None:
    """Show or set the language of every command on this workspace: en or zh (中文).

    Headers, labels, messages and errors; JSON stays English. CHAINMAP_LANG and a
    command's --lang come first.
    """
    ctx = click.get_current_context()
    if unset:
        c.ws.set_lang(None)
        say(_("Language unset: commands speak English unless CHAINMAP_LANG or --lang "
              "says otherwise"))
        return
    if language is not None:
        chosen = c.workspace(create=True).set_lang(language)
        assert chosen is not None  # a language was given
        if not ctx.meta.get(LANG_GIVEN) and not env_lang():
            speak(ctx, chosen)  # say it in the language just chosen
        say(_("Language set to {lang}").format(lang=chosen))
    emit(c.ws.lang or _("(not set)"))


#: The commands of this module, for the main group.
COMMANDS = (import_dataset, export_dataset, sample, synth, check, region, demo, config)
