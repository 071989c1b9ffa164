"""Benchmark (issue 13): the lead-pipeline reports with many leads, as whole processes.

A workspace of ``--firms`` synthetic firms (``chainmap synth --products 1000``, imported
with ``chainmap import``) gets ``--leads`` leads (10k, 100k) with their history: every
lead moved from ``lead`` through the stages up to where it is now (about 3.5 moves a
lead; some lost on the way), 1-3 activities each, open follow-ups for a tenth, a
liaison (1+1+1) for a twentieth of the lead firms and a request for a fiftieth. They
are written in one transaction through the store's bulk write
(:meth:`Store.write_pipeline <chainmap.store.sqlite.SQLiteStore.write_pipeline>`, what
``chainmap neo4j pull`` uses), which takes seconds where a CLI call per lead would take
hours. Owners are 30 names, investments 0.5-50 亿元, dates 2023-2026.

Then each command is a new process, median of ``--repeat`` runs:

- ``chainmap pipeline`` (default table output),
- ``chainmap leads list`` (table, every lead), the same as ``--format csv``, and
  ``leads list --stage negotiating --region 江苏`` (a filtered list, as a person asks it),
- ``chainmap supervise --as-of 2026-06-01``,

each first with an empty cache folder (the first process after a change: it reads the
leads and moves from the workspace and writes the per-revision cache files of
:mod:`chainmap.cache`), then ``--repeat`` later processes (they read those files), then
once with the cache off (``CHAINMAP_CACHE_DIR=off``);

beside ``python -c 'import pandas'`` (the floor of any report) and, with ``--baseline
TREE``, the same commands of another source tree (one run each when slower than
``--slow`` seconds). Every command's stdout is compared with the baseline's (``same
output``).

Usage::

    python benchmarks/bench_pipeline.py --firms 100k --leads 10k,100k --repeat 5 \\
        --baseline ../reports-base --json benchmarks/pipeline.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_reports import (  # same helpers
    _label,
    _size,
    _uptime,
    chainmap_args,
    prepare_trees,
    shared_options,
    timed,
)

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
CLI = "from chainmap.cli import run; run()"
STAGES = ("lead", "contacted", "visited", "negotiating", "signed", "started", "producing")


def _env(tree: Path, cache: Path | None = None) -> dict:
    """The children's environment: ``tree`` on the path, the cache in ``cache`` (or off)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(tree), CHAINMAP_CACHE_DIR=str(cache) if cache else "off",
               CHAINMAP_LANG="en", CHAINMAP_USER="bench")
    return env


def timed_cpu(args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the child) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    took, out = timed(args, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def median(args: list[str], env: dict, repeat: int, slow: float) -> tuple[dict, str]:
    """Median wall and CPU seconds of ``repeat`` runs (one when slower than ``slow``)."""
    took, cpu, out = timed_cpu(args, env)
    runs, cpus = [took], [cpu]
    if took <= slow:
        for _ in range(repeat - 1):
            took, cpu, _out = timed_cpu(args, env)
            runs.append(took)
            cpus.append(cpu)
    return {"median": statistics.median(runs), "runs": runs,
            "cpu_median": statistics.median(cpus), "cpu": cpus}, out


def dataset_workspace(firms: int, work: Path, env: dict) -> Path:
    """The imported workspace of ``firms`` synthetic firms (made once)."""
    label = _label(firms)
    data = work / f"synth-{label}-p1000"
    if not (data / ".complete").exists():
        subprocess.run([sys.executable, "-c", CLI, "synth", "--firms", str(firms),
                        "--products", "1000", str(data)], env=env, check=True,
                       capture_output=True)
        (data / ".complete").touch()
    db = work / f"ws-{label}.db"
    if not db.exists():
        tmp = work / f"ws-{label}.tmp.db"
        tmp.unlink(missing_ok=True)
        subprocess.run(chainmap_args(tmp, "import", str(data)), env=env, check=True,
                       capture_output=True)
        tmp.rename(db)
    return db


def write_leads(db: Path, n: int, seed: int = 0) -> dict:
    """Add ``n`` leads with their history to the workspace ``db`` (one transaction)."""
    import numpy as np
    import pandas as pd

    import chainmap
    from chainmap.store.base import CRM_COLUMNS

    rng = np.random.default_rng(seed)
    at, by = "2026-06-01T09:00:00+08:00", "bench"
    with chainmap.open(db) as ws:
        firms = ws.store.conn.execute("SELECT id FROM companies").fetchall()
        caps = pd.DataFrame(ws.store.conn.execute(
            "SELECT company_id, product_id FROM capabilities").fetchall(),
            columns=["company_id", "product_id"])
        pick = caps.sample(n=min(n, len(caps)), random_state=seed, replace=n > len(caps))
        pick = pick.drop_duplicates().reset_index(drop=True)
        if n > len(caps.drop_duplicates()) + len(firms):  # each (firm, product) one lead
            raise SystemExit(f"{n} leads need more firms than {len(firms)} "
                             "(one lead per firm and product, or per firm alone)")
        while len(pick) < n:  # more leads than links: firms without a product
            extra = pd.DataFrame({"company_id": [firms[i][0] for i in
                                                  rng.integers(0, len(firms), n - len(pick))],
                                  "product_id": None})
            pick = pd.concat([pick, extra], ignore_index=True).drop_duplicates(ignore_index=True)
        pick = pick.iloc[:n]
        reach = rng.choice(len(STAGES), size=n, p=[.3, .2, .15, .12, .1, .08, .05])
        lost = rng.random(n) < 0.12
        start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 1000, n), "D")
        owners = np.array([f"招商{i:02d}" for i in range(30)], dtype=object)
        ids = [f"L{i:04d}" for i in range(1, n + 1)]
        events, stage = [], []
        for i in range(n):
            day = start[i]
            path = list(STAGES[:reach[i] + 1]) + (["lost"] if lost[i] and reach[i] < 4 else [])
            before = None
            for s in path:
                events.append((ids[i], before, s, day.date().isoformat()))
                before = s
                day += pd.Timedelta(days=int(rng.integers(5, 120)))
            stage.append(path[-1])
        ev = pd.DataFrame(events, columns=["lead_id", "from_stage", "to_stage", "date"])
        ev.insert(0, "id", np.arange(1, len(ev) + 1))
        ev = ev.assign(at=at, by=by, note=None,
                       reason=np.where(ev["to_stage"] == "lost", "chose another zone", None))
        leads = pd.DataFrame({
            "id": ids, "seq": np.arange(1, n + 1), "company_id": pick["company_id"],
            "product_id": pick["product_id"], "stage": stage,
            "owner": owners[rng.integers(0, len(owners), n)],
            "investment": np.round(rng.uniform(0.5, 50, n), 1),
            "source": np.array(["gap", "referral", "event", "other"])[rng.integers(0, 4, n)],
            "note": None, "lost_reason": np.where(np.array(stage) == "lost",
                                                  "chose another zone", None),
            "contract_date": None, "imported": 1, "extra": None,
            "created": [d.date().isoformat() for d in start], "created_by": by, "updated": at})
        k = rng.integers(1, 4, n)
        acts = pd.DataFrame({"lead_id": np.repeat(ids, k)})
        acts.insert(0, "id", np.arange(1, len(acts) + 1))
        acts = acts.assign(kind=np.array(["visit", "call", "meeting", "email"])[
            rng.integers(0, 4, len(acts))], date="2026-03-01", note="talked", at=at, by=by)
        follow = pd.DataFrame({"lead_id": ids[::10]})
        follow = follow.assign(id=np.arange(1, len(follow) + 1), due="2026-07-01",
                               note="call back", at=at, by=by, done_at=None, done_by=None,
                               done_note=None)
        lead_firms = sorted(set(pick["company_id"]))
        liaisons = pd.DataFrame({"id": lead_firms[::20]}).assign(
            contact="张三", phone=None, officer="服务01", leader="领导01", at=at, by=by)
        asked = lead_firms[::50]
        requests = pd.DataFrame({
            "id": [f"R{i:04d}" for i in range(1, len(asked) + 1)],
            "seq": np.arange(1, len(asked) + 1), "company_id": asked, "kind": "land",
            "text": "needs land", "officer": "服务02", "date": "2026-04-01",
            "due": "2026-05-01", "closed_date": None, "close_note": None, "at": at, "by": by,
            "updated": at})
        tables = {name: pd.DataFrame(columns=list(columns))
                  for name, columns in CRM_COLUMNS.items()}
        tables.update(leads=leads, lead_events=ev, activities=acts, followups=follow,
                      liaisons=liaisons, requests=requests)
        started = time.perf_counter()
        ws.store.write_pipeline(tables)
        took = time.perf_counter() - started
    return {"leads": n, "events": len(ev), "activities": len(acts), "write_s": took}


def measure(firms: int, n: int, args: argparse.Namespace) -> dict:
    work = Path(args.work)
    env = _env(TREE)
    base = dataset_workspace(firms, work, env)
    db = work / f"pipe-{_label(firms)}-{_label(n)}.db"
    if not db.exists():
        tmp = work / "pipe.tmp.db"
        shutil.copyfile(base, tmp)
        sys.path.insert(0, str(TREE))
        made = write_leads(tmp, n)
        tmp.rename(db)
        (work / f"{db.name}.json").write_text(json.dumps(made))
    out: dict = {"firms": firms, "leads": n, "uptime_before": _uptime(),
                 **json.loads((work / f"{db.name}.json").read_text())}
    commands = {"pipeline": ["pipeline"], "leads_list": ["leads", "list"],
                "leads_list_csv": ["leads", "list", "--format", "csv"],
                "leads_list_filtered": ["leads", "list", "--stage", "negotiating",
                                        "--region", "江苏"],
                "supervise": ["supervise", "--as-of", "2026-06-01"]}
    outputs = {}
    cache = work / f"cache-{_label(firms)}-{_label(n)}"
    warm = _env(TREE, cache)
    for key, command in commands.items():
        # the first process after a change (no cache file yet), then later processes
        shutil.rmtree(cache, ignore_errors=True)
        took, cpu, _out = timed_cpu(chainmap_args(db, *command), warm)
        out[key + "_first"] = {"median": took, "cpu_median": cpu}
        out[key], outputs[key] = median(chainmap_args(db, *command), warm, args.repeat,
                                        args.slow)
        out[key + "_nocache"], seen = median(chainmap_args(db, *command), env, 1, args.slow)
        assert seen == outputs[key], key
    if args.baseline:
        old = _env(Path(args.baseline))
        for key, command in commands.items():
            out[key + "_baseline"], seen = median(chainmap_args(db, *command), old,
                                                  args.repeat, args.slow)
            out[key + "_same_output"] = seen == outputs[key]
    out["uptime_after"] = _uptime()
    return out


def _cell(found: dict) -> str:
    """Wall seconds and, in brackets, CPU seconds."""
    return f"{found['median']:.2f} ({found.get('cpu_median', float('nan')):.2f})"


def table(results: list[dict], floor: dict) -> str:
    names = {"pipeline": "chainmap pipeline", "leads_list": "chainmap leads list",
             "leads_list_csv": "leads list --format csv",
             "leads_list_filtered": "leads list --stage negotiating --region 江苏",
             "supervise": "chainmap supervise"}
    head = "| wall s (CPU s), median | " + " | ".join(
        f"{_label(r['leads'])} leads{what}"
        for r in results for what in (" (first after a change)", "", " (no cache)",
                                      *((" (before)",) if "pipeline_baseline" in r else ())))
    lines = [head + " |", "|---|" + "---|" * (head.count("|") - 1)]
    for key, name in names.items():
        cells = []
        for r in results:
            cells += [_cell(r[key + "_first"]), _cell(r[key]), _cell(r[key + "_nocache"])]
            if key + "_baseline" in r:
                cells.append(_cell(r[key + "_baseline"])
                             + ("" if r[key + "_same_output"] else " (output differs)"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(f"\n`python -c 'import pandas'`: {_cell(floor)} "
                 "(wall s (CPU s), median)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", default="100k")
    parser.add_argument("--leads", default="10k,100k")
    shared_options(parser, "pipeline")
    args = parser.parse_args()
    prepare_trees(args)
    floor, _ = median([sys.executable, "-c", "import pandas"], _env(TREE), args.repeat,
                      args.slow)
    results = []
    for n in map(_size, args.leads.split(",")):
        results.append(measure(_size(args.firms), n, args))
        print(json.dumps(results[-1])[:400], file=sys.stderr)
    print(table(results, floor))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "pandas_floor": floor, "sizes": results}, indent=1))


if __name__ == "__main__":
    main()
