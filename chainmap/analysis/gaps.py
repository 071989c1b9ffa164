"""The gap report: which products of a chain the home zone lacks (缺链) or holds by too
few firms (弱链), who here would buy them, and who in the target regions makes them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ChainmapError
from ..regions import Region
from .common import STATUS_ORDER, in_region, in_regions, status_of, target_regions

__all__ = ["GAP_COLUMNS", "gaps", "candidate_ranking"]

#: Columns of the frame :func:`gaps` returns.
GAP_COLUMNS = [
    "product",          # product id
    "name",             # Chinese name
    "name_en",          # English name (may be empty)
    "tier",             # upstream / midstream / downstream (may be empty)
    "status",           # missing (0 local producers) / weak (< threshold) / covered
    "local_producers",  # distinct local firms that make the product
    "local_demand",     # distinct local firms making a product directly downstream of it
    "n_candidates",     # number of candidates
    "candidates",       # ids of target-region firms that make it, in rank order
    "local_firms",      # ids of the local producers
    "explanation",      # the row in words
]


def candidate_ranking(companies: pd.DataFrame, capabilities: pd.DataFrame,
                      supplies: pd.DataFrame, products: set, home: Region,
                      targets: list[Region]) -> pd.DataFrame:
    """Candidate firms for ``products``, ranked per product.

    Returns rows (``product_id``, ``company_id``, ``supplies_local``, ``revenue``,
    ``rank``) for firms outside ``home`` and inside ``targets`` that make a product:
    first those that already supply a local firm, then by revenue (missing last),
    then by id.
    """
    local = in_region(companies, home)
    eligible = companies.loc[~local & in_regions(companies, targets), ["id", "revenue"]]
    caps = capabilities[capabilities["product_id"].isin(products)
                        & capabilities["company_id"].isin(eligible["id"])]
    local_ids = companies.loc[local, "id"]
    suppliers = set(supplies.loc[supplies["customer_id"].isin(local_ids), "supplier_id"])
    ranked = caps.merge(eligible, left_on="company_id", right_on="id", how="left")
    ranked["supplies_local"] = ranked["company_id"].isin(suppliers)
    ranked["_rev"] = ranked["revenue"].fillna(-np.inf)
    ranked = ranked.sort_values(["product_id", "supplies_local", "_rev", "company_id"],
                                ascending=[True, False, False, True], kind="mergesort")
    ranked["rank"] = ranked.groupby("product_id").cumcount() + 1
    return ranked[["product_id", "company_id", "supplies_local", "revenue", "rank"]]


def gaps(workspace, chain: str, home: str | Region | None = None,
         targets: str | list | None = None, weak_threshold: int = 2) -> pd.DataFrame:
    """The gap report of ``chain`` at ``home``: one row per product of the chain.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    chain
        Chain id or name (``smart-appliances`` or ``智能家电``).
    home
        The home zone (path or unambiguous name); defaults to the workspace's
        configured home (``chainmap config home``).
    targets
        Where candidates may be: regions or groups, comma-separated or a list;
        default 苏浙沪 (上海市, 江苏省, 浙江省).
    weak_threshold
        A product with fewer local producers than this (but at least one) is weak.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`, ordered by status (missing, weak, covered),
        local demand (descending), number of candidates (descending), product id.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.gaps(ws, "智能家电", home="安徽省/马鞍山市/当涂县")
    >>> report.groupby("status").size().to_dict()
    {'covered': 10, 'missing': 13, 'weak': 9}
    >>> row = report.set_index("product").loc["capacitor"]
    >>> row["status"], row["local_firms"]
    ('weak', ['haoyue'])
    """
    if int(weak_threshold) < 1:
        raise ChainmapError(f"--weak-threshold must be at least 1, not {weak_threshold}")
    chain_id = workspace.chain_id(chain)
    home_region = workspace.resolve_home(home)
    target_list = target_regions(targets)
    store_gaps = getattr(workspace.store, "gap_rows", None)
    t = {name: workspace.table(name) for name in
         ("products", "product_chains", "inputs", "companies", "capabilities", "supplies")}
    chain_products = t["product_chains"].loc[t["product_chains"]["chain_id"] == chain_id,
                                             "product_id"]
    products = t["products"].set_index("id").loc[chain_products.unique()]
    product_set = set(products.index)

    if store_gaps is not None:  # the store computes counts and candidates itself
        counts = store_gaps(chain_id, home_region, target_list)
    else:
        counts = _gap_counts(t, product_set, home_region, target_list)
    return _assemble(products, counts, int(weak_threshold), home_region, target_list)


def _gap_counts(t: dict[str, pd.DataFrame], product_set: set, home: Region,
                targets: list[Region]) -> dict[str, pd.Series]:
    companies, caps = t["companies"], t["capabilities"]
    local_ids = companies.loc[in_region(companies, home), "id"]
    local_caps = caps[caps["company_id"].isin(local_ids)]
    in_chain = local_caps[local_caps["product_id"].isin(product_set)]
    local_firms = in_chain.sort_values("company_id").groupby("product_id")["company_id"] \
        .agg(list)
    edges = t["inputs"][t["inputs"]["upstream"].isin(product_set)]
    demand = edges.merge(local_caps, left_on="downstream", right_on="product_id") \
        .groupby("upstream")["company_id"].nunique()
    ranked = candidate_ranking(companies, caps, t["supplies"], product_set, home, targets)
    candidates = ranked.groupby("product_id", sort=False)["company_id"].agg(list)
    return {"local_firms": local_firms, "local_demand": demand, "candidates": candidates}


def _assemble(products: pd.DataFrame, counts: dict[str, pd.Series], weak_threshold: int,
              home: Region, targets: list[Region]) -> pd.DataFrame:
    ids = products.index
    empty: list = []
    local_firms = counts["local_firms"].reindex(ids).map(
        lambda v: v if isinstance(v, list) else empty)
    candidates = counts["candidates"].reindex(ids).map(
        lambda v: v if isinstance(v, list) else empty)
    frame = pd.DataFrame({
        "product": ids,
        "name": products["name"].to_numpy(),
        "name_en": products["name_en"].fillna("").to_numpy(),
        "tier": products["tier"].fillna("").to_numpy(),
        "local_producers": local_firms.map(len).to_numpy(),
        "local_demand": counts["local_demand"].reindex(ids).fillna(0).astype(int).to_numpy(),
        "candidates": candidates.to_numpy(),
        "local_firms": local_firms.to_numpy(),
    })
    frame["n_candidates"] = frame["candidates"].map(len)
    frame["status"] = status_of(frame["local_producers"], weak_threshold)
    where = ", ".join(r.name for r in targets)
    frame["explanation"] = [
        _explain(s, lp, ld, nc, home.name, where) for s, lp, ld, nc in
        zip(frame["status"], frame["local_producers"], frame["local_demand"],
            frame["n_candidates"])]
    frame["_order"] = frame["status"].map(STATUS_ORDER)
    frame = frame.sort_values(["_order", "local_demand", "n_candidates", "product"],
                              ascending=[True, False, False, True], kind="mergesort")
    return frame[GAP_COLUMNS].reset_index(drop=True)


def _explain(status: str, producers: int, demand: int, candidates: int, home: str,
             where: str) -> str:
    first = {"missing": f"no firm in {home} makes it (缺链)",
             "weak": f"only {producers} firm(s) in {home} make it (弱链)",
             "covered": f"{producers} firms in {home} make it"}[status]
    need = f"{demand} local firm(s) make products that use it" if demand else \
        "no local firm uses it directly"
    return f"{first}; {need}; {candidates} candidate(s) in {where}"
