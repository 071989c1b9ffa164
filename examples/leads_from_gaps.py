"""Create leads (招商线索) from the gap report and print their ids, one per line.

Usage::

    python examples/leads_from_gaps.py [WORKSPACE.db] [--chain 智能家电]
                                       [--home 安徽省/马鞍山市/当涂县] [--top 3] [--owner 王磊]

The top ``--top`` candidates of every missing (缺链) or weak (弱链) product become leads
with source ``gap`` (:func:`chainmap.leads_from_gaps`); a firm and product that already
have an open lead are skipped, so running it again adds nothing. Without WORKSPACE.db a
workspace with the bundled 当涂 sample is made in a temporary folder (and thrown away).

Stdout carries only the new ids (``L0013`` ...); the summary goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import chainmap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", type=Path,
                        help="a chainmap workspace file (default: the sample, in a temp dir)")
    parser.add_argument("--chain", default=chainmap.SAMPLE_CHAIN, help="chain id or name")
    parser.add_argument("--home", default=chainmap.SAMPLE_HOME, help="the home zone")
    parser.add_argument("--top", type=int, default=3, help="candidates per gap (default 3)")
    parser.add_argument("--owner", help="owner (负责人) of the new leads")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="chainmap-") as tmp:
        try:
            if args.workspace is None:
                ws = chainmap.open(Path(tmp) / "dangtu.db")
                chainmap.import_dataset(ws, chainmap.sample_path())
            else:
                if not args.workspace.is_file():
                    raise chainmap.ChainmapError(f"no workspace file {args.workspace}")
                ws = chainmap.open(args.workspace)
            with ws:
                result = chainmap.leads_from_gaps(ws, args.chain, home=args.home, top=args.top,
                                                  owner=args.owner)
        except chainmap.ChainmapError as exc:
            print(f"{Path(__file__).name}: {exc}", file=sys.stderr)
            return 1
    for lead in result.added:
        print(lead)
    print(result, file=sys.stderr)
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
