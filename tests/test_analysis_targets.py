"""chainmap.targets: the candidates for one gap, ranked as in the gap report, and why."""

from __future__ import annotations

import pytest

import chainmap
from tests.test_analysis_gaps import GAPS, HOME

# GAPS plus s5 (浙江, 300, makes comp), and s1 also supplies a2 (no product named)
TARGETS = dict(GAPS)
TARGETS["companies.csv"] = GAPS["companies.csv"] + \
    "        s5,浙江压缩机三厂,浙江省,台州市,玉环市,300\n"
TARGETS["capabilities.csv"] = GAPS["capabilities.csv"] + "        s5,comp\n"
TARGETS["supplies.csv"] = GAPS["supplies.csv"] + "        s1,a2,\n"


@pytest.fixture
def ws(make_ws):
    """The dataset on SQLite, then on Neo4j (tests/stores.py)."""
    return make_ws(TARGETS)


def test_candidates_ranked_with_reasons(ws):
    found = chainmap.targets(ws, "ac", "comp", home=HOME)
    assert list(found.columns) == chainmap.TARGET_COLUMNS
    assert found["company"].tolist() == ["s1", "s2", "s4", "s5", "s3"]
    assert found["rank"].tolist() == [1, 2, 3, 4, 5]
    assert found["why"].tolist() == [
        "supplies 当涂整机厂、当涂汽车空调厂; largest in 上海市",
        "largest in 江苏省",
        "largest in 浙江省",
        "2nd largest in 浙江省",
        "no revenue on record",
    ]
    assert found["local_customers"].tolist() == [["a1", "a2"], [], [], [], []]
    assert found["supplies_local"].tolist() == [True, False, False, False, False]
    assert found["region"].tolist()[:2] == ["上海市/浦东新区", "江苏省/苏州市/吴江区"]
    assert found["revenue"].tolist()[:4] == [100.0, 500.0, 500.0, 300.0]
    assert found["is_lead"].tolist() == [False] * 5


def test_supplier_outside_targets_is_no_candidate(ws):
    # g1 (广东) supplies a1 and has the most revenue, but is not in 苏浙沪
    assert "g1" not in set(chainmap.targets(ws, "ac", "comp", home=HOME)["company"])
    found = chainmap.targets(ws, "ac", "comp", home=HOME, targets="广东省")
    assert found["company"].tolist() == ["g1"]
    assert found["why"].tolist() == ["supplies 当涂整机厂; largest in 广东省"]


def test_ranks_agree_with_the_gap_report(ws):
    for home in (HOME, "安徽省"):
        report = chainmap.gaps(ws, "ac", home=home)
        for product, candidates in zip(report["product"], report["candidates"]):
            assert chainmap.targets(ws, "ac", product, home=home)["company"].tolist() \
                == candidates


def test_names_in_chinese_and_english(ws):
    by_id = chainmap.targets(ws, "ac", "comp", home=HOME)
    by_name = chainmap.targets(ws, "Air conditioning", "压缩机", home="当涂县")
    assert by_name.equals(by_id)
    assert chainmap.targets(ws, "空调", "compressor", home=HOME).equals(by_id)


def test_errors(ws):
    with pytest.raises(chainmap.ChainmapError) as err:
        chainmap.targets(ws, "ac", "autoac", home=HOME)
    assert str(err.value) == "product 'autoac' (汽车空调) is not in chain 'ac' (空调)"
    with pytest.raises(chainmap.NotFoundError, match="unknown product 'nope'"):
        chainmap.targets(ws, "ac", "nope", home=HOME)
    with pytest.raises(chainmap.NotFoundError, match="unknown chain 'nope'"):
        chainmap.targets(ws, "nope", "comp", home=HOME)
    with pytest.raises(chainmap.ChainmapError, match="no home region"):
        chainmap.targets(ws, "ac", "comp")


def test_no_candidates(ws):
    found = chainmap.targets(ws, "ac", "cap", home=HOME)
    assert found.empty and list(found.columns) == chainmap.TARGET_COLUMNS


def test_is_lead_hook(ws, monkeypatch):
    import importlib

    from chainmap.analysis import common

    assert common.open_lead_firms(ws) == set()  # no leads table yet
    module = importlib.import_module("chainmap.analysis.targets")
    monkeypatch.setattr(module, "open_lead_firms", lambda workspace: {"s2", "zz"})
    found = chainmap.targets(ws, "ac", "comp", home=HOME)
    assert found.set_index("company")["is_lead"].to_dict() == {
        "s1": False, "s2": True, "s4": False, "s5": False, "s3": False}


def test_cycle_in_inputs(ws):
    # tube -> valve -> unit -> recyc -> tube
    assert chainmap.targets(ws, "ac", "tube", home=HOME)["company"].tolist() == ["z1"]


def test_is_lead_from_the_pipeline(make_ws):
    # the sample's leads.csv has an open (negotiating) lead for xinchang-valve
    found = chainmap.targets(make_ws(chainmap.sample_path()), "智能家电", "eev", home=HOME)
    assert found.set_index("company")["is_lead"].to_dict() == {
        "xinchang-valve": True, "wujiang-valve": False, "hufa-valve": False}
