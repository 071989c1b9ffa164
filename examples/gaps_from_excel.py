"""Import an Excel dataset and print the gap report (缺链 / 弱链) as JSON on stdout.

Usage::

    python examples/gaps_from_excel.py [DATASET.xlsx] [--chain 智能家电]
                                       [--home 安徽省/马鞍山市/当涂县] [--targets 苏浙沪]

DATASET.xlsx has a sheet per table (``products``, ``companies``, ... or 产品, 企业 ...;
see DATA_FORMAT). Without it, the bundled 当涂 sample is first written as an .xlsx into
a temporary folder with :func:`chainmap.export_dataset`. The workspace is in memory:
nothing is written next to you.

The JSON is a list of rows whose keys are ``chainmap.GAP_COLUMNS`` in that order, the
same as ``chainmap gaps --format json``. Errors go to stderr, exit status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import chainmap
from chainmap.output import render


def sample_xlsx(folder: Path) -> Path:
    """The bundled sample as one workbook in ``folder``."""
    with chainmap.open(":memory:") as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
        chainmap.export_dataset(ws, folder / "dangtu.xlsx")
    return folder / "dangtu.xlsx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path,
                        help="an .xlsx dataset (default: the bundled sample)")
    parser.add_argument("--chain", default=chainmap.SAMPLE_CHAIN, help="chain id or name")
    parser.add_argument("--home", default=chainmap.SAMPLE_HOME, help="the home zone")
    parser.add_argument("--targets", help="where candidates may be (default 苏浙沪)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="chainmap-") as tmp:
        try:
            dataset = args.dataset or sample_xlsx(Path(tmp))
            with chainmap.open(":memory:") as ws:
                chainmap.import_dataset(ws, dataset)
                report = chainmap.gaps(ws, args.chain, home=args.home, targets=args.targets)
        except chainmap.ChainmapError as exc:
            print(f"{Path(__file__).name}: {exc}", file=sys.stderr)
            return 1
    print(render(report, "json"))
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
