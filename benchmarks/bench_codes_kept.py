"""Benchmark: the first report after a lead-pipeline write, as whole processes.

For this tree and ``--baseline`` (a git revision checked out into a temporary
worktree), each on its own copy of ``--workspace`` and its own empty cache folder:

1. ``chainmap config home 当涂县`` (a write),
2. ``chainmap gaps`` (the first report: builds the reports' codes),
3. ``chainmap gaps`` again (reads them),
4. ``chainmap leads add FIRM`` (a write that leaves the firms as they are),
5. ``chainmap gaps`` (the baseline builds the codes again; this tree reads them),
6. ``chainmap import`` of one firm with its revenue changed (a change of the firms),
7. ``chainmap gaps`` (the baseline builds them; since session 7 this tree patches the
   codes of step 5 with that one firm's rows).

Prints wall and CPU seconds (user + system, ``os.wait4``) and peak RSS per step.

Usage::

    python benchmarks/bench_codes_kept.py --workspace ws-1M.db --baseline f4d3c92
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_import import baseline_worktree, timed  # noqa: E402

HOME = "安徽省/马鞍山市/当涂县"


def one_firm(workspace: Path, folder: Path) -> tuple[str, Path]:
    """A dataset changing the revenue of the workspace's first firm; its id, its folder."""
    import csv

    with sqlite3.connect(f"file:{workspace}?mode=ro", uri=True) as db:
        row = db.execute("SELECT id, name, province, city, district, revenue FROM companies "
                         "ORDER BY rowid LIMIT 1").fetchone()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "products.csv").write_text("id,name\n", encoding="utf-8")
    with open(folder / "companies.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "province", "city", "district", "revenue"])
        out.writerow([*row[:5], (row[5] or 0) + 1])
    return row[0], folder


def steps(chain: str, firm: str, change: Path) -> list[tuple[str, list[str]]]:
    return [("config home", ["config", "home", HOME]),
            ("first gaps", ["gaps", "--chain", chain, "-o", os.devnull]),
            ("second gaps", ["gaps", "--chain", chain, "-o", os.devnull]),
            ("leads add", ["leads", "add", firm, "--owner", "bench"]),
            ("gaps after leads add", ["gaps", "--chain", chain, "-o", os.devnull]),
            ("import of one firm's revenue", ["import", str(change)]),
            ("gaps after that import", ["gaps", "--chain", chain, "-o", os.devnull])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, required=True,
                    help="a loaded workspace file (copied, never written)")
    ap.add_argument("--baseline", default="HEAD~1")
    ap.add_argument("--chain", help="default: the chain with the most products")
    args = ap.parse_args()
    with sqlite3.connect(f"file:{args.workspace}?mode=ro", uri=True) as db:
        chain = args.chain or db.execute(
            "SELECT chain_id FROM product_chains GROUP BY chain_id "
            "ORDER BY count(*) DESC, chain_id LIMIT 1").fetchone()[0]
    results: dict[str, list[tuple[float, float, float]]] = {}
    with baseline_worktree(args.baseline, "bench-codes-kept-") as (tmp, base):
        firm, change = one_firm(args.workspace, tmp / "one-firm")
        for name, tree in (("baseline", base), ("this", ROOT)):
            db = tmp / f"{name}.db"
            shutil.copy(args.workspace, db)
            env = dict(os.environ, PYTHONPATH=str(tree), CHAINMAP_LANG="en",
                       CHAINMAP_CACHE_DIR=str(tmp / f"cache-{name}"), CHAINMAP_USER="bench")
            # -P: the current folder not first on the path (it would shadow PYTHONPATH)
            cli = [sys.executable, "-P", "-c", "from chainmap.cli import run; run()",
                   "--db", str(db)]
            results[name] = []
            for label, command in steps(chain, firm, change):
                results[name].append(timed([*cli, *command], env))  # wall, MB, CPU
                print(name, label, results[name][-1], file=sys.stderr, flush=True)
    print(f"| step | baseline ({args.baseline}): wall / CPU s / MB | this tree: wall / CPU s "
          f"/ MB | CPU this / baseline |")
    print("|---|---|---|---|")
    for i, (label, _command) in enumerate(steps(chain, firm, change)):
        b, t = results["baseline"][i], results["this"][i]
        print(f"| {label} | {b[0]:.2f} / {b[2]:.2f} / {b[1]:.0f} | {t[0]:.2f} / {t[2]:.2f} / "
              f"{t[1]:.0f} | {t[2] / b[2]:.2f}× |")


if __name__ == "__main__":
    main()
