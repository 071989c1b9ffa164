"""Benchmark (issue 13): the lead-pipeline reports right after a lead moved, as whole processes.

A team moves leads all day, so the report a person meets is usually the first one
after a change: the per-revision cache files are stale, the ones kept under the firm
key (the lead firms' names) are not. This alternates two source trees (this one and
``--baseline``) on copies of one workspace (``--db``, made by ``bench_pipeline.py``),
each copy with its own cache folder, and for each command and round measures three
whole processes:

- **cold**: the cache folder emptied first;
- **the move itself**: ``chainmap leads move LEAD …`` (to ``negotiating``, else
  ``visited``; a tree that keeps the lead files up to date pays for it here);
- **after a move**: the command right after that move;
- **later**: the command again (this revision's files present).

Commands: ``pipeline``, ``leads list``, ``supervise --as-of 2026-06-01``; with ``--all``
also ``projects delivery``, ``report weekly``, ``report signed``, ``leads stale`` and
``leads due``. Wall seconds
and the child's CPU seconds (user + sys), median over ``--rounds`` (the order of the
trees flips each round); ``uptime``'s load before and after. The copies get one move
each per command and round, the same moves in both, so their outputs stay comparable
(``--compare``: each command's stdout of both trees after the run, byte for byte).
``PYTHONDONTWRITEBYTECODE`` is unset for the children (an installed package has its
``.pyc`` files).

Usage::

    python benchmarks/bench_pipeline_after_move.py --db …/pipe-100k-100k.db \\
        --baseline ../pipe7-base --work /tmp/after-move --rounds 5 --compare
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {"pipeline": ["pipeline"], "leads list": ["leads", "list"],
            "supervise": ["supervise", "--as-of", "2026-06-01"]}
#: The other lead-pipeline reports, with ``--all`` (the same three steps each).
MORE = {"projects delivery": ["projects", "delivery", "--as-of", "2026-06-01"],
        "report weekly": ["report", "weekly", "--from", "2026-05-20", "--to", "2026-06-01"],
        "report signed": ["report", "signed", "--as-of", "2026-06-01"],
        "leads stale": ["leads", "stale"], "leads due": ["leads", "due"]}
KINDS = ("cold", "the move itself", "after a move", "later")


def _run(tree: Path, db: Path, cache: Path, args: list[str],
         stdout: int | None = subprocess.DEVNULL) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one ``chainmap`` process of ``tree`` (and its stdout)."""
    env = dict(os.environ, CHAINMAP_CACHE_DIR=str(cache), PYTHONPATH=str(tree),
               CHAINMAP_USER="bench")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before, start = os.times(), time.perf_counter()
    done = subprocess.run([sys.executable, "-P", "-c", "from chainmap.cli import run; run()",
                           "--db", str(db), *args], cwd=tree, env=env, stdout=stdout,
                          stderr=subprocess.DEVNULL, check=True)
    wall, after = time.perf_counter() - start, os.times()
    cpu = (after.children_user - before.children_user) + \
        (after.children_system - before.children_system)
    return wall, cpu, done.stdout or b""


def _move(tree: Path, db: Path, cache: Path, lead: str) -> tuple[float, float]:
    """Move ``lead`` to negotiating, or to visited when it is there already; its seconds."""
    for stage in ("negotiating", "visited"):
        try:
            return _run(tree, db, cache, ["leads", "move", lead, stage, "--date",
                                          "2026-06-01"])[:2]
        except subprocess.CalledProcessError:
            continue
    raise SystemExit(f"could not move {lead}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="workspace to copy")
    parser.add_argument("--baseline", type=Path, required=True, help="another source tree")
    parser.add_argument("--work", type=Path, required=True, help="folder for the copies")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lead", default="L0001", help="the lead moved each time")
    parser.add_argument("--compare", action="store_true",
                        help="compare every command's stdout of both trees at the end")
    parser.add_argument("--all", action="store_true",
                        help="also projects delivery, report weekly, report signed, leads "
                             "stale and leads due")
    args = parser.parse_args()
    if args.all:
        COMMANDS.update(MORE)
    trees = {"this": Path(__file__).resolve().parents[1], "baseline": args.baseline.resolve()}
    places = {}
    for name in trees:
        folder = args.work / name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.db, folder / "w.db")
        places[name] = (folder / "w.db", folder / "cache")
    print("load before:", open("/proc/loadavg").read().strip())
    found: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for k in range(args.rounds):
        for command, words in COMMANDS.items():
            for name in (("this", "baseline") if k % 2 == 0 else ("baseline", "this")):
                db, cache = places[name]
                shutil.rmtree(cache, ignore_errors=True)
                found.setdefault((command, "cold", name), []).append(
                    _run(trees[name], db, cache, words)[:2])
                found.setdefault((command, "the move itself", name), []).append(
                    _move(trees[name], db, cache, args.lead))
                for kind in ("after a move", "later"):
                    found.setdefault((command, kind, name), []).append(
                        _run(trees[name], db, cache, words)[:2])
    print("load after:", open("/proc/loadavg").read().strip())
    print("| command | process | baseline wall (CPU) | this wall (CPU) | ratio |")
    print("|---|---|---|---|---|")
    for command in COMMANDS:
        for kind in KINDS:
            base = found[(command, kind, "baseline")]
            this = found[(command, kind, "this")]
            bw, bc = (statistics.median(x[i] for x in base) for i in (0, 1))
            tw, tc = (statistics.median(x[i] for x in this) for i in (0, 1))
            print(f"| {command} | {kind} | {bw:.2f} ({bc:.2f}) | {tw:.2f} ({tc:.2f}) | "
                  f"{tw / bw:.2f} |")
    if args.compare:
        for command, words in COMMANDS.items():
            outputs = [_run(trees[name], *places[name], words, stdout=subprocess.PIPE)[2]
                       for name in trees]
            print(f"{command}: {'same output' if outputs[0] == outputs[1] else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
