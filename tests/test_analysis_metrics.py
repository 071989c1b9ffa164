"""chainmap.metrics: completeness per tier and overall, agreeing with the gap report.

By hand on the gap dataset (home 当涂县): downstream unit (weak, a1); midstream comp
(missing), cap (covered: a3, a4), valve (missing); upstream tube (missing); recyc has no
tier (missing).
"""

from __future__ import annotations

import pytest

import chainmap
from tests.test_analysis_gaps import GAPS, HOME


@pytest.fixture
def ws(make_ws):
    """The dataset on SQLite, then on Neo4j (tests/stores.py)."""
    return make_ws(GAPS)


def table(frame):
    return frame.drop(columns="completeness").values.tolist(), \
        frame["completeness"].round(4).tolist()


def test_by_hand(ws):
    m = chainmap.metrics(ws, "ac", home=HOME)
    assert list(m.columns) == chainmap.METRIC_COLUMNS
    counts, completeness = table(m)
    # chain, tier, products, covered, weak, missing, local_producers
    assert counts == [
        ["ac", "upstream", 1, 0, 0, 1, 0],
        ["ac", "midstream", 3, 1, 0, 2, 2],
        ["ac", "downstream", 1, 0, 1, 0, 1],
        ["ac", "unspecified", 1, 0, 0, 1, 0],
        ["ac", "overall", 6, 1, 1, 4, 3],
    ]
    assert completeness == [0.0, round(1 / 3, 4), 1.0, 0.0, round(2 / 6, 4)]


def test_province_home_and_threshold(ws):
    m = chainmap.metrics(ws, "空调", home="安徽省", weak_threshold=3).set_index("tier")
    # comp is made in 雨山区 (Anhui): weak now; with threshold 3, cap (2 firms) is weak too
    assert m.loc["midstream", ["covered", "weak", "missing"]].tolist() == [0, 2, 1]
    assert m.loc["midstream", "completeness"] == pytest.approx(2 / 3)
    assert m.loc["overall", "local_producers"] == 4


def test_agrees_with_gaps(ws):
    for threshold in (1, 2, 3):
        report = chainmap.gaps(ws, "ac", home=HOME, weak_threshold=threshold)
        overall = chainmap.metrics(ws, "ac", home=HOME, weak_threshold=threshold).iloc[-1]
        counts = report["status"].value_counts()
        assert [overall[s] for s in ("covered", "weak", "missing")] == [
            counts.get(s, 0) for s in ("covered", "weak", "missing")]


def test_every_chain(ws):
    m = chainmap.metrics(ws, home=HOME)
    assert m[["chain", "tier"]].values.tolist() == [
        ["ac", "upstream"], ["ac", "midstream"], ["ac", "downstream"], ["ac", "unspecified"],
        ["ac", "overall"], ["auto", "downstream"], ["auto", "overall"]]
    assert m.iloc[-1][["products", "covered", "completeness"]].tolist() == [1, 1, 1.0]


def test_errors(ws):
    with pytest.raises(chainmap.NotFoundError, match="unknown chain 'x'"):
        chainmap.metrics(ws, "x", home=HOME)
    with pytest.raises(chainmap.ChainmapError, match="no home region"):
        chainmap.metrics(ws, "ac")
