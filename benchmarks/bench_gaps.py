"""Benchmark: import and gap report on synthetic datasets of 10k, 100k and 1M firms.

For each size, in one run:

1. generate the dataset with :func:`chainmap.synth.synth` (or reuse the cached copy);
2. import it into a fresh SQLite workspace in a child process: wall time and peak RSS
   (``resource.getrusage``) of that process;
3. in another fresh child process, run ``chainmap.gaps(ws, chain, home=当涂县)`` on the
   chain with the most products: cold (the first call, which also loads the tables
   from SQLite) and warm (median of ``--repeat`` calls), and beside it the "pandas
   floor": a minimal pandas group-by over the same frames computing the same counts
   (local producers, local demand and candidates per product of the chain), timed
   the same way. The floor's counts are checked against the report's.

Usage::

    python benchmarks/bench_gaps.py                      # 10k, 100k, 1M
    python benchmarks/bench_gaps.py --sizes 10k,100k --repeat 7 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = "安徽省/马鞍山市/当涂县"
HOME_CODE = "340521"
TARGET_PROVINCES = ["310000", "320000", "330000"]  # 苏浙沪, the default targets
HERE = Path(__file__).resolve().parent


def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else \
        f"{n // 1_000}k" if n % 1_000 == 0 else str(n)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# -- child processes -----------------------------------------------------------------
def child_import(dataset: str, db: str) -> dict:
    import chainmap

    base = _peak_rss_mb()
    ws = chainmap.open(db)
    start = time.perf_counter()
    result = chainmap.import_dataset(ws, dataset)
    seconds = time.perf_counter() - start
    ws.close()
    return {"seconds": seconds, "peak_rss_mb": _peak_rss_mb(), "rss_before_mb": base,
            "rows": result.rows}


def pandas_floor(t: dict, chain: str, home_code: str, targets: list[str]):
    """The same counts as the gap report, as plainly as pandas allows."""
    pc, companies, caps, inputs = (t["product_chains"], t["companies"], t["capabilities"],
                                   t["inputs"])
    products = pc.loc[pc["chain_id"] == chain, "product_id"].unique()
    local = (companies["region_code"] == home_code).to_numpy()
    local_ids = companies.loc[local, "id"]
    target_ids = companies.loc[~local & companies["province_code"].isin(targets).to_numpy(),
                               "id"]
    caps_local = caps[caps["company_id"].isin(local_ids)]
    producers = caps_local[caps_local["product_id"].isin(products)] \
        .groupby("product_id")["company_id"].nunique()
    edges = inputs[inputs["upstream"].isin(products)]
    demand = edges.merge(caps_local, left_on="downstream", right_on="product_id") \
        .groupby("upstream")["company_id"].nunique()
    candidates = caps[caps["product_id"].isin(products) & caps["company_id"].isin(target_ids)] \
        .groupby("product_id").size()
    return products, producers, demand, candidates


def child_gaps(db: str, repeat: int) -> dict:
    import chainmap

    ws = chainmap.open(db)
    pc = ws.store.table("product_chains")
    sizes = pc.groupby("chain_id").size()
    chain = sorted(sizes[sizes == sizes.max()].index)[0]

    start = time.perf_counter()
    report = chainmap.gaps(ws, chain, home=HOME)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = chainmap.gaps(ws, chain, home=HOME)
        warm.append(time.perf_counter() - start)

    t = ws.tables()
    start = time.perf_counter()
    pandas_floor(t, chain, HOME_CODE, TARGET_PROVINCES)
    floor_cold = time.perf_counter() - start
    floor = []
    for _ in range(repeat):
        start = time.perf_counter()
        products, producers, demand, candidates = pandas_floor(t, chain, HOME_CODE,
                                                               TARGET_PROVINCES)
        floor.append(time.perf_counter() - start)

    r = report.set_index("product")
    same = (
        sorted(r.index) == sorted(products)
        and (r["local_producers"] == producers.reindex(r.index).fillna(0)).all()
        and (r["local_demand"] == demand.reindex(r.index).fillna(0)).all()
        and (r["n_candidates"] == candidates.reindex(r.index).fillna(0)).all()
    )
    return {"chain": chain, "chain_products": int(sizes.max()), "cold": cold,
            "warm": statistics.median(warm), "warm_all": warm, "floor_cold": floor_cold,
            "floor": statistics.median(floor), "floor_all": floor, "same_counts": bool(same),
            "status": report["status"].value_counts().to_dict(),
            "peak_rss_mb": _peak_rss_mb()}


def _child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {args[0]} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- driver ----------------------------------------------------------------------------
def dataset_for(n: int, products: int, seed: int, cache: Path) -> tuple[Path, float | None]:
    """The cached dataset folder for ``n`` firms (made if missing) and the seconds taken."""
    folder = cache / f"synth-{_label(n)}-p{products}-s{seed}"
    marker = folder / ".complete"
    if marker.exists():
        return folder, None
    from chainmap.synth import synth

    start = time.perf_counter()
    synth(folder, firms=n, products=products, seed=seed)
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps({"seconds": seconds}))
    return folder, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M",
                    help="comma-separated firm counts, e.g. 10k,100k,1M (default)")
    ap.add_argument("--products", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5, help="warm runs (median), at least 5")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache",
                    help="where generated datasets are kept between runs")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    sizes = [_size(s) for s in args.sizes.split(",") if s.strip()]
    repeat = max(5, args.repeat)
    args.cache.mkdir(parents=True, exist_ok=True)

    rows = []
    for n in sizes:
        folder, made = dataset_for(n, args.products, args.seed, args.cache)
        print(f"[{_label(n)}] dataset {folder} "
              f"({f'generated in {made:.1f} s' if made is not None else 'cached'})",
              file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="chainmap-bench-") as tmp:
            db = os.path.join(tmp, "ws.db")
            imp = _child("_import", str(folder), db)
            print(f"[{_label(n)}] import {imp['seconds']:.2f} s, "
                  f"peak RSS {imp['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
            gap = _child("_gaps", db, str(repeat))
            print(f"[{_label(n)}] gaps cold {gap['cold']:.3f} s, warm {gap['warm']:.3f} s, "
                  f"floor {gap['floor']:.3f} s", file=sys.stderr, flush=True)
        rows.append({"firms": n, "generate_s": made, "import": imp, "gaps": gap})

    head = ("| firms | import s | import peak RSS MB | chain (products) | gaps cold s "
            "| gaps warm s | pandas floor s | warm / floor | counts equal |")
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for r in rows:
        g, i = r["gaps"], r["import"]
        print(f"| {_label(r['firms'])} | {i['seconds']:.2f} | {i['peak_rss_mb']:.0f} "
              f"| {g['chain']} ({g['chain_products']}) | {g['cold']:.3f} | {g['warm']:.3f} "
              f"| {g['floor']:.3f} | {g['warm'] / g['floor']:.1f}× | {g['same_counts']} |")
    if args.json:
        meta = {"python": platform.python_version(), "cpus": os.cpu_count(),
                "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2,
                                        ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_import":
        print(json.dumps(child_import(sys.argv[2], sys.argv[3])))
    elif len(sys.argv) > 1 and sys.argv[1] == "_gaps":
        print(json.dumps(child_gaps(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
