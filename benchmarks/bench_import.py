"""Benchmark: ``chainmap import`` as a whole process, beside a baseline tree and a floor.

For each size (synthetic datasets in bench_gaps.py's cache layout, or ``--cache``), in one
run, alternating, ``--rounds`` times:

- ``chainmap --db NEW import DATASET`` with this tree and with ``--baseline`` (a git
  revision checked out into a temporary worktree): wall seconds, CPU seconds (user +
  system, steadier than the wall on a loaded machine) and peak RSS of the whole
  process (``os.wait4``);
- the floor: a plain pandas script reading every CSV of the dataset (``dtype=str``),
  nothing checked or written;
- the first report after it: ``chainmap --db NEW gaps`` on the chain with the most
  products (home 当涂县), each tree with its own empty cache folder
  (``CHAINMAP_CACHE_DIR``): what a user waits for between an import and its first
  answer;
- on the biggest size, an import that changes 1% of the firms (revenue and employees
  of every 100th firm, with their capabilities) into the loaded workspace (put back
  after each round), and the first ``gaps`` after it (the codes the first report
  left are on disk: this tree patches them, an older one reads every firm); then the
  whole dataset imported again (a monthly refresh, 1 % of it differing from the
  workspace) and the first ``gaps`` after that.

Prints medians and the ratio this tree / baseline as a Markdown table.

Usage::

    python benchmarks/bench_import.py --baseline 1578aaf --sizes 10k,100k,1M --rounds 3

``--data 1M=FOLDER`` takes that size's dataset from FOLDER (read only), e.g. the
issue's 1,000-product set.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_gaps import _size, dataset_for  # noqa: E402
from bench_reports import HOME, _uptime, pick  # noqa: E402

FLOOR = ("import sys, pathlib, pandas as pd\n"
         "for f in sorted(pathlib.Path(sys.argv[1]).glob('*.csv')):\n"
         "    pd.read_csv(f, dtype=str, keep_default_na=False)\n")


def timed(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one process.

    On a shared, loaded machine the CPU seconds move much less than the wall seconds.
    """
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if status:
        sys.exit(f"{cmd} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def baseline_worktree(revision: str, prefix: str) -> Iterator[tuple[Path, Path]]:
    """A temporary folder, and ``revision`` checked out in it as a detached git worktree.

    Yields ``(folder, tree)``; both are removed afterwards.
    """
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    base = tmp / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                    revision], check=True, capture_output=True)
    try:
        yield tmp, base
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def chainmap_cmd(tree: Path, *args: str, cache: Path | None = None
                 ) -> tuple[list[str], dict]:
    env = dict(os.environ, PYTHONPATH=str(tree), CHAINMAP_LANG="en",
               CHAINMAP_CACHE_DIR=str(cache) if cache else "off")
    # -P: the current folder is not put first on the path (run from a checkout, it would
    # shadow PYTHONPATH and every tree would be that checkout)
    return [sys.executable, "-P", "-c", "from chainmap.cli import main; main()", *args], env


def one_percent(folder: Path, out: Path) -> Path:
    """A dataset changing every 100th firm of ``folder`` (and naming its capabilities)."""
    import pandas as pd

    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(folder / "products.csv", out / "products.csv")
    firms = pd.read_csv(folder / "companies.csv", dtype=str, keep_default_na=False)
    part = firms.iloc[::100].copy()
    part["revenue"] = (pd.to_numeric(part["revenue"]) * 1.1).round(1).astype(str)
    part.to_csv(out / "companies.csv", index=False)
    caps = pd.read_csv(folder / "capabilities.csv", dtype=str, keep_default_na=False)
    caps[caps["company"].isin(set(part["id"]))].to_csv(out / "capabilities.csv", index=False)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="HEAD~1")
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--products", type=int, default=300)
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    ap.add_argument("--data", action="append", default=[], metavar="SIZE=FOLDER",
                    help="use this dataset folder for SIZE instead of the cache's synthetic "
                         "one (e.g. 1M=/data/synth-1M-p1000); read only")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file "
                                              "(read by plot_targets.py)")
    args = ap.parse_args()
    started = (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), _uptime())
    given = dict(item.split("=", 1) for item in args.data)
    rows = []
    with baseline_worktree(args.baseline, "bench-import-") as (tmp, base):
        trees = {"baseline": base, "this": ROOT}
        sizes = args.sizes.split(",")
        for size in sizes:
            folder = Path(given[size]) if size in given else \
                dataset_for(_size(size), args.products, 0, args.cache)[0]
            chain = pick(folder)[0]
            got: dict[str, list[tuple[float, float, float]]] = {"baseline": [], "this": [],
                                                         "floor": []}
            first: dict[str, list[tuple[float, float, float]]] = {"baseline": [], "this": []}
            for _round in range(args.rounds):
                for name, tree in trees.items():
                    db = tmp / f"{name}-{size}.db"
                    cache = tmp / f"cache-{name}"
                    shutil.rmtree(cache, ignore_errors=True)
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                    got[name].append(timed(*chainmap_cmd(tree, "--db", str(db), "import",
                                                         str(folder), cache=cache)))
                    first[name].append(timed(*chainmap_cmd(
                        tree, "--db", str(db), "gaps", "--chain", chain, "--home", HOME,
                        cache=cache)))
                got["floor"].append(timed([sys.executable, "-c", FLOOR, str(folder)],
                                          dict(os.environ)))
                print(size, {k: v[-1] for k, v in got.items()},
                      {k: v[-1] for k, v in first.items()}, file=sys.stderr, flush=True)
            rows.append((size, "import s", *(statistics.median(r[0] for r in got[k])
                                              for k in ("baseline", "this", "floor"))))
            rows.append((size, "import CPU s", *(statistics.median(r[2] for r in got[k])
                                                  for k in ("baseline", "this", "floor"))))
            rows.append((size, "import peak RSS MB", *(statistics.median(r[1] for r in got[k])
                                                        for k in ("baseline", "this",
                                                                  "floor"))))
            for column, figure in ((0, "first gaps after it s"),
                                   (2, "first gaps after it CPU s")):
                rows.append((size, figure, *(statistics.median(r[column] for r in first[k])
                                             for k in ("baseline", "this")), float("nan")))
            if size == sizes[-1]:
                change = one_percent(folder, tmp / "one-percent")
                inc: dict[str, list[tuple[float, float, float]]] = {"baseline": [], "this": []}
                after: dict[str, list[tuple[float, float, float]]] = {"baseline": [],
                                                                       "this": []}
                again: dict[str, list[tuple[float, float, float]]] = {"baseline": [],
                                                                       "this": []}
                again_gaps: dict[str, list[tuple[float, float, float]]] = {"baseline": [],
                                                                            "this": []}
                for _round in range(args.rounds):
                    for name, tree in trees.items():
                        # into the loaded workspace itself, with the codes its first
                        # report left (they are kept per workspace path); put back after
                        db = tmp / f"{name}-{size}.db"
                        cache = tmp / f"cache-{name}"
                        saved, saved_cache = tmp / "saved.db", tmp / "saved-cache"
                        shutil.copy(db, saved)
                        shutil.copytree(cache, saved_cache)
                        inc[name].append(timed(*chainmap_cmd(tree, "--db", str(db), "import",
                                                             str(change), cache=cache)))
                        after[name].append(timed(*chainmap_cmd(
                            tree, "--db", str(db), "gaps", "--chain", chain, "--home", HOME,
                            cache=cache)))
                        # the whole dataset again (a monthly refresh): 1 % of it differs
                        again[name].append(timed(*chainmap_cmd(
                            tree, "--db", str(db), "import", str(folder), cache=cache)))
                        again_gaps[name].append(timed(*chainmap_cmd(
                            tree, "--db", str(db), "gaps", "--chain", chain, "--home", HOME,
                            cache=cache)))
                        for suffix in ("-wal", "-shm"):
                            Path(f"{db}{suffix}").unlink(missing_ok=True)
                        shutil.move(saved, db)
                        shutil.rmtree(cache)
                        shutil.move(saved_cache, cache)
                    print(size, "1%", {k: v[-1] for k, v in inc.items()},
                          {k: v[-1] for k, v in after.items()},
                          {k: v[-1] for k, v in again.items()},
                          {k: v[-1] for k, v in again_gaps.items()}, file=sys.stderr,
                          flush=True)
                for figures, label in ((inc, "1% change import"),
                                       (after, "first gaps after the 1% import"),
                                       (again, "whole dataset imported again"),
                                       (again_gaps, "first gaps after that")):
                    for column, unit in ((0, "s"), (2, "CPU s")):
                        rows.append((size, f"{label} {unit}",
                                     *(statistics.median(r[column] for r in figures[k])
                                       for k in ("baseline", "this")), float("nan")))
    print(f"| firms | figure | baseline ({args.baseline}) | this tree | this / baseline "
          f"| pandas read floor |")
    print("|---|---|---|---|---|---|")
    for size, figure, b, t, f in rows:
        floor = "" if f != f else f"{f:.2f}"
        print(f"| {size} | {figure} | {b:.2f} | {t:.2f} | {t / b:.2f}× | {floor} |")
    if args.json:
        args.json.write_text(json.dumps({
            "date": started[0], "uptime_before": started[1], "uptime_after": _uptime(),
            "baseline": args.baseline, "rounds": args.rounds,
            "rows": [{"size": size, "figure": figure, "baseline": b, "this": t,
                      "floor": None if f != f else f} for size, figure, b, t, f in rows]},
            indent=1))



if __name__ == "__main__":
    main()
