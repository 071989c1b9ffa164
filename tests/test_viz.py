"""chainmap.viz: the chain map (layout, colours, firms, grouping), offline and escaped."""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

import chainmap
import chainmap.viz as viz  # noqa: E402
from chainmap.errors import ChainmapError
from tests.conftest import write_files

HOME = "安徽省/马鞍山市/当涂县"
SAMPLE_CHAIN = "智能家电"

#: Names that would run script if they ever became markup.
HOSTILE = [
    "<img src=x onerror=document.title='pwned'>",
    "<a href=javascript:alert(1)>x</a>",
    "</script><script>document.title='pwned'</script>",
    "\"quoted\" 'single' `back${1}tick` & <!-- </style>",
    "line\u2028sep\u2029para <svg onload=alert(1)>",
]


def write_csv(folder: Path, name: str, header: list[str], rows: list[list]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def hostile_dataset(folder: Path) -> Path:
    """A chain whose chain, product and firm names (and some ids) are hostile."""
    write_csv(folder, "chains.csv", ["id", "name", "name_en"],
              [["evil", HOSTILE[2], HOSTILE[0]]])
    write_csv(folder, "products.csv", ["id", "name", "name_en", "chains", "tier"], [
        ["raw", HOSTILE[0], HOSTILE[1], "evil", "upstream"],
        ["<b>mid</b>", HOSTILE[2], HOSTILE[3], "evil", "midstream"],
        ["end", HOSTILE[3], "", "evil", "downstream"],
        ["odd", HOSTILE[4], HOSTILE[4], "evil", ""],
    ])
    write_csv(folder, "inputs.csv", ["upstream", "downstream"],
              [["raw", "<b>mid</b>"], ["<b>mid</b>", "end"], ["odd", "end"]])
    write_csv(folder, "companies.csv", ["id", "name", "province", "city", "district"], [
        ["x1", HOSTILE[0], "安徽省", "马鞍山市", "当涂县"],
        ["<i>x2</i>", HOSTILE[2], "安徽省", "马鞍山市", "当涂县"],
        ["x3", HOSTILE[1], "上海市", "上海市", "浦东新区"],
        ["x4", HOSTILE[3], "江苏省", "南京市", "江宁区"],
    ])
    write_csv(folder, "capabilities.csv", ["company", "product"], [
        ["x1", "<b>mid</b>"], ["<i>x2</i>", "end"], ["x3", "raw"], ["x4", "<b>mid</b>"],
        ["x4", "odd"],
    ])
    return folder


def big_dataset(folder: Path, n_firms: int = 5000, n_products: int = 60) -> Path:
    """One chain of ``n_products`` products and ``n_firms`` local firms (and 50 outside)."""
    tiers = ("upstream", "midstream", "downstream")
    products = [[f"p{i:03d}", f"产品{i:03d}", f"Product {i}", "big", tiers[i % 3]]
                for i in range(n_products)]
    write_csv(folder, "chains.csv", ["id", "name", "name_en"], [["big", "大链", "Big"]])
    write_csv(folder, "products.csv", ["id", "name", "name_en", "chains", "tier"], products)
    inputs = [[f"p{i:03d}", f"p{j:03d}"] for i in range(n_products) for j in range(n_products)
              if i % 3 < j % 3 and (i + j) % 7 == 0]
    write_csv(folder, "inputs.csv", ["upstream", "downstream"], inputs)
    firms = [[f"f{k:05d}", f"本地企业{k:05d}有限公司", "安徽省", "马鞍山市", "当涂县"]
             for k in range(n_firms)]
    firms += [[f"t{k:03d}", f"江苏企业{k:03d}有限公司", "江苏省", "南京市", "江宁区"]
              for k in range(50)]
    write_csv(folder, "companies.csv", ["id", "name", "province", "city", "district"], firms)
    # products 0..9 have no local firm (missing), 10..14 one (weak), the rest many
    caps = [[f"f{k:05d}", f"p{15 + k % (n_products - 15):03d}"] for k in range(n_firms - 5)]
    caps += [[f"f{n_firms - 5 + k:05d}", f"p{10 + k:03d}"] for k in range(5)]
    caps += [[f"t{k:03d}", f"p{k % 15:03d}"] for k in range(50)]
    write_csv(folder, "capabilities.csv", ["company", "product"], caps)
    return folder


@pytest.fixture(scope="module")
def sample():
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, chainmap.sample_path())
    yield ws
    ws.close()


@pytest.fixture
def hostile(tmp_path):
    ws = chainmap.open(tmp_path / "evil.db")
    chainmap.import_dataset(ws, hostile_dataset(tmp_path / "evil"))
    yield ws
    ws.close()


def products_of(net) -> dict[str, dict]:
    return {n["product"]: n for n in net.nodes if n["kind"] == "product"}


def data_block(page: str):
    """The JSON graph data of a page, parsed back."""
    m = re.search(r'<script type="application/json" id="chainmap-data">(.*?)</script>', page,
                  re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


# -- the map ------------------------------------------------------------------------------
def test_products_status_colour_size_and_tier_columns(sample):
    report = chainmap.gaps(sample, SAMPLE_CHAIN, home=HOME)
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, date="2025-06-01")
    assert isinstance(net, viz.Network) and net.num_nodes() == len(report) == 32
    assert net.title == "智能家电 产业链图谱 · 安徽省/马鞍山市/当涂县 · 2025-06-01"
    nodes = products_of(net)
    assert set(nodes) == set(report["product"])
    for row in report.itertuples():
        node = nodes[row.product]
        assert node["status"] == row.status and node["color"] == viz.COLORS[row.status]
        assert node["label"] == row.name and node["shape"] == "dot"
        assert node["physics"] is False
        assert row.name in node["title"] and str(row.local_demand) in node["title"]
    # sized by local demand (monotone), upstream left of midstream left of downstream
    by_demand = sorted(report.itertuples(), key=lambda r: r.local_demand)
    sizes = [nodes[r.product]["size"] for r in by_demand]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    xs = {t: {nodes[r.product]["x"] for r in report.itertuples() if r.tier == t}
          for t in ("upstream", "midstream", "downstream")}
    # each tier a band of one or more sub-columns, left to right
    assert max(xs["upstream"]) < min(xs["midstream"]) <= max(xs["midstream"]) \
        < min(xs["downstream"])
    assert all(len(v) <= 3 for v in xs.values())
    # no two products on one spot; input edges only, product -> product
    assert len({(n["x"], n["y"]) for n in nodes.values()}) == 32
    assert {e["kind"] for e in net.edges} == {"input"}
    assert all(e["from"].startswith("p:") and e["to"].startswith("p:") for e in net.edges)
    assert net.options["physics"] == {"enabled": False}
    assert net.report is not None and net.report.equals(report)


def test_statuses_come_from_gaps(sample, monkeypatch):
    """The map draws what chainmap.gaps says; it does not recount."""
    import chainmap.analysis as analysis

    real = analysis.gaps

    def fake(*args, **kwargs):
        frame = real(*args, **kwargs)
        frame.loc[frame["product"] == "capacitor", "status"] = "covered"
        return frame

    monkeypatch.setattr(analysis, "gaps", fake)
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME)
    assert net.get_node("p:capacitor")["status"] == "covered"


def test_weak_threshold_and_targets(sample):
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, weak_threshold=3)
    report = chainmap.gaps(sample, SAMPLE_CHAIN, home=HOME, weak_threshold=3)
    assert {p: n["status"] for p, n in products_of(net).items()} == \
        dict(zip(report["product"], report["status"]))
    only_sh = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, targets="上海", firms=True)
    cands = [n for n in only_sh.nodes if n["kind"] == "candidate"]
    assert cands and all("上海市" in n["title"] for n in cands)


def test_firms_local_and_top_candidates(sample):
    report = chainmap.gaps(sample, SAMPLE_CHAIN, home=HOME)
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True, top=3)
    local = {f for firms in report["local_firms"] for f in firms}
    gap = report[report["status"] != "covered"]
    cands = {f for c in gap["candidates"] for f in c[:3]}
    kinds = {n["id"]: n["kind"] for n in net.nodes}
    assert {k[2:] for k, v in kinds.items() if v == "local"} == local
    assert {k[2:] for k, v in kinds.items() if v == "candidate"} == cands
    assert net.num_nodes() == 32 + len(local) + len(cands) and not net.aggregated
    haoyue = net.get_node("f:haoyue")
    assert (haoyue["shape"], haoyue["color"]) == ("square", viz.COLORS["local"])
    assert "电容器" in haoyue["title"] and "本地企业 local firm" in haoyue["title"]
    first = gap.set_index("product").loc["capacitor", "candidates"][0]
    cand = net.get_node(f"f:{first}")
    assert cand["shape"] == "diamond" and "电容器 (#1)" in cand["title"]
    makes = {(e["from"], e["to"]) for e in net.edges if e["kind"] == "makes"}
    expected = {(f"f:{f}", f"p:{p}") for p, fs in zip(report["product"], report["local_firms"])
                for f in fs}
    expected |= {(f"f:{f}", f"p:{p}") for p, c in zip(gap["product"], gap["candidates"])
                 for f in c[:3]}
    assert makes == expected
    # a firm sits left of (one of) its products
    assert haoyue["x"] < net.get_node("p:capacitor")["x"]
    assert viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True, top=0).num_nodes() \
        == 32 + len(local)


def test_legend_and_columns(sample):
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True)
    texts = [item["text"] for item in net.legend]
    assert any("缺链" in t for t in texts) and any("候选企业" in t for t in texts)
    assert [c["label"] for c in net.columns] == ["上游 upstream", "中游 midstream",
                                                 "下游 downstream"]
    plain = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME)
    assert not any("候选企业" in item["text"] for item in plain.legend)


def test_errors(sample):
    with pytest.raises(ChainmapError, match="unknown chain 'nope'"):
        viz.chain_map(sample, "nope", home=HOME)
    with pytest.raises(ChainmapError, match="no home region"):
        viz.chain_map(sample, SAMPLE_CHAIN)
    with pytest.raises(ChainmapError, match="^top= must be at least 0"):
        viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, top=-1)
    with pytest.raises(ChainmapError, match="^weak_threshold= must be at least 1"):
        viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, weak_threshold=0)
    with pytest.raises(ChainmapError, match="expected a pyvis Network"):
        viz.to_html({"nodes": []})


# -- layout of products without a tier, and cycles ---------------------------------------
LAYOUT = {
    "chains.csv": """\
        id,name,name_en
        k,链,K
        c,环,Cycle
        """,
    "products.csv": """\
        id,name,name_en,chains,tier
        u,上游品,,k,upstream
        m1,未分1,,k,
        m2,未分2,,k,
        d,下游品,,k,downstream
        tail,尾,,k,
        lone,孤立,,k,
        x,X,,c,
        y,Y,,c,
        z,Z,,c,
        w,W,,c,
        """,
    "inputs.csv": """\
        upstream,downstream
        u,m1
        m1,m2
        m2,d
        d,tail
        x,y
        y,z
        z,x
        z,w
        """,
    "companies.csv": """\
        id,name,province,city,district
        a,当涂A,安徽省,马鞍山市,当涂县
        """,
}


def test_unspecified_tiers_are_placed_between_their_neighbours(tmp_path):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, write_files(tmp_path / "layout", LAYOUT))
    x = {p: n["x"] for p, n in products_of(viz.chain_map(ws, "k", home=HOME)).items()}
    assert x["u"] < x["m1"] < x["m2"] < x["d"] < x["tail"]
    assert x["lone"] > x["tail"] - 1  # touches no tier: to the right of everything


def test_cycles_do_not_hang(tmp_path):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, write_files(tmp_path / "layout", LAYOUT))
    start = time.perf_counter()
    net = viz.chain_map(ws, "c", home=HOME)
    assert time.perf_counter() - start < 5
    x = {p: n["x"] for p, n in products_of(net).items()}
    assert x["x"] == x["y"] == x["z"] < x["w"]  # the cycle is one step of the DAG
    assert len({(n["x"], n["y"]) for n in net.nodes}) == 4


# -- big chains: firms grouped per product ------------------------------------------------
@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = big_dataset(tmp_path_factory.mktemp("big") / "data")
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, folder)
    yield ws
    ws.close()


def test_many_firms_are_grouped_per_product(big, tmp_path):
    start = time.perf_counter()
    net = viz.chain_map(big, "big", home=HOME, firms=True)
    page = viz.write_map(net, tmp_path / "big.html")
    assert time.perf_counter() - start < 10
    assert net.aggregated
    kinds = [n["kind"] for n in net.nodes]
    assert kinds.count("product") == 60
    assert kinds.count("local") == kinds.count("candidate") == 0
    # 50 products have local firms, the 15 gap products have candidates
    assert kinds.count("local-group") == 50 and kinds.count("candidate-group") == 15
    group = net.get_node("agg:local:p015")
    report = chainmap.gaps(big, "big", home=HOME).set_index("product")
    n_local = len(report.loc["p015", "local_firms"])
    assert group["label"] == f"+{n_local} 本地企业" and group["count"] == n_local
    assert f"… 等 {n_local} 家" in group["title"]
    assert net.get_node("agg:candidates:p000")["count"] == report.loc["p000", "n_candidates"]
    assert sum(1 for e in net.edges if e["kind"] == "makes") == 65
    assert page.stat().st_size < 2_000_000


def test_max_firms_threshold(sample):
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True)
    n_firms = net.num_nodes() - 32
    assert not viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True,
                             max_firms=n_firms).aggregated
    assert viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True,
                         max_firms=n_firms - 1).aggregated


# -- offline -----------------------------------------------------------------------------
class _Refs(HTMLParser):
    """Every tag with a src/href/action/srcset attribute, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data"):
                self.refs.append((tag, name, value or ""))


def test_page_requests_nothing(sample, tmp_path):
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME, firms=True)
    page = viz.write_map(net, tmp_path / "map.html").read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(page)
    assert parser.refs == []  # no <script src>, <link href>, <img src> at all
    assert "link" not in parser.tags and "iframe" not in parser.tags
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?\s*(?:https?:)?//", page, re.I)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page
    assert "tom-select" not in page.lower() and "TomSelect" not in page
    # vis-network itself is inline, and the CSP forbids any request
    assert "vis.Network" in page and "vis-network" in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    scripts = re.findall(r"<script\b([^>]*)>", page)
    assert parser.tags.count("script") == 3 and len(scripts) == 4  # one "<script" is in vis' JS
    assert all(f'nonce="{nonce}"' in s or 'type="application/json"' in s
               for s in scripts[:1] + scripts[2:])


def test_plain_pyvis_network_is_written_offline_and_escaped(tmp_path):
    from pyvis.network import Network

    net = Network(heading=HOSTILE[0])
    net.add_node(1, label=HOSTILE[2], title=HOSTILE[1])
    net.add_node(2, label="b", title="<b>href</b>")
    net.add_edge(1, 2, title=HOSTILE[3])
    page = viz.write_map(net, tmp_path / "plain.html").read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(page)
    assert parser.refs == [] and "img" not in parser.tags and "a" not in parser.tags
    assert html.unescape(re.search(r"<title>(.*?)</title>", page).group(1)) == HOSTILE[0]
    data = data_block(page)
    assert data["nodes"][0]["label"] == HOSTILE[2] and data["nodes"][0]["title"] == HOSTILE[1]
    assert "popup.innerHTML" not in page  # pyvis's HTML popup is never used


# -- no name becomes markup ---------------------------------------------------------------
def test_hostile_names_are_escaped(hostile, tmp_path):
    net = viz.chain_map(hostile, "evil", home=HOME, firms=True, date="2025-01-01")
    assert net.num_nodes() == 4 + 4
    page = viz.write_map(net, tmp_path / "evil.html").read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(page)
    assert parser.refs == []
    assert sorted(set(parser.tags)) == sorted({"html", "head", "meta", "title", "style", "body",
                                               "div", "h1", "p", "b", "span", "script",
                                               "input", "button"})
    assert parser.tags.count("script") == 3 and page.lower().count("</script") == 3
    assert "<img" not in page and "<svg" not in page and "<a " not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert html.unescape(re.search(r"<h1>(.*?)</h1>", page).group(1)) == net.title
    assert HOSTILE[2] in net.title
    data = data_block(page)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["p:raw"] == HOSTILE[0] and labels["p:<b>mid</b>"] == HOSTILE[2]
    titles = "\n".join(n["title"] for n in data["nodes"])
    assert all(h in titles for h in HOSTILE)  # verbatim in the data, as text
    assert {n["id"]: n["title"] for n in data["nodes"]}["p:raw"].startswith(HOSTILE[0])


def test_script_json_escapes_what_html_would_see():
    text = viz.script_json({"a": "</script><!--<b>&\u2028\u2029", "n": float("nan")})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!--<b>&\u2028\u2029", "n": None}


# -- Jupyter -----------------------------------------------------------------------------
class _Iframe(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_notebook_repr_is_a_sandboxed_srcdoc_iframe(hostile):
    net = viz.chain_map(hostile, "evil", home=HOME, firms=True)
    out = net._repr_html_()
    parser = _Iframe()
    parser.feed(out)
    assert parser.tags == ["iframe"] and len(parser.frames) == 1
    frame = parser.frames[0]
    assert frame["sandbox"] == "allow-scripts"  # no allow-same-origin: no notebook access
    assert frame["srcdoc"].startswith("<!DOCTYPE html>")
    assert data_block(frame["srcdoc"])["nodes"][0]["label"] == net.nodes[0]["label"]
    assert "<" not in out[len("<iframe "):out.index(">")]  # the page stays inside the attr


# -- writing ------------------------------------------------------------------------------
def test_write_map_is_atomic(sample, tmp_path):
    net = viz.chain_map(sample, SAMPLE_CHAIN, home=HOME)
    target = tmp_path / "m.html"
    target.write_text("old", encoding="utf-8")
    assert viz.write_map(net, str(target)) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]
    with pytest.raises(ChainmapError, match="cannot write"):
        viz.write_map(net, tmp_path / "missing" / "m.html")
    net.write_html(str(tmp_path / "via-pyvis.html"))  # pyvis's own method: same page
    assert "vis.Network" in (tmp_path / "via-pyvis.html").read_text(encoding="utf-8")
    assert not (tmp_path / "lib").exists() and not Path("lib/vis-9.1.2").exists()


def test_import_chainmap_does_not_import_pyvis():
    code = ("import sys, chainmap, chainmap.cli; "
            "print('pyvis' in sys.modules, 'IPython' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]
