"""The chain as a networkx graph: products, firms, and who makes and supplies what.

Node ids carry their kind as a prefix, ``product:<id>`` and ``firm:<id>``, because a
product and a firm may share an id; the bare id is kept in the ``product`` or ``company``
attribute (not ``id``, which GEXF would take for the node id).
Every attribute value is a str, int, float or bool (absent rather than ``None``), so
the graph writes as GraphML and GEXF as it is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ArgumentError
from ..i18n import _
from ..regions import Region
from ..snapshot import reads_snapshot
from .common import chain_products, in_region, local_producer_counts, region_paths, status_of

if TYPE_CHECKING:
    import networkx as nx

    from ..workspace import Workspace

__all__ = ["FIRM", "GRAPH_FORMATS", "PRODUCT", "graph", "write_graph"]

#: Node id prefixes.
PRODUCT = "product:"
FIRM = "firm:"
#: File suffixes :func:`write_graph` understands.
GRAPH_FORMATS = (".graphml", ".gexf")


@reads_snapshot
def graph(workspace: Workspace, chain: str | None = None, home: str | Region | None = None,
          firms: bool = True, weak_threshold: int = 2) -> nx.DiGraph:
    """The products (and firms) of ``chain``, or of the whole workspace, as a graph.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    chain
        Chain id or name: only its products, the firms that make them and the supplies
        among those firms (rows naming no product, or a product of the chain). ``None``:
        every product and every firm -- on a province-sized workspace that is a big
        graph, which is the caller's choice.
    home
        The home zone for the ``status`` of products and the ``local`` flag of firms;
        defaults to the workspace's configured home; if there is none, the graph has
        neither attribute.
    firms
        Include firm nodes and their ``makes``/``supplies`` edges (default); ``False``
        gives the product graph alone.
    weak_threshold
        As in :func:`chainmap.gaps`, for ``status``.

    Returns
    -------
    networkx.MultiDiGraph
        Product nodes ``product:<id>`` with ``kind='product'``, ``product`` (the id),
        ``name``, ``label`` (= name), ``name_en``, ``tier`` (when known) and, with a
        home, ``status`` and ``local_producers``. Firm nodes ``firm:<id>`` with
        ``kind='firm'``, ``company`` (the id), ``name``, ``label``, ``region``
        (province/city/district), ``province``, ``uscc``, ``revenue``, ``employees``
        (when known) and, with a home, ``local``. Edges carry ``kind`` and are keyed by
        it: ``input`` (product -> the product it goes into), ``makes`` (firm -> product)
        and ``supplies`` (firm -> customer firm); a supplies edge has key
        ``supplies:<product>`` and attribute ``product`` when the row names one (so one
        pair can carry several), else key ``supplies``. ``G.graph`` holds ``chain``
        and ``home`` when given.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> G = chainmap.graph(ws, chain="智能家电", home="安徽省/马鞍山市/当涂县")
    >>> G.nodes["product:capacitor"]["status"], G.nodes["firm:haoyue"]["local"]
    ('weak', True)
    >>> G.has_edge("firm:haoyue", "firm:aux", key="supplies:capacitor")
    True
    >>> sorted(G.successors("product:capacitor"))
    ['product:ac-unit', 'product:controller', 'product:motor']
    """
    import networkx as nx

    home_region = workspace.resolve_home(home) if home or workspace.home else None
    products = workspace._table("products")
    edges = workspace._table("inputs")
    caps = workspace._live("capabilities")  # confirmed links of active firms
    G = nx.MultiDiGraph()
    if chain is not None:
        chain_id = workspace.chain_id(chain)
        ids = set(chain_products(workspace, chain_id))
        products = products[products["id"].isin(ids)]
        edges = edges[edges["upstream"].isin(ids) & edges["downstream"].isin(ids)]
        caps = caps[caps["product_id"].isin(ids)]
        G.graph["chain"] = chain_id
    if home_region is not None:
        G.graph["home"] = home_region.path

    nodes = products[["id", "name", "name_en", "tier"]].assign(
        kind="product", label=products["name"])
    if home_region is not None:
        counts = local_producer_counts(workspace._live("companies"), caps, home_region) \
            .reindex(products["id"]).fillna(0).astype(int)
        nodes = nodes.assign(local_producers=counts.to_numpy(),
                             status=status_of(counts, int(weak_threshold)).to_numpy())
    G.add_nodes_from(_nodes(nodes, PRODUCT, "product"))
    G.add_edges_from((PRODUCT + u, PRODUCT + v, "input", {"kind": "input"})
                     for u, v in zip(edges["upstream"], edges["downstream"]))
    if not firms:
        return G

    companies = workspace._live("companies")
    if chain is not None:
        companies = companies[companies["id"].isin(set(caps["company_id"]))]
    nodes = companies[["id", "name", "uscc", "province", "revenue", "employees"]].assign(
        kind="firm", label=companies["name"], region=region_paths(companies))
    if home_region is not None:
        nodes = nodes.assign(local=in_region(companies, home_region))
    G.add_nodes_from(_nodes(nodes, FIRM, "company"))
    G.add_edges_from((FIRM + f, PRODUCT + p, "makes", {"kind": "makes"})
                     for f, p in zip(caps["company_id"], caps["product_id"]))
    supplies = workspace._live("supplies")
    known = set(companies["id"])
    supplies = supplies[supplies["supplier_id"].isin(known) & supplies["customer_id"].isin(known)]
    if chain is not None:
        supplies = supplies[supplies["product_id"].isna()
                            | supplies["product_id"].isin(set(products["id"]))]
    G.add_edges_from(
        (FIRM + s, FIRM + c, "supplies", {"kind": "supplies"}) if pd.isna(p) else
        (FIRM + s, FIRM + c, f"supplies:{p}", {"kind": "supplies", "product": str(p)})
        for s, c, p in zip(supplies["supplier_id"], supplies["customer_id"],
                           supplies["product_id"]))
    return G


def _nodes(frame: pd.DataFrame, prefix: str, id_attr: str,
           ) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(node id, attributes)`` pairs; missing values are left out, numbers made plain."""
    for record in frame.rename(columns={"id": id_attr}).to_dict("records"):
        data: dict[str, Any] = {}
        for key, value in record.items():
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                continue
            if hasattr(value, "item"):  # numpy scalar
                value = value.item()
            if key in ("employees", "local_producers"):  # whole numbers, even beside NaN
                value = int(value)
            if isinstance(value, str) and not value and key != "name":
                continue
            data[key] = value
        yield prefix + str(record[id_attr]), data


def write_graph(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` to ``path`` as GraphML (``.graphml``) or GEXF (``.gexf``), atomically.

    Examples
    --------
    >>> import tempfile, networkx as nx, chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> path = chainmap.write_graph(chainmap.graph(ws, chain="smart-appliances"),
    ...                             tempfile.mkdtemp() + "/chain.graphml")
    >>> nx.read_graphml(path).nodes["product:eev"]["name"]
    '电子膨胀阀'
    """
    import networkx as nx

    from ..files import write_atomic

    path = Path(path)
    writer = nx.write_graphml if graph_format(path) == ".graphml" else nx.write_gexf
    write_atomic(path, lambda tmp: writer(G, tmp))
    return path


def graph_format(path: str | os.PathLike) -> str:
    """The graph format ``path`` asks for (``.graphml`` or ``.gexf``); an error if neither."""
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise ArgumentError(_("cannot write a graph to '{file}': give a file ending in "
                              ".graphml or .gexf").format(file=Path(path).name))
    return suffix
