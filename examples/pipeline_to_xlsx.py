"""Export the lead pipeline report (招商项目进度) to an Excel workbook; print its path.

Usage::

    python examples/pipeline_to_xlsx.py [OUTPUT.xlsx] [--db WORKSPACE.db] [--lang zh]

One sheet per table of :func:`chainmap.pipeline`: ``stages``, ``regions``, ``chains``,
``owners``, ``signed_by_year``, ``conversion``, ``stage_days``, ``projects``; under
``--lang zh`` Chinese sheet names (阶段, 地区 ...), headers and 是/否, laid out as the
CLI's workbooks are (:func:`chainmap.output.for_people`). Without ``--db`` the bundled
当涂 sample (with its 12 leads) is used; without OUTPUT.xlsx the workbook goes into a new
temporary folder, which is kept so that you can open it.

Stdout carries only the path of the workbook.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import chainmap
from chainmap.files import write_xlsx
from chainmap.output import for_people, id_names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path,
                        help="the .xlsx to write (default: pipeline.xlsx in a temp dir)")
    parser.add_argument("--db", type=Path, help="a chainmap workspace file (default: sample)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="sheet names and headers")
    args = parser.parse_args(argv)

    output = args.output or Path(tempfile.mkdtemp(prefix="chainmap-")) / "pipeline.xlsx"
    try:
        if output.suffix.lower() != ".xlsx":
            raise chainmap.ChainmapError(f"the output must be an .xlsx file, not {output}")
        if args.db is not None and not args.db.is_file():
            raise chainmap.ChainmapError(f"no workspace file {args.db}")
        with chainmap.open(args.db if args.db else ":memory:") as ws:
            if args.db is None:
                chainmap.import_dataset(ws, chainmap.sample_path())
            report = chainmap.pipeline(ws)
            # names for ids, 是/否, Chinese sheet names under zh; formats by column kind
            sheets, kinds = for_people(report.sheets(), args.lang, id_names(ws))
        path = write_xlsx(sheets, output, kinds=kinds)
    except chainmap.ChainmapError as exc:
        print(f"{Path(__file__).name}: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def quietly(run: Callable[[], int]) -> int:
    """``run()``, ending quietly when the reader of stdout goes away (``| head``).

    The recipe of the Python documentation (signal, "Note on SIGPIPE"): stdout is
    pointed at devnull so that the flush at exit does not fail again; exit status 1.
    """
    try:
        status = run()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(quietly(main))
