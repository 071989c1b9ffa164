"""The reports' fast path (issue 13) equals the plain-pandas oracle, from a new process.

The gap report on SQLite counts on integer codes kept on disk per data revision
(``chainmap.analysis.gaps.gap_codes``, :mod:`chainmap.cache`); ``targets``, ``anchor``
and ``impact`` read only their firms by id (``anchor`` and ``impact`` are compared with
the code that computed them from the whole frames before). Here a workspace file is
reported on by a fresh workspace object (as a new process would: the codes come from
the cache file, no firm table is read) and
compared, for every chain and several homes, with ``tests/test_synth.py``'s plain
pandas oracle over the whole tables.

Size: 12,000 firms (about 36,000 capabilities: above the size at which the codes are
kept on disk) in the suite; ``CHAINMAP_BIG_TESTS=1`` runs the same on 100,000 firms
and 1,000 products (about 40 s more). The 1M figures are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import importlib
import os

import numpy as np
import pytest

import chainmap
from chainmap import cache
from chainmap.analysis.common import target_regions
from chainmap.regions import resolve
from chainmap.synth import synth
from tests.test_synth import _gap_counts_frames

# the module (chainmap.analysis.gaps is the function)
gaps_module = importlib.import_module("chainmap.analysis.gaps")

BIG = bool(os.environ.get("CHAINMAP_BIG_TESTS"))
FIRMS, PRODUCTS = (100_000, 1000) if BIG else (12_000, 300)


@pytest.fixture(scope="module")
def workspace_file(tmp_path_factory):
    """A synthetic workspace file, made once for the module, and its cache folder."""
    folder = tmp_path_factory.mktemp("fast")
    synth(folder / "data", firms=FIRMS, products=PRODUCTS, seed=3)
    with chainmap.open(folder / "w.db") as ws:
        chainmap.import_dataset(ws, folder / "data")
    return folder / "w.db", folder / "cache"


@pytest.fixture
def cached(workspace_file, monkeypatch):
    db, folder = workspace_file
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(folder))
    return db, folder


def _no_tables(self, name):
    raise AssertionError(f"the report read the whole table {name}")


def test_the_gap_report_equals_the_oracle_for_every_chain(cached, monkeypatch):
    db, folder = cached
    with chainmap.open(db) as ws:  # builds the codes and saves them
        gaps_module.gap_codes(ws)
        tables = ws.tables()
    assert [p.name.startswith(gaps_module.CACHE_KIND) for p in folder.iterdir()] == [True]
    chains = sorted(set(tables["product_chains"]["chain_id"]))
    monkeypatch.setattr(chainmap.Workspace, "_live", _no_tables)
    for home in ("安徽省/马鞍山市/当涂县", "安徽省", "上海市"):
        for targets in (None, "长三角"):
            with chainmap.open(db) as ws:  # a new workspace: the codes come from the file
                for chain in chains:
                    fast = chainmap.gaps(ws, chain, home=home, targets=targets)
                    pc = tables["product_chains"]
                    products = set(pc.loc[pc["chain_id"] == chain, "product_id"])
                    frame = tables["products"].set_index("id").loc[sorted(products)]
                    h, tr = resolve(home), target_regions(targets)
                    slow = gaps_module._assemble(
                        frame, _gap_counts_frames(tables, products, h, tr), 2, h, tr)
                    assert fast.to_json() == slow.to_json(), (chain, home, targets)


def test_targets_from_the_cache_equal_targets_from_the_tables(cached, monkeypatch):
    db, _ = cached
    with chainmap.open(db) as ws:
        chain = sorted(set(ws._table("product_chains")["chain_id"]))[0]
        report = chainmap.gaps(ws, chain, home="当涂县")
        product = report.loc[report["n_candidates"] > 0, "product"].iloc[0]
        ws._live("companies")  # the tables are read: targets takes its firms from them
        expected = chainmap.targets(ws, chain, product, home="当涂县")
    monkeypatch.setattr(chainmap.Workspace, "_live", _no_tables)
    with chainmap.open(db) as ws:  # nothing read yet: firms by id from the store
        found = chainmap.targets(ws, chain, product, home="当涂县")
    assert len(found) and found.to_json() == expected.to_json()


def test_a_change_makes_new_codes(cached, tmp_path):
    db, folder = cached
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    with chainmap.open(copy) as ws:
        chain = sorted(set(ws._table("product_chains")["chain_id"]))[0]
        before = chainmap.gaps(ws, chain, home="当涂县")
        firm = before.loc[before["local_producers"] > 0, "local_firms"].iloc[0][0]
        key = ws.store.firms_key()
        assert cache.load(gaps_module.CACHE_KIND, key) is not None
        with ws.store.transaction():
            ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = ?",
                                  (firm,))
        assert ws.store.firms_key() != key
    with chainmap.open(copy) as ws:
        after = chainmap.gaps(ws, chain, home="当涂县")
    assert all(firm not in ids for ids in after["local_firms"])
    assert before.to_json() != after.to_json()


def test_the_home_rows_read_by_firm_equal_those_read_by_product(cached):
    """The two reads of the local demand (whichever touches fewer rows) give the same rows."""
    db, _ = cached
    with chainmap.open(db) as ws:
        ix = gaps_module.gap_codes(ws)
        products = np.arange(0, len(ix.products), 7)
        sizes = set()
        for home in ("安徽省/马鞍山市/当涂县", "安徽省", "上海市"):
            local = ix.in_region(resolve(home))
            by_firm = np.sort(gaps_module._made_here(ix, local, products, by="firm"))
            by_product = np.sort(gaps_module._made_here(ix, local, products, by="product"))
            assert by_firm.tolist() == by_product.tolist(), home
            assert np.sort(gaps_module._made_here(ix, local, products)).tolist() == \
                by_firm.tolist()
            sizes.add(len(by_firm))
        assert min(sizes) > 0 and len(sizes) == 3  # three different, non-empty answers


# -- anchor and impact: from the codes (the fast path) equal the reports from the whole
# -- frames as they were computed before (issue 13; the oracles below are that code)

anchor_module = importlib.import_module("chainmap.analysis.anchor")
impact_module = importlib.import_module("chainmap.analysis.impact")


def _anchor_from_tables(workspace, firm, home=None, targets=None, weak_threshold=2):
    """:func:`chainmap.anchor` as it was: from the whole live frames."""

    from chainmap.analysis.anchor import (
        AnchorReport,
        in_region,
        supply_pairs,
    )
    from chainmap.i18n import _

    firm_id = workspace.company_id(firm)
    home_region = workspace.resolve_home(home)
    target_list = target_regions(targets)
    companies = workspace._live("companies")  # active firms and their confirmed links
    caps = workspace._live("capabilities")
    edges = workspace._table("inputs")
    products = workspace._table("products").set_index("id")

    made = set(caps.loc[caps["company_id"] == firm_id, "product_id"])
    used = edges[edges["downstream"].isin(made)].sort_values(["upstream", "downstream"])
    used_for = used.groupby("upstream")["downstream"].agg(list)
    ids = sorted(used_for.index)

    local_ids = companies.loc[in_region(companies, home_region), "id"]
    local_caps = caps[caps["company_id"].isin(local_ids) & caps["product_id"].isin(ids)]
    local_firms = local_caps.sort_values("company_id").groupby("product_id")["company_id"] \
        .agg(list)

    pairs = supply_pairs(workspace._live("supplies").pipe(
        lambda s: s[s["customer_id"] == firm_id]), caps, edges)
    by_product = pairs.dropna(subset=["product_id"]).sort_values("supplier_id") \
        .groupby("product_id")["supplier_id"].agg(lambda s: sorted(set(s)))

    # the rows assembled as the report does: the oracle checks what is counted
    every = workspace._table("companies")  # the suppliers' names, from the whole table
    inputs = anchor_module._input_frame(ids, products, used_for, local_firms, by_product,
                                        made, int(weak_threshold),
                                        dict(zip(every["id"], every["name"], strict=True)))

    suppliers = anchor_module._suppliers(companies, pairs, home_region, target_list)
    rate = float((inputs["local_producers"] > 0).mean()) if len(inputs) else float("nan")
    definition = _("本地配套率 (local supporting rate) = share of the input products of what "
                   "the firm makes that at least one firm in {home} makes (the firm itself "
                   "included)").format(home=home_region.path)
    name = companies.set_index("id")["name"].get(firm_id, firm_id)
    return AnchorReport(firm_id, str(name), home_region.path, inputs, suppliers, rate,
                        definition)


def _impact_from_tables(workspace, firm, home=None, chain=None, add=False, weak_threshold=2):
    """:func:`chainmap.impact` as it was: from the whole live frames."""
    import pandas as pd

    from chainmap.analysis.anchor import supply_pairs
    from chainmap.analysis.common import (
        chain_products,
        in_region,
        local_producer_counts,
    )
    from chainmap.analysis.impact import (
        GAINS,
        IMPACT_CUSTOMER_COLUMNS,
        LOSES,
        ImpactReport,
    )
    from chainmap.errors import ArgumentError
    from chainmap.i18n import _

    firm_id = workspace.company_id(firm)
    home_region = workspace.resolve_home(home)
    companies = workspace._live("companies")  # active firms and their confirmed links
    caps = workspace._live("capabilities")
    names = companies.set_index("id")["name"]
    name = str(names.get(firm_id, firm_id))
    local_ids = set(companies.loc[in_region(companies, home_region), "id"])
    is_local = firm_id in local_ids
    if not add and not is_local:
        raise ArgumentError(_("{name} ({firm}) is not in {home}, so its leaving changes "
                              "nothing there; use add=True to see what its arrival would "
                              "change").format(name=name, firm=firm_id, home=home_region.path),
                            parameter="add")
    if add and is_local:
        raise ArgumentError(_("{name} ({firm}) is already in {home}; drop add=True to see "
                              "what its leaving would change").format(
            name=name, firm=firm_id, home=home_region.path), parameter="add")
    scope = set(chain_products(workspace, workspace.chain_id(chain))) if chain else None
    made_all = set(caps.loc[caps["company_id"] == firm_id, "product_id"])
    made = sorted(made_all if scope is None else made_all & scope)
    delta = 1 if add else -1

    products = workspace._table("products").set_index("id")
    before = local_producer_counts(companies, caps, home_region, made).reindex(made) \
        .fillna(0).astype(int)
    frame = impact_module._product_frame(made, products, before, delta,
                                         int(weak_threshold))

    supplies = workspace._live("supplies")
    pairs = supply_pairs(supplies[(supplies["supplier_id"] == firm_id)
                                  & supplies["customer_id"].isin(local_ids - {firm_id})],
                         caps, workspace._table("inputs")).dropna(subset=["product_id"])
    if scope is not None:
        pairs = pairs[pairs["product_id"].isin(scope)]
    producers = local_producer_counts(companies, caps, home_region, set(pairs["product_id"]))
    others = pairs["product_id"].map(producers).fillna(0).astype(int)
    if not add:  # the firm itself is one of the local producers of what it makes
        others = others - pairs["product_id"].isin(made_all).astype(int)
    hit = pairs[(others == 0).to_numpy()].sort_values(["customer_id", "product_id"])
    customers = pd.DataFrame({
        "customer": hit["customer_id"].to_numpy(dtype=object),
        "name": [names.get(c, c) for c in hit["customer_id"]],
        "product": hit["product_id"].to_numpy(dtype=object),
        "product_name": [products["name"].get(p, p) for p in hit["product_id"]],
        "effect": _(GAINS if add else LOSES),
    }, columns=IMPACT_CUSTOMER_COLUMNS)
    return ImpactReport(firm_id, name, home_region.path, "lands in" if add else "leaves",
                        frame, customers.reset_index(drop=True))


@pytest.fixture(scope="module")
def mixed_file(workspace_file, tmp_path_factory):
    """The synthetic workspace with some closed firms, unconfirmed links and supplies
    that name no product (synth makes none of these)."""
    db, _ = workspace_file
    copy = tmp_path_factory.mktemp("mixed") / "w.db"
    copy.write_bytes(db.read_bytes())
    with chainmap.open(copy) as ws, ws.store.transaction():
        conn = ws.store.conn
        conn.execute("UPDATE companies SET status = 'closed' WHERE rowid % 41 = 0")
        conn.execute("UPDATE capabilities SET status = 'suggested' "
                     "WHERE substr(company_id, -1) = '7' AND substr(product_id, -1) = '3'")
        conn.execute("UPDATE supplies SET product_id = NULL WHERE rowid % 4 = 0")
    with chainmap.open(copy) as ws, ws.store.transaction():
        _add_supplies_that_matter(ws, "安徽省/马鞍山市/当涂县")
    return copy


def _add_supplies_that_matter(ws, home):
    """Supplies (named or not) from a firm that is, or would be, the only local maker of
    a product to a local firm that uses it: what ``impact`` reports as customers hit."""
    from chainmap.analysis.common import in_region

    companies, caps = ws._live("companies"), ws._live("capabilities")
    inputs = ws._table("inputs")
    local = set(companies.loc[in_region(companies, resolve(home)), "id"])
    mine = caps[caps["company_id"].isin(local)]
    makers = mine.groupby("product_id")["company_id"].agg(set)
    users = mine.merge(inputs, left_on="product_id", right_on="downstream") \
        .groupby("upstream")["company_id"].agg(set)
    away = caps[~caps["company_id"].isin(local)].groupby("product_id")["company_id"].min()
    added = 0
    for product, customers in sorted(users.items()):
        sources = sorted(makers.get(product, set()))
        supplier = sources[0] if len(sources) == 1 else away.get(product) if not sources \
            else None
        customer = sorted(customers - {supplier})[:1]
        if supplier is None or not customer:
            continue
        ws.store.conn.execute("INSERT OR IGNORE INTO supplies (supplier_id, customer_id, "
                              "product_id) VALUES (?, ?, ?)",
                              (supplier, customer[0], product if added % 2 else None))
        added += 1
    assert added >= 4


def _firms_to_ask(ws, chain, home):
    """Local firms making the most products of ``chain``, and two target-region ones."""
    from chainmap.analysis.common import in_region

    companies, caps = ws._live("companies"), ws._live("capabilities")
    pc = ws._table("product_chains")
    caps = caps[caps["product_id"].isin(pc.loc[pc["chain_id"] == chain, "product_id"])]
    local = set(companies.loc[in_region(companies, resolve(home)), "id"])
    many = caps["company_id"].value_counts(sort=False).sort_index(kind="mergesort")
    many = many.sort_values(ascending=False, kind="mergesort")
    here = [f for f in many.index if f in local][:2]
    away = [f for f in many.index if f not in local][:2]
    # and local firms that are the only local maker of a product, supplying a local firm
    mine = caps[caps["company_id"].isin(local)]
    alone = mine.groupby("product_id")["company_id"].transform("nunique") == 1
    supplies = ws._live("supplies")
    supplying = set(supplies.loc[supplies["customer_id"].isin(local), "supplier_id"])
    here += sorted(set(mine.loc[alone, "company_id"]) & supplying - set(here))[:3]
    away += sorted(supplying - local - set(away))[:2]
    return here, away


def _same(a, b):
    if hasattr(a, "to_json"):
        return a.to_json() == b.to_json()
    return a == b or (a != a and b != b)  # NaN rates


@pytest.mark.parametrize("home", ["安徽省/马鞍山市/当涂县", "安徽省"])
def test_anchor_and_impact_from_the_codes_equal_the_frames_for_every_chain(
        mixed_file, cached, monkeypatch, home):
    expected, asked = {}, 0
    with chainmap.open(mixed_file) as ws:
        gaps_module.gap_codes(ws)  # kept in the cache folder for the next workspace
        chains = sorted(set(ws._table("product_chains")["chain_id"]))
        for chain in chains:
            here, away = _firms_to_ask(ws, chain, home)
            assert here and away, chain
            for firm in here + away:
                report = _anchor_from_tables(ws, firm, home=home)
                expected["anchor", firm] = report
            for firm in here:
                expected["leaves", firm, chain] = _impact_from_tables(ws, firm, home=home,
                                                                      chain=chain)
                expected["leaves", firm, None] = _impact_from_tables(ws, firm, home=home)
            for firm in away:
                expected["lands", firm, chain] = _impact_from_tables(ws, firm, home=home,
                                                                     chain=chain, add=True)
    assert any(len(r.customers) for k, r in expected.items() if k[0] != "anchor")
    assert any(r.suppliers["supplied"].map(len).sum() for k, r in expected.items()
               if k[0] == "anchor")
    monkeypatch.setattr(chainmap.Workspace, "_live", _no_tables)
    with chainmap.open(mixed_file) as ws:  # codes from the cache file, firms by id
        for key, slow in expected.items():
            if key[0] == "anchor":
                fast = chainmap.anchor(ws, key[1], home=home)
                parts = ("firm", "name", "home", "inputs", "suppliers", "supporting_rate",
                         "definition")
            else:
                fast = chainmap.impact(ws, key[1], home=home, chain=key[2],
                                       add=key[0] == "lands")
                parts = ("firm", "name", "home", "action", "products", "customers")
            for part in parts:
                assert _same(getattr(fast, part), getattr(slow, part)), (key, part)
            asked += 1
    assert asked == len(expected)


def test_live_columns_read_by_sql_equal_the_live_frames(mixed_file, tmp_path):
    """The SQLite store's ``live_columns`` (what the codes are built from) holds the rows
    of ``Workspace._live``, with closed firms, unconfirmed links and bare supplies; a
    value holding the separator of the joined text is read row by row, equally."""
    copy = tmp_path / "w.db"
    copy.write_bytes(mixed_file.read_bytes())
    for odd in (False, True):
        if odd:
            with chainmap.open(copy) as ws, ws.store.transaction():
                ws.store.conn.execute("UPDATE companies SET city_code = 'x\x1fy' "
                                      "WHERE rowid = 2")
        with chainmap.open(copy) as ws:
            for name, columns in gaps_module.CODE_COLUMNS.items():
                fast = ws.store.live_columns(name, columns)
                slow = ws._live(name).loc[:, list(columns)]
                key = list(columns)
                assert len(fast) == len(slow) > 0, name
                fast = fast.sort_values(key[:2], ignore_index=True).astype(object)
                slow = slow.sort_values(key[:2], ignore_index=True).astype(object)
                assert fast.fillna(-1).equals(slow.fillna(-1)), (name, odd)
                if odd and name == "companies":
                    assert "x\x1fy" in set(fast["city_code"])
