"""Benchmark: ``chainmap opportunities`` as a whole process at 1M firms (target ≤ 2 s).

What a 招商 officer meets is the whole command: starting Python, importing chainmap and
pandas, opening the workspace, computing, printing. So every figure here is a new
process, timed from outside (wall clock, and the CPU seconds of the child from
``getrusage``), on a SQLite workspace of a synthetic dataset:

1. ``chainmap --version`` and ``python -c "import pandas"``: the floor of any command;
2. ``chainmap opportunities --chain C --home 当涂县`` **cold**: the first run after the
   data changed, which builds the region x product matrix from every firm and keeps it
   in the cache folder (``CHAINMAP_CACHE_DIR``, a temporary folder here);
3. the same **warm** (median of ``--repeat`` runs): the matrix is read from the cache;
4. warm with a province as home (安徽省: ~15 % of the firms are local), in JSON;
5. warm ``chainmap related --product P`` and ``chainmap chart opportunities``.

The children run with their bytecode cached (``PYTHONPYCACHEPREFIX`` in a temporary
folder, as an installed package has its ``.pyc``), after one untimed warm-up run, and
with the OS file cache warm. Printed: a Markdown table of medians, CPU seconds, and the
ratios warm / ``--version`` and warm / target.

Usage::

    python benchmarks/bench_opportunities.py                       # 1M firms
    python benchmarks/bench_opportunities.py --db /path/ws-1M.db   # reuse a workspace
    python benchmarks/bench_opportunities.py --size 100k --repeat 7 --append RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOME = "当涂县"
TARGET_S = 2.0


def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else \
        f"{n // 1_000}k" if n % 1_000 == 0 else str(n)


def timed(command: list[str], env: dict) -> tuple[float, float, str]:
    """Run ``command``; its wall seconds, CPU seconds (user + system) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"failed (exit {done.returncode}): {' '.join(command)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def dataset(n: int, products: int, seed: int, cache: Path) -> Path:
    """The synthetic dataset folder for ``n`` firms (made when missing)."""
    folder = cache / f"synth-{_label(n)}-p{products}-s{seed}"
    if not (folder / ".complete").exists():
        from chainmap.synth import synth

        synth(folder, firms=n, products=products, seed=seed)
        (folder / ".complete").write_text("made by bench_opportunities.py\n")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="1M", help="firms of the synthetic dataset (1M)")
    ap.add_argument("--products", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=7, help="warm runs per figure (median)")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache",
                    help="where generated datasets are kept between runs")
    ap.add_argument("--db", type=Path, help="an existing workspace of that dataset "
                                            "(skips the import, about 1-2 minutes at 1M)")
    ap.add_argument("--append", type=Path, help="append the Markdown table to this file")
    args = ap.parse_args()
    n = _size(args.size)
    sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory(prefix="chainmap-bench-opp-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=os.path.join(tmp, "pyc"),
                   CHAINMAP_CACHE_DIR=os.path.join(tmp, "cache"))
        db = args.db
        if db is None:
            folder = dataset(n, args.products, args.seed, args.cache)
            db = Path(tmp) / "ws.db"
            print(f"importing {folder} ...", file=sys.stderr, flush=True)
            timed([sys.executable, "-P", "-c", "import chainmap, sys; "
                   "chainmap.import_dataset(chainmap.open(sys.argv[1]), sys.argv[2])",
                   str(db), str(folder)], env)
        cli = [sys.executable, "-P", "-c", "from chainmap.cli import run; run()", "--db",
               str(db)]
        chain = "chain-001"
        steps = {
            "chainmap --version": [*cli[:4], "--version"],
            "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
            "opportunities (district home)": [*cli, "opportunities", "--chain", chain,
                                              "--home", HOME],
            "opportunities (province home, json)": [*cli, "opportunities", "--chain", chain,
                                                    "--home", "安徽省", "--format", "json"],
            "related": [*cli, "related", "--product", "p0001"],
            "chart opportunities": [*cli, "chart", "opportunities", "--chain", chain,
                                    "--home", HOME, "-o", os.path.join(tmp, "o.png")],
        }
        timed(steps["chainmap --version"], env)  # writes the bytecode of the CLI
        cold_wall, cold_cpu, _ = timed(steps["opportunities (district home)"], env)
        print(f"cold {cold_wall:.2f} s", file=sys.stderr, flush=True)
        rows = [("opportunities, cold (builds and keeps the matrix)", cold_wall, cold_cpu, 1)]
        for name, command in steps.items():
            timed(command, env)  # warm-up
            walls, cpus = [], []
            for _ in range(args.repeat):
                wall, cpu, _out = timed(command, env)
                walls.append(wall)
                cpus.append(cpu)
            rows.append((name, statistics.median(walls), statistics.median(cpus),
                         args.repeat))
            print(f"{name}: {rows[-1][1]:.2f} s", file=sys.stderr, flush=True)

    version = rows[1][1]
    machine = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
               f"{platform.system()} {platform.release()}, Python "
               f"{platform.python_version()}")
    try:
        load = " · load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = ""
    lines = [f"`python benchmarks/bench_opportunities.py --size {args.size}` on "
             f"{time.strftime('%a %b %d %H:%M %Z %Y')} · {machine}{load}", "",
             "| whole process | runs | median wall s | median CPU s | wall / --version "
             "| wall / 2 s target |", "|---|---|---|---|---|---|"]
    for name, wall, cpu, runs in rows:
        lines.append(f"| {name} | {runs} | {wall:.2f} | {cpu:.2f} | {wall / version:.1f}× "
                     f"| {wall / TARGET_S:.2f} |")
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as out:
            out.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
