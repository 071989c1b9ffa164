"""Chain maps: a chain's products laid out upstream to downstream, as an offline pyvis page.

:func:`chain_map` draws a chain at the home zone: products in tier columns (上游, 中游,
下游) from left to right, coloured by their gap status from :func:`chainmap.gaps` (缺链
red, 弱链 amber, covered green) and sized by local demand; optionally the local firms and
the top candidates for each gap as a second kind of node. It returns a pyvis
:class:`~pyvis.network.Network` (a :class:`ChainMapNetwork`) that shows inline in
Jupyter; :func:`write_map` writes it as one HTML file.

The page has a search box (product or firm, Chinese or English name or id: it and its
neighbours stay lit, the rest dims) and shows a node's card when it is clicked; both
write names with ``textContent`` only. It works with no network at all (政务内网):
vis-network's JS and CSS are inlined from the copy pyvis ships, and a
Content-Security-Policy forbids every request. Names come from imported spreadsheets, so
none may become markup: HTML text is escaped, the
graph data travels as JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped and is
read with ``JSON.parse``, and tooltips are plain text (vis-network 9 shows a string
``title`` with ``innerText``).

The page speaks the language of the moment the map is made
(:func:`chainmap.i18n.language`): Chinese alone under ``zh``; otherwise it is
bilingual, each word in Chinese then English (``状态 status: 弱链 weak``). Its words are
``word`` labels and messages of the catalogue.

pyvis is imported here, not by ``import chainmap``.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from .errors import ArgumentError, ChainmapError
from .i18n import N_, _, label, language, translate
from .labels import STATUS_ZH, TIER_ZH, UNSPECIFIED, tier_key

try:  # pyvis (and the IPython it imports) is heavy: only users of this module pay for it
    from pyvis.network import Network
except ImportError as _exc:  # pragma: no cover - pyvis is a dependency
    raise ChainmapError(_("chainmap.viz needs pyvis: pip install pyvis")) from _exc

if TYPE_CHECKING:
    from jinja2 import Template

    from .regions import Region
    from .workspace import Workspace

__all__ = ["COLORS", "ChainMapNetwork", "chain_map", "notebook_html", "script_json", "to_html",
           "write_map"]

#: Fill colours: product status, then the two kinds of firm node.
COLORS = {"missing": "#d62728", "weak": "#f2a900", "covered": "#2ca02c",
          "local": "#1f77b4", "candidate": "#8e5bc4"}
#: Column (order, left to right) of each tier.
TIER_COLUMN = {"upstream": 0, "midstream": 1, "downstream": 2}
#: The window the opening view is laid out for (a laptop browser): the drawing's
#: proportions follow it, so that it fills the width at a zoom where labels are readable.
VIEW = (1400, 780)
#: Label sizes (canvas px) and colours: products, then firms.
PRODUCT_FONT: dict[str, Any] = {"size": 18, "color": "#111111", "strokeWidth": 4,
                                "strokeColor": "#ffffff"}
FIRM_FONT: dict[str, Any] = {"size": 15, "color": "#222222", "strokeWidth": 3,
                             "strokeColor": "#ffffff"}
#: The smallest zoom at which labels are readable: products 12 px, firms 11 px (plus 3%).
MIN_SCALE = round(1.03 * max(12 / PRODUCT_FONT["size"], 11 / FIRM_FONT["size"]), 3)
#: The zoom the layout needs at least, when it can: then it takes the fewest columns.
COMFORT_SCALE = 0.78
PRODUCT_WIDTH = 190  # the product's part of a cell; longer names wrap
ROW_HEIGHT = 86
TIER_GAP = 80
FIRM_DX = 130
FIRM_DY = 48
FIRMS_PER_ROW = 2
#: Names listed at most in one tooltip before "… and N more".
TOOLTIP_NAMES = 15


class ChainMapNetwork(Network):
    """A pyvis network that renders as chainmap's offline, escaped page.

    :meth:`generate_html`, :meth:`write_html` (and so pyvis's ``show`` and
    ``save_graph``) give the page :func:`to_html` makes; in Jupyter the object shows
    inline (``_repr_html_``: a sandboxed iframe holding that page). Besides pyvis's
    attributes it keeps ``report`` (the :func:`chainmap.gaps` frame it was drawn from),
    ``chain``, ``home``, ``aggregated`` (firms grouped per product) and the page's
    ``title``, ``subtitle``, ``legend`` and ``columns`` (tier headings).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("directed", True)
        kwargs.setdefault("cdn_resources", "in_line")
        super().__init__(**kwargs)
        self.report: pd.DataFrame | None = None
        self.chain = self.home = self.title = self.subtitle = ""
        self.aggregated = False
        self.legend: list[dict] = []
        self.columns: list[dict] = []
        self._index: dict[str, dict] = {}
        self.view: dict[str, float] = {}  # the opening view: min_scale
        self.lang = "zh" if language() == "zh" else "both"  # the page's language

    # pyvis's add_node/add_edge scan lists; a map of a big chain adds thousands of rows
    def _add_node(self, node_id: str, **options: Any) -> None:
        options = {"id": node_id, **options}
        self.nodes.append(options)
        self.node_ids.append(node_id)
        self.node_map[node_id] = options

    def _add_edge(self, source: str, to: str, **options: Any) -> None:
        self.edges.append({"from": source, "to": to, **options})

    def generate_html(self, name: str = "index.html", local: bool = True,
                      notebook: bool = False) -> str:
        """The offline page (the arguments are pyvis's and ignored)."""
        self.html = to_html(self)
        return self.html

    def write_html(self, name: str | os.PathLike[str], local: bool = True, notebook: bool = False,
                   open_browser: bool = False) -> None:
        """Write the offline page to ``name`` (atomically); pyvis's signature."""
        path = write_map(self, name)
        if open_browser:  # pragma: no cover - opens a window
            import webbrowser

            webbrowser.open(path.resolve().as_uri())

    def _repr_html_(self) -> str:
        return notebook_html(self)

    def __repr__(self) -> str:
        """The chain, the home zone and the size of the map."""
        return (f"<chainmap.viz.ChainMapNetwork {self.chain!r} at {self.home!r}: "
                f"{self.num_nodes()} nodes, {self.num_edges()} edges>")

    __str__ = __repr__


def chain_map(workspace: Workspace, chain: str, home: str | Region | None = None,
              targets: str | list[str] | None = None, firms: bool = False,
              weak_threshold: int = 2, top: int = 3, max_firms: int = 200,
              height: str = "780px", date: str | _dt.date | None = None) -> ChainMapNetwork:
    """The map of ``chain`` at ``home``: products by tier, gaps coloured, firms optional.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    chain
        Chain id or name (``smart-appliances`` or ``智能家电``).
    home
        The home zone; defaults to the workspace's configured home.
    targets
        Where candidates may be, as in :func:`chainmap.gaps` (default 苏浙沪).
    firms
        Also draw the local firms that make the chain's products and the ``top``
        candidates of each missing or weak product, as square (local) and diamond
        (candidate) nodes with ``makes`` edges to their products.
    weak_threshold
        As in :func:`chainmap.gaps`.
    top
        Candidates drawn per gap product.
    max_firms
        Above this many firm nodes, firms are grouped: one ``+N 本地企业`` node and one
        ``+N 候选企业`` node per product, whose tooltips list the first names.
    height
        CSS height of the drawing.
    date
        The date in the title (default today).

    Returns
    -------
    ChainMapNetwork
        A pyvis network with fixed positions (physics off). Node ids are
        ``p:<product>``, ``f:<firm>``, ``agg:local:<product>`` and
        ``agg:candidates:<product>``; each node carries ``kind`` (``product``,
        ``local``, ``candidate``, ``local-group``, ``candidate-group``), a plain-text
        ``title``, and (products and firms) ``search`` (names and id the page's search box
        matches) and ``card`` (what a click shows); edges carry ``kind`` (``input``
        product -> product it goes into, ``makes`` firm -> product) and, where a straight
        line would cross another node, a curve (``smooth``). The layout fills a 1400x900
        window at a zoom where product labels are at least 12 px and firm labels 11 px;
        a drawing too big for that opens with the width filled, from the top.

    Examples
    --------
    >>> import chainmap, chainmap.viz
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> net = chainmap.viz.chain_map(ws, "智能家电", home="安徽省/马鞍山市/当涂县",
    ...                              date="2025-01-01")
    >>> net.num_nodes(), net.title
    (32, '智能家电 产业链图谱 · 安徽省/马鞍山市/当涂县 · 2025-01-01')
    >>> cap = net.get_node("p:capacitor")
    >>> cap["color"] == chainmap.viz.COLORS["weak"], cap["x"] < net.get_node("p:ac-unit")["x"]
    (True, True)
    >>> print(cap["title"])
    电容器 · Capacitor
    状态 status: 弱链 weak · 环节 tier: 中游 midstream
    本地生产企业 local producers: 1 · 本地需求 local demand: 4 · 候选企业 candidates: 2
    本地企业 local firms: 安徽皓月电气有限公司
    候选 top candidates: 1. 宁波余姚电容器有限公司; 2. 南京高淳电容器有限公司
    编号 id: capacitor
    >>> with_firms = chainmap.viz.chain_map(ws, "智能家电", home="当涂县", firms=True)
    >>> with_firms.get_node("f:haoyue")["kind"], with_firms.get_node("f:haoyue")["shape"]
    ('local', 'square')
    """
    from .analysis.common import target_regions, targets_text

    if int(top) < 0:
        raise ArgumentError(_("top= must be at least 0, not {value}").format(value=top),
                            parameter="top")
    if int(max_firms) < 0:
        raise ArgumentError(_("max_firms= must be at least 0, not {value}").format(
            value=max_firms), parameter="max_firms")
    chain_id = workspace.chain_id(chain)
    home_region = workspace.resolve_home(home)
    report = _gaps(workspace, chain_id, home_region, targets, weak_threshold)
    chains = workspace._table("chains").set_index("id")
    chain_name = str(chains.loc[chain_id, "name"]) if chain_id in chains.index else chain_id
    day = date if date is not None else _dt.date.today()
    day = day.isoformat() if isinstance(day, _dt.date) else str(day)

    net = ChainMapNetwork(height=height, width="100%")
    net.report, net.chain, net.home = report, chain_id, home_region.path
    # the title is Chinese on the bilingual page too, as the zone's own documents name it
    net.title = translate(TITLE, "zh").format(chain=chain_name, home=home_region.path,
                                              date=day)
    regions = target_regions(targets)
    where = targets_text(regions) if _zh() else "、".join(r.name for r in regions)
    counts = report["status"].value_counts()
    parts = [
        _lead(label("word", "products", "zh"), N_("{count} products: {counts}"),
              count=len(report), counts=("，" if _zh() else ", ").join(
                  f"{_code('status', s)} {int(counts.get(s, 0))}"
                  for s in ("missing", "weak", "covered"))),
        _lead(label("word", "weak threshold", "zh"),
              N_("weak below {threshold} local producers"), threshold=int(weak_threshold))]
    if firms:
        parts.append(_lead(label("word", "candidates", "zh"),
                           N_("candidates in {where}, top {top} per gap"), where=where,
                           top=int(top)))
    net.subtitle = " · ".join(parts)

    ids = list(report["product"])
    inputs = workspace._table("inputs")
    id_set = set(ids)
    edges = inputs[inputs["upstream"].isin(id_set) & inputs["downstream"].isin(id_set)]
    edge_list = list(dict.fromkeys(zip(edges["upstream"], edges["downstream"])))
    tiers = dict(zip(report["product"], report["tier"]))
    column = _columns(ids, tiers, edge_list)
    order = _order(ids, column, edge_list)

    attached: dict[str, list[str]] = {p: [] for p in ids}  # product -> firm nodes beside it
    firm_nodes: dict[str, dict] = {}
    firm_edges: list[tuple[str, str, str]] = []
    companies = workspace._live("companies").set_index("id")
    if firms:
        firm_nodes, firm_edges, attached, net.aggregated = _firm_nodes(
            report, companies, order, int(top), int(max_firms))

    products = report.set_index("product")
    sizes = {p: _size(int(products.at[p, "local_demand"])) for p in ids}
    positions, spans = _positions(order, attached, sizes)
    for pid in ids:
        row = products.loc[pid]
        x, y = positions[pid]
        net._add_node(
            f"p:{pid}", label=str(row["name"]), title=_product_title(row, companies["name"]),
            kind="product", product=pid, status=row["status"], shape="dot",
            color=COLORS[row["status"]], size=_size(int(row["local_demand"])),
            x=x, y=y, physics=False, font=dict(PRODUCT_FONT),
            widthConstraint={"maximum": PRODUCT_WIDTH - 20},
            search=[str(row["name"]), str(row["name_en"] or ""), pid],
            card=_product_card(pid, row, companies["name"]))
    for fid, node in firm_nodes.items():
        x, y = positions[fid]
        net._add_node(fid, x=x, y=y, physics=False, **node)
    for u, v in edge_list:
        net._add_edge(f"p:{u}", f"p:{v}", kind="input", arrows="to", width=1.6,
                      color={"color": "#8c8c8c", "highlight": "#333333"},
                      title=f"{products.loc[u, 'name']} → {products.loc[v, 'name']}"
                            f"{_paren(_w('input'))}")
    for fid, pid, title in firm_edges:
        local = firm_nodes[fid]["kind"].startswith("local")
        net._add_edge(fid, f"p:{pid}", kind="makes", arrows="to", width=1, dashes=not local,
                      color={"color": COLORS["local" if local else "candidate"],
                             "opacity": 0.6},
                      title=title)
    _route(net.nodes, net.edges)
    net.options = _options()
    net.columns = _column_headings(spans)
    net.legend = _legend(firms, net.aggregated)
    boxes = list(_boxes(net.nodes).values())
    net.view = {"min_scale": MIN_SCALE} if not boxes else {
        "min_scale": MIN_SCALE, "left": round(min(b[0] for b in boxes), 1),
        "right": round(max(b[2] for b in boxes), 1),
        "top": round(min([b[1] for b in boxes] + [c["y"] - 24 for c in net.columns]), 1),
        "bottom": round(max(b[3] for b in boxes), 1)}
    return net


def _gaps(workspace: Workspace, chain_id: str, home_region: Region,
          targets: str | list[str] | None, weak_threshold: int) -> pd.DataFrame:
    from .analysis import gaps  # the gap report decides every status; nothing is recounted

    return gaps(workspace, chain_id, home=home_region, targets=targets,
                weak_threshold=weak_threshold)


# -- layout ---------------------------------------------------------------------------
def _columns(ids: list[str], tiers: dict[str, str], edges: list[tuple[str, str]]) -> dict:
    """The column (a number ordering the columns left to right) of every product.

    Products with a tier sit in its column (上游 0, 中游 1, 下游 2). The others are placed
    on the condensation of the product graph (so a cycle cannot hang this): between the
    nearest columns known upstream and downstream of them, by how many steps away each
    is; half a column per step beyond the first or last known one; by longest-path
    depth when the chain has no tiers at all; and to the right of everything when they
    touch no product with a tier.
    """
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(ids)
    G.add_edges_from(edges)
    C = nx.condensation(G)
    members = C.graph["mapping"]  # product -> scc
    known: dict[int, list[int]] = {}
    for p in ids:
        if tiers.get(p) in TIER_COLUMN:
            known.setdefault(members[p], []).append(TIER_COLUMN[tiers[p]])
    order = list(nx.topological_sort(C))
    # forward: (furthest-right known column upstream, steps since it); depth
    lo: dict[int, tuple[float | None, int]] = {}
    depth: dict[int, int] = {}
    for s in order:
        preds = list(C.predecessors(s))
        depth[s] = 1 + max((depth[q] for q in preds), default=-1)
        if s in known:
            lo[s] = (max(known[s]), 0)
            continue
        best = [lo[q] for q in preds if lo[q][0] is not None]
        if best:
            col = max(cast(float, b[0]) for b in best)
            lo[s] = (col, 1 + max(b[1] for b in best if b[0] == col))
        else:
            lo[s] = (None, 0)
    hi: dict[int, tuple[float | None, int]] = {}
    for s in reversed(order):
        if s in known:
            hi[s] = (min(known[s]), 0)
            continue
        best = [hi[q] for q in C.successors(s) if hi[q][0] is not None]
        if best:
            col = min(cast(float, b[0]) for b in best)
            hi[s] = (col, 1 + max(b[1] for b in best if b[0] == col))
        else:
            hi[s] = (None, 0)
    any_known = bool(known)
    right = max(TIER_COLUMN.values()) + 1.5
    out = {}
    for p in ids:
        s = members[p]
        if tiers.get(p) in TIER_COLUMN:
            out[p] = float(TIER_COLUMN[tiers[p]])
            continue
        (a, da), (b, db) = lo[s], hi[s]
        if a is not None and b is not None:
            out[p] = a + (b - a) * da / (da + db) if da + db else float(a)
        elif a is not None:
            out[p] = a + 0.5 * da
        elif b is not None:
            out[p] = b - 0.5 * db
        elif any_known:
            out[p] = right + 0.5 * depth[s]
        else:
            out[p] = float(depth[s])
    return out


def _order(ids: list[str], column: dict, edges: list[tuple[str, str]]) -> list:
    """``[(x, [products])]`` by column, left to right.

    Each column is ordered to limit crossings: by the mean place of its upstream
    products already placed, then by id.
    """
    preds: dict[str, list[str]] = {p: [] for p in ids}
    for u, v in edges:
        preds[v].append(u)
    cols: dict[float, list[str]] = {}
    for p in ids:
        cols.setdefault(round(column[p], 3), []).append(p)
    place: dict[str, float] = {}
    result = []
    for x in sorted(cols):
        members = sorted(sorted(cols[x]), key=lambda p: _mean(
            [place[q] for q in preds[p] if q in place]))
        for i, p in enumerate(members):
            place[p] = i - (len(members) - 1) / 2
        result.append((x, members))
    return result


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _positions(order: list, attached: dict[str, list[str]],
               sizes: dict[str, float] | None = None) -> tuple[dict, list[tuple]]:
    """``(x, y)`` of every product and of the firm nodes attached to it; the bands.

    Each column of :func:`_order` (a tier) is a band of one or more sub-columns of cells,
    left to right; a cell is a product with its firms in a grid to its left. A band is
    split into as many sub-columns as make the whole drawing best fill a :data:`VIEW`
    window (the largest zoom at which all of it fits), so that the drawing uses the width
    and labels stay large. Returns the positions and ``(column, x_left, x_right, top)``
    of each band.
    """
    with_firms = any(attached.get(p) for _col, members in order for p in members)
    firm_width = FIRMS_PER_ROW * FIRM_DX if with_firms else 0
    cell_width = PRODUCT_WIDTH + firm_width
    sizes = sizes or {}
    # a cell holds its firm grid, and its product with the label below (room for 2 lines)
    heights = [[max(ROW_HEIGHT, math.ceil(len(attached.get(p, ())) / FIRMS_PER_ROW) * FIRM_DY
                    + 24, 2 * sizes.get(p, 0) + 2 * PRODUCT_FONT["size"] + 24)
                for p in members] for _col, members in order]
    if not heights:
        return {}, []

    def pack(limit: float) -> list[list[list[int]]]:
        """Each band's cells (indices) in sub-columns no taller than ``limit``."""
        bands = []
        for hs in heights:
            cols: list[list[int]] = [[]]
            used = 0.0
            for i, h in enumerate(hs):
                if cols[-1] and used + h > limit:
                    cols.append([])
                    used = 0.0
                cols[-1].append(i)
                used += h
            bands.append(cols)
        return bands

    def size(bands: list) -> tuple[float, float]:
        width = sum(len(cols) for cols in bands) * cell_width + TIER_GAP * (len(bands) - 1)
        height = max(sum(heights[b][i] for i in col) for b, cols in enumerate(bands)
                     for col in cols)
        return width, height + 60  # the tier headings

    tallest = max(h for hs in heights for h in hs)
    limits = sorted({tallest, *(sum(hs) for hs in heights)}
                    | {tallest + k * ROW_HEIGHT / 2
                       for k in range(int(max(sum(hs) for hs in heights) / ROW_HEIGHT * 2) + 1)})
    packings = []
    for limit in limits:
        bands = pack(limit)
        w, h = size(bands)
        packings.append((min(VIEW[0] / w, VIEW[1] / h), sum(map(len, bands)), h, bands))
    # fewest sub-columns at a comfortable zoom (fewer nodes for edges to pass), else the
    # largest zoom; when even that is too small to read, the widest readable packing
    comfortable = [p for p in packings if p[0] >= COMFORT_SCALE]
    if comfortable:
        scale, _, _, bands = min(comfortable, key=lambda p: (p[1], -p[0]))
    else:
        scale, _, _, bands = max(packings, key=lambda p: p[0])
        if scale < MIN_SCALE:  # too big to show whole: fill the width, readable; scroll
            wide = [p for p in packings if VIEW[0] / size(p[3])[0] >= MIN_SCALE]
            if wide:
                bands = min(wide, key=lambda p: p[2])[3]
                scale = min(1.0, VIEW[0] / size(bands)[0])
    total_w, total_h = size(bands)
    # the spare width goes between the tiers: the drawing fills the window, and edges
    # between tiers run in the open corridors
    spare = max(0.0, 0.97 * VIEW[0] / min(scale, 1.0) - total_w)
    gap = TIER_GAP + (spare / (len(bands) - 1) if len(bands) > 1 else 0.0)
    total_w += spare if len(bands) > 1 else 0.0
    top = -total_h / 2 + 60
    pos: dict[str, tuple[float, float]] = {}
    spans = []
    left = -total_w / 2
    for (x, members), hs, cols in zip(order, heights, bands):
        start = left
        for col in cols:
            px = round(left + firm_width + PRODUCT_WIDTH / 2, 1)
            y = top
            for i in col:
                p, slot = members[i], hs[i]
                py = round(y + slot / 2 - 10, 1)
                pos[p] = (px, py)
                firms = attached.get(p, ())
                n_rows = math.ceil(len(firms) / FIRMS_PER_ROW)
                for j, f in enumerate(firms):
                    r, c = divmod(j, FIRMS_PER_ROW)
                    pos[f] = (round(px - PRODUCT_WIDTH / 2 - FIRM_DX / 2 - c * FIRM_DX, 1),
                              round(py + (r - (n_rows - 1) / 2) * FIRM_DY, 1))
                y += slot
            left += cell_width
        spans.append((x, start, left, top))
        left += gap
    return pos, spans


#: Curves tried, in order, for an edge that would cross another node: vis-network's
#: ``smooth`` settings (the first is the map's default, :func:`_options`).
_CURVES: list[dict] = (
    [{}]
    + [{"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": r}
       for r in (0.0, 0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.95)]
    + [{"enabled": True, "type": t, "roundness": r}
       for r in (0.04, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3, 0.36, 0.42, 0.5, 0.6, 0.7, 0.85, 1.0)
       for t in ("curvedCW", "curvedCCW")]
    + [{"enabled": True, "type": t, "roundness": r} for r in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9)
       for t in ("horizontal", "vertical")])


def _text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E7F else 0.6 * size for ch in text)


def _boxes(nodes: list[dict]) -> dict[str, tuple[float, float, float, float]]:
    """Each node's box (left, top, right, bottom): its shape and its label below it."""
    out = {}
    for n in nodes:
        size = float(n.get("size", 10))
        font = float(n.get("font", {}).get("size", 14))
        width = _text_width(str(n.get("label", "")), font)
        limit = n.get("widthConstraint", {}).get("maximum")
        lines = math.ceil(width / limit) if limit and width > limit else 1
        half = max(size, min(width, limit or width) / 2) + 2
        out[n["id"]] = (n["x"] - half, n["y"] - size - 2, n["x"] + half,
                        n["y"] + size + lines * (font + 4) + 2)
    return out


def _curve(a: tuple[float, float], b: tuple[float, float], smooth: dict) -> Any:
    """Points along the edge a -> b as vis-network 9 draws it with ``smooth``."""
    import numpy as np

    t = np.linspace(0.02, 0.98, 120)[:, None]
    (x0, y0), (x1, y1) = a, b
    if not smooth or smooth["type"] == "cubicBezier":  # forced horizontal (_options)
        r = smooth.get("roundness", 0.45)
        dx = x0 - x1
        c1, c2 = (x0 - r * dx, y0), (x1 + r * dx, y1)
        pts = ((1 - t) ** 3 * np.array(a) + 3 * (1 - t) ** 2 * t * np.array(c1)
               + 3 * (1 - t) * t ** 2 * np.array(c2) + t ** 3 * np.array(b))
        return pts
    if smooth["type"] == "horizontal":
        u = (1 - smooth["roundness"]) * abs(x1 - x0)
        via = (x1 - u if x0 < x1 else x1 + u, y0)
        return (1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * np.array(via) + t ** 2 * np.array(b)
    if smooth["type"] == "vertical":
        u = (1 - smooth["roundness"]) * abs(y1 - y0)
        via = (x0, y1 - u if y0 < y1 else y1 + u)
        return (1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * np.array(via) + t ** 2 * np.array(b)
    f = smooth["roundness"]
    dx, dy = x1 - x0, y0 - y1
    radius = math.hypot(dx, dy)
    turn = (0.5 * f + 0.5) if smooth["type"] == "curvedCW" else (-0.5 * f + 0.5)
    angle = (math.atan2(dy, dx) + turn * math.pi) % (2 * math.pi)
    via = (x0 + (0.5 * f + 0.5) * radius * math.sin(angle),
           y0 + (0.5 * f + 0.5) * radius * math.cos(angle))
    return (1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * np.array(via) + t ** 2 * np.array(b)


def _route(nodes: list[dict], edges: list[dict]) -> None:
    """Curve each edge that would run through another node.

    The edge gets the first ``smooth`` of :data:`_CURVES` that passes no other node (or
    the one passing fewest): one inside a column bends around the column, one across
    columns bows above or below what lies between.
    """
    import numpy as np

    if not edges:
        return
    boxes = _boxes(nodes)
    ids = list(boxes)
    box = np.array([boxes[i] for i in ids])
    shape = np.array([(n["x"] - float(n.get("size", 10)) - 3, n["y"] - float(n.get("size", 10)) - 3,
                       n["x"] + float(n.get("size", 10)) + 3, n["y"] + float(n.get("size", 10)) + 3)
                      for n in nodes])
    # curves stay inside the drawing (with a margin): no arcs far out of the picture
    frame = (box[:, 0].min() - 60, box[:, 1].min() - 60, box[:, 2].max() + 60,
             box[:, 3].max() + 60)
    where = {n["id"]: (float(n["x"]), float(n["y"])) for n in nodes}

    def crossed(pts: Any, rects: Any) -> int:
        if not len(rects):
            return 0
        x, y = pts[:, None, 0], pts[:, None, 1]
        inside = ((x > rects[None, :, 0]) & (x < rects[None, :, 2])
                  & (y > rects[None, :, 1]) & (y < rects[None, :, 3]))
        return int(inside.any(axis=0).sum())

    for edge in edges:
        ends = (edge["from"], edge["to"])
        others = np.array([i not in ends for i in ids])
        lo_x, hi_x = min(where[e][0] for e in ends), max(where[e][0] for e in ends)
        # only nodes near the edge's span can be crossed
        near = others & (box[:, 2] > lo_x - 400) & (box[:, 0] < hi_x + 400)
        labels, shapes = box[near], shape[near]
        best: tuple[int, dict] | None = None
        for smooth in _CURVES:
            pts = _curve(where[ends[0]], where[ends[1]], smooth)
            hits = 10 * crossed(pts, shapes) + crossed(pts, labels)
            if ((pts[:, 0] < frame[0]) | (pts[:, 0] > frame[2]) | (pts[:, 1] < frame[1])
                    | (pts[:, 1] > frame[3])).any():
                hits += 1000
            if best is None or hits < best[0]:
                best = (hits, smooth)
            if hits == 0:
                break
        assert best is not None
        if best[1]:
            edge["smooth"] = best[1]


def _size(demand: int) -> float:
    return round(min(34.0, 12 + 4.5 * math.sqrt(max(demand, 0))), 1)


# -- firms ----------------------------------------------------------------------------
def _firm_nodes(report: pd.DataFrame, companies: pd.DataFrame, order: list, top: int,
                max_firms: int,
                ) -> tuple[dict[str, dict], list[tuple[str, str, str]], dict[str, list[str]], bool]:
    """Firm nodes and their ``makes`` edges.

    Returns the firm nodes (attributes), the edges, the firm nodes beside each product,
    and whether firms were grouped per product.
    """
    from .analysis.common import region_paths

    product_order = [p for _col, members in order for p in members]
    rows = report.set_index("product")
    local = {p: list(rows.at[p, "local_firms"]) for p in product_order}
    gap = {p: rows.at[p, "status"] != "covered" for p in product_order}
    cands = {p: list(rows.at[p, "candidates"]) if gap[p] else [] for p in product_order}
    shown = {p: cands[p][:top] for p in product_order}
    everyone = {f for p in product_order for f in local[p]} | \
        {f for p in product_order for f in shown[p]}
    pname = rows["name"].to_dict()
    known = companies.index.intersection(list(everyone))
    info = companies.loc[known, ["name", "revenue"]].assign(
        region=region_paths(companies.loc[known]).to_numpy())

    def name(f: str) -> str:
        return str(info.at[f, "name"]) if f in info.index else f

    nodes: dict[str, dict] = {}
    edges: list[tuple[str, str, str]] = []
    attached: dict[str, list[str]] = {p: [] for p in product_order}
    if len(everyone) > max_firms:  # grouped: one node per product and kind
        for p in product_order:
            if local[p]:
                nid = f"agg:local:{p}"
                nodes[nid] = dict(
                    kind="local-group", product=p, count=len(local[p]),
                    label=f"+{len(local[p])} {label('word', 'local firms', 'zh')}",
                    shape="square", size=14,
                    color=COLORS["local"], font={**FIRM_FONT, "color": "#1f4e79"},
                    title=(_("{product}: {count} local producers").format(
                        product=pname[p], count=len(local[p])) if _zh() else
                        f"{pname[p]}: {len(local[p])} {_w('local producers')}") + "\n"
                    + _listing([name(f) for f in local[p]]))
                attached[p].append(nid)
                edges.append((nid, p, translate(N_("{count} local firms make {product}"),
                                                "zh").format(count=len(local[p]),
                                                             product=pname[p])))
            if cands[p] and top:
                nid = f"agg:candidates:{p}"
                nodes[nid] = dict(
                    kind="candidate-group", product=p, count=len(cands[p]),
                    label=f"+{len(cands[p])} {label('word', 'candidates', 'zh')}",
                    shape="diamond", size=14,
                    color=COLORS["candidate"], font={**FIRM_FONT, "color": "#4b2a70"},
                    title=(_("{product}: {count} candidates, ranked").format(
                        product=pname[p], count=len(cands[p])) if _zh() else
                        f"{pname[p]}: {len(cands[p])} {_w('candidates')}"
                        f"{_paren(_w('ranked'))}") + "\n"
                    + _listing([name(f) for f in cands[p]], numbered=True))
                attached[p].append(nid)
                edges.append((nid, p, translate(N_("{count} candidates could fill {product}"),
                                                "zh").format(count=len(cands[p]),
                                                             product=pname[p])))
        return nodes, edges, attached, True

    makes: dict[str, list[str]] = {}
    fills: dict[str, list[tuple[str, int]]] = {}
    for p in product_order:
        for f in local[p]:
            makes.setdefault(f, []).append(p)
        for rank, f in enumerate(shown[p], 1):
            fills.setdefault(f, []).append((p, rank))
    for p in product_order:
        for f in local[p] + shown[p]:
            nid = f"f:{f}"
            if nid in nodes:
                continue
            is_local = f in makes
            region = str(info.at[f, "region"]) if f in info.index else ""
            revenue = info.at[f, "revenue"] if f in info.index else None
            lines = [name(f), _kv("id", f) + (f" · {region}" if region else "")]
            rows = [[_w("id"), f], [_w("region"), region or "—"]]
            if revenue is not None and not pd.isna(revenue):
                money = translate(WAN_YUAN, "zh").format(amount=f"{float(revenue):,.0f}")
                lines.append(_kv("revenue", money))
                rows.append([_w("revenue"), money])
            if is_local:
                lines.insert(1, _w("local firm"))
                made = "、".join(pname[q] for q in makes[f])
                lines.append(_kv("makes", made))
                rows.append([_w("makes"), made])
            else:
                lines.insert(1, _w("candidate"))
                filled = "、".join(f"{pname[q]}{_rank(r)}" for q, r in fills[f])
                lines.append(_kv("could fill", filled))
                rows.append([_w("could fill"), filled])
            nodes[nid] = dict(
                kind="local" if is_local else "candidate", company=f, label=_short(name(f)),
                shape="square" if is_local else "diamond", size=10,
                color=COLORS["local" if is_local else "candidate"],
                font=dict(FIRM_FONT), title="\n".join(lines), search=[name(f), f],
                card={"heading": name(f),
                      "sub": _w("local firm") if is_local else _w("candidate"),
                      "rows": rows})
            attached[p].append(nid)
    for f, ps in makes.items():
        edges.extend((f"f:{f}", p, _("{firm} makes {product}").format(
            firm=name(f), product=pname[p]) if _zh() else
            f"{name(f)} {_w('makes')} {pname[p]}") for p in ps)
    for f, ranked in fills.items():
        edges.extend((f"f:{f}", p, _("{firm} could fill {product} (#{rank})").format(
            firm=name(f), product=pname[p], rank=r) if _zh() else
            f"{name(f)} {_w('could fill')} {pname[p]}{_rank(r)}") for p, r in ranked)
    return nodes, edges, attached, False


def _short(name: str, width: int = 8) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


def _listing(names: list[str], numbered: bool = False, limit: int = TOOLTIP_NAMES) -> str:
    shown = [f"{i}. {n}" if numbered else n for i, n in enumerate(names[:limit], 1)]
    if len(names) <= limit:
        return "\n".join(shown)
    total = translate(IN_ALL, "zh").format(total=len(names))
    more = (translate(MORE, "zh") if _zh() else MORE).format(more=len(names) - limit)
    return "\n".join(shown) + f"\n{total}{_paren(more)}"


# -- text -----------------------------------------------------------------------------
def _product_title(row: pd.Series, names: pd.Series) -> str:
    """A product's tooltip, plain text."""
    def firm(f: str) -> str:
        return str(names.get(f, f))

    head = str(row["name"]) + (f" · {row['name_en']}" if row["name_en"] else "")
    tier = tier_key(row["tier"])
    lines = [
        head,
        f"{_kv('status', _code('status', row['status']))} · {_kv('tier', _code('tier', tier))}",
        " · ".join([_kv("local producers", int(row["local_producers"])),
                    _kv("local demand", int(row["local_demand"])),
                    _kv("candidates", int(row["n_candidates"]))]),
    ]
    local = list(row["local_firms"])
    if local:
        lines.append(_kv("local firms", "、".join(firm(f) for f in local[:TOOLTIP_NAMES])
                         + (f" … (+{len(local) - TOOLTIP_NAMES})"
                            if len(local) > TOOLTIP_NAMES else "")))
    cands = list(row["candidates"])
    if cands:
        lines.append(_kv("top candidates", _semicolon().join(
            f"{i}. {firm(f)}" for i, f in enumerate(cands[:5], 1))
            + (f" … (+{len(cands) - 5})" if len(cands) > 5 else "")))
    lines.append(_kv("id", row.name))
    return "\n".join(lines)


def _product_card(pid: str, row: pd.Series, names: pd.Series) -> dict:
    """A product's card (shown on click): heading, subheading, ``[label, value]`` rows."""
    def firms(ids: list[str], numbered: bool = False) -> str:
        if not ids:
            return "—"
        shown = [f"{i}. {names.get(f, f)}" if numbered else str(names.get(f, f))
                 for i, f in enumerate(ids[:TOOLTIP_NAMES], 1)]
        more = f" … (+{len(ids) - TOOLTIP_NAMES})" if len(ids) > TOOLTIP_NAMES else ""
        return (_semicolon() if numbered else "、").join(shown) + more

    return {"heading": str(row["name"]), "sub": str(row["name_en"] or ""), "rows": [
        [_w("id"), pid],
        [_w("tier"), _code("tier", tier_key(row["tier"]))],
        [_w("status"), _code("status", row["status"])],
        [_w("local demand"), str(int(row["local_demand"]))],
        [_w("local producers") + _paren(int(row["local_producers"])),
         firms(list(row["local_firms"]))],
        [_w("candidates") + _paren(int(row["n_candidates"])),
         firms(list(row["candidates"]), numbered=True)],
    ]}


def _options() -> dict:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True,
                        "hideEdgesOnDrag": True},
        "nodes": {"borderWidth": 1},
        "edges": {"smooth": {"enabled": True, "type": "cubicBezier",
                             "forceDirection": "horizontal", "roundness": 0.45},
                  "arrows": {"to": {"scaleFactor": 0.6}}},
    }


def _column_headings(spans: list[tuple]) -> list[dict]:
    """Tier headings above the bands: 上游, 中游, 下游, then 未分环节 for the first other."""
    names = {c: t for t, c in TIER_COLUMN.items()}
    labels = [{"x": round((x0 + x1) / 2, 1), "y": round(top - 50, 1),
               "label": _code("tier", names[c])}
              for c, x0, x1, top in spans if c in names]
    extra = [(x0 + x1) / 2 for c, x0, x1, top in spans if c > max(TIER_COLUMN.values()) + 1]
    if extra and labels:
        labels.append({"x": round(extra[0], 1), "y": labels[0]["y"],
                       "label": _code("tier", UNSPECIFIED)})
    return labels


def _legend(firms: bool, aggregated: bool) -> list[dict]:
    items: list[dict[str, Any]] = [
        {"css": "lg-dot", "color": COLORS["missing"],
         "text": _lead(label("status", "missing", "zh"), N_("missing: no local producer"))},
        {"css": "lg-dot", "color": COLORS["weak"],
         "text": _lead(label("status", "weak", "zh"), N_("weak: too few local producers"))},
        {"css": "lg-dot", "color": COLORS["covered"], "text": _code("status", "covered")},
        {"css": "lg-dot", "color": "#bbbbbb", "text": _kv("size", _w("local demand"))},
        {"css": "lg-line", "color": "#8c8c8c", "line": True,
         "text": _kv("input", f"{TIER_ZH['upstream']} → {TIER_ZH['downstream']}")},
    ]
    if firms:
        items += [
            {"css": "", "color": COLORS["local"],
             "text": _w("local firm") + _paren(_w("makes"))},
            {"css": "lg-diamond", "color": COLORS["candidate"],
             "text": _w("candidate") + _paren(_w("could fill"))},
            {"css": "lg-dash", "color": COLORS["candidate"], "text": _w("could fill"),
             "line": True},
        ]
        if aggregated:
            grouped = N_("firms grouped per product")
            items.append({"css": "lg-dot", "color": "#ffffff",
                          "text": "+N" + _colon() + _lead(translate(grouped, "zh"), grouped)})
    return items


def _page_texts() -> dict[str, str]:
    """The words of the page itself (search box, matches, the card's close button)."""
    search, search_label = N_("Search product / firm"), N_("Search product or firm")
    return {"search": _lead(translate(search, "zh"), search),
            "search_label": _lead(translate(search_label, "zh"), search_label),
            "close": _w("Close"), "legend": _w("Legend"),
            "found": "{n} " + _w("found"), "no_match": _w("no match")}


# -- words ----------------------------------------------------------------------------
#: The map's title (Chinese on the bilingual page too).
TITLE = N_("{chain} chain map · {home} · {date}")
#: Revenue on a firm's card (in 万元 on the bilingual page too).
WAN_YUAN = N_("{amount} × 10,000 yuan")
#: The end of a long list of names in a tooltip.
IN_ALL = N_("… {total} in all")
MORE = N_("{more} more")


def _zh() -> bool:
    """Whether the page speaks Chinese alone (under ``zh``); else it is bilingual."""
    return language() == "zh"


def _w(word: str) -> str:
    """A word of the page (a ``word`` label): ``状态`` under ``zh``, else ``状态 status``."""
    zh = label("word", word, "zh")
    return zh if _zh() else f"{zh} {word}"


def _code(kind: str, key: str) -> str:
    """A status or tier: ``弱链`` under ``zh``, else ``弱链 weak``."""
    zh = {"status": STATUS_ZH, "tier": TIER_ZH}[kind].get(key, key)
    return zh if _zh() else f"{zh} {key}"


def _colon() -> str:
    return "：" if _zh() else ": "


def _semicolon() -> str:
    return "；" if _zh() else "; "


def _kv(word: str, value: object) -> str:
    """``状态 status: 弱链 weak`` (``状态：弱链`` under ``zh``)."""
    return f"{_w(word)}{_colon()}{value}"


def _paren(text: object) -> str:
    """`` (text)``, or ``（text）`` under ``zh``."""
    return f"（{text}）" if _zh() else f" ({text})"


def _rank(rank: int) -> str:
    """A candidate's place after the product it could fill: `` (#1)``, ``（排名第 1）``."""
    return ("" if _zh() else " ") + _("(#{rank})").format(rank=rank)


def _lead(zh: str, message: str, **values: object) -> str:
    """A sentence after a Chinese word.

    Under ``zh`` the sentence's Chinese; else the word, then the English sentence
    (``缺链 missing: no local producer``).
    """
    if _zh():
        return translate(message, "zh").format(**values)
    return f"{zh} {message.format(**values)}"


# -- HTML -----------------------------------------------------------------------------
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as pyvis ships them, safe to inline."""
    return _read_vis_assets()


@lru_cache(maxsize=1)
def _read_vis_assets() -> tuple[str, str]:
    import re

    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a broken pyvis install
        raise ChainmapError(_("cannot read vis-network from pyvis ({folder}): {error}").format(
            folder=lib, error=exc)) from None
    # an end tag or comment opener inside the inlined code would end or break the element
    js = re.sub(r"<(?=/script|!--)", r"\\x3c", js, flags=re.IGNORECASE)
    css = re.sub(r"<(?=/style)", r"\\3c ", css, flags=re.IGNORECASE)
    return js, css


@lru_cache(maxsize=1)
def _template() -> Template:
    from importlib.resources import files

    from jinja2 import Environment, StrictUndefined

    text = files("chainmap").joinpath("templates/chain_map.html").read_text(encoding="utf-8")
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text)


def script_json(value: object) -> str:
    r"""``value`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``, ``\u003e``, ``\u0026`` (so no ``</script>``
    nor ``<!--`` can appear), and U+2028/U+2029 are escaped too; NaN becomes ``null``.

    Examples
    --------
    >>> from chainmap.viz import script_json
    >>> print(script_json({"name": "</script><b>'&'"}))
    {"name": "\u003c/script\u003e\u003cb\u003e'\u0026'"}
    """
    text = json.dumps(_jsonable(value), ensure_ascii=False, allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if value is pd.NA:
        return None
    return str(value)


def to_html(network: Network) -> str:
    r"""The offline page of a pyvis ``network`` (a :class:`ChainMapNetwork` or any other).

    Everything is inline (vis-network 9.1.2 from pyvis's own copy); the page requests
    nothing, and its Content-Security-Policy forbids any request. Text is escaped; node
    and edge ``title`` values are shown as plain text, never as HTML.

    Examples
    --------
    >>> import re, chainmap, chainmap.viz
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> page = chainmap.viz.to_html(chainmap.viz.chain_map(ws, "智能家电", home="当涂县"))
    >>> re.findall(r'(?:src|href)\s*=\s*["\']?\s*https?:', page)
    []
    """
    if not isinstance(network, Network):
        raise ArgumentError(_("expected a pyvis Network, not {type}").format(
            type=type(network).__name__))
    from . import __version__

    options = network.options
    if not isinstance(options, dict):
        options = json.loads(options.to_json())
    data = {"nodes": list(network.nodes), "edges": list(network.edges), "options": options,
            "columns": list(getattr(network, "columns", [])),
            "view": dict(getattr(network, "view", {}))}
    js, css = _vis_assets()
    title = getattr(network, "title", "") or str(network.heading or "") or "chainmap"
    from .i18n import use_language

    # the page's own words in the language its map was made in
    with use_language("zh" if getattr(network, "lang", None) == "zh" else "en"):
        texts = _page_texts()
    return _template().render(
        nonce=secrets.token_urlsafe(18), version=__version__, title=title,
        subtitle=getattr(network, "subtitle", ""), legend=getattr(network, "legend", []),
        texts=texts, width=_css_length(network.width),
        height=_css_length(network.height), bgcolor=_css_color(network.bgcolor),
        vis_js=js, vis_css=css, data=script_json(data))


def _css_length(value: object) -> str:
    """A CSS length from pyvis's width/height (``600px``, ``100%``, ``600``), else a default."""
    import re

    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return text + "px"
    return text if re.fullmatch(r"\d+(\.\d+)?(px|%|vh|vw|em|rem)", text) else "780px"


def _css_color(value: object) -> str:
    import re

    text = str(value).strip()
    return text if re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}", text) else "#ffffff"


def write_map(network: Network, path: str | os.PathLike[str]) -> Path:
    """Write the offline page of ``network`` to ``path`` atomically (whole or not at all).

    Examples
    --------
    >>> import tempfile, chainmap, chainmap.viz
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> net = chainmap.viz.chain_map(ws, "智能家电", home="当涂县", firms=True)
    >>> path = chainmap.viz.write_map(net, tempfile.mkdtemp() + "/map.html")
    >>> "vis.Network" in path.read_text(encoding="utf-8")
    True
    """
    from .files import write_atomic

    page = to_html(network)
    path = Path(path)
    write_atomic(path, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return path


def notebook_html(network: Network) -> str:
    """The page inside a sandboxed ``<iframe srcdoc=...>``, for Jupyter's ``_repr_html_``.

    The iframe may run scripts but has no access to the notebook (no same-origin).
    """
    page = to_html(network)
    height = _css_length(network.height)
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
            f'style="width: 100%; height: calc({height} + 70px); border: 1px solid #ddd" '
            f'title="{html.escape(getattr(network, "title", "") or "chainmap")}"></iframe>')
