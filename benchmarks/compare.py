"""Compare the benchmarks of this tree with another git revision, in one run.

A refactoring must not make chainmap slower. This script checks the baseline revision
out into a temporary git worktree, then runs ``bench_gaps.py`` alternately on the
baseline and on this tree (``--rounds`` times each, same datasets, same machine, same
minutes), and prints the median of every figure and the ratio *this tree / baseline*.
On a shared, noisy machine only such same-run ratios mean anything.

Also timed, as a user meets it: ``chainmap gaps`` as a whole process on the biggest size
(``--cli``), and ``chainmap --version``.

Usage::

    python benchmarks/compare.py --baseline 7b987d6 --sizes 100k,1M --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: (label, how to read it from one bench_gaps.py row)
FIGURES = (
    ("import s", lambda r: r["import"]["seconds"]),
    ("import peak RSS MB", lambda r: r["import"]["peak_rss_mb"]),
    ("gaps cold s", lambda r: r["gaps"]["cold"]),
    ("gaps warm s", lambda r: r["gaps"]["warm"]),
    ("pandas floor s", lambda r: r["gaps"]["floor"]),
)


def bench(tree: Path, sizes: str, cache: Path, repeat: int) -> dict[str, dict]:
    """One run of ``bench_gaps.py`` with ``tree``'s chainmap; figures per size label."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run([sys.executable, str(HERE / "bench_gaps.py"), "--sizes", sizes,
                        "--cache", str(cache), "--repeat", str(repeat), "--json", str(out)],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        rows = json.loads(out.read_text())["rows"]
    return {str(r["firms"]): r for r in rows}


def cli_seconds(tree: Path, args: list[str]) -> float:
    """Wall time of one whole ``chainmap ...`` process run with ``tree``'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    # run in the tree: ``python -c`` puts the working folder first on sys.path
    subprocess.run([sys.executable, "-c", "import sys; from chainmap.cli import run; "
                    "sys.argv[0] = 'chainmap'; run()", *args], cwd=tree,
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="git revision to compare with")
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each tree, alternating")
    ap.add_argument("--repeat", type=int, default=5, help="warm gap runs per bench run")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                        args.baseline], check=True, capture_output=True)
        try:
            runs: dict[str, list[dict]] = {"baseline": [], "this": []}
            version: dict[str, list[float]] = {"baseline": [], "this": []}
            for i in range(args.rounds):
                for name, tree in (("baseline", base), ("this", ROOT)):
                    print(f"round {i + 1}/{args.rounds}: {name}", file=sys.stderr)
                    runs[name].append(bench(tree, args.sizes, args.cache, args.repeat))
                    version[name].append(cli_seconds(tree, ["--version"]))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(base)], capture_output=True)

    print(f"baseline {args.baseline} vs this tree; medians of {args.rounds} alternating "
          f"runs\n")
    print("| firms | figure | baseline | this tree | this / baseline |")
    print("|---|---|---|---|---|")
    table = []
    for label in runs["this"][0]:
        for fig, read in FIGURES:
            b = statistics.median(read(r[label]) for r in runs["baseline"])
            t = statistics.median(read(r[label]) for r in runs["this"])
            table.append({"firms": label, "figure": fig, "baseline": b, "this": t})
            print(f"| {label} | {fig} | {b:.3f} | {t:.3f} | {t / b:.2f}× |")
    b, t = statistics.median(version["baseline"]), statistics.median(version["this"])
    print(f"| - | chainmap --version s | {b:.3f} | {t:.3f} | {t / b:.2f}× |")
    if args.json:
        args.json.write_text(json.dumps({"baseline": args.baseline, "table": table,
                                         "runs": runs, "version": version}, indent=1))


if __name__ == "__main__":
    main()
