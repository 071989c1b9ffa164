"""Benchmark: ``chainmap neo4j push`` as a whole process, this tree beside a baseline tree.

For each size a SQLite workspace is made once (the cached synthetic dataset imported, or
``--workspace SIZE=FILE`` copied), and a 1% change of it (``bench_import.one_percent``:
every 100th firm's revenue, its capabilities named again). Then, alternating baseline (a
git revision checked out into a temporary worktree) and this tree, ``--rounds`` times,
each on a fresh copy of the workspace and as a whole process ``chainmap --db WS neo4j
push``:

- first push: the Neo4j database in ``$NEO4J_URI`` cleared, the workspace pushed;
- no-change push: the same workspace pushed again;
- 1% push: the 1% change imported into the same workspace (not timed), pushed again;
- the gap report on the pushed database (``chainmap --db $NEO4J_URI gaps``, the chain
  with the most products, targets 苏浙沪) with a province home (安徽省) and with a
  district home (当涂县), after the first push, ``--report-repeat`` times each
  (alternating homes; the first run of each is the server's first).

Children share one chainmap cache folder per tree and round, which holds the
workspace's gap codes before the first push (made by a report on the copy, not timed),
as an import into an empty workspace leaves them; after the 1 % import the push patches
them, as a user's would.

Wall seconds, the push process's CPU seconds and the Neo4j server's CPU seconds (from
``/proc/PID/stat`` of ``--server-pid``, default the test server's pid file) are printed
per run and as medians (``--json FILE``: also into that file, for plot_targets.py).

Usage::

    NEO4J_URI=bolt://127.0.0.1:7741 python benchmarks/bench_push.py --baseline 6096d47 \\
        --sizes 10k,100k --rounds 3 [--workspace 1M=/path/ws-1M.db --data 1M=/path/synth]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_gaps import _size, dataset_for  # noqa: E402
from bench_import import chainmap_cmd, one_percent, timed  # noqa: E402
from bench_reports import HOME, _uptime, pick  # noqa: E402

FIGURES = ("first push", "no-change push", "1% push")
#: The gap reports timed on the pushed database: figure -> home.
REPORTS = {"gaps, province home": "安徽省", "gaps, district home": HOME}


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) the process ``pid`` has used so far (0 without one)."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cmd(tree: Path, cache: Path, *args: str) -> tuple[list[str], dict]:
    """:func:`chainmap_cmd` with the cache folder ``cache`` (a user's keeps the codes)."""
    return chainmap_cmd(tree, *args, cache=cache)


def _run(tree: Path, cache: Path, *args: str) -> None:
    """Run ``chainmap ARGS`` of ``tree`` with the cache folder ``cache`` (not timed)."""
    command, env = _cmd(tree, cache, *args)
    subprocess.run(command, env=env, check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="HEAD~1")
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--products", type=int, default=300)
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    ap.add_argument("--workspace", action="append", default=[], metavar="SIZE=FILE",
                    help="a ready workspace for SIZE (copied, never written)")
    ap.add_argument("--data", action="append", default=[], metavar="SIZE=FOLDER",
                    help="the dataset folder SIZE's workspace was imported from (for the "
                         "1%% change); read only")
    ap.add_argument("--server-pid", type=int, default=None)
    ap.add_argument("--trees", default="baseline,this")
    ap.add_argument("--json", type=Path, help="also write the medians to this JSON file")
    ap.add_argument("--report-repeat", type=int, default=3,
                    help="gap reports per home after each first push (default 3)")
    args = ap.parse_args()
    started = (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), _uptime())
    if not os.environ.get("NEO4J_URI"):
        sys.exit("set NEO4J_URI")
    pid = args.server_pid
    if pid is None:
        pid_file = ROOT / "tests" / "neo4j_server" / "target" / "server.pid"
        pid = int(pid_file.read_text()) if pid_file.exists() else None
    import chainmap
    from chainmap.store.neo4j import Neo4jStore

    workspaces = dict(item.split("=", 1) for item in args.workspace)
    folders = dict(item.split("=", 1) for item in args.data)
    tmp = Path(tempfile.mkdtemp(prefix="bench-push-"))
    base = tmp / "baseline"
    trees = {"baseline": base, "this": ROOT}
    trees = {name: trees[name] for name in args.trees.split(",")}
    if "baseline" in trees:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                        args.baseline], check=True, capture_output=True)
    store = Neo4jStore(os.environ["NEO4J_URI"])
    got: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
    try:
        for size in args.sizes.split(","):
            if size in workspaces:
                db = Path(workspaces[size])
                folder = Path(folders[size])
            else:
                folder, _ = dataset_for(_size(size), args.products, 0, args.cache)
                db = tmp / f"{size}.db"
                ws = chainmap.open(db)
                chainmap.import_dataset(ws, folder)
                ws.close()
            change = one_percent(folder, tmp / f"{size}-1pct")
            chain = pick(folder)[0]
            for _round in range(args.rounds):
                for name, tree in trees.items():
                    work = tmp / "work.db"
                    shutil.copy(db, work)
                    # the user's cache folder, holding the workspace's gap codes as an
                    # import into an empty workspace leaves them (made here, not timed)
                    cache = tmp / f"cache-{name}"
                    shutil.rmtree(cache, ignore_errors=True)
                    _run(ROOT, cache, "--db", str(work), "gaps", "--chain", chain,
                         "--home", HOME)
                    store.clear()
                    for figure in FIGURES:
                        if figure == "1% push":
                            _run(ROOT, cache, "--db", str(work), "import", str(change))
                        before = server_cpu(pid)
                        seconds, _rss, cpu = timed(*_cmd(tree, cache, "--db", str(work),
                                                         "neo4j", "push"))
                        got.setdefault((size, name, figure), []).append(
                            (seconds, cpu, server_cpu(pid) - before))
                        if figure != "first push":
                            continue
                        for _ in range(args.report_repeat):
                            for report, home in REPORTS.items():
                                before = server_cpu(pid)
                                seconds, _rss, cpu = timed(*_cmd(
                                    tree, cache, "--db", os.environ["NEO4J_URI"], "gaps",
                                    "--chain", chain, "--home", home))
                                got.setdefault((size, name, report), []).append(
                                    (seconds, cpu, server_cpu(pid) - before))
                    work.unlink()
                    print(size, name, {f: tuple(round(x, 1) for x in got[(size, name, f)][-1])
                                       for f in (*FIGURES, *REPORTS)}, file=sys.stderr,
                          flush=True)
    finally:
        store.close()
        if "baseline" in trees:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print("| firms | figure | tree | wall s | push CPU s | server CPU s | runs |")
    print("|---|---|---|---|---|---|---|")
    for (size, name, figure), runs in got.items():
        wall, cpu, server = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"| {size} | {figure} | {name} | {wall:.1f} | {cpu:.1f} | {server:.1f} | "
              f"{len(runs)} |")
    if args.json:
        args.json.write_text(json.dumps({
            "date": started[0], "uptime_before": started[1], "uptime_after": _uptime(),
            "baseline": args.baseline if "baseline" in trees else None,
            "rows": [{"size": size, "figure": figure, "tree": name,
                      "wall": statistics.median(r[0] for r in runs),
                      "cpu": statistics.median(r[1] for r in runs),
                      "server_cpu": statistics.median(r[2] for r in runs), "runs": len(runs)}
                     for (size, name, figure), runs in got.items()]}, indent=1))


if __name__ == "__main__":
    main()
