"""Targets: the candidate firms for one gap of a chain, ranked, and why (精准招商)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..i18n import N_, _
from ..regions import Region
from ..snapshot import reads_snapshot
from .common import (
    chain_products,
    open_lead_firms,
    ordinal,
    region_paths,
    target_regions,
)
from .gaps import _count, gap_codes, gaps

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["TARGET_COLUMNS", "targets"]

#: Columns of the frame :func:`targets` returns.
TARGET_COLUMNS = [
    "rank",             # 1, 2, ... exactly the order of the gap report's candidates
    "company",          # firm id
    "name",             # registered name
    "region",           # province/city/district
    "revenue",          # annual revenue in 万元 (NaN when not on record)
    "supplies_local",   # already supplies at least one firm in the home zone
    "local_customers",  # ids of the home-zone firms it supplies (any product)
    "why",              # the rank in words
    "is_lead",          # has an open lead in the pipeline (not lost, not producing)
]


@reads_snapshot
def targets(workspace: Workspace, chain: str, product: str, home: str | Region | None = None,
            targets: str | list | None = None) -> pd.DataFrame:
    """The candidate firms for ``product`` of ``chain``, ranked as in the gap report.

    Candidates are firms outside ``home`` and inside ``targets`` that make the
    product. The ranking is the gap report's own (its ``candidates`` list, computed in
    the database on a Neo4j store, for this product alone on SQLite), so the two
    agree: first the firms that already supply a firm in the home zone, then by
    revenue (none on record last), then by id.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    chain
        Chain id or name (``smart-appliances``, ``智能家电``).
    product
        Product id, Chinese or English name; it must belong to ``chain``.
    home
        The home zone; defaults to the workspace's configured home.
    targets
        Where candidates may be: regions or groups, comma-separated or a list;
        default 苏浙沪.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TARGET_COLUMNS`, one row per candidate in rank order. ``why``
        names the local customers of a firm that already supplies the zone
        (``supplies 奥克斯空调（马鞍山）有限公司``), then where its revenue ranks among the
        candidates of its province (``largest in 江苏省``, ``2nd largest in 浙江省``) or
        ``no revenue on record``.

    Raises
    ------
    NotFoundError
        Unknown chain or product.
    ArgumentError
        The product is not in the chain; no home zone.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> found = chainmap.targets(ws, "智能家电", "eev", home="安徽省/马鞍山市/当涂县")
    >>> print(found[["rank", "company", "why"]].to_string(index=False))
     rank        company                                        why
        1 xinchang-valve supplies 奥克斯空调（马鞍山）有限公司; largest in 浙江省
        2  wujiang-valve                           largest in 江苏省
        3     hufa-valve                           largest in 上海市
    >>> found["is_lead"].tolist()  # the sample has an open lead for xinchang-valve
    [True, False, False]
    """
    chain_id = workspace.chain_id(chain)
    product_id = workspace.product_id(product)
    if product_id not in set(chain_products(workspace, chain_id)):
        names = workspace._table("products").set_index("id")["name"]
        chain_name = workspace._table("chains").set_index("id")["name"].get(chain_id, chain_id)
        raise ArgumentError(_("product '{product}' ({name}) is not in chain '{chain}' "
                              "({chain_name})").format(
            product=product_id, name=names.get(product_id, product_id), chain=chain_id,
            chain_name=chain_name))
    home_region = workspace.resolve_home(home)
    target_list = target_regions(targets)
    if workspace.store.computes_gaps:  # the store's own count of the gap report
        report = gaps(workspace, chain_id, home=home_region, targets=target_list)
        ranked = report.set_index("product").loc[product_id, "candidates"]
        ix = gap_codes(workspace)
    else:  # the gap report's count, of this product alone (its rank needs no other)
        ix = gap_codes(workspace)
        found = _count(ix, workspace._table("inputs"), {product_id}, home_region,
                       target_list)["candidates"]
        ranked = list(found[product_id]) if product_id in found.index else []
    # what it reads: the supplies from the ranked firms to the home's from the codes of
    # the live tables (active firms; see gaps.gap_codes), then those firms by id
    is_local = ix.in_region(home_region)
    to_local = np.flatnonzero(is_local[ix.cust_firm] & (ix.sup_firm >= 0))
    links = pd.DataFrame({"supplier_id": ix.firm_ids[ix.sup_firm[to_local]].astype(object),
                          "customer_id": ix.firm_ids[ix.cust_firm[to_local]].astype(object)})
    links = links[links["supplier_id"].isin(ranked)]
    records = workspace._records("companies", {*ranked, *links["customer_id"]})
    firms = records.set_index("id").loc[ranked].reset_index()
    frame = pd.DataFrame({
        "rank": range(1, len(ranked) + 1), "company": ranked,
        "name": firms["name"].to_numpy(), "region": region_paths(firms).to_numpy(),
        "province": firms["province"].to_numpy(),
        "revenue": firms["revenue"].astype(float).to_numpy()})

    local = records.loc[records["id"].isin(links["customer_id"]), ["id", "name"]]
    links = links.drop_duplicates(["supplier_id", "customer_id"]).sort_values(
        ["supplier_id", "customer_id"])
    customers = links.groupby("supplier_id")["customer_id"].agg(list)
    frame["local_customers"] = [customers.get(c, []) for c in frame["company"]]

    revenue = frame["revenue"].astype(float)
    place = revenue.groupby(frame["province"]).rank(method="min", ascending=False)
    names = local.set_index("id")["name"]
    frame["why"] = [_why([names.get(c, c) for c in cs], r, p, prov) for cs, r, p, prov in
                    zip(frame["local_customers"], revenue, place, frame["province"])]
    frame["is_lead"] = frame["company"].isin(open_lead_firms(workspace))
    frame["supplies_local"] = frame["local_customers"].map(bool)
    return frame[TARGET_COLUMNS]


#: The reasons of a rank, whole sentences: (supplies the zone, rank in the province).
#: The rank is ``1`` (largest), an English ordinal suffix (``st`` ``nd`` ``rd`` ``th``:
#: the Chinese says 第 N either way) or ``None`` (no revenue on record).
WHY = {
    (False, 1): N_("largest in {province}"),
    (False, "st"): N_("{n}st largest in {province}"),
    (False, "nd"): N_("{n}nd largest in {province}"),
    (False, "rd"): N_("{n}rd largest in {province}"),
    (False, "th"): N_("{n}th largest in {province}"),
    (False, None): N_("no revenue on record"),
    (True, 1): N_("supplies {customers}; largest in {province}"),
    (True, "st"): N_("supplies {customers}; {n}st largest in {province}"),
    (True, "nd"): N_("supplies {customers}; {n}nd largest in {province}"),
    (True, "rd"): N_("supplies {customers}; {n}rd largest in {province}"),
    (True, "th"): N_("supplies {customers}; {n}th largest in {province}"),
    (True, None): N_("supplies {customers}; no revenue on record"),
}


def _why(customers: list[str], revenue: float, place: float, province: str) -> str:
    """The rank in words, in the current language (:func:`chainmap.i18n.language`)."""
    n = None if np.isnan(revenue) else int(place)
    rank = None if n is None else 1 if n == 1 else ordinal(n)[-2:]
    return _(WHY[bool(customers), rank]).format(customers="、".join(customers), n=n,
                                                 province=province)
