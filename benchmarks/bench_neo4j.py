"""Benchmark: push to Neo4j and the server-side gap report, beside the embedded store.

For each size (default 100k and 1M synthetic firms, cached by bench_gaps.py's layout):
import into a fresh SQLite workspace, push it to the Neo4j server in ``$NEO4J_URI``
(cleared first), then time ``chainmap.gaps`` on Neo4j (computed by cypher/gaps.cypher)
cold and warm (median of ``--repeat``) beside the same report on SQLite (warm median).
The two reports are checked to be equal.

Start a server first, with heap for the 1M push, e.g.::

    NEO4J_TEST_HEAP=4g bash tests/neo4j_server/neo4j-test-server.sh start 7687
    NEO4J_URI=bolt://127.0.0.1:7687 python benchmarks/bench_neo4j.py --sizes 100k,1M
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_gaps import HOME, _label, _size, dataset_for  # noqa: E402


def run(n: int, products: int, seed: int, cache: Path, repeat: int) -> dict:
    import pandas as pd

    import chainmap
    from chainmap.store.neo4j import Neo4jStore

    folder, _ = dataset_for(n, products, seed, cache)
    with tempfile.TemporaryDirectory() as tmp:
        ws = chainmap.open(Path(tmp) / "bench.db")
        t = time.perf_counter()
        chainmap.import_dataset(ws, folder)
        import_s = time.perf_counter() - t
        store = Neo4jStore(os.environ["NEO4J_URI"])
        store.clear()
        t = time.perf_counter()
        chainmap.push(ws, store)
        push_s = time.perf_counter() - t
        pc = ws.table("product_chains")
        chain = pc.groupby("chain_id").size().idxmax()
        graph_ws = chainmap.Workspace(store)
        t = time.perf_counter()
        got = chainmap.gaps(graph_ws, chain, home=HOME)
        neo_cold = time.perf_counter() - t
        neo_warm = []
        for _ in range(repeat):
            t = time.perf_counter()
            chainmap.gaps(graph_ws, chain, home=HOME)
            neo_warm.append(time.perf_counter() - t)
        expected = chainmap.gaps(ws, chain, home=HOME)
        sql_warm = []
        for _ in range(repeat):
            t = time.perf_counter()
            chainmap.gaps(ws, chain, home=HOME)
            sql_warm.append(time.perf_counter() - t)
        pd.testing.assert_frame_equal(got, expected)
        ws.close()
        store.close()
    return {"firms": _label(n), "chain": chain, "import_s": import_s, "push_s": push_s,
            "neo4j_gaps_cold_s": neo_cold, "neo4j_gaps_warm_s": statistics.median(neo_warm),
            "sqlite_gaps_warm_s": statistics.median(sql_warm)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--products", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parent / ".cache")
    args = ap.parse_args()
    if not os.environ.get("NEO4J_URI"):
        sys.exit("set NEO4J_URI (see the module docstring)")
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{'firms':>6} {'import s':>9} {'push s':>8} {'neo4j cold':>11} {'neo4j warm':>11} "
          f"{'sqlite warm':>12} {'ratio':>6}")
    for size in args.sizes.split(","):
        r = run(_size(size), args.products, args.seed, args.cache, args.repeat)
        ratio = r["neo4j_gaps_warm_s"] / r["sqlite_gaps_warm_s"]
        print(f"{r['firms']:>6} {r['import_s']:>9.1f} {r['push_s']:>8.1f} "
              f"{r['neo4j_gaps_cold_s']:>11.2f} {r['neo4j_gaps_warm_s']:>11.2f} "
              f"{r['sqlite_gaps_warm_s']:>12.2f} {ratio:>6.1f}", flush=True)


if __name__ == "__main__":
    main()
