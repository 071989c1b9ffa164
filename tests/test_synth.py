"""chainmap.synth and ``chainmap synth``: synthetic datasets for tests and benchmarks."""

from __future__ import annotations

import pandas as pd
import pytest
from stdnum.cn import uscc as _uscc

import chainmap
from chainmap.errors import ChainmapError
from chainmap.synth import HOME_CODE, synth

FILES = ["capabilities.csv", "chains.csv", "companies.csv", "inputs.csv", "products.csv",
         "supplies.csv"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "s"
    rows = synth(folder, firms=3000, products=120, seed=7)
    return folder, rows


def test_writes_the_tables(small):
    folder, rows = small
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert rows["companies"] == 3000 and rows["products"] == 120 and rows["chains"] == 2
    assert 2.5 <= rows["capabilities"] / 3000 <= 3.5
    assert 0.3 <= rows["supplies"] / 3000 <= 0.55
    assert 2 <= rows["inputs"] / 120 <= 4
    for name in FILES:
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        assert len(frame) == rows[name[:-4]]


def test_imports_cleanly_and_has_cycles(small):
    folder, rows = small
    with chainmap.open(":memory:") as ws:
        result = chainmap.import_dataset(ws, folder)
        assert result.rows == rows and result.warnings == []
        report = chainmap.check(ws)
        assert not (report["severity"] == "error").any()
        assert (report["check"] == "cycle").any()
        companies = ws.table("companies")
        share = companies["province_code"].isin(["310000", "320000", "330000"]).mean()
        assert 0.40 <= share <= 0.50
        assert 0.10 <= (companies["province_code"] == "340000").mean() <= 0.20
        home = companies[companies["region_code"] == HOME_CODE]
        assert len(home) >= 20 and home["in_park"].sum() > 0
        assert companies["in_park"].notna().sum() == len(home)
        assert companies["uscc"].map(_uscc.is_valid).all()
        assert (companies["uscc"].str[2:8] == companies["region_code"]).all()
        tiers = ws.table("products").set_index("id")["tier"]
        inputs = ws.table("inputs")
        back = inputs[(tiers[inputs["upstream"]].to_numpy() == "downstream")
                      & (tiers[inputs["downstream"]].to_numpy() == "upstream")]
        assert len(back) >= 1  # recycling edges


def test_home_has_a_realistic_gap_picture(small):
    folder, _ = small
    with chainmap.open(":memory:") as ws:
        chainmap.import_dataset(ws, folder)
        for chain in ws.table("chains")["id"]:
            report = chainmap.gaps(ws, chain, home="安徽省/马鞍山市/当涂县")
            status = report["status"].value_counts()
            assert status.get("missing", 0) > 0 and status.get("weak", 0) > 0
            assert status.get("covered", 0) > 0
            assert (report["n_candidates"] > 0).any()


def test_deterministic(tmp_path, small):
    folder, _ = small
    synth(tmp_path / "again", firms=3000, products=120, seed=7)
    synth(tmp_path / "other", firms=3000, products=120, seed=8)
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (folder / name).read_bytes(), name
    assert (tmp_path / "other" / "companies.csv").read_bytes() != \
        (folder / "companies.csv").read_bytes()


def test_tiny_sizes_still_import(tmp_path):
    rows = synth(tmp_path / "t", firms=1, products=3, seed=0)
    assert rows["companies"] == 1 and rows["products"] == 3
    with chainmap.open(":memory:") as ws:
        chainmap.import_dataset(ws, tmp_path / "t")


def test_bad_arguments(tmp_path):
    with pytest.raises(ChainmapError, match="^firms= must be at least 1"):
        synth(tmp_path / "x", firms=0)
    with pytest.raises(ChainmapError, match="^products= must be at least 3"):
        synth(tmp_path / "x", products=2)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ChainmapError, match="is a file"):
        synth(tmp_path / "file", firms=10)


def test_cli(run, tmp_path):
    out = tmp_path / "cli"
    r = run("synth", "--firms", "500", "--products", "60", "--seed", "3", out)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "500 companies" in r.stderr and f"chainmap import {out}" in r.stderr
    assert run("import", out).exit_code == 0
    bad = run("synth", "--firms", "0", tmp_path / "bad")
    assert bad.exit_code == 1
    assert bad.stderr == "Error: --firms must be at least 1, not 0\n"
    assert not (tmp_path / "bad").exists()
    usage = run("synth", "--firms", "many", tmp_path / "bad")
    assert usage.exit_code == 2


def test_fast_gap_counts_equal_the_frame_version(small):
    import importlib

    gaps_module = importlib.import_module("chainmap.analysis.gaps")
    from chainmap.analysis.common import target_regions
    from chainmap.regions import resolve

    folder, _ = small
    with chainmap.open(":memory:") as ws:
        chainmap.import_dataset(ws, folder)
        t = ws.tables()
        pc = t["product_chains"]
        for chain in sorted(set(pc["chain_id"])):
            products = set(pc.loc[pc["chain_id"] == chain, "product_id"])
            frame = t["products"].set_index("id").loc[sorted(products)]
            for home in ("当涂县", "安徽省", "上海市"):
                for targets in (None, "长三角"):
                    h, tr = resolve(home), target_regions(targets)
                    fast = gaps_module._gap_counts(t, products, h, tr)
                    slow = _gap_counts_frames(t, products, h, tr)
                    a = gaps_module._assemble(frame, fast, 2, h, tr)
                    b = gaps_module._assemble(frame, slow, 2, h, tr)
                    assert a.to_json() == b.to_json(), (chain, home, targets)


def _indexes(store):
    return sorted(store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall(),
        key=lambda r: r[0])


def test_bulk_load_keeps_indexes_and_rolls_back_whole(tmp_path, monkeypatch):
    from chainmap.store import SQLiteStore

    folder = tmp_path / "big"
    rows = synth(folder, firms=8000, products=60, seed=2)
    assert rows["capabilities"] >= 20_000  # big enough to take the drop-and-rebuild path
    with chainmap.open(tmp_path / "a.db") as ws:
        before = _indexes(ws.store)
        real = SQLiteStore._upsert

        def failing(self, conn, name, frame, progress, update=None, check=None):
            real(self, conn, name, frame, progress, update, check)
            if name == "capabilities":
                raise RuntimeError("disk full")

        monkeypatch.setattr(SQLiteStore, "_upsert", failing)
        with pytest.raises(RuntimeError):
            chainmap.import_dataset(ws, folder)
        assert _indexes(ws.store) == before
        assert ws.counts()["companies"] == 0 and ws.counts()["capabilities"] == 0
        monkeypatch.setattr(SQLiteStore, "_upsert", real)
        chainmap.import_dataset(ws, folder)
        assert _indexes(ws.store) == before
        assert ws.counts()["capabilities"] == rows["capabilities"]
        plan = ws.store.conn.execute("EXPLAIN QUERY PLAN SELECT * FROM capabilities "
                                     "WHERE product_id = 'p0001'").fetchall()
        assert "capabilities_product" in str(plan)


def _gap_counts_frames(t, product_set, home, targets):
    """The reference version of ``gaps._gap_counts``: plain pandas on the string frames."""
    from chainmap.analysis.common import in_region

    companies, caps = t["companies"], t["capabilities"]
    local_ids = companies.loc[in_region(companies, home), "id"]
    local_caps = caps[caps["company_id"].isin(local_ids)]
    in_chain = local_caps[local_caps["product_id"].isin(product_set)]
    local_firms = in_chain.sort_values("company_id").groupby("product_id")["company_id"] \
        .agg(list)
    edges = t["inputs"][t["inputs"]["upstream"].isin(product_set)]
    demand = edges.merge(local_caps, left_on="downstream", right_on="product_id") \
        .groupby("upstream")["company_id"].nunique()
    ranked = candidate_ranking(companies, caps, t["supplies"], product_set, home, targets)
    candidates = ranked.groupby("product_id", sort=False)["company_id"].agg(list)
    return {"local_firms": local_firms, "local_demand": demand, "candidates": candidates}


def candidate_ranking(companies, capabilities, supplies, products, home, targets):
    """Candidate firms for ``products``, ranked per product (the oracle's plain pandas).

    Returns rows (``product_id``, ``company_id``, ``supplies_local``, ``revenue``,
    ``rank``) for firms outside ``home`` and inside ``targets`` that make a product:
    first those that already supply a local firm, then by revenue (missing last),
    then by id.
    """
    import numpy as np

    from chainmap.analysis.common import in_region, in_regions

    local = in_region(companies, home)
    eligible = companies.loc[~local & in_regions(companies, targets), ["id", "revenue"]]
    caps = capabilities[capabilities["product_id"].isin(products)
                        & capabilities["company_id"].isin(eligible["id"])]
    local_ids = companies.loc[local, "id"]
    suppliers = set(supplies.loc[supplies["customer_id"].isin(local_ids), "supplier_id"])
    ranked = caps.merge(eligible, left_on="company_id", right_on="id", how="left")
    ranked["supplies_local"] = ranked["company_id"].isin(suppliers)
    ranked["_rev"] = ranked["revenue"].fillna(-np.inf)
    ranked = ranked.sort_values(["product_id", "supplies_local", "_rev", "company_id"],
                                ascending=[True, False, False, True], kind="mergesort")
    ranked["rank"] = ranked.groupby("product_id").cumcount() + 1
    return ranked[["product_id", "company_id", "supplies_local", "revenue", "rank"]]


def test_repeated_random_usccs_are_made_unique_and_stay_valid():
    from stdnum.cn import uscc

    from chainmap.synth import _unique_bodies

    bodies = ["91340521MA0000001", "91340521MA0000001", "91340521MA2X00001",
              "91340521MA0000001"]
    made = _unique_bodies(bodies)
    assert made[0] == bodies[0] and made[2] == bodies[2]  # firsts keep their codes
    assert len(set(made)) == 4
    assert all(uscc.is_valid(b + uscc.calc_check_digit(b)) for b in made)
