"""How commands talk: data to stdout, messages and progress to stderr, reports in a format."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ChainmapError
from ..i18n import _, label, language

if TYPE_CHECKING:
    import pandas as pd

    from ..workspace import Workspace

__all__ = ["chart_title", "emit", "progress", "report", "say"]


def say(message: str) -> None:
    """Print a message (not data) to stderr.

    Parameters
    ----------
    message : str
        The line to print.
    """
    click.echo(message, err=True)


def emit(text: str) -> None:
    """Print data to stdout.

    Parameters
    ----------
    text : str
        What to print.
    """
    click.echo(text)


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """``progress(done, total)`` drawing a bar on a terminal; ``None`` when piped.

    Parameters
    ----------
    label : str
        The label before the bar.

    Yields
    ------
    callable or None
        The callback to hand to a library function's ``progress=``.
    """
    if not sys.stderr.isatty():
        yield None
        return
    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def _yes_no(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with 是/否 for the booleans of its yes/no columns under ``zh``."""
    if lang == "en":
        return frame
    columns = [c for c in frame.columns if frame[c].dtype == bool]
    if not columns:
        return frame
    yes, no = label("word", "yes", lang), label("word", "no", lang)
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map({True: yes, False: no})
    return out


def _chain_names(sheets: dict[str, pd.DataFrame], ws: Workspace) -> dict[str, pd.DataFrame]:
    """``sheets`` with a ``chain`` column of ids (no ``chain_name`` beside it) as names."""
    wanted = {v for frame in sheets.values()
              if "chain" in frame.columns and "chain_name" not in frame.columns
              for v in frame["chain"] if isinstance(v, str)}
    if not wanted:
        return sheets
    names = ws._names("chains", wanted)
    out = {}
    for name, frame in sheets.items():
        if "chain" in frame.columns and "chain_name" not in frame.columns:
            frame = frame.assign(chain=frame["chain"].map(
                lambda v: names.get(v, v) if isinstance(v, str) else v))
        out[name] = frame
    return out


def report(sheets: dict[str, pd.DataFrame], fmt: str, output: Path | None,
           lang: str | None = None, ws: Workspace | None = None) -> None:
    """Print (or write to ``output``) one or more report frames in ``fmt``.

    A workbook, and CSV under ``zh``, are for people: firm, product and chain names
    for ids, 是/否 for booleans, Chinese sheet names under ``zh``
    (:func:`chainmap.output.for_people`); in a workbook numbers keep their formats
    (``0.00`` 亿元, ``0.0%`` shares, ``0`` counts, dates as dates), in CSV a share is
    text such as ``23.9%`` and a whole number reads as the table writes it (``31``, not
    ``31.0``: :func:`chainmap.output.whole_numbers`). Tables, Markdown and English CSV are
    as the library returns them (with Chinese headers, and sheet names, under ``zh``),
    except that in tables and Markdown a list of firm or product ids shows its first
    names and counts the rest (:func:`chainmap.output.list_names`: ``上海压缩机厂,
    江苏压缩机厂 +2``; English CSV keeps the ids), measures such as a proximity read
    to two decimals and shares such as a completeness ``36.4%``, in English too
    (:func:`chainmap.output.rounded`; CSV and JSON keep every digit, a workbook's cell
    too, shown ``0.00`` or ``0.0%``). JSON is for programs: its
    keys and code values (status, stage, evidence) are English whatever ``lang`` is.

    Parameters
    ----------
    sheets : dict of str to DataFrame
        The report's frames by sheet name.
    fmt : str
        ``table``, ``csv``, ``json``, ``md`` or ``xlsx`` (which needs ``output``).
    output : Path or None
        The file to write, else stdout; a ``.xlsx`` suffix means a workbook.
    lang : str or None
        ``en`` or ``zh``: the language of the column headers; ``None``, the current
        language (``--lang``, ``CHAINMAP_LANG``, ``chainmap config lang``).
    ws : Workspace or None
        Where the names of ids are looked up (workbooks and Chinese CSV).
    """
    from ..files import write_xlsx
    from ..output import (
        WORKBOOK_LIST_MOST,
        for_people,
        id_names,
        localize,
        percent_text,
        render,
        whole_numbers,
    )

    lang = lang or language()
    if fmt == "xlsx" or (output is not None and output.suffix.lower() == ".xlsx"):
        if output is None:
            raise ChainmapError(_("--format xlsx needs -o FILE.xlsx"))
        most = WORKBOOK_LIST_MOST
        frames, kinds = for_people(sheets, lang,
                                   id_names(ws, sheets, most) if ws is not None else None,
                                   most=most)
        write_xlsx(frames, output, kinds=kinds)
        say(_("Wrote {file}").format(file=output))
        return
    if fmt == "csv" and lang == "zh":
        frames, kinds = for_people(sheets, lang,
                                   id_names(ws, sheets) if ws is not None else None)
        # 31 亿元 as the table writes it, not 31.0 (other numbers keep every digit)
        sheets = {name: whole_numbers(percent_text(frame, kinds[name]))
                  for name, frame in frames.items()}
    elif fmt != "json":  # JSON is for programs: keys and code values stay English
        if lang == "zh" and ws is not None:  # 产业链 by name, as Chinese CSV and workbooks
            sheets = _chain_names(sheets, ws)
        if fmt in ("table", "md"):  # read by people: a few names, two decimals
            from ..output import SHOWN_LIST_MOST, list_names, rounded, without_named_ids

            if ws is not None:
                sheets = list_names(sheets, id_names(ws, sheets, SHOWN_LIST_MOST), lang)
            sheets = {name: rounded(without_named_ids(frame)) for name, frame in sheets.items()}
        sheets = {name: _yes_no(localize(frame, lang), lang) for name, frame in sheets.items()}
    if fmt == "json" and len(sheets) > 1:
        import json

        from ..output import to_records

        text = json.dumps({k: to_records(v) for k, v in sheets.items()}, ensure_ascii=False,
                          indent=2)
    else:
        parts = []
        for name, frame in sheets.items():
            body = render(frame, fmt)
            title = name if lang == "en" or fmt == "csv" else label("sheet", name, lang)
            parts.append(body if len(sheets) == 1 or fmt in ("json", "csv")
                         else f"## {title}\n\n{body}" if fmt == "md" else f"[{title}]\n{body}")
        text = "\n\n".join(parts)
    if output is not None:
        from ..files import write_atomic

        # a .csv file gets a BOM so that Excel on Chinese Windows reads it as UTF-8
        encoding = "utf-8-sig" if output.suffix.lower() == ".csv" else "utf-8"
        write_atomic(output, lambda tmp: Path(tmp).write_text(text + "\n", encoding=encoding))
        say(_("Wrote {file}").format(file=output))
    else:
        emit(text)


def chart_title(ws: Workspace, chain: str, home: str | None, lang: str) -> str:
    """A chain chart's default title: the chain's name and the home's path.

    The name as the chart's ``--lang`` reads: Chinese for ``zh``, the English name for
    ``en`` (the Chinese one when the chain has none), both for ``both``. The home's path
    stays as the region tree writes it (安徽省/马鞍山市/当涂县).
    """
    from ..labels import product_label  # the English name, else the Chinese one

    row = ws._table("chains").set_index("id").loc[ws.chain_id(chain)]
    name, english = str(row["name"]), product_label(row, "en")
    if lang == "en":
        name = english
    elif lang == "both" and english != name:
        name = f"{name} {english}"
    return f"{name} · {ws.resolve_home(home).path}"
