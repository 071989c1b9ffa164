"""chainmap.impact: what breaks if a local firm leaves, what closes if a target lands.

By hand (home 当涂县): f makes p, q, r, x, z. Local makers: p: f; q: f, l2, l3; r: f, l2;
x: f, l3; z: f, cw. The customer cu makes u (inputs p, q, r, n); u -> p closes a cycle.
f supplies cu with p (named), and with no product named (= p, q, r: what f makes that
cu takes as input); cv with r (l2 also makes r); cw with z (cw makes z itself); e1, a
firm elsewhere, with p. t (江苏) makes p, r and n (nobody here makes n); it supplies cu.
"""

from __future__ import annotations

import pytest

import chainmap

HOME = "安徽省/马鞍山市/当涂县"

IMPACT = {
    "products.csv": """\
        id,name,chains,tier
        p,产品P,c1,upstream
        q,产品Q,c1,midstream
        r,产品R,c1,midstream
        z,产品Z,c1,midstream
        u,产品U,c1,downstream
        n,产品N,c1,upstream
        x,产品X,c2,midstream
        """,
    "inputs.csv": """\
        upstream,downstream
        p,u
        q,u
        r,u
        n,u
        u,p
        """,
    "companies.csv": """\
        id,name,province,city,district
        f,当涂F厂,安徽省,马鞍山市,当涂县
        l2,当涂L2厂,安徽省,马鞍山市,当涂县
        l3,当涂L3厂,安徽省,马鞍山市,当涂县
        cu,当涂客户U,安徽省,马鞍山市,当涂县
        cv,当涂客户V,安徽省,马鞍山市,当涂县
        cw,当涂客户W,安徽省,马鞍山市,当涂县
        e1,芜湖客户,安徽省,芜湖市,鸠江区
        t,江苏T厂,江苏省,苏州市,吴江区
        """,
    "capabilities.csv": """\
        company,product
        f,p
        f,q
        f,r
        f,x
        f,z
        l2,q
        l3,q
        l2,r
        l3,x
        cw,z
        cu,u
        t,p
        t,r
        t,n
        """,
    "supplies.csv": """\
        supplier,customer,product
        f,cu,p
        f,cu,
        f,cv,r
        f,cw,z
        f,e1,p
        t,cu,
        """,
}


@pytest.fixture
def ws(make_ws):
    """The dataset on SQLite, then on Neo4j (tests/stores.py)."""
    return make_ws(IMPACT)


def test_leaving_by_hand(ws):
    report = chainmap.impact(ws, "f", home=HOME)
    products = report.products
    assert list(products.columns) == chainmap.IMPACT_PRODUCT_COLUMNS
    # changed first, by the new status (missing, weak), then id; unchanged last
    assert products[["product", "before", "after", "local_producers_before",
                     "local_producers_after", "changed"]].values.tolist() == [
        ["p", "weak", "missing", 1, 0, True],
        ["r", "covered", "weak", 2, 1, True],
        ["x", "covered", "weak", 2, 1, True],
        ["z", "covered", "weak", 2, 1, True],
        ["q", "covered", "covered", 3, 2, False],
    ]
    customers = report.customers
    assert list(customers.columns) == chainmap.IMPACT_CUSTOMER_COLUMNS
    assert customers.values.tolist() == [
        ["cu", "当涂客户U", "p", "产品P", "loses its only local supplier"]]
    assert str(report).startswith("If 当涂F厂 (f) leaves 安徽省/马鞍山市/当涂县: 4 product(s) "
                                  "change status (p weak → missing, r covered → weak")


def test_leaving_one_chain(ws):
    report = chainmap.impact(ws, "f", home=HOME, chain="c2")
    assert report.products["product"].tolist() == ["x"]
    assert report.customers.empty
    assert chainmap.impact(ws, "f", home=HOME, chain="c1").products["product"].tolist() == [
        "p", "r", "z", "q"]


def test_weak_threshold(ws):
    report = chainmap.impact(ws, "f", home=HOME, weak_threshold=3)
    rows = report.products.set_index("product")
    assert rows.loc["q", ["before", "after"]].tolist() == ["covered", "weak"]


def test_landing_by_hand(ws):
    report = chainmap.impact(ws, "t", home=HOME, add=True)
    assert report.products[["product", "before", "after", "local_producers_after",
                            "changed"]].values.tolist() == [
        ["n", "missing", "weak", 1, True],
        ["p", "weak", "covered", 2, True],
        ["r", "covered", "covered", 3, False],
    ]
    # t -> cu names no product: it stands for p, r and n, of which only n is missing
    assert report.customers[["customer", "product", "effect"]].values.tolist() == [
        ["cu", "n", "gains its first local supplier"]]
    assert report.action == "lands in"


def test_refusals(ws):
    with pytest.raises(ValueError) as err:
        chainmap.impact(ws, "t", home=HOME)
    assert str(err.value) == ("江苏T厂 (t) is not in 安徽省/马鞍山市/当涂县, so its leaving "
                              "changes nothing there; use add=True to see what its arrival "
                              "would change")
    assert isinstance(err.value, chainmap.ChainmapError) and err.value.parameter == "add"
    with pytest.raises(chainmap.ChainmapError) as err:
        chainmap.impact(ws, "f", home=HOME, add=True)
    assert str(err.value) == ("当涂F厂 (f) is already in 安徽省/马鞍山市/当涂县; drop add=True to "
                              "see what its leaving would change")
    # at the scale of the province, e1 (芜湖) is local and may leave
    assert chainmap.impact(ws, "e1", home="安徽省").products.empty
