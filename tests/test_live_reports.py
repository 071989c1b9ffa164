"""Every report counts confirmed links of active firms only, on both stores.

Home 当涂县, chain ``ac``: unit (downstream) <- comp, cap.

- a1 (active) makes unit, confirmed: the only local producer of unit, and local demand
  for comp and cap.
- a2 (closed, 注销) makes cap and a5 (closed, 吊销) makes unit, both confirmed: a closed
  firm is no local producer, demand or supplier.
- a3 makes comp by a *suggested* link, a4 cap by a *rejected* one: neither counts.
- candidates: s1 (上海, comp, confirmed, supplies a1) and s4 (浙江, cap, confirmed) count;
  s2 (江苏, comp, closed, supplies a1) and s3 (浙江, comp, suggested) do not.
"""

from __future__ import annotations

import pytest

import chainmap
from chainmap.errors import ArgumentError

HOME = "安徽省/马鞍山市/当涂县"

LIVE = {
    "products.csv": """\
        id,name,chains,tier
        unit,空调整机,ac,downstream
        comp,压缩机,ac,midstream
        cap,电容器,ac,upstream
        """,
    "inputs.csv": """\
        upstream,downstream
        comp,unit
        cap,unit
        """,
    "companies.csv": """\
        id,name,province,city,district,revenue,登记状态
        a1,当涂整机厂,安徽省,马鞍山市,当涂县,900,存续
        a2,当涂电容厂,安徽省,马鞍山市,当涂县,30,注销
        a3,当涂压缩机厂,安徽省,马鞍山市,当涂县,20,在业
        a4,当涂电容二厂,安徽省,马鞍山市,当涂县,20,
        a5,当涂老整机厂,安徽省,马鞍山市,当涂县,50,"吊销，未注销"
        s1,上海压缩机厂,上海市,上海市,浦东新区,100,active
        s2,江苏压缩机厂,江苏省,苏州市,吴江区,9000,closed
        s3,浙江压缩机厂,浙江省,宁波市,鄞州区,5000,
        s4,浙江电容厂,浙江省,杭州市,滨江区,10,
        """,
    "capabilities.csv": """\
        company,product,status,evidence,source
        a1,unit,,,
        a2,cap,confirmed,,
        a3,comp,suggested,strong,classify
        a4,cap,rejected,medium,classify
        a5,unit,,,
        s1,comp,,,
        s2,comp,,,
        s3,comp,suggested,weak,classify
        s4,cap,,,
        """,
    "supplies.csv": """\
        supplier,customer,product
        s1,a1,comp
        s2,a1,comp
        a2,a1,cap
        """,
}


def test_gaps(make_ws):
    ws = make_ws(LIVE)
    report = chainmap.gaps(ws, "ac", home=HOME).set_index("product")
    assert report.loc["comp", ["status", "local_producers", "local_demand"]].tolist() == [
        "missing", 0, 1]
    assert report.loc["comp", "candidates"] == ["s1"]
    assert report.loc["cap", ["status", "local_producers", "local_demand"]].tolist() == [
        "missing", 0, 1]
    assert report.loc["cap", "candidates"] == ["s4"]
    assert report.loc["unit", "status"] == "weak"
    assert report.loc["unit", "local_firms"] == ["a1"]


def test_targets(make_ws):
    ws = make_ws(LIVE)
    found = chainmap.targets(ws, "ac", "comp", home=HOME)
    assert found["company"].tolist() == ["s1"]
    assert found["local_customers"].tolist() == [["a1"]]


def test_anchor(make_ws):
    ws = make_ws(LIVE)
    report = chainmap.anchor(ws, "a1", home=HOME)
    inputs = report.inputs.set_index("product")
    assert inputs.loc["cap", "status"] == "missing"
    assert inputs.loc["comp", "status"] == "missing"
    assert set(report.suppliers["company"]) == {"s1"}  # not s2 (closed), not a2 (closed)
    with pytest.raises(ArgumentError, match="closed"):
        chainmap.anchor(ws, "a2", home=HOME)


def test_metrics(make_ws):
    ws = make_ws(LIVE)
    overall = chainmap.metrics(ws, "ac", home=HOME).set_index("tier").loc["overall"]
    assert overall[["products", "missing", "weak", "covered", "local_producers"]].tolist() \
        == [3, 2, 1, 0, 1]


def test_impact(make_ws):
    ws = make_ws(LIVE)
    leaves = chainmap.impact(ws, "a1", home=HOME).products.set_index("product")
    assert leaves.loc["unit", ["before", "after"]].tolist() == ["weak", "missing"]
    lands = chainmap.impact(ws, "s1", home=HOME, add=True).products.set_index("product")
    assert lands.loc["comp", ["before", "after"]].tolist() == ["missing", "weak"]
    # a3's suggested comp is nothing it makes
    assert chainmap.impact(ws, "a3", home=HOME).products.empty
    with pytest.raises(ArgumentError, match="closed"):
        chainmap.impact(ws, "s2", home=HOME, add=True)


def test_graph(make_ws):
    ws = make_ws(LIVE)
    G = chainmap.graph(ws, chain="ac", home=HOME)
    firms = {n for n, d in G.nodes(data=True) if d["kind"] == "firm"}
    assert firms == {"firm:a1", "firm:s1", "firm:s4"}
    makes = {(u, v) for u, v, k in G.edges(keys=True) if k == "makes"}
    assert makes == {("firm:a1", "product:unit"), ("firm:s1", "product:comp"),
                     ("firm:s4", "product:cap")}
    assert G.nodes["product:cap"]["status"] == "missing"
    supplies = {(u, v) for u, v, k in G.edges(keys=True) if k.startswith("supplies")}
    assert supplies == {("firm:s1", "firm:a1")}  # not from s2 or a2 (closed)


def test_check(make_ws):
    ws = make_ws(LIVE)
    report = chainmap.check(ws)
    idle = set(report.loc[report["check"] == "idle-firm", "id"])
    assert idle == {"a3", "a4", "s3"}  # active, no confirmed link; closed firms are not idle
    assert set(report.loc[report["check"] == "unmade-product", "id"]) == set()


def test_tables_keep_everything(make_ws):
    ws = make_ws(LIVE)
    assert len(ws.table("companies")) == 9
    caps = ws.table("capabilities").set_index(["company_id", "product_id"])
    assert caps.loc[("a3", "comp"), ["status", "evidence", "source"]].tolist() == [
        "suggested", "strong", "classify"]
    firms = ws.table("companies").set_index("id")
    assert firms.loc["a5", ["status", "status_raw"]].tolist() == ["closed", "吊销，未注销"]
    assert len(ws._live("capabilities")) == 3
    assert set(ws._live("companies")["id"]) == {"a1", "a3", "a4", "s1", "s3", "s4"}
