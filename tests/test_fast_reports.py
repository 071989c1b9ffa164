"""The reports' fast path (issue 13) equals the plain-pandas oracle, from a new process.

The gap report on SQLite counts on integer codes kept on disk per data revision
(``chainmap.analysis.gaps.gap_codes``, :mod:`chainmap.cache`); ``targets`` reads only
its firms by id. Here a workspace file is reported on by a fresh workspace object (as
a new process would: the codes come from the cache file, no firm table is read) and
compared, for every chain and several homes, with ``tests/test_synth.py``'s plain
pandas oracle over the whole tables.

Size: 12,000 firms (about 36,000 capabilities: above the size at which the codes are
kept on disk) in the suite; ``CHAINMAP_BIG_TESTS=1`` runs the same on 100,000 firms
and 1,000 products (about 40 s more). The 1M figures are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import importlib
import os

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
        key = ws.store.cache_key()
        assert cache.load(gaps_module.CACHE_KIND, key) is not None
        with ws.store.transaction():
            ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = ?",
                                  (firm,))
        assert ws.store.cache_key() != key
    with chainmap.open(copy) as ws:
        after = chainmap.gaps(ws, chain, home="当涂县")
    assert all(firm not in ids for ids in after["local_firms"])
    assert before.to_json() != after.to_json()
