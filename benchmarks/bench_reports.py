"""Benchmark (issue 13): the reports as a user meets them, whole processes, beside peers.

For each size (synthetic datasets of ``chainmap synth --products 1000``), every figure
is a new process, median of ``--repeat`` runs, all in one run of this script:

- ``chainmap gaps`` (default table output) on the chain with the most products, home
  当涂县, targets 苏浙沪: the *first* report with an empty cache folder, as after a
  change of the firms (it builds the codes of :mod:`chainmap.cache`; an import into a
  workspace without firms leaves them, ``bench_import.py`` times that) and later ones
  (new processes);
- ``chainmap targets`` (the first missing product of that report), ``metrics``,
  ``anchor`` and ``impact`` (the local firm that makes the most products);
- the peers: ``peer_pandas.py`` (plain pandas over the CSVs) and ``peer_duckdb.py``
  (a DuckDB file built once; the same counts in one SQL query); their printed counts
  are checked against ``chainmap gaps --format json`` (``counts equal``);
- a notebook's first report: a new interpreter that imports chainmap, opens the
  workspace and calls :func:`chainmap.gaps` (``library``: the whole process, its exit
  included; ``library_result``: from starting the interpreter until the call has
  returned, what a person at a notebook waits for, as the child reports it);
- ``chainmap --version``, ``chainmap --help``, and the floors: ``python -c pass``,
  ``python -c 'import duckdb'`` and ``python -c 'import pandas'``;
- optionally ``--baseline TREE``: ``gaps``, ``targets``, ``metrics``, ``anchor`` and
  ``impact`` of another source tree (one run each).

Every median comes with the CPU seconds of its runs (user + system of the child, from
``wait4``), which a loaded machine inflates less than the wall time.

The chainmap source is byte-compiled first and children run without
``PYTHONDONTWRITEBYTECODE``, as an installed package would. Children run with this
script's interpreter: run it with the ``python`` of a clean environment holding
``pip install . duckdb`` to start them as a user's install starts (a development
environment may add ``.pth`` files, such as an editable install's finder, to every
start; benchmarks/RESULTS.md, session 13, compares the two). Workspaces, DuckDB files
and cache folders live under ``--work`` (datasets are generated there when missing).

Usage::

    pip install duckdb                       # benchmark-only dependency
    python benchmarks/bench_reports.py --sizes 10k,100k,1M --repeat 5 \\
        --json benchmarks/reports.json --png benchmarks/reports.png
"""

from __future__ import annotations

import argparse
import compileall
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
TREE = HERE.parent
HOME = "安徽省/马鞍山市/当涂县"
CLI = "from chainmap.cli import run; run()"


def _size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text.rstrip("km")) * {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1))


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1_000}k"


def _env(tree: Path, cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(tree), CHAINMAP_CACHE_DIR=str(cache), CHAINMAP_LANG="en")
    return env


def run_child(args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system, from ``wait4``) and stdout of ``args``."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=errors,
                                 cwd=HERE)
        assert child.stdout is not None
        out = child.stdout.read()
        child.stdout.close()
        _, status, usage = os.wait4(child.pid, 0)
        took = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace")
            raise RuntimeError(f"{args} failed: {text[-2000:]}")
    return took, usage.ru_utime + usage.ru_stime, out.decode("utf-8")


def timed(args: list[str], env: dict) -> tuple[float, str]:
    took, _, out = run_child(args, env)
    return took, out


def median(args: list[str], env: dict, repeat: int) -> dict:
    runs = [run_child(args, env)[:2] for _ in range(repeat)]
    return {"median": statistics.median(r[0] for r in runs), "runs": [r[0] for r in runs],
            "cpu": statistics.median(r[1] for r in runs)}


def until_result(args: list[str], env: dict, repeat: int) -> dict:
    """Seconds from starting ``args`` until it printed ``time.time()`` (its last line).

    For a notebook's first report: the interpreter's own exit (taking apart the modules
    pandas loaded, which a person at a notebook never waits for) is left out.
    """
    runs = []
    for _ in range(repeat):
        start = time.time()
        out = run_child(args, env)[2]
        runs.append(float(out.split()[-1]) - start)
    return {"median": statistics.median(runs), "runs": runs}


def chainmap_args(db: Path, *args: str) -> list[str]:
    # -P: no current folder first on sys.path, so that PYTHONPATH picks the tree (run
    # from a chainmap checkout, ``python -c`` would import that one, baseline or not)
    return [sys.executable, "-P", "-c", CLI, "--db", str(db), *args]


def prepare(n: int, work: Path, env: dict) -> tuple[Path, Path, Path]:
    """The dataset folder, the imported workspace and the DuckDB file of size ``n``."""
    label = _label(n)
    data = work / f"synth-{label}-p1000"
    if not (data / ".complete").exists():
        subprocess.run([sys.executable, "-c", CLI, "synth", "--firms", str(n), "--products",
                        "1000", str(data)], env=env, check=True, capture_output=True)
        (data / ".complete").touch()
    db = work / f"ws-{label}.db"
    if not db.exists():
        tmp = work / f"ws-{label}.tmp.db"
        tmp.unlink(missing_ok=True)
        subprocess.run(chainmap_args(tmp, "import", str(data)), env=env, check=True,
                       capture_output=True)
        tmp.rename(db)
    duck = work / f"duck-{label}.duckdb"
    if not duck.exists():
        subprocess.run([sys.executable, str(HERE / "peer_duckdb.py"), "build", str(data),
                        str(duck)], check=True)
    return data, db, duck


def pick(data: Path) -> tuple[str, str]:
    """The chain with the most products, and the local firm making the most products."""
    import pandas as pd

    products = pd.read_csv(data / "products.csv", dtype=str)
    chains = products["chains"].fillna("").str.split(";").explode()
    chain = chains.value_counts().sort_index().idxmax()
    companies = pd.read_csv(data / "companies.csv", dtype=str,
                            usecols=["id", "province", "city", "district"])
    local = companies.loc[(companies["city"] == "马鞍山市") & (companies["district"] == "当涂县"),
                          "id"]
    caps = pd.read_csv(data / "capabilities.csv", dtype=str)
    firm = caps[caps["company"].isin(set(local))].groupby("company").size() \
        .sort_index().idxmax()
    return str(chain), str(firm)


def counts_equal(gaps_json: str, peer: str) -> bool:
    rows = {r["product"]: (r["local_producers"], r["local_demand"], r["n_candidates"],
                           ",".join(r["candidates"][:3])) for r in json.loads(gaps_json)}
    theirs = {}
    for line in peer.splitlines():
        product, producers, demand, n, top = line.split("\t")
        theirs[product] = (int(producers), int(demand), int(n), top)
    return rows == theirs


def measure(n: int, args: argparse.Namespace) -> dict:
    work = Path(args.work)
    label = _label(n)
    cache = work / f"cache-{label}"
    env = _env(TREE, cache)
    data, imported, duck = prepare(n, work, env)
    chain, firm = pick(data)
    db = work / f"bench-{label}.db"  # a fresh file: the first report finds no cache
    shutil.copyfile(imported, db)
    shutil.rmtree(cache, ignore_errors=True)
    out: dict = {"firms": n, "chain": chain, "firm": firm, "uptime_before": _uptime()}
    base = ["--chain", chain, "--home", HOME]
    out["gaps_first"] = timed(chainmap_args(db, "gaps", *base), env)[0]
    out["gaps"] = median(chainmap_args(db, "gaps", *base), env, args.repeat)
    report = timed(chainmap_args(db, "gaps", *base, "--format", "json"), env)[1]
    product = next((r["product"] for r in json.loads(report) if r["status"] == "missing"),
                   json.loads(report)[0]["product"])
    out["product"] = product
    out["targets"] = median(chainmap_args(db, "targets", *base, "--product", product), env,
                            args.repeat)
    out["metrics"] = median(chainmap_args(db, "metrics", *base), env, args.repeat)
    # a notebook's first report: a fresh interpreter imports chainmap, opens, reports
    first_call = (f"import chainmap; ws = chainmap.open({str(db)!r}); "
                  f"chainmap.gaps(ws, {chain!r}, home={HOME!r})")
    out["library"] = median([sys.executable, "-P", "-c", first_call], env, args.repeat)
    out["library_result"] = until_result(
        [sys.executable, "-P", "-c", first_call + "; import time; print(time.time())"], env,
        args.repeat)
    for name in ("anchor", "impact"):
        command = chainmap_args(db, name, firm, "--home", HOME)
        first = timed(command, env)[0]
        out[name] = {"median": first, "runs": [first]} if first > args.slow else \
            median(command, env, args.repeat)
    peer = [sys.executable, str(HERE / "peer_pandas.py"), str(data), chain]
    out["pandas"] = median(peer, env, args.repeat)
    duckdb = [sys.executable, str(HERE / "peer_duckdb.py"), "gaps", str(duck), chain]
    out["duckdb"] = median(duckdb, env, args.repeat)
    out["counts_equal"] = counts_equal(report, timed(duckdb, env)[1]) and \
        counts_equal(report, timed(peer, env)[1])
    if args.baseline:  # one run each; the first gaps builds the baseline's own cache
        old = _env(Path(args.baseline), cache / "baseline")
        out["gaps_first_baseline"] = timed(chainmap_args(db, "gaps", *base), old)[0]
        out["gaps_baseline"] = timed(chainmap_args(db, "gaps", *base), old)[0]
        out["targets_baseline"] = timed(chainmap_args(db, "targets", *base, "--product",
                                                      product), old)[0]
        out["metrics_baseline"] = timed(chainmap_args(db, "metrics", *base), old)[0]
        for name in ("anchor", "impact"):
            out[name + "_baseline"] = timed(chainmap_args(db, name, firm, "--home", HOME),
                                            old)[0]
    out["uptime_after"] = _uptime()
    db.unlink()
    return out


def floors(args: argparse.Namespace) -> dict:
    env = _env(TREE, Path(args.work) / "cache-floor")
    py = [sys.executable, "-P", "-c"]
    return {"python": median([*py, "pass"], env, args.repeat),
            "python_duckdb": median([*py, "import duckdb"], env, args.repeat),
            "python_pandas": median([*py, "import pandas"], env, args.repeat),
            "version": median([*py, CLI, "--version"], env, args.repeat),
            "help": median([*py, CLI, "--help"], env, args.repeat),
            **({"help_baseline": median([*py, CLI, "--help"], _env(
                Path(args.baseline), Path(args.work) / "cache-floor"), args.repeat)}
               if args.baseline else {})}


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def table(results: list[dict], fixed: dict) -> str:
    keys = [("gaps_first", "gaps, first after a change of the firms"), ("gaps", "gaps"),
            ("targets", "targets"), ("metrics", "metrics"), ("anchor", "anchor"),
            ("impact", "impact"),
            ("library", "first gaps call in a fresh Python (a notebook's first report)"),
            ("library_result", "the same, until the call returned (its exit left out)"),
            ("pandas", "pandas script (CSV)"), ("duckdb", "DuckDB peer (file)"),
            ("gaps_first_baseline", "gaps, first after a change of the firms, before (baseline)"),
            ("gaps_baseline", "gaps, before (baseline)"),
            ("targets_baseline", "targets, before (baseline)"),
            ("metrics_baseline", "metrics, before (baseline)"),
            ("anchor_baseline", "anchor, before (baseline)"),
            ("impact_baseline", "impact, before (baseline)")]
    head = "| s, median of runs | " + " | ".join(_label(r["firms"]) for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for key, name in keys:
        cells = []
        for r in results:
            v = r.get(key)
            cells.append("" if v is None else f"{v['median'] if isinstance(v, dict) else v:.2f}")
        if any(cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| CPU s of gaps (user + system) | " + " | ".join(
        f"{r['gaps'].get('cpu', float('nan')):.2f}" for r in results) + " |")
    lines.append("| gaps / DuckDB | " + " | ".join(
        f"{r['gaps']['median'] / r['duckdb']['median']:.2f}×" for r in results) + " |")
    lines.append("| counts equal | " + " | ".join(str(r["counts_equal"]) for r in results) + " |")
    lines.append("")
    lines.append("| whole process | s (median) |")
    lines.append("|---|---|")
    for key, name in (("python", "python -c pass"), ("python_duckdb", "python -c 'import duckdb'"),
                      ("python_pandas", "python -c 'import pandas'"),
                      ("version", "chainmap --version"), ("help", "chainmap --help"),
                      ("help_baseline", "chainmap --help, before (baseline)")):
        if key in fixed:
            lines.append(f"| {name} | {fixed[key]['median']:.3f} |")
    return "\n".join(lines)


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["firms"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, name, style in (("gaps", "chainmap gaps", "o-"), ("targets", "targets", "s-"),
                             ("metrics", "metrics", "^-"), ("anchor", "anchor", "v--"),
                             ("impact", "impact", "d--"),
                             ("gaps_first", "gaps, first after a change of the firms", "o:"),
                             ("library", "notebook: first gaps call", "*:"),
                             ("pandas", "pandas script", "x-"),
                             ("duckdb", "DuckDB peer", "+-")):
        ys = [r[key]["median"] if isinstance(r[key], dict) else r[key] for r in results]
        ax.plot(sizes, ys, style, label=name)
    ax.axhline(0.6, color="grey", lw=0.8, ls="--", label="target 0.6 s")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("firms")
    ax.set_ylabel("whole process, s (median)")
    ax.set_title("chainmap reports vs peers (issue 13)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def shared_options(parser: argparse.ArgumentParser, work: str) -> None:
    """The options every whole-process benchmark takes (``--work`` under ``.cache/WORK``)."""
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", default=str(HERE / ".cache" / work))
    parser.add_argument("--slow", type=float, default=5.0,
                        help="a command slower than this many seconds is run once")
    parser.add_argument("--baseline", help="another chainmap source tree, for 'before'")
    parser.add_argument("--json")


def prepare_trees(args: argparse.Namespace) -> None:
    """The work folder made, this tree and the baseline byte-compiled (as installed)."""
    Path(args.work).mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(str(TREE / "chainmap"), quiet=1)
    if args.baseline:
        compileall.compile_dir(str(Path(args.baseline) / "chainmap"), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    shared_options(parser, "reports")
    parser.add_argument("--png")
    args = parser.parse_args()
    prepare_trees(args)
    fixed = floors(args)
    results = []
    for n in map(_size, args.sizes.split(",")):
        results.append(measure(n, args))
        print(json.dumps(results[-1])[:300], file=sys.stderr)
    print(table(results, fixed))
    if args.json:
        Path(args.json).write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                      time.gmtime()),
                                               "floors": fixed, "sizes": results}, indent=1))
    if args.png:
        plot(results, Path(args.png))


if __name__ == "__main__":
    main()
