"""Benchmark: ``chainmap.intake.propose_links`` on 100,000 firms and 1,000 products.

The data is generated here, deterministically (``--seed``), in the shape of a registry
export: each firm has a 经营范围 of 3-6 clauses in the catalogue's phrasing (about 150
characters, "一般项目：" head and the closing boilerplate on most), a 主营产品 cell on most,
a 国标行业 on half; each product has a name, about 4 keywords (some in the catalogue's
"X制造" phrasing), exclude phrases on some and an industry code on some.

Three figures:

1. **propose_links**: wall time of the call on the frames (best of ``--repeat``);
2. **plain-Python floor**: for each firm, for each keyword, an ``in`` test over the
   firm's clauses and 主营产品 items (the clauses cut with ``str.split``, nothing else: no
   grading, no boilerplate, no exclude). It is too slow to run on every firm, so it runs
   on the first ``--floor-sample`` firms and is extrapolated linearly (it is linear in
   firms: every firm costs keywords x clauses tests);
3. the ratio floor / propose_links.

``propose_links`` scans and grades each distinct clause once (registry scopes repeat the
catalogue's phrasing); the script prints how many clauses are distinct. ``--distinct``
puts a number in front of every clause, so that no two are alike: the worst case.

Usage::

    python benchmarks/bench_classify.py                          # 100k firms, 1k products
    python benchmarks/bench_classify.py --distinct               # every clause unique
    python benchmarks/bench_classify.py --firms 20000 --floor-sample 1000 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the worktree's chainmap

from chainmap.intake import propose_links, split_clauses  # noqa: E402

PREFIXES = [
    "伺服", "高精度", "工业", "智能", "数控", "新能源", "高压", "微型", "精密", "特种", "医用",
    "车载", "光伏", "锂电", "半导体", "液压", "气动", "柔性", "超薄", "电子级", "节能", "防爆",
    "无人", "激光", "高速", "耐高温", "纳米", "复合", "大功率", "便携式", "嵌入式", "模块化",
]
CORES = [
    "电机", "驱动器", "减速器", "控制器", "传感器", "机器人", "压缩机", "换热器", "电池", "隔膜",
    "电解液", "正极材料", "负极材料", "逆变器", "硅片", "电池片", "组件", "芯片", "显示屏",
    "电容器", "电阻器", "连接器", "线束", "轴承", "齿轮", "阀门", "泵", "风机", "变压器",
    "开关柜", "机床", "刀具", "模具", "铸件", "锻件", "钢板", "铝型材", "铜箔", "光纤", "光模块",
    "天线", "滤波器", "功率器件", "继电器", "电源", "充电桩", "储能系统", "电驱系统", "底盘",
    "车身", "座椅", "轮胎", "玻璃", "涂料", "胶黏剂", "树脂", "薄膜", "纤维", "陶瓷", "磁材",
]
SUFFIXES = ["总成", "模组", "组件", "部件", "装置", "设备", "系统", "材料"]
MAKE = ["制造", "生产", "加工", "研发、生产", "组装"]
TRADE = ["销售", "批发", "维修", "技术服务", "进出口", "安装"]
FILLER = [
    "五金产品批发", "五金产品零售", "机械设备销售", "货物进出口", "技术进出口", "金属材料销售",
    "普通机械设备安装服务", "电子元器件制造", "塑料制品销售", "日用百货销售", "办公用品销售",
    "信息咨询服务（不含许可类信息咨询服务）", "企业管理咨询", "非居住房地产租赁",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "通用设备修理",
    "专用设备修理", "建筑材料销售", "化工产品销售（不含许可类化工产品）", "包装材料及制品销售",
    "国内贸易代理", "供应链管理服务", "软件开发", "计算机系统服务", "劳务服务（不含劳务派遣）",
    "仪器仪表销售", "电气设备修理", "机械零件、零部件加工", "金属制品研发", "模具制造",
    "工业自动控制系统装置制造", "工业自动控制系统装置销售", "智能仪器仪表制造",
    "电子专用材料研发", "新材料技术研发", "工程和技术研究和试验发展", "物料搬运装备制造",
    "通用零部件制造", "金属切削加工服务", "电机及其控制系统研发", "输配电及控制设备制造",
    "智能输配电及控制设备销售", "合成材料销售", "新型膜材料销售", "环境保护专用设备制造",
    "人工智能应用软件开发", "物联网技术服务", "再生资源回收（除生产性废旧金属）",
]
HEADS = ["一般项目：", "", "一般项目：", "一般项目："]
TAIL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
LICENSED = "许可项目：道路货物运输（不含危险货物）（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以审批结果为准）"  # noqa: E501
CODES = [f"{major}{minor}{small}" for major in range(26, 42) for minor in range(1, 6)
         for small in range(1, 5)]  # 320 codes of manufacturing (C26-C41)


def make_products(n: int, rng: random.Random) -> tuple[pd.DataFrame, list[str]]:
    """``n`` products of about 4 keywords each, all keywords distinct."""
    rows, used = [], set()
    pool = [(p, c) for p in PREFIXES for c in CORES]
    rng.shuffle(pool)
    for i in range(n):
        prefix, core = pool[i % len(pool)]
        name = prefix + core if i < len(pool) else f"{prefix}{core}{SUFFIXES[i // len(pool)]}"
        words = [name, name + rng.choice(SUFFIXES), rng.choice(PREFIXES) + name,
                 name + "制造" if rng.random() < 0.3 else name + rng.choice(SUFFIXES)]
        keywords = []
        for word in words[1:]:
            if word not in used and word != name:
                used.add(word)
                keywords.append(word)
        exclude = f"玩具{name}" if rng.random() < 0.1 else ""
        industries = rng.choice(CODES) if rng.random() < 0.3 else ""
        rows.append((f"p{i:04d}", name, ";".join(keywords), exclude, industries))
    products = pd.DataFrame(rows, columns=["id", "name", "keywords", "exclude", "industries"])
    keywords = sorted({w for r in rows for w in [r[1], *r[2].split(";")] if w})
    return products, keywords


def make_firms(n: int, names: list[str], rng: random.Random,
               distinct: bool = False) -> pd.DataFrame:
    """``n`` firms shaped like a registry export; with ``distinct``, every clause of every
    firm is made unique (a number in front), the worst case for the clause cache."""
    ids, mains, scopes, industries = [], [], [], []
    for i in range(n):
        clauses = []
        for _ in range(rng.choice([1, 1, 2])):
            verb = rng.choice(MAKE) if rng.random() < 0.5 else rng.choice(TRADE)
            clauses.append("、".join(rng.sample(names, rng.choice([1, 1, 2]))) + verb)
        for _ in range(rng.randint(3, 6) - len(clauses)):
            clauses.append("、".join(rng.sample(FILLER, rng.choice([1, 2, 3, 4]))))
        rng.shuffle(clauses)
        if distinct:
            clauses = [f"{i}{k}{c}" for k, c in enumerate(clauses)]
        scope = rng.choice(HEADS) + "；".join(clauses)
        if rng.random() < 0.8:
            scope += TAIL
        if rng.random() < 0.1:
            scope += LICENSED
        ids.append(f"F{i:06d}")
        scopes.append(scope)
        mains.append("、".join(rng.sample(names, rng.randint(1, 3))) if rng.random() < 0.6
                     else "")
        industries.append(f"C{rng.choice(CODES)}" if rng.random() < 0.5 else "")
    return pd.DataFrame({"id": ids, "main_products": mains, "scope": scopes,
                         "industry": industries})


def floor(firms: pd.DataFrame, keywords: list[str]) -> int:
    """The plain-Python keyword loop: for each firm, for each keyword, ``in`` over its
    clauses. Returns the number of (firm, keyword) hits."""
    found = 0
    for main, scope in zip(firms["main_products"].tolist(), firms["scope"].tolist()):
        clauses = scope.replace("。", "；").split("；") + main.split("、")
        for keyword in keywords:
            for clause in clauses:
                if keyword in clause:
                    found += 1
                    break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--floor-sample", type=int, default=2_000)
    parser.add_argument("--distinct", action="store_true",
                        help="make every clause unique (worst case for the clause cache)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    products, keywords = make_products(args.products, rng)
    firms = make_firms(args.firms, products["name"].tolist() + keywords[::7], rng,
                       args.distinct)
    generated = time.perf_counter() - t0
    scope_chars = firms["scope"].str.len().mean()
    every = [c for s in firms["scope"] for c in split_clauses(s)]
    clauses, distinct = len(every) / len(firms), len(set(every))

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        links = propose_links(products, firms)
        times.append(time.perf_counter() - t0)
    best = min(times)

    sample = firms.head(min(args.floor_sample, len(firms)))
    t0 = time.perf_counter()
    hits = floor(sample, keywords)
    floor_sample = time.perf_counter() - t0
    floor_all = floor_sample * len(firms) / len(sample)

    print(f"python {platform.python_version()}, pandas {pd.__version__}, "
          f"{os.cpu_count()} CPUs; generated in {generated:.1f} s")
    print(f"{len(firms):,} firms (scope {scope_chars:.0f} chars, {clauses:.1f} clauses), "
          f"{len(products):,} products, {len(keywords):,} words "
          f"(names + keywords); {distinct:,} distinct clauses of {len(every):,}")
    print(f"links proposed: {len(links):,} "
          + ", ".join(f"{k} {v:,}" for k, v in links["evidence"].value_counts().items()))
    print()
    print("| step | firms | seconds |")
    print("|---|---|---|")
    print(f"| propose_links (best of {args.repeat}: "
          + ", ".join(f"{t:.2f}" for t in times) + f") | {len(firms):,} | {best:.2f} |")
    print(f"| plain-Python floor, measured | {len(sample):,} | {floor_sample:.2f} |")
    print(f"| plain-Python floor, extrapolated | {len(firms):,} | {floor_all:.1f} |")
    print()
    print(f"floor / propose_links: {floor_all / best:.1f}x "
          f"(floor found {hits:,} firm-keyword hits in its sample)")


if __name__ == "__main__":
    main()
