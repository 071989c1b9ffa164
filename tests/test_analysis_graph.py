"""chainmap.graph: products, firms and their edges as a networkx MultiDiGraph."""

from __future__ import annotations

import networkx as nx
import pytest

import chainmap

HOME = "安徽省/马鞍山市/当涂县"

# 'cap' is both a product id and a firm id; a -> b -> c -> a is a cycle in chain k1
GRAPH = {
    "chains.csv": """\
        id,name,name_en
        k1,空调,AC
        k2,医药,Pharma
        """,
    "products.csv": """\
        id,name,name_en,chains,tier
        a,产品A,Product A,k1,upstream
        b,产品B,,k1,
        c,产品C,Product C,k1,downstream
        cap,电容器,capacitor,k1,midstream
        m,药品,medicine,k2,downstream
        """,
    "inputs.csv": """\
        upstream,downstream
        a,b
        b,c
        c,a
        cap,c
        cap,m
        """,
    "companies.csv": """\
        id,name,province,city,district,revenue
        cap,当涂电容厂,安徽省,马鞍山市,当涂县,12.5
        w,当涂整机厂,安徽省,马鞍山市,当涂县,
        s,上海A厂,上海市,上海市,浦东新区,100
        ph,药厂,江苏省,南京市,江宁区,5
        """,
    "capabilities.csv": """\
        company,product
        cap,cap
        w,c
        s,a
        s,cap
        ph,m
        """,
    "supplies.csv": """\
        supplier,customer,product
        cap,w,cap
        s,w,a
        s,w,
        cap,ph,cap
        s,w,m
        """,
}


@pytest.fixture
def ws(make_ws):
    """The dataset on SQLite, then on Neo4j (tests/stores.py)."""
    return make_ws(GRAPH)


def edges(G, kind):
    return sorted((u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d["kind"] == kind)


def test_chain_graph(ws):
    G = chainmap.graph(ws, chain="空调", home=HOME)
    assert isinstance(G, nx.MultiDiGraph)
    assert sorted(G.nodes) == ["firm:cap", "firm:s", "firm:w", "product:a", "product:b",
                               "product:c", "product:cap"]
    assert G.nodes["product:cap"] == {
        "product": "cap", "name": "电容器", "name_en": "capacitor", "tier": "midstream",
        "kind": "product", "label": "电容器", "local_producers": 1, "status": "weak"}
    assert "tier" not in G.nodes["product:b"] and "name_en" not in G.nodes["product:b"]
    assert G.nodes["product:a"]["status"] == "missing"
    assert G.nodes["firm:cap"] == {
        "company": "cap", "name": "当涂电容厂", "province": "安徽省", "revenue": 12.5,
        "kind": "firm", "label": "当涂电容厂", "region": "安徽省/马鞍山市/当涂县",
        "local": True}
    assert "revenue" not in G.nodes["firm:w"]
    assert G.nodes["firm:s"]["local"] is False
    assert G.graph == {"chain": "k1", "home": HOME}
    assert edges(G, "input") == [
        ("product:a", "product:b", "input"), ("product:b", "product:c", "input"),
        ("product:c", "product:a", "input"), ("product:cap", "product:c", "input")]
    assert edges(G, "makes") == [
        ("firm:cap", "product:cap", "makes"), ("firm:s", "product:a", "makes"),
        ("firm:s", "product:cap", "makes"), ("firm:w", "product:c", "makes")]
    # supplies among the chain's firms: not to ph (k2 only), not of m (a k2 product)
    assert edges(G, "supplies") == [
        ("firm:cap", "firm:w", "supplies:cap"), ("firm:s", "firm:w", "supplies"),
        ("firm:s", "firm:w", "supplies:a")]
    assert G.edges["firm:s", "firm:w", "supplies:a"]["product"] == "a"
    assert "product" not in G.edges["firm:s", "firm:w", "supplies"]


def test_whole_workspace_and_no_firms(ws):
    G = chainmap.graph(ws, home=HOME)
    assert G.number_of_nodes() == 5 + 4 and len(edges(G, "supplies")) == 5
    assert G.nodes["firm:ph"]["local"] is False
    products = chainmap.graph(ws, firms=False, home=HOME)
    assert all(d["kind"] == "product" for _, d in products.nodes(data=True))
    assert products.number_of_edges() == 5


def test_without_home_no_status(make_ws):
    ws = make_ws(GRAPH, fresh=True)  # writes the home: a database of its own on Neo4j
    G = chainmap.graph(ws, chain="k1")
    assert "status" not in G.nodes["product:a"] and "local" not in G.nodes["firm:w"]
    ws.set_home(HOME)
    assert chainmap.graph(ws, chain="k1").nodes["product:a"]["status"] == "missing"


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_written_and_read_back(ws, tmp_path, suffix):
    G = chainmap.graph(ws, chain="k1", home=HOME)
    path = chainmap.write_graph(G, tmp_path / f"chain{suffix}")
    back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    assert sorted(back.nodes) == sorted(G.nodes)
    assert back.number_of_edges() == G.number_of_edges()
    assert back.nodes["product:cap"]["status"] == "weak"
    assert back.nodes["firm:cap"]["local"] is True
    assert back.nodes["firm:cap"]["revenue"] == 12.5
    assert sorted(k for _, _, k in back.edges(keys=True)) == sorted(
        k for _, _, k in G.edges(keys=True))


def test_attribute_values_are_plain(ws):
    G = chainmap.graph(ws, home=HOME)
    values = [v for _, d in G.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in G.edges(data=True) for v in d.values()]
    assert {type(v) for v in values} <= {str, int, float, bool}


def test_errors(ws, tmp_path):
    with pytest.raises(chainmap.ChainmapError) as err:
        chainmap.write_graph(chainmap.graph(ws), tmp_path / "g.txt")
    assert str(err.value) == "cannot write a graph to 'g.txt': give a file ending in " \
        ".graphml or .gexf"
    with pytest.raises(chainmap.NotFoundError, match="unknown chain 'zz'"):
        chainmap.graph(ws, chain="zz")
