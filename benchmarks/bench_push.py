"""Benchmark: ``chainmap neo4j push`` as a whole process, this tree beside a baseline tree.

For each size: the dataset is imported once into a SQLite workspace (this tree), and a
copy of it gets an import changing every 100th firm (1%, ``bench_import.one_percent``).
Then, alternating baseline (a git revision checked out into a temporary worktree) and
this tree, ``--rounds`` times, each as a whole process ``chainmap --db WS neo4j push``:

- first push: the Neo4j database in ``$NEO4J_URI`` cleared, the workspace pushed;
- no-change push: the same workspace pushed again;
- 1% push: the changed copy pushed over it (then pushed back to the original, untimed).

Usage::

    NEO4J_URI=bolt://127.0.0.1:7720 python benchmarks/bench_push.py --baseline 1578aaf \\
        --sizes 10k,100k --rounds 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_gaps import _size, dataset_for  # noqa: E402
from bench_import import chainmap_cmd, one_percent, timed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="HEAD~1")
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--products", type=int, default=300)
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    args = ap.parse_args()
    if not os.environ.get("NEO4J_URI"):
        sys.exit("set NEO4J_URI")
    import chainmap
    from chainmap.store.neo4j import Neo4jStore

    tmp = Path(tempfile.mkdtemp(prefix="bench-push-"))
    base = tmp / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                    args.baseline], check=True, capture_output=True)
    trees = {"baseline": base, "this": ROOT}
    store = Neo4jStore(os.environ["NEO4J_URI"])
    rows = []
    figures = ("first push s (empty database)", "no-change push s", "1% push s")
    try:
        for size in args.sizes.split(","):
            folder, _ = dataset_for(_size(size), args.products, 0, args.cache)
            db = tmp / f"{size}.db"
            ws = chainmap.open(db)
            chainmap.import_dataset(ws, folder)
            ws.close()
            changed = tmp / f"{size}-1pct.db"
            shutil.copy(db, changed)
            ws = chainmap.open(changed)
            chainmap.import_dataset(ws, one_percent(folder, tmp / f"{size}-1pct"))
            ws.close()
            got: dict[tuple[str, str], list[float]] = {}
            for _round in range(args.rounds):
                for name, tree in trees.items():
                    store.clear()
                    runs = [(figures[0], db), (figures[1], db), (figures[2], changed)]
                    for figure, path in runs:
                        seconds, _rss = timed(*chainmap_cmd(tree, "--db", str(path), "neo4j",
                                                            "push"))
                        got.setdefault((name, figure), []).append(seconds)
                    print(size, name, {f: round(got[(name, f)][-1], 1) for f in figures},
                          file=sys.stderr, flush=True)
            for figure in figures:
                rows.append((size, figure, statistics.median(got[("baseline", figure)]),
                             statistics.median(got[("this", figure)])))
    finally:
        store.close()
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"| firms | figure | baseline ({args.baseline}) | this tree | this / baseline |")
    print("|---|---|---|---|---|")
    for size, figure, b, t in rows:
        print(f"| {size} | {figure} | {b:.1f} | {t:.1f} | {t / b:.2f}× |")


if __name__ == "__main__":
    main()
