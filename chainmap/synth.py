"""Synthetic datasets for tests and benchmarks: realistic shape, any size, deterministic.

:func:`synth` writes a folder of UTF-8 CSV files in the chainmap dataset format
(``chains``, ``products``, ``inputs``, ``companies``, ``capabilities``, ``supplies``)
that imports with :func:`chainmap.import_dataset`. Everything in it is invented.

Examples
--------
>>> import tempfile, chainmap
>>> from chainmap.synth import synth
>>> folder = tempfile.mkdtemp()
>>> rows = synth(folder, firms=500, products=60, seed=1)
>>> rows["companies"], rows["chains"]
(500, 1)
>>> ws = chainmap.open(":memory:")
>>> chainmap.import_dataset(ws, folder).rows["companies"]
500
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from stdnum.cn import uscc as _uscc

from . import regions
from .errors import ArgumentError
from .i18n import _

__all__ = ["HOME_CODE", "synth"]

#: The home zone the synthetic data is built around: 安徽省/马鞍山市/当涂县.
HOME_CODE = "340521"

_CHAINS = [
    ("智能家电", "Smart appliances"), ("新能源汽车", "New-energy vehicles"),
    ("生物医药", "Biomedicine"), ("集成电路", "Integrated circuits"),
    ("高端装备", "High-end equipment"), ("新材料", "Advanced materials"),
    ("光伏", "Photovoltaics"), ("锂电池", "Lithium batteries"),
    ("智慧物流", "Smart logistics"), ("节能环保", "Energy saving"),
    ("绿色食品", "Green food"), ("航空航天", "Aerospace"), ("机器人", "Robotics"),
    ("医疗器械", "Medical devices"), ("氢能", "Hydrogen"), ("储能", "Energy storage"),
    ("纺织服装", "Textiles"), ("化工新材料", "Chemical materials"),
    ("软件和信息服务", "Software"), ("轨道交通", "Rail transit"),
]
_TIERS = ("upstream", "midstream", "downstream")
# (Chinese, English) word pools for product names, per tier: prefix x core
_PRODUCT_WORDS = {
    "upstream": (
        [("高纯", "high-purity "), ("再生", "recycled "), ("特种", "special "),
         ("超薄", "ultra-thin "), ("电子级", "electronic-grade "), ("改性", "modified ")],
        [("铜管", "copper tube"), ("铝箔", "aluminium foil"), ("钢板", "steel sheet"),
         ("硅片", "silicon wafer"), ("碳酸锂", "lithium carbonate"), ("稀土", "rare earth"),
         ("树脂", "resin"), ("玻璃纤维", "glass fibre"), ("石墨", "graphite"),
         ("电解液", "electrolyte"), ("塑料粒子", "plastic pellets"), ("钛合金", "titanium alloy"),
         ("橡胶", "rubber"), ("化学原料药", "API"), ("聚酰亚胺", "polyimide"),
         ("磁材", "magnetic material"), ("胶黏剂", "adhesive"), ("涂料", "coating")]),
    "midstream": (
        [("精密", "precision "), ("微型", "micro "), ("高压", "high-voltage "),
         ("智能", "smart "), ("变频", "inverter "), ("伺服", "servo ")],
        [("电机", "motor"), ("传感器", "sensor"), ("控制器", "controller"), ("阀门", "valve"),
         ("压缩机", "compressor"), ("电容器", "capacitor"), ("轴承", "bearing"),
         ("芯片", "chip"), ("电池模组", "battery module"), ("线束", "wire harness"),
         ("换热器", "heat exchanger"), ("减速器", "reducer"), ("显示模组", "display module"),
         ("逆变器", "inverter unit"), ("泵", "pump"), ("制剂", "formulation"),
         ("齿轮", "gear"), ("电路板", "circuit board")]),
    "downstream": (
        [("家用", "household "), ("工业", "industrial "), ("商用", "commercial "),
         ("车载", "vehicle "), ("医用", "medical "), ("冷链", "cold-chain ")],
        [("空调整机", "air conditioner"), ("机器人", "robot"), ("储能系统", "storage system"),
         ("整车", "vehicle"), ("冰箱", "refrigerator"), ("光伏组件", "PV module"),
         ("诊断设备", "diagnostic device"), ("仓储系统", "warehouse system"),
         ("无人机", "drone"), ("电池包", "battery pack"), ("创新药", "innovative drug"),
         ("服务器", "server"), ("机床", "machine tool"), ("洗衣机", "washing machine"),
         ("充电桩", "charging pile"), ("医疗影像设备", "imaging system"),
         ("电动工具", "power tool"), ("物流车", "logistics vehicle")]),
}
_BRAND = list("恒瑞华天宏鑫泰通达新源盛安德联科创中兴利合力宝金信丰凯博锐远航晟昌"
              "明益永嘉伟辰汇海泽峰诚启智星光瑞祥润和嘉隆")
_TRADE = ["精密机械", "电子科技", "新材料", "智能装备", "电气", "汽车零部件", "制冷设备",
          "生物科技", "化工", "光电", "机电", "金属制品", "医疗器械", "能源科技", "塑业",
          "供应链", "动力科技", "传感技术", "半导体", "环保科技"]
_SUFFIX = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
_USCC_ALPHABET = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))



def _unique_bodies(bodies: list[str]) -> list[str]:
    """``bodies`` (USCCs without their check digit) with repeats made unique.

    Random organisation codes repeat now and then among a million firms, and an import
    refuses a USCC held by two firms. A repeat's last characters are stepped through the
    alphabet until the code is new, so every other firm keeps its code for the seed.
    """
    seen: set[str] = set()
    out = []
    letters = "".join(_USCC_ALPHABET.tolist())
    for body in bodies:
        step = 0
        while body in seen:
            step += 1
            tail, k = "", step
            for _digit in range(3):
                tail = letters[k % 31] + tail
                k //= 31
            body = body[:-3] + tail
        seen.add(body)
        out.append(body)
    return out

def synth(outdir: str | os.PathLike, firms: int = 10_000, products: int = 300,
          seed: int = 0) -> dict[str, int]:
    """Write a synthetic dataset (a folder of UTF-8 CSV files) to ``outdir``.

    The data look like a province-scale enterprise database around the home zone
    安徽省/马鞍山市/当涂县 (:data:`HOME_CODE`): chains of products in three tiers
    joined by input edges (with a few recycling loops), firms all over China with
    苏浙沪 (上海市, 江苏省, 浙江省) heavy (about 45 %) and 安徽省 about 15 %, valid
    USCCs, skewed sizes, capabilities with skewed product popularity and known
    supply relationships. The home zone has a realistic gap picture: some products
    of every chain are made by no local firm (缺链), some by exactly one (弱链).

    Parameters
    ----------
    outdir
        Folder to write into (created if missing; existing files of the same names
        are replaced).
    firms
        Number of companies (at least 1).
    products
        Number of products (at least 3: one per tier); about one chain per 60.
    seed
        Seed of the random generator: the same arguments give the same files.

    Returns
    -------
    dict[str, int]
        Rows written per table (``chains``, ``products``, ``inputs``, ``companies``,
        ``capabilities``, ``supplies``).

    Raises
    ------
    ChainmapError
        When ``firms`` or ``products`` is too small, or ``outdir`` is a file.
    """
    firms, products, seed = int(firms), int(products), int(seed)
    if firms < 1:
        raise ArgumentError(_("firms= must be at least 1, not {firms}").format(firms=firms),
                            parameter="firms")
    if products < 3:
        raise ArgumentError(_("products= must be at least 3 (one per tier), not {products}"
                              ).format(products=products), parameter="products")
    if seed < 0:
        raise ArgumentError(_("seed= must be at least 0, not {seed}").format(seed=seed),
                            parameter="seed")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise ArgumentError(_("{path} is a file, not a folder").format(path=out))
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    chains = _chains(max(1, round(products / 60)))
    prods, tier, primary = _products(rng, products, chains)
    inputs = _inputs(rng, tier, primary)
    comp, local = _companies(rng, firms)
    caps = _capabilities(rng, firms, products, local)
    supplies = _supplies(rng, caps, inputs, products)

    pid = prods["id"].to_numpy()
    cid = comp["id"].to_numpy()
    tables = {
        "chains": chains,
        "products": prods,
        "inputs": pd.DataFrame({"upstream": pid[inputs[:, 0]], "downstream": pid[inputs[:, 1]]}),
        "companies": comp,
        "capabilities": pd.DataFrame({"company": cid[caps[:, 0]], "product": pid[caps[:, 1]]}),
        "supplies": pd.DataFrame({"supplier": cid[supplies[:, 0]],
                                  "customer": cid[supplies[:, 1]],
                                  "product": pid[supplies[:, 2]]}),
    }
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    return {name: len(frame) for name, frame in tables.items()}


def _chains(n: int) -> pd.DataFrame:
    names, names_en = [], []
    for i in range(n):
        zh, en = _CHAINS[i % len(_CHAINS)]
        lap = i // len(_CHAINS)
        names.append(zh if not lap else f"{zh}{lap + 1}")
        names_en.append(en if not lap else f"{en} {lap + 1}")
    return pd.DataFrame({"id": [f"chain-{i + 1:03d}" for i in range(n)],
                         "name": names, "name_en": names_en})


def _products(rng: np.random.Generator, n: int,
              chains: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Products in tier order (about 30 % upstream, 40 % midstream, 30 % downstream)."""
    n_up = max(1, round(n * 0.3))
    n_down = max(1, round(n * 0.3))
    n_mid = n - n_up - n_down
    if n_mid < 1:
        n_mid, n_up = 1, n - n_down - 1
    tier = np.repeat(np.arange(3), [n_up, n_mid, n_down])
    n_chains = len(chains)
    primary = rng.integers(0, n_chains, n)
    second = rng.integers(0, n_chains, n)
    two = (rng.random(n) < 0.25) & (second != primary)
    ids = chains["id"].to_numpy()
    chain_cells = [ids[p] + (";" + ids[s] if t else "")
                   for p, s, t in zip(primary.tolist(), second.tolist(), two.tolist())]
    names: list[str] = []
    names_en: list[str] = []
    counter: dict[int, int] = {}
    for t in tier.tolist():
        prefixes, cores = _PRODUCT_WORDS[_TIERS[t]]
        k = counter.get(t, 0)
        counter[t] = k + 1
        (pz, pe), (cz, ce) = prefixes[k % len(prefixes)], cores[(k // len(prefixes)) % len(cores)]
        lap = k // (len(prefixes) * len(cores))
        names.append(pz + cz + (f"（{lap + 1}型）" if lap else ""))
        names_en.append(pe + ce + (f" (type {lap + 1})" if lap else ""))
    width = max(4, len(str(n)))
    frame = pd.DataFrame({"id": [f"p{i + 1:0{width}d}" for i in range(n)], "name": names,
                          "name_en": names_en, "chains": chain_cells,
                          "tier": [_TIERS[t] for t in tier.tolist()]})
    return frame, tier, primary


def _inputs(rng: np.random.Generator, tier: np.ndarray, primary: np.ndarray) -> np.ndarray:
    """Edges (upstream index, downstream index): a layered DAG plus recycling loops."""
    by_tier = [np.flatnonzero(tier == t) for t in range(3)]
    edges: list[tuple[int, int]] = []
    for down in range(len(tier)):
        t = int(tier[down])
        if t == 0:  # some raw materials are refined from other raw materials
            earlier = by_tier[0][by_tier[0] < down]
            if len(earlier) and rng.random() < 0.2:
                edges.append((int(rng.choice(earlier)), down))
            continue
        pool = by_tier[t - 1]
        same = pool[primary[pool] == primary[down]]
        k = min(len(pool), 2 + int(rng.poisson(1.0)))
        for _edge in range(k):
            src = same if len(same) and rng.random() < 0.75 else pool
            edges.append((int(rng.choice(src)), down))
        if t == 2 and rng.random() < 0.3:  # a downstream product using a raw material
            edges.append((int(rng.choice(by_tier[0])), down))
    edges_arr = np.unique(np.array(edges, dtype=np.int64).reshape(-1, 2), axis=0)
    # recycling: downstream -> one of its upstream ancestors (battery pack -> lithium)
    ins: dict[int, list[int]] = {}
    for u, d in edges_arr.tolist():
        ins.setdefault(d, []).append(u)
    back = []
    downs = by_tier[2]
    for d in rng.choice(downs, size=min(len(downs), max(2, len(tier) // 50)), replace=False):
        mids = [m for m in ins.get(int(d), []) if tier[m] == 1]
        if not mids:
            continue
        ups = ins.get(int(rng.choice(mids)), [])
        if ups:
            back.append((int(d), int(rng.choice(ups))))
    if back:
        edges_arr = np.unique(np.vstack([edges_arr, np.array(back, dtype=np.int64)]), axis=0)
    return edges_arr


def _districts() -> tuple[list[regions.Region], np.ndarray]:
    """Districts of mainland China and the share of firms each gets."""
    districts = [r for r in regions.all_regions()
                 if r.level == "district" and r.code[:2] not in ("71", "81", "82")]
    prov = np.array([r.code[:2] for r in districts])
    # within a group, some districts are much busier than others (fixed, seed-free)
    size = np.random.default_rng(2260).lognormal(0.0, 1.0, len(districts))
    weights = np.zeros(len(districts))
    for mask, share in ((np.isin(prov, ["31", "32", "33"]), 0.45), (prov == "34", 0.15)):
        weights[mask] = share * size[mask] / size[mask].sum()
    rest = ~np.isin(prov, ["31", "32", "33", "34"])
    weights[rest] = 0.40 * size[rest] / size[rest].sum()
    return districts, weights


def _companies(rng: np.random.Generator, n: int) -> tuple[pd.DataFrame, np.ndarray]:
    districts, weights = _districts()
    home = next(i for i, r in enumerate(districts) if r.code == HOME_CODE)
    where = rng.choice(len(districts), size=n, p=weights)
    # the home county: about 1 % of firms (20 to 2,000), taken from Anhui's share
    n_home = int(min(max(20, round(n * 0.01)), 2000, max(1, n // 5)))
    anhui = np.array([r.code[:2] == "34" for r in districts])
    movable = np.flatnonzero(anhui[where] & (where != home))
    already = int((where == home).sum())
    if n_home > already and len(movable):
        take = rng.choice(movable, size=min(len(movable), n_home - already), replace=False)
        where[take] = home
    local = where == home

    codes = np.array([r.code for r in districts])
    prov_names = np.array([r.province for r in districts], dtype=object)
    city_names = np.array([r.city or "" for r in districts], dtype=object)
    dist_names = np.array([r.district or "" for r in districts], dtype=object)
    city_short = np.array([_short_city(r) for r in districts], dtype=object)

    # USCC: 9 1 <district code> <9-character organisation code> <check digit>
    modern = rng.random(n) < 0.7
    org = _USCC_ALPHABET[rng.integers(0, 31, size=(n, 9))]
    digits = _USCC_ALPHABET[rng.integers(0, 10, size=(n, 9))]
    org = np.where(modern[:, None], org, digits)
    org[modern, 0], org[modern, 1] = "M", "A"
    org_codes = np.ascontiguousarray(org).view("<U9").ravel()
    bodies = _unique_bodies(np.char.add(np.char.add("91", codes[where]), org_codes).tolist())
    usccs = [b + _uscc.calc_check_digit(b) for b in bodies]

    brand = np.array(_BRAND, dtype=object)
    b1 = brand[rng.integers(0, len(brand), n)]
    b2 = brand[rng.integers(0, len(brand), n)]
    trade = np.array(_TRADE, dtype=object)[rng.integers(0, len(_TRADE), n)]
    suffix = np.array(_SUFFIX, dtype=object)[rng.integers(0, len(_SUFFIX), n)]
    names = city_short[where] + b1 + b2 + trade + suffix

    employees = np.maximum(1, np.round(rng.lognormal(np.log(30), 1.3, n))).astype(np.int64)
    per_head = rng.lognormal(np.log(60), 0.7, n)  # 万元 per employee
    revenue = np.round(employees * per_head, 1)
    emp_cell = pd.Series(employees.astype(str), dtype=object)
    rev_cell = pd.Series(np.char.mod("%.1f", revenue), dtype=object)
    emp_cell[rng.random(n) < 0.05] = ""
    rev_cell[rng.random(n) < 0.05] = ""

    in_park = np.full(n, "", dtype=object)
    home_idx = np.flatnonzero(local)
    park = rng.permutation(home_idx)[: min(400, round(len(home_idx) * 0.6))]
    in_park[home_idx] = "0"
    in_park[park] = "1"

    width = max(7, len(str(n)))
    frame = pd.DataFrame({
        "id": [f"f{i + 1:0{width}d}" for i in range(n)],
        "name": names,
        "uscc": usccs,
        "province": prov_names[where],
        "city": city_names[where],
        "district": dist_names[where],
        "in_park": in_park,
        "employees": emp_cell,
        "revenue": rev_cell,
    })
    return frame, local


def _short_city(r: regions.Region) -> str:
    name = r.city if r.city and r.city != r.province else r.province
    for suffix in ("市", "地区", "自治州", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _capabilities(rng: np.random.Generator, n_firms: int, n_products: int,
                  local: np.ndarray) -> np.ndarray:
    """(firm index, product index) pairs, about 3 per firm, unique."""
    popularity = rng.lognormal(0.0, 1.6, n_products)
    # the home county: some products no local firm makes (缺链), some exactly one (弱链)
    fate = rng.random(n_products)
    missing, weak = fate < 0.3, (fate >= 0.3) & (fate < 0.5)
    per_firm = 1 + rng.poisson(2.0, n_firms)
    firm = np.repeat(np.arange(n_firms, dtype=np.int64), per_firm)
    product = rng.choice(n_products, size=len(firm), p=popularity / popularity.sum())
    at_home = local[firm]
    if at_home.any():
        home_pop = np.where(missing | weak, 0.0, popularity)
        weak_ids = np.flatnonzero(weak)
        if home_pop.sum() == 0:  # tiny product lists: let the home make anything
            home_pop, weak_ids = popularity, weak_ids[:0]
        product[at_home] = rng.choice(n_products, size=int(at_home.sum()),
                                      p=home_pop / home_pop.sum())
        home_firms = np.flatnonzero(local)
        # covered products get at least two local makers, weak ones exactly one
        hf, hp = firm[at_home], product[at_home]
        extra_firm: list[int] = []
        extra: list[int] = []
        for p in np.flatnonzero(home_pop > 0).tolist():
            makers = set(hf[hp == p].tolist())
            free = [f for f in home_firms.tolist() if f not in makers] if len(makers) < 2 else []
            for f in rng.permutation(free)[: max(0, 2 - len(makers))].tolist():
                extra_firm.append(f)
                extra.append(p)
        extra_firm.extend(rng.choice(home_firms, size=len(weak_ids)).tolist())
        extra.extend(weak_ids.tolist())
        firm = np.concatenate([firm, np.asarray(extra_firm, dtype=np.int64)])
        product = np.concatenate([product, np.asarray(extra, dtype=np.int64)])
    key = np.unique(firm * n_products + product)
    return np.stack([key // n_products, key % n_products], axis=1)


def _supplies(rng: np.random.Generator, caps: np.ndarray, inputs: np.ndarray,
              n_products: int) -> np.ndarray:
    """(supplier, customer, product) triples, about one per two firms.

    The supplier makes the product; the customer makes a product it is an input of.
    """
    n_firms = int(caps[:, 0].max()) + 1 if len(caps) else 0
    want = n_firms // 2
    if not want or not len(inputs):
        return np.zeros((0, 3), dtype=np.int64)
    # makers of each product (CSR) and uses of each product (CSR)
    order = np.argsort(caps[:, 1], kind="stable")
    makers = caps[order, 0]
    m_count = np.bincount(caps[:, 1], minlength=n_products)
    m_start = np.concatenate([[0], np.cumsum(m_count)[:-1]])
    e = inputs[np.argsort(inputs[:, 0], kind="stable")]
    u_count = np.bincount(e[:, 0], minlength=n_products)
    u_start = np.concatenate([[0], np.cumsum(u_count)[:-1]])

    pick = rng.integers(0, len(caps), size=int(want * 1.6))
    supplier, product = caps[pick, 0], caps[pick, 1]
    has_use = u_count[product] > 0
    supplier, product = supplier[has_use], product[has_use]
    use = e[u_start[product] + (rng.random(len(product)) * u_count[product]).astype(np.int64), 1]
    has_maker = m_count[use] > 0
    supplier, product, use = supplier[has_maker], product[has_maker], use[has_maker]
    customer = makers[m_start[use] + (rng.random(len(use)) * m_count[use]).astype(np.int64)]
    ok = supplier != customer
    triples = np.stack([supplier[ok], customer[ok], product[ok]], axis=1)
    key = (triples[:, 0] * n_firms + triples[:, 1]) * n_products + triples[:, 2]
    _, first = np.unique(key, return_index=True)
    return triples[np.sort(first)][:want]
