"""Data-quality checks: rows that say what looks wrong, never prints.

Columns of the frame :func:`check` returns:

``severity``  ``error`` or ``warning``
``check``     which check (``cycle``, ``unmade-product``, ``idle-firm``, ``empty-chain``,
              ``unchained-product``, ``missing-uscc``, ``duplicate-name``,
              ``duplicate-uscc``, ``supply-not-made``)
``table``     the table the row is about
``id``        the id (or ids, joined by ``;``) concerned
``message``   what is wrong, in words
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from .names import normalize_name
from .workspace import Workspace

__all__ = ["CHECK_COLUMNS", "check"]

CHECK_COLUMNS = ["severity", "check", "table", "id", "message"]


def _cycles(products: pd.DataFrame, inputs: pd.DataFrame) -> list[dict]:
    g = nx.DiGraph()
    g.add_edges_from(zip(inputs["upstream"], inputs["downstream"], strict=False))
    names = dict(zip(products["id"], products["name"], strict=False))
    rows = []
    for component in nx.strongly_connected_components(g):
        nodes = sorted(component)
        if len(nodes) == 1 and not g.has_edge(nodes[0], nodes[0]):
            continue
        loop = [u for u, _ in nx.find_cycle(g.subgraph(nodes), source=nodes[0])]
        text = " → ".join(f"{names.get(p, p)}" for p in loop + loop[:1])
        rows.append({"severity": "warning", "check": "cycle", "table": "inputs",
                     "id": ";".join(nodes),
                     "message": f"cycle in the product graph ({len(nodes)} products): {text}; "
                                "analyses handle it, check it is meant (recycling?)"})
    return rows


def check(workspace: Workspace) -> pd.DataFrame:
    """Check the workspace's data and return one row per finding.

    Cycles are reported as warnings (recycling loops are legitimate); two firms with
    the same USCC are an error.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.check(ws)
    >>> sorted(set(report["check"]))[:3]
    ['cycle', 'duplicate-name', 'idle-firm']
    >>> bool((report["severity"] == "error").any())
    False
    """
    t = workspace.tables()
    products, companies, caps = t["products"], t["companies"], t["capabilities"]
    rows: list[dict] = _cycles(products, t["inputs"])

    made = set(caps["product_id"])
    for pid, name in zip(products["id"], products["name"], strict=False):
        if pid not in made:
            rows.append({"severity": "warning", "check": "unmade-product", "table": "products",
                         "id": pid, "message": f"no firm makes {name} ({pid})"})
    chained = set(t["product_chains"]["product_id"])
    for pid, name in zip(products["id"], products["name"], strict=False):
        if pid not in chained:
            rows.append({"severity": "warning", "check": "unchained-product",
                         "table": "products", "id": pid,
                         "message": f"{name} ({pid}) belongs to no chain"})
    with_products = set(t["product_chains"]["chain_id"])
    for cid, name in zip(t["chains"]["id"], t["chains"]["name"], strict=False):
        if cid not in with_products:
            rows.append({"severity": "warning", "check": "empty-chain", "table": "chains",
                         "id": cid, "message": f"chain {name} ({cid}) has no products"})
    idle = companies[~companies["id"].isin(set(caps["company_id"]))]
    for cid, name in zip(idle["id"], idle["name"], strict=False):
        rows.append({"severity": "warning", "check": "idle-firm", "table": "companies",
                     "id": cid, "message": f"{name} ({cid}) makes no product"})
    no_uscc = companies[companies["uscc"].isna()]
    for cid, name in zip(no_uscc["id"], no_uscc["name"], strict=False):
        rows.append({"severity": "warning", "check": "missing-uscc", "table": "companies",
                     "id": cid, "message": f"{name} ({cid}) has no USCC (统一社会信用代码)"})
    by_uscc = companies.dropna(subset=["uscc"]).groupby("uscc")["id"].agg(list)
    for code, ids in by_uscc[by_uscc.map(len) > 1].items():
        rows.append({"severity": "error", "check": "duplicate-uscc", "table": "companies",
                     "id": ";".join(sorted(ids)),
                     "message": f"firms {', '.join(sorted(ids))} share USCC {code}: "
                                "one firm recorded twice? (chainmap firms merge)"})
    norm = companies["name"].map(normalize_name)
    groups = companies.groupby(norm)
    for _key, group in groups:
        if len(group) > 1:
            ids = sorted(group["id"])
            names = " / ".join(group.sort_values("id")["name"])
            rows.append({"severity": "warning", "check": "duplicate-name", "table": "companies",
                         "id": ";".join(ids),
                         "message": f"names look like one firm: {names}"})
    supplies = t["supplies"].dropna(subset=["product_id"])
    if len(supplies):
        keys = set(zip(caps["company_id"], caps["product_id"], strict=False))
        for s, c, p in supplies.itertuples(index=False, name=None):
            if (s, p) not in keys:
                rows.append({"severity": "warning", "check": "supply-not-made",
                             "table": "supplies", "id": f"{s};{c};{p}",
                             "message": f"{s} supplies {p} to {c} but has no capability for it"})
    order = {"error": 0, "warning": 1}
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    return frame.sort_values(["severity", "check", "id"], key=lambda s: s.map(order)
                             if s.name == "severity" else s).reset_index(drop=True)
