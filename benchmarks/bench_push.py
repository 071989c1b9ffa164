"""Benchmark: ``chainmap neo4j push`` as a whole process, this tree beside a baseline tree.

For each size: the dataset is imported once into a SQLite workspace (this tree); then,
alternating, ``--rounds`` times: the Neo4j database in ``$NEO4J_URI`` is cleared and
``chainmap --db WS neo4j push`` runs with the baseline (a git revision checked out into
a temporary worktree) and with this tree: a first push into an empty database. After
the last round, a second push of the same workspace (every row already there: what a
push costs when little has changed, since a push always sends the whole workspace).

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
from bench_import import chainmap_cmd, timed  # noqa: E402


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
    try:
        for size in args.sizes.split(","):
            folder, _ = dataset_for(_size(size), args.products, 0, args.cache)
            db = tmp / f"{size}.db"
            ws = chainmap.open(db)
            chainmap.import_dataset(ws, folder)
            ws.close()
            got: dict[str, list[float]] = {"baseline": [], "this": []}
            for _round in range(args.rounds):
                for name, tree in trees.items():
                    store.clear()
                    seconds, _rss = timed(*chainmap_cmd(tree, "--db", str(db), "neo4j", "push"))
                    got[name].append(seconds)
                print(size, {k: round(v[-1], 1) for k, v in got.items()}, file=sys.stderr,
                      flush=True)
            again = {name: timed(*chainmap_cmd(tree, "--db", str(db), "neo4j", "push"))[0]
                     for name, tree in trees.items()}
            rows.append((size, "first push s (empty database)",
                         statistics.median(got["baseline"]), statistics.median(got["this"])))
            rows.append((size, "second push s (nothing new)", again["baseline"],
                         again["this"]))
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
