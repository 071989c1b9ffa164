"""The complexity measures against the Growth Lab's ``ecomplexity`` package (0.5.3).

On synthetic data with many districts (``chainmap.synth``), ``chainmap.opportunities``
must give the package's ``rca``, ``density``, ``pci`` and ``cog`` for the home region:
the region x product matrix is rebuilt here independently with pandas from the
workspace's tables (active firms, confirmed links, the home merged into one region), and
the package is run on it. The same on both stores. Then the pure functions of
``chainmap.analysis.complexity`` on random matrices, and the log-supermodularity share
against a plain loop over every pair.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap.analysis import complexity as cx
from chainmap.regions import REGION_COLUMN
from chainmap.synth import synth
from tests.stores import make_ws, neo4j_db, neo4j_uri, store  # noqa: F401

ecomplexity = pytest.importorskip("ecomplexity").ecomplexity


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """6,000 firms in about 1,700 districts, 70 products, one chain."""
    folder = tmp_path_factory.mktemp("synth")
    synth(folder, firms=6000, products=70, seed=3)
    return folder


def reference(ws: chainmap.Workspace, home: str, weight: str = "firms") -> pd.DataFrame:
    """``ecomplexity`` on the workspace's region x product matrix: the home's rows."""
    region = chainmap.regions.resolve(home)
    firms = ws.table("companies")
    firms = firms[firms["status"].fillna("active") == "active"]
    caps = ws.table("capabilities")
    caps = caps[caps["status"].fillna("confirmed") == "confirmed"]
    firms = firms.assign(loc=firms["region_code"].where(
        firms[REGION_COLUMN[region.level]] != region.code, "HOME"))
    links = caps.merge(firms[["id", "loc", "revenue"]], left_on="company_id", right_on="id")
    links = links.drop_duplicates(["company_id", "product_id"])
    if weight == "firms":
        values = links.groupby(["loc", "product_id"]).size()
    else:
        values = links.groupby(["loc", "product_id"])["revenue"].sum(min_count=1).fillna(0)
    data = values.rename("val").reset_index().assign(year=2026)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(data, {"time": "year", "loc": "loc", "prod": "product_id",
                                 "val": "val"}, verbose=False, check_logsupermodularity=False)
    return out[out["loc"] == "HOME"].set_index("product_id")


@pytest.mark.parametrize("home", ["安徽省/马鞍山市/当涂县", "安徽省/马鞍山市", "浙江省"])
def test_rca_density_pci_cog_are_the_packages(make_ws, synthetic, home):  # noqa: F811
    ws = make_ws(synthetic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine = chainmap.opportunities(ws, "chain-001", home=home).set_index("product")
    theirs = reference(ws, home)
    assert len(theirs) >= 60 and mine["present"].any() and (~mine["present"]).any()
    mine = mine.loc[theirs.index]
    for column in ("rca", "density", "pci", "cog"):
        np.testing.assert_allclose(mine[column].astype(float), theirs[column].astype(float),
                                   rtol=1e-9, atol=1e-9, err_msg=column)
    assert (mine["present"] == (theirs["mcp"] == 1)).all()


def test_revenue_weight_is_the_packages_too(make_ws, synthetic):  # noqa: F811
    ws = make_ws(synthetic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine = chainmap.opportunities(ws, "chain-001", home="安徽省/马鞍山市",
                                      weight="revenue").set_index("product")
    theirs = reference(ws, "安徽省/马鞍山市", weight="revenue")
    mine = mine.loc[theirs.index]
    for column in ("rca", "density", "pci", "cog"):
        np.testing.assert_allclose(mine[column].astype(float), theirs[column].astype(float),
                                   rtol=1e-9, atol=1e-9, err_msg=column)


def random_counts(seed: int, regions: int = 300, products: int = 40) -> np.ndarray:
    """Counts with a nested structure (diverse places make rare products), a region and a
    product that are empty."""
    rng = np.random.default_rng(seed)
    ability = rng.gamma(1.0, 1.0, size=(regions, 1))
    rarity = rng.gamma(1.0, 1.0, size=(1, products))
    X = rng.poisson(3 * ability / (0.3 + rarity) * (rng.random((regions, products)) < 0.5))
    X[:, 7] = 0
    X[11, :] = 0
    return X


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_functions_on_random_matrices(seed):
    X = random_counts(seed)
    rows = [f"r{i:03d}" for i in range(X.shape[0])]
    cols = [f"p{j:02d}" for j in range(X.shape[1])]
    data = pd.DataFrame([(2026, rows[i], cols[j], X[i, j]) for i, j in zip(*np.nonzero(X))],
                        columns=["year", "loc", "prod", "val"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(data, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
                          verbose=False, check_logsupermodularity=False)
    out = out.set_index(["loc", "prod"])
    ratio, M = cx.rca(X)
    phi = cx.proximity(M)
    result = cx.complexity(M)
    assert result.determined and result.outside == 0
    assert np.isnan(result.pci[7]) and np.isnan(result.eci[11])
    for i in (0, 5, 150):
        theirs = out.loc[rows[i]].reindex(cols)
        mine = pd.DataFrame({"rca": ratio[i], "density": cx.density(M[i], phi),
                             "pci": result.pci, "cog": cx.outlook_gain(M[i], phi, result),
                             "eci": result.eci[i]}, index=cols).drop(index="p07")
        theirs = theirs.drop(index="p07")
        for column in mine.columns:
            np.testing.assert_allclose(mine[column], theirs[column].astype(float), rtol=1e-9,
                                       atol=1e-9, err_msg=f"{column} of region {i}")
    # what the package leaves out, here: a product nobody makes, a region with nothing
    assert ratio[:, 7].sum() == 0 and cx.density(M[0], phi)[7] == 0
    assert cx.outlook_gain(M[0], phi, result)[7] == 0
    assert ratio[11].sum() == 0 and not M[11].any()


def test_presence_is_exact_at_an_rca_of_one():
    # one region: every share is the average one, so every RCA is exactly 1
    ratio, M = cx.rca(np.array([[3, 7, 11]]))
    assert ratio.tolist() == [[1.0, 1.0, 1.0]] and M.all()
    ratio, M = cx.rca(np.array([[1.0, 2.0], [2.0, 4.0]]) * 0.1)  # revenue: rounding ignored
    assert M.all()


def every_pair(x: np.ndarray, eci: np.ndarray, pci: np.ndarray) -> float:
    """The share by a plain loop over every pair (the package's condition, read right)."""
    x = x[np.argsort(-eci, kind="stable")][:, np.argsort(-pci, kind="stable")]
    n, k = x.shape

    def ratio(top: float, bottom: float) -> float:
        return top / bottom if bottom else 0.0

    met = total = 0
    for a, c in itertools.combinations(range(n), 2):       # a more complex than c
        for b, d in itertools.combinations(range(k), 2):   # b more complex than d
            total += 1
            met += ratio(x[c, d], x[c, b]) > ratio(x[a, d], x[a, b])
    return met / total


def test_log_supermodularity_share():
    rng = np.random.default_rng(5)
    for shape in ((6, 5), (9, 7), (4, 12)):
        x = rng.random(shape) * (rng.random(shape) < 0.7)
        eci, pci = rng.random(shape[0]), rng.random(shape[1])
        assert cx.log_supermodular_share(x, eci, pci) == pytest.approx(every_pair(x, eci, pci))
    # a log-supermodular matrix (x = exp(eci * pci)) meets it everywhere
    eci, pci = np.linspace(0, 1, 30), np.linspace(0, 2, 25)
    assert cx.log_supermodular_share(np.exp(np.outer(eci, pci)), eci, pci) == 1.0
    # big: sampled with a fixed seed, close to the exact share, the same each time
    x = rng.random((60, 50)) * (rng.random((60, 50)) < 0.6)
    eci, pci = rng.random(60), rng.random(50)
    exact = cx.log_supermodular_share(x, eci, pci, pairs=10**8)
    sampled = cx.log_supermodular_share(x, eci, pci, pairs=200_000)
    assert sampled == cx.log_supermodular_share(x, eci, pci, pairs=200_000)
    assert abs(sampled - exact) < 0.01


def test_why_the_packages_check_is_not_called():
    """ecomplexity 0.5.3 reads M[i, j'] from ``matrix.reshape((1, k, n, 1))``: the
    reshaped, not the transposed, matrix. On a matrix that is not square its share is
    that of the wrongly indexed condition; chainmap's is the condition as documented."""
    from ecomplexity.log_supermodularity import get_frac_logsupermodular

    rng = np.random.default_rng(1)
    x = rng.random((5, 7)) * (rng.random((5, 7)) < 0.6)
    eci, pci = rng.random(5), rng.random(7)
    assert get_frac_logsupermodular(x, eci, pci) != pytest.approx(every_pair(x, eci, pci))
    assert cx.log_supermodular_share(x, eci, pci) == pytest.approx(every_pair(x, eci, pci))


def test_separate_groups_and_ties():
    # two separate groups: the one with more products is ranked, the other left out
    M = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [0, 1, 1, 0, 0], [0, 0, 0, 1, 1],
                  [0, 0, 0, 0, 1]], dtype=bool)
    region_group, product_group = cx.groups(M)
    assert region_group.tolist() == [0, 0, 0, 3, 3] and product_group.tolist() == [0, 0, 0, 3, 3]
    result = cx.complexity(M)
    assert result.determined and result.outside == 2
    assert np.isfinite(result.pci[:3]).all() and np.isnan(result.pci[3:]).all()
    assert np.isnan(result.eci[3:]).all()
    # the same group alone gives the same ranking
    alone = cx.complexity(M[:3, :3])
    np.testing.assert_allclose(result.pci[:3], alone.pci, rtol=1e-12)
    # a ring of three: the second and third eigenvalues tie, nothing is determined
    ring = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=bool)
    tied = cx.complexity(ring)
    assert not tied.determined and np.isnan(tied.pci).all()
    assert np.isnan(cx.complexity(M[:1, :1]).pci).all()  # one region, one product
    assert cx.groups(np.zeros((2, 2), dtype=bool))[1].tolist() == [-1, -1]
