"""Benchmark: firm intake as whole library calls on a workspace.

1. ``chainmap.import_firms`` of a 100,000-row registry export (CSV, UTF-8): 企业名称,
   统一社会信用代码 (valid), 登记状态 (5% 注销/吊销), 注册资本 ("500万"), 成立日期, the region as
   所属省份/城市/区县 on 80% of rows and only as 企业地址 on the rest, 国标行业, 参保人数,
   主营产品 and 经营范围 (the registry-shaped text of ``bench_classify.py``). Each run
   imports into a fresh workspace holding the chain (all firms new); a second figure
   re-imports the same file (the refresh path: every firm matched and updated).
2. ``chainmap.classify`` of those 100,000 firms against 1,000 products' keywords (the
   products of ``bench_classify.py``, imported as a chain): proposing, dropping decided
   pairs and storing the suggestions. The first run inserts them; later runs refresh
   them.
3. The plain-Python keyword floor of ``bench_classify.py`` (a loop per keyword over each
   firm's clauses), on ``--floor-sample`` firms, extrapolated to all.

Target: each of 1 and 2 within 15 s on the 2-core machine.

Usage::

    python benchmarks/bench_intake.py                 # 100k firms, 1k products, 3 runs
    python benchmarks/bench_intake.py --firms 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the worktree's chainmap
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_classify import floor, make_firms, make_products  # noqa: E402

import chainmap  # noqa: E402

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PLACES = [("安徽省", "马鞍山市", "当涂县"), ("安徽省", "芜湖市", "鸠江区"),
           ("江苏省", "苏州市", "吴江区"), ("浙江省", "湖州市", "长兴县"),
           ("上海市", "上海市", "嘉定区"), ("江苏省", "无锡市", "新吴区")]


def uscc(i: int) -> str:
    """A valid USCC (GB 32100-2015 check digit) numbered ``i``."""
    body = "91340521MA" + "".join(_ALPHABET[(i // 31 ** k) % 31] for k in range(7))
    total = sum(_ALPHABET.index(c) * w for c, w in zip(body, _WEIGHTS))
    return body + _ALPHABET[(31 - total % 31) % 31]


def write_chain(folder: Path, products) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chains.csv").write_text("id,name\nbench,基准链\n", encoding="utf-8")
    frame = products.assign(chains="bench", tier="midstream")
    frame.to_csv(folder / "products.csv", index=False)
    (folder / "companies.csv").write_text(
        "id,name,province,city,district\nseed,种子企业有限公司,安徽省,马鞍山市,当涂县\n",
        encoding="utf-8",
    )


def write_registry(path: Path, firms, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["企业名称", "统一社会信用代码", "登记状态", "注册资本", "成立日期",
                      "所属省份", "所属城市", "所属区县", "企业地址", "国标行业", "参保人数",
                      "主营产品", "经营范围"])
        for i, (main, scope, industry) in enumerate(zip(
                firms["main_products"], firms["scope"], firms["industry"])):
            p, c, d = _PLACES[i % len(_PLACES)]
            address = f"{p}{c}{d}工业园{i % 500}号"
            only_address = rng.random() < 0.2
            out.writerow([
                f"基准{i:06d}科技有限公司", uscc(i),
                rng.choice(("注销", "吊销，未注销")) if rng.random() < 0.05 else "存续",
                f"{rng.randint(1, 9000)}万",
                f"20{rng.randint(0, 25):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "" if only_address else p, "" if only_address else c,
                "" if only_address else d, address, industry, f"{rng.randint(0, 900)}人",
                main, scope])


def cli_seconds(db: Path, *args: str) -> float:
    """Wall time of one whole ``chainmap --db DB ...`` process (this tree's code)."""
    root = Path(__file__).resolve().parents[1]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from chainmap.cli import run; "
                    "sys.argv[0] = 'chainmap'; run()", "--db", str(db), *args],
                   cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--floor-sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    products, keywords = make_products(args.products, rng)
    firms = make_firms(args.firms, products["name"].tolist(), rng)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_chain(root / "chain", products)
        registry = root / "registry.csv"
        write_registry(registry, firms, rng)
        print(f"{args.firms:,} firms ({registry.stat().st_size / 1e6:.0f} MB CSV), "
              f"{args.products:,} products, {len(keywords):,} keywords; "
              f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        imports, refreshes, classifies = [], [], []
        ws = None
        for run in range(args.repeat):
            if ws is not None:
                ws.close()
            ws = chainmap.open(root / f"ws{run}.db")
            chainmap.import_dataset(ws, root / "chain")
            t = time.perf_counter()
            result = chainmap.import_firms(ws, registry, as_of="2026-11-01")
            imports.append(time.perf_counter() - t)
            print(f"import_firms: {imports[-1]:.2f} s  ({result})")
        assert ws is not None
        t = time.perf_counter()
        result = chainmap.import_firms(ws, registry, as_of="2026-11-02")
        refreshes.append(time.perf_counter() - t)
        print(f"import_firms again (refresh): {refreshes[-1]:.2f} s  ({result})")
        for run in range(args.repeat):
            t = time.perf_counter()
            found = chainmap.classify(ws)
            classifies.append(time.perf_counter() - t)
            grades = found["evidence"].value_counts().to_dict()
            print(f"classify{' (first: inserts)' if run == 0 else ' (refresh)'}: "
                  f"{classifies[-1]:.2f} s  ({len(found):,} suggestions {grades})")
        ws.close()
        # as a user meets them: each command a whole new process on a fresh workspace
        db = root / "cli.db"
        chainmap.import_dataset(chainmap.open(db), root / "chain")
        cli_import = cli_seconds(db, "firms", "import", str(registry), "--as-of", "2026-11-01")
        cli_classify = cli_seconds(db, "classify", "--format", "csv", "-o",
                                   str(root / "review.csv"))
        print(f"whole process: chainmap firms import {cli_import:.2f} s, "
              f"chainmap classify {cli_classify:.2f} s")
    sample = firms.head(args.floor_sample)
    t = time.perf_counter()
    floor(sample, keywords)
    per_firm = (time.perf_counter() - t) / len(sample)
    print(f"plain-Python keyword floor: {per_firm * args.firms:.1f} s for {args.firms:,} "
          f"firms (extrapolated from {len(sample):,})")
    print(f"medians: import_firms {statistics.median(imports):.2f} s, classify "
          f"{statistics.median(classifies):.2f} s (first {classifies[0]:.2f} s), "
          f"floor {per_firm * args.firms:.1f} s")


if __name__ == "__main__":
    main()
