"""chainmap.anchor: an anchor firm's inputs, 本地配套率 and known suppliers.

By hand (home 当涂县): anc makes unit and hx. Inputs of unit: comp, cap, hx, fan, motor;
of hx: tube, foil -> 7 input products (hx is also made in house). Local producers:
cap (l1), hx (anc itself), fan (l2, l3); motor is made only in 雨山区 (y1), not here.
So 3 of 7 are supported: 本地配套率 = 3/7. A cycle runs unit -> recyc -> tube -> hx -> unit.
"""

from __future__ import annotations

import pytest

import chainmap
from tests.conftest import make_uscc

HOME = "安徽省/马鞍山市/当涂县"
USCC_ANC = make_uscc("91340521MA2N0X0A9")

ANCHOR = {
    "products.csv": """\
        id,name,chains,tier
        unit,空调整机,ac,downstream
        hx,换热器,ac,midstream
        comp,压缩机,ac,midstream
        cap,电容器,ac,midstream
        fan,风机,ac,midstream
        motor,电机,ac,midstream
        tube,铜管,ac,upstream
        foil,铝箔,ac,upstream
        recyc,回收,ac,downstream
        other,其他,ac,
        """,
    "inputs.csv": """\
        upstream,downstream
        comp,unit
        cap,unit
        hx,unit
        fan,unit
        motor,unit
        tube,hx
        foil,hx
        unit,recyc
        recyc,tube
        """,
    "companies.csv": f"""\
        id,name,uscc,province,city,district,revenue
        anc,当涂链主空调有限公司,{USCC_ANC},安徽省,马鞍山市,当涂县,90000
        l1,当涂电容有限公司,,安徽省,马鞍山市,当涂县,30
        l2,当涂风机一厂,,安徽省,马鞍山市,当涂县,20
        l3,当涂风机二厂,,安徽省,马鞍山市,当涂县,10
        y1,雨山电机厂,,安徽省,马鞍山市,雨山区,10
        s1,上海压缩机厂,,上海市,上海市,浦东新区,100
        j1,江苏贸易公司,,江苏省,南京市,江宁区,50
        g1,广东铝箔厂,,广东省,佛山市,顺德区,999
        """,
    "capabilities.csv": """\
        company,product
        anc,unit
        anc,hx
        l1,cap
        l2,fan
        l3,fan
        y1,motor
        s1,comp
        g1,foil
        g1,other
        """,
    "supplies.csv": """\
        supplier,customer,product
        l1,anc,cap
        s1,anc,comp
        g1,anc,
        y1,anc,motor
        j1,anc,
        l2,l1,fan
        """,
}


@pytest.fixture
def ws(make_ws):
    """The dataset on SQLite, then on Neo4j (tests/stores.py)."""
    return make_ws(ANCHOR)


def test_inputs_by_hand(ws):
    report = chainmap.anchor(ws, "anc", home=HOME)
    inputs = report.inputs
    assert list(inputs.columns) == chainmap.ANCHOR_INPUT_COLUMNS
    # missing first, then weak, then covered; each by product id
    assert inputs["product"].tolist() == ["comp", "foil", "motor", "tube", "cap", "hx", "fan"]
    rows = inputs.set_index("product")
    assert rows["status"].to_dict() == {
        "comp": "missing", "foil": "missing", "motor": "missing", "tube": "missing",
        "cap": "weak", "hx": "weak", "fan": "covered"}
    assert rows["local_producers"].to_dict() == {
        "comp": 0, "foil": 0, "motor": 0, "tube": 0, "cap": 1, "hx": 1, "fan": 2}
    assert rows.loc["fan", "local_firms"] == ["l2", "l3"]
    assert rows.loc["hx", "local_firms"] == ["anc"] and bool(rows.loc["hx", "in_house"])
    assert rows.loc["tube", "used_for"] == ["hx"] and rows.loc["comp", "used_for"] == ["unit"]
    # the row without a product (g1 -> anc) stands for foil, the input g1 makes
    assert rows["suppliers"].to_dict() == {
        "comp": ["s1"], "foil": ["g1"], "motor": ["y1"], "tube": [], "cap": ["l1"],
        "hx": [], "fan": []}
    assert rows["known_supplier"].to_dict() == {
        "comp": True, "foil": True, "motor": True, "tube": False, "cap": True, "hx": False,
        "fan": False}


def test_supporting_rate_by_hand(ws):
    report = chainmap.anchor(ws, "anc", home=HOME)
    assert report.supporting_rate == pytest.approx(3 / 7)
    assert "本地配套率" in report.definition and HOME in report.definition
    summary = report.summary.iloc[0]
    assert (summary["input_products"], summary["supported"]) == (7, 3)
    assert list(report.summary.columns) == chainmap.ANCHOR_SUMMARY_COLUMNS
    assert str(report) == ("当涂链主空调有限公司 (anc) at 安徽省/马鞍山市/当涂县: 本地配套率 "
                           "42.9% (3 of 7 input products), 5 known supplier(s)")
    # with the whole city as home, motor (雨山区) is made locally too
    assert chainmap.anchor(ws, "anc", home="马鞍山市").supporting_rate == pytest.approx(4 / 7)


def test_suppliers_split(ws):
    suppliers = chainmap.anchor(ws, "anc", home=HOME).suppliers
    assert list(suppliers.columns) == chainmap.ANCHOR_SUPPLIER_COLUMNS
    # local, then 苏浙沪, then elsewhere; each by revenue descending
    assert suppliers[["company", "where"]].values.tolist() == [
        ["l1", "local"], ["s1", "targets"], ["j1", "targets"], ["g1", "elsewhere"],
        ["y1", "elsewhere"]]
    rows = suppliers.set_index("company")
    assert rows.loc["g1", "supplied"] == ["foil"]  # inferred: not 'other', not an input
    assert rows.loc["j1", "supplied"] == []  # nothing it makes is an input of anc
    assert rows.loc["s1", "region"] == "上海市/浦东新区"
    other = chainmap.anchor(ws, "anc", home=HOME, targets="广东").suppliers
    assert other.set_index("company")["where"].to_dict() == {
        "l1": "local", "g1": "targets", "s1": "elsewhere", "j1": "elsewhere",
        "y1": "elsewhere"}


def test_firm_by_uscc_or_name(ws):
    by_id = chainmap.anchor(ws, "anc", home=HOME)
    for key in (USCC_ANC, USCC_ANC.lower(), "当涂链主空调有限公司"):
        assert chainmap.anchor(ws, key, home=HOME).inputs.equals(by_id.inputs)
    with pytest.raises(chainmap.NotFoundError, match="unknown firm 'nope'"):
        chainmap.anchor(ws, "nope", home=HOME)


def test_weak_threshold(ws):
    rows = chainmap.anchor(ws, "anc", home=HOME, weak_threshold=3).inputs.set_index("product")
    assert rows.loc["fan", "status"] == "weak"


def test_firm_without_inputs(ws):
    report = chainmap.anchor(ws, "l1", home=HOME)  # cap has no inputs on record
    assert report.inputs.empty and list(report.inputs.columns) == \
        chainmap.ANCHOR_INPUT_COLUMNS
    assert report.supporting_rate != report.supporting_rate  # NaN
    assert report.suppliers["company"].tolist() == ["l2"]
