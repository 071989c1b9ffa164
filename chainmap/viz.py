"""Chain maps: a chain's products laid out upstream to downstream, as an offline pyvis page.

:func:`chain_map` draws a chain at the home zone: products in tier columns (上游, 中游,
下游) from left to right, coloured by their gap status from :func:`chainmap.gaps` (缺链
red, 弱链 amber, covered green) and sized by local demand; optionally the local firms and
the top candidates for each gap as a second kind of node. It returns a pyvis
:class:`~pyvis.network.Network` (a :class:`ChainMapNetwork`) that shows inline in
Jupyter; :func:`write_map` writes it as one HTML file.

The page works with no network at all (政务内网): vis-network's JS and CSS are inlined
from the copy pyvis ships, and a Content-Security-Policy forbids every request. Names
come from imported spreadsheets, so none may become markup: HTML text is escaped, the
graph data travels as JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped and is
read with ``JSON.parse``, and tooltips are plain text (vis-network 9 shows a string
``title`` with ``innerText``).

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
from .labels import STATUS_ZH, TIER_ZH, UNSPECIFIED, tier_key

try:  # pyvis (and the IPython it imports) is heavy: only users of this module pay for it
    from pyvis.network import Network
except ImportError as _exc:  # pragma: no cover - pyvis is a dependency
    raise ChainmapError("chainmap.viz needs pyvis: pip install pyvis") from _exc

if TYPE_CHECKING:
    from jinja2 import Template

    from .regions import Region
    from .workspace import Workspace

__all__ = ["COLORS", "ChainMapNetwork", "chain_map", "notebook_html", "script_json", "to_html",
           "write_map"]

#: Fill colours: product status, then the two kinds of firm node.
COLORS = {"missing": "#d62728", "weak": "#f2a900", "covered": "#2ca02c",
          "local": "#1f77b4", "candidate": "#8e5bc4"}
#: Column (x, in units of :data:`COLUMN_WIDTH`) of each tier.
TIER_COLUMN = {"upstream": 0, "midstream": 1, "downstream": 2}
COLUMN_WIDTH = 480
ROW_HEIGHT = 110
FIRM_DX = 100
FIRM_DY = 44
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
        ``local``, ``candidate``, ``local-group``, ``candidate-group``) and a plain-text
        ``title``; edges carry ``kind`` (``input`` product -> product it goes into,
        ``makes`` firm -> product).

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
    from .analysis.common import target_regions

    if int(top) < 0:
        raise ArgumentError(f"top= must be at least 0, not {top}", parameter="top")
    if int(max_firms) < 0:
        raise ArgumentError(f"max_firms= must be at least 0, not {max_firms}",
                            parameter="max_firms")
    chain_id = workspace.chain_id(chain)
    home_region = workspace.resolve_home(home)
    report = _gaps(workspace, chain_id, home_region, targets, weak_threshold)
    chains = workspace._table("chains").set_index("id")
    chain_name = str(chains.loc[chain_id, "name"]) if chain_id in chains.index else chain_id
    day = date if date is not None else _dt.date.today()
    day = day.isoformat() if isinstance(day, _dt.date) else str(day)

    net = ChainMapNetwork(height=height, width="100%")
    net.report, net.chain, net.home = report, chain_id, home_region.path
    net.title = f"{chain_name} 产业链图谱 · {home_region.path} · {day}"
    where = "、".join(r.name for r in target_regions(targets))
    counts = report["status"].value_counts()
    net.subtitle = (f"{len(report)} 个环节 products: "
                    + ", ".join(f"{STATUS_ZH[s]} {s} {int(counts.get(s, 0))}"
                                for s in ("missing", "weak", "covered"))
                    + f" · 弱链阈值 weak below {int(weak_threshold)} local producers"
                    + (f" · 候选企业 candidates in {where}, top {int(top)} per gap"
                       if firms else ""))

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

    positions = _positions(order, attached)
    products = report.set_index("product")
    for pid in ids:
        row = products.loc[pid]
        x, y = positions[pid]
        net._add_node(
            f"p:{pid}", label=str(row["name"]), title=_product_title(row, companies["name"]),
            kind="product", product=pid, status=row["status"], shape="dot",
            color=COLORS[row["status"]], size=_size(int(row["local_demand"])),
            x=x, y=y, physics=False, font={"size": 14, "color": "#222"})
    for fid, node in firm_nodes.items():
        x, y = positions[fid]
        net._add_node(fid, x=x, y=y, physics=False, **node)
    for u, v in edge_list:
        net._add_edge(f"p:{u}", f"p:{v}", kind="input", arrows="to", width=1.6,
                      color={"color": "#8c8c8c", "highlight": "#333333"},
                      title=f"{products.loc[u, 'name']} → {products.loc[v, 'name']} (投入 input)")
    for fid, pid, title in firm_edges:
        local = firm_nodes[fid]["kind"].startswith("local")
        net._add_edge(fid, f"p:{pid}", kind="makes", arrows="to", width=1, dashes=not local,
                      color={"color": COLORS["local" if local else "candidate"],
                             "opacity": 0.6},
                      title=title)
    net.options = _options()
    net.columns = _column_headings(column, positions, ids)
    net.legend = _legend(firms, net.aggregated)
    return net


def _gaps(workspace: Workspace, chain_id: str, home_region: Region,
          targets: str | list[str] | None, weak_threshold: int) -> pd.DataFrame:
    from .analysis import gaps  # the gap report decides every status; nothing is recounted

    return gaps(workspace, chain_id, home=home_region, targets=targets,
                weak_threshold=weak_threshold)


# -- layout ---------------------------------------------------------------------------
def _columns(ids: list[str], tiers: dict[str, str], edges: list[tuple[str, str]]) -> dict:
    """The column (x in units of :data:`COLUMN_WIDTH`) of every product.

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


def _positions(order: list, attached: dict[str, list[str]]) -> dict:
    """``(x, y)`` of every product and of the firm nodes attached to it.

    A column is a stack of slots, one per product, with the product's firms in a grid
    to its left.
    """
    pos: dict[str, tuple[float, float]] = {}
    for x, members in order:
        px = round(x * COLUMN_WIDTH, 1)
        rows = [math.ceil(len(attached.get(p, ())) / FIRMS_PER_ROW) for p in members]
        slots = [max(ROW_HEIGHT, r * FIRM_DY + 40) for r in rows]
        y = -sum(slots) / 2
        for p, slot, n_rows in zip(members, slots, rows):
            py = round(y + slot / 2, 1)
            pos[p] = (px, py)
            for i, f in enumerate(attached.get(p, ())):
                r, c = divmod(i, FIRMS_PER_ROW)
                pos[f] = (px - 120 - c * FIRM_DX, round(py + (r - (n_rows - 1) / 2) * FIRM_DY, 1))
            y += slot
    return pos


def _size(demand: int) -> float:
    return round(min(48.0, 14 + 6 * math.sqrt(max(demand, 0))), 1)


# -- firms ----------------------------------------------------------------------------
def _firm_nodes(report: pd.DataFrame, companies: pd.DataFrame, order: list, top: int,
                max_firms: int,
                ) -> tuple[dict[str, dict], list[tuple[str, str, str]], dict[str, list[str]], bool]:
    """Firm nodes and their ``makes`` edges.

    Returns the firm nodes (attributes), the edges, the firm nodes beside each product,
    and whether firms were grouped per product.
    """
    from .analysis.common import region_paths

    product_order = [p for _, members in order for p in members]
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
                    label=f"+{len(local[p])} 本地企业", shape="square", size=14,
                    color=COLORS["local"], font={"size": 11, "color": "#1f4e79"},
                    title=f"{pname[p]}: {len(local[p])} 家本地生产企业 local producers\n"
                          + _listing([name(f) for f in local[p]]))
                attached[p].append(nid)
                edges.append((nid, p, f"{len(local[p])} 家本地企业生产 {pname[p]}"))
            if cands[p] and top:
                nid = f"agg:candidates:{p}"
                nodes[nid] = dict(
                    kind="candidate-group", product=p, count=len(cands[p]),
                    label=f"+{len(cands[p])} 候选企业", shape="diamond", size=14,
                    color=COLORS["candidate"], font={"size": 11, "color": "#4b2a70"},
                    title=f"{pname[p]}: {len(cands[p])} 家候选企业 candidates (按排名 ranked)\n"
                          + _listing([name(f) for f in cands[p]], numbered=True))
                attached[p].append(nid)
                edges.append((nid, p, f"{len(cands[p])} 家候选企业可补 {pname[p]}"))
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
            lines = [name(f), f"编号 id: {f}" + (f" · {region}" if region else "")]
            if revenue is not None and not pd.isna(revenue):
                lines.append(f"营业收入 revenue: {float(revenue):,.0f} 万元")
            if is_local:
                lines.insert(1, "本地企业 local firm")
                lines.append("生产 makes: " + "、".join(pname[q] for q in makes[f]))
            else:
                lines.insert(1, "候选企业 candidate")
                lines.append("可补 could fill: " + "、".join(
                    f"{pname[q]} (#{r})" for q, r in fills[f]))
            nodes[nid] = dict(
                kind="local" if is_local else "candidate", company=f, label=_short(name(f)),
                shape="square" if is_local else "diamond", size=10,
                color=COLORS["local" if is_local else "candidate"],
                font={"size": 11, "color": "#444"}, title="\n".join(lines))
            attached[p].append(nid)
    for f, ps in makes.items():
        edges.extend((f"f:{f}", p, f"{name(f)} 生产 makes {pname[p]}") for p in ps)
    for f, ranked in fills.items():
        edges.extend((f"f:{f}", p, f"{name(f)} 可补 could fill {pname[p]} (#{r})")
                     for p, r in ranked)
    return nodes, edges, attached, False


def _short(name: str, width: int = 8) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


def _listing(names: list[str], numbered: bool = False, limit: int = TOOLTIP_NAMES) -> str:
    shown = [f"{i}. {n}" if numbered else n for i, n in enumerate(names[:limit], 1)]
    more = f"\n… 等 {len(names)} 家 ({len(names) - limit} more)" if len(names) > limit else ""
    return "\n".join(shown) + more


# -- text -----------------------------------------------------------------------------
def _product_title(row: pd.Series, names: pd.Series) -> str:
    """A product's tooltip, plain text."""
    def firm(f: str) -> str:
        return str(names.get(f, f))

    head = str(row["name"]) + (f" · {row['name_en']}" if row["name_en"] else "")
    tier = row["tier"]
    lines = [
        head,
        f"状态 status: {STATUS_ZH[row['status']]} {row['status']} · 环节 tier: "
        f"{TIER_ZH.get(tier_key(tier), tier)} {tier_key(tier)}",
        f"本地生产企业 local producers: {int(row['local_producers'])} · 本地需求 local demand: "
        f"{int(row['local_demand'])} · 候选企业 candidates: {int(row['n_candidates'])}",
    ]
    local = list(row["local_firms"])
    if local:
        lines.append("本地企业 local firms: " + "、".join(firm(f) for f in local[:TOOLTIP_NAMES])
                     + (f" … (+{len(local) - TOOLTIP_NAMES})" if len(local) > TOOLTIP_NAMES
                        else ""))
    cands = list(row["candidates"])
    if cands:
        lines.append("候选 top candidates: " + "; ".join(
            f"{i}. {firm(f)}" for i, f in enumerate(cands[:5], 1))
            + (f" … (+{len(cands) - 5})" if len(cands) > 5 else ""))
    lines.append(f"编号 id: {row.name}")
    return "\n".join(lines)


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


def _column_headings(column: dict, positions: dict, ids: list[str]) -> list[dict]:
    if not ids:
        return []
    top = min(positions[p][1] for p in ids) - 80
    present = {column[p] for p in ids}
    labels = [{"x": c * COLUMN_WIDTH, "y": top, "label": f"{TIER_ZH[t]} {t}"}
              for t, c in TIER_COLUMN.items() if c in present]
    extra = sorted(x for x in present if x > max(TIER_COLUMN.values()) + 1)
    if extra and labels:
        labels.append({"x": extra[0] * COLUMN_WIDTH, "y": top,
                       "label": f"{TIER_ZH[UNSPECIFIED]} {UNSPECIFIED}"})
    return labels


def _legend(firms: bool, aggregated: bool) -> list[dict]:
    items: list[dict[str, Any]] = [
        {"css": "lg-dot", "color": COLORS["missing"],
         "text": f"{STATUS_ZH['missing']} missing: no local producer"},
        {"css": "lg-dot", "color": COLORS["weak"],
         "text": f"{STATUS_ZH['weak']} weak: too few local producers"},
        {"css": "lg-dot", "color": COLORS["covered"], "text": f"{STATUS_ZH['covered']} covered"},
        {"css": "lg-dot", "color": "#bbbbbb", "text": "大小 size: 本地需求 local demand"},
        {"css": "lg-line", "color": "#8c8c8c", "text": "投入 input: 上游 → 下游", "line": True},
    ]
    if firms:
        items += [
            {"css": "", "color": COLORS["local"], "text": "本地企业 local firm (生产 makes)"},
            {"css": "lg-diamond", "color": COLORS["candidate"],
             "text": "候选企业 candidate (可补 could fill)"},
            {"css": "lg-dash", "color": COLORS["candidate"], "text": "可补 could fill",
             "line": True},
        ]
        if aggregated:
            items.append({"css": "lg-dot", "color": "#ffffff",
                          "text": "+N: 企业按环节合并 firms grouped per product"})
    return items


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
        raise ChainmapError(f"cannot read vis-network from pyvis ({lib}): {exc}") from None
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
        raise ArgumentError(f"expected a pyvis Network, not {type(network).__name__}")
    from . import __version__

    options = network.options
    if not isinstance(options, dict):
        options = json.loads(options.to_json())
    data = {"nodes": list(network.nodes), "edges": list(network.edges), "options": options,
            "columns": list(getattr(network, "columns", []))}
    js, css = _vis_assets()
    title = getattr(network, "title", "") or str(network.heading or "") or "chainmap"
    return _template().render(
        nonce=secrets.token_urlsafe(18), version=__version__, title=title,
        subtitle=getattr(network, "subtitle", ""), legend=getattr(network, "legend", []),
        legend_title="图例 Legend", width=_css_length(network.width),
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
