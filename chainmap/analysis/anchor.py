"""The anchor-firm view (链主企业): what a firm buys and who can make or supply it.

Who here can make what the firm buys (本地配套率), and who already supplies it
(以商招商: the suppliers to invite).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..i18n import _
from ..regions import Region
from ..snapshot import reads_snapshot
from .common import (
    STATUS_ORDER,
    in_region,
    in_regions,
    region_paths,
    require_active,
    status_of,
    target_regions,
)
from .gaps import gap_codes

if TYPE_CHECKING:
    from ..workspace import Workspace
    from .gaps import _Codes

__all__ = ["ANCHOR_INPUT_COLUMNS", "ANCHOR_SUMMARY_COLUMNS", "ANCHOR_SUPPLIER_COLUMNS",
           "AnchorReport", "anchor"]

#: Columns of :attr:`AnchorReport.inputs`: one row per input product of the firm.
ANCHOR_INPUT_COLUMNS = [
    "product",          # input product id (an ``inputs`` edge into a product the firm makes)
    "name",             # Chinese name
    "tier",             # upstream / midstream / downstream (may be empty)
    "used_for",         # ids of the firm's products that take it as an input
    "status",           # missing / weak / covered at the home zone (as in the gap report)
    "local_producers",  # distinct home-zone firms that make it (the firm itself included)
    "local_firms",      # their ids
    "in_house",         # the firm makes it itself
    "known_supplier",   # the firm has a known supplier of it (``supplies``)
    "suppliers",        # ids of those suppliers
    "supplier_names",   # their registered names, in the order of ``suppliers``
]

#: Columns of :attr:`AnchorReport.suppliers`: one row per known supplier of the firm.
ANCHOR_SUPPLIER_COLUMNS = [
    "company",          # supplier id
    "name",             # registered name
    "region",           # province/city/district
    "where",            # local (home zone) / targets (e.g. 苏浙沪) / elsewhere
    "supplied",         # product ids it supplies to the firm (empty if not known)
    "revenue",          # annual revenue in 万元
]

#: Columns of :attr:`AnchorReport.summary` (one row).
ANCHOR_SUMMARY_COLUMNS = [
    "firm", "name", "home", "input_products", "supported", "supporting_rate", "definition"]

WHERE_ORDER = {"local": 0, "targets": 1, "elsewhere": 2}


@dataclass(frozen=True)
class AnchorReport:
    """What :func:`anchor` returns: two frames, the rate and what the rate means."""

    firm: str
    name: str
    home: str
    inputs: pd.DataFrame
    suppliers: pd.DataFrame
    supporting_rate: float  # NaN when the firm's products have no known inputs
    definition: str
    #: The names of the firms and products its lists hold by id (``{"company": {id:
    #: name}, "product": {...}}``), for its notebook view; empty: ids.
    names: dict[str, dict[str, str]] = field(default_factory=dict, repr=False,
                                             compare=False)

    @property
    def summary(self) -> pd.DataFrame:
        """One row: the firm, its input count, how many are supported, the rate."""
        supported = int((self.inputs["local_producers"] > 0).sum())
        return pd.DataFrame([{
            "firm": self.firm, "name": self.name, "home": self.home,
            "input_products": len(self.inputs), "supported": supported,
            "supporting_rate": self.supporting_rate, "definition": self.definition,
        }], columns=ANCHOR_SUMMARY_COLUMNS)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The report as named frames: ``summary``, ``inputs``, ``suppliers``."""
        return {"summary": self.summary, "inputs": self.inputs, "suppliers": self.suppliers}

    def __str__(self) -> str:
        """One line, in the current language: the firm, its rate and what it counts."""
        rate = _("n/a") if np.isnan(self.supporting_rate) else f"{self.supporting_rate:.1%}"
        return _("{name} ({firm}) at {home}: 本地配套率 {rate} ({supported} of {inputs} input "
                 "products), {suppliers} known supplier(s)").format(
            name=self.name, firm=self.firm, home=self.home, rate=rate,
            supported=int((self.inputs["local_producers"] > 0).sum()),
            inputs=len(self.inputs), suppliers=len(self.suppliers))

    def _repr_html_(self) -> str:
        """The line of :meth:`__str__`, then the tables as ``chainmap anchor`` shows them.

        Its lists by name (local firms, the products an input is used for: the first
        three and ``+N``, :func:`chainmap.output.list_names`), as the command's table.
        """
        from ..i18n import language
        from ..output import list_names, report_html

        lang = language()
        return report_html(list_names(self.sheets(), self.names, lang), lang,
                           sentence=str(self))


def supply_pairs(supplies: pd.DataFrame, capabilities: pd.DataFrame,
                 inputs: pd.DataFrame) -> pd.DataFrame:
    """``supplies`` rows with a product on every row that can have one.

    A row that names its product keeps it. A row without one stands for every product
    the supplier makes that the customer takes as an input (an ``inputs`` edge into a
    product the customer makes); if there is none, the product stays missing (NA).
    Returns columns ``supplier_id``, ``customer_id``, ``product_id``, without
    duplicates.
    """
    named = supplies[supplies["product_id"].notna()]
    bare = supplies.loc[supplies["product_id"].isna(), ["supplier_id", "customer_id"]]
    if len(bare):
        made = bare.merge(capabilities.rename(columns={"company_id": "supplier_id"}),
                          on="supplier_id")
        used = capabilities[capabilities["company_id"].isin(bare["customer_id"])] \
            .rename(columns={"company_id": "customer_id", "product_id": "downstream"}) \
            .merge(inputs, on="downstream")[["customer_id", "upstream"]]
        inferred = made.merge(used, left_on=["customer_id", "product_id"],
                              right_on=["customer_id", "upstream"])
        inferred = inferred[["supplier_id", "customer_id", "product_id"]]
        unknown = bare.merge(inferred[["supplier_id", "customer_id"]].drop_duplicates(),
                             how="left", indicator=True)
        unknown = unknown[unknown["_merge"] == "left_only"].drop(columns="_merge")
        unknown = unknown.assign(product_id=pd.Series(pd.NA, index=unknown.index,
                                                      dtype=object))
        parts = [named, inferred, unknown]
    else:
        parts = [named]
    frames = [p[["supplier_id", "customer_id", "product_id"]].astype(object) for p in parts]
    return pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)


@reads_snapshot
def anchor(workspace: Workspace, firm: str, home: str | Region | None = None,
           targets: str | list[str] | None = None, weak_threshold: int = 2) -> AnchorReport:
    """The anchor-firm view of ``firm``: its inputs, how local they are, its suppliers.

    The inputs are the products with an ``inputs`` edge into a product the firm makes.
    Its local supporting rate (本地配套率) is the share of those input products that at
    least one firm in ``home`` makes (the firm itself included, so in-house production
    counts). Its known suppliers (``supplies`` rows whose customer is the firm) are split
    into local, target-region (default 苏浙沪) and elsewhere: the firms a 以商招商
    campaign would ask the anchor to bring along.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    firm
        The firm's id, USCC or exact registered name.
    home
        The home zone; defaults to the workspace's configured home.
    targets
        The target regions for the ``where`` of suppliers; default 苏浙沪.
    weak_threshold
        As in :func:`chainmap.gaps`: fewer local producers than this (but some) is weak.

    Returns
    -------
    AnchorReport
        ``inputs`` (columns :data:`ANCHOR_INPUT_COLUMNS`, missing first, then weak,
        covered, each by product id), ``suppliers`` (columns
        :data:`ANCHOR_SUPPLIER_COLUMNS`, local first, then targets, elsewhere, each by
        revenue descending), ``supporting_rate`` and its ``definition`` (口径, in the
        current language, :func:`chainmap.i18n.language`).

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.anchor(ws, "aux", home="安徽省/马鞍山市/当涂县")
    >>> len(report.inputs), report.supporting_rate
    (14, 0.5)
    >>> report.inputs.set_index("product").loc["capacitor", ["status", "suppliers",
    ...                                                      "supplier_names"]].tolist()
    ['weak', ['haoyue'], ['安徽皓月电气有限公司']]
    >>> report.suppliers.groupby("where").size().to_dict()
    {'elsewhere': 5, 'local': 7, 'targets': 7}
    """
    firm_id = workspace.company_id(firm)
    require_active(workspace, firm_id, "firm")
    home_region = workspace.resolve_home(home)
    target_list = target_regions(targets)
    # what it reads: the codes of the live tables (active firms and their confirmed
    # links; see gaps.gap_codes), the firm's own rows, its suppliers by id
    ix = gap_codes(workspace)
    code = ix.firm_code(firm_id)
    edges = workspace._table("inputs")
    products = workspace._table("products").set_index("id")

    made = set(ix.capabilities_of([code])["product_id"])
    used = edges[edges["downstream"].isin(made)].sort_values(["upstream", "downstream"])
    used_for = used.groupby("upstream")["downstream"].agg(list)
    ids = sorted(used_for.index)

    local_caps = ix.producers(ix.in_region(home_region), ids)
    local_firms = local_caps.sort_values("company_id").groupby("product_id")["company_id"] \
        .agg(list)

    pairs = firm_supply_pairs(ix, np.flatnonzero(ix.cust_firm == code) if code >= 0
                              else np.empty(0, dtype=np.int64), edges)
    by_product = pairs.dropna(subset=["product_id"]).sort_values("supplier_id") \
        .groupby("product_id")["supplier_id"].agg(lambda s: sorted(set(s)))

    firms = workspace._records("companies", {firm_id, *pairs["supplier_id"]})
    inputs = _input_frame(ids, products, used_for, local_firms, by_product, made,
                          int(weak_threshold), dict(zip(firms["id"], firms["name"],
                                                        strict=True)))

    suppliers = _suppliers(firms, pairs, home_region, target_list)
    rate = float((inputs["local_producers"] > 0).mean()) if len(inputs) else float("nan")
    definition = _("本地配套率 (local supporting rate) = share of the input products of what "
                   "the firm makes that at least one firm in {home} makes (the firm itself "
                   "included)").format(home=home_region.path)
    name = firms.set_index("id")["name"].get(firm_id, firm_id)
    names = {"company": workspace._names("companies", {f for ids in inputs["local_firms"]
                                                        for f in ids}),
             "product": {str(p): str(products["name"].get(p, p))
                         for ids in (*inputs["used_for"], *suppliers["supplied"])
                         for p in ids}}
    return AnchorReport(firm_id, str(name), home_region.path, inputs, suppliers, rate,
                        definition, names)


def firm_supply_pairs(ix: _Codes, rows: np.ndarray, inputs: pd.DataFrame) -> pd.DataFrame:
    """:func:`supply_pairs` of the ``supplies`` rows ``rows`` of the codes ``ix``.

    Reads only the capabilities of the firms of the rows that name no product.
    """
    bare = rows[ix.sup_prod[rows] < 0]
    caps = ix.capabilities_of({*ix.sup_firm[bare].tolist(), *ix.cust_firm[bare].tolist()})
    return supply_pairs(ix.supplies_at(rows), caps, inputs)


def _input_frame(ids: list, products: pd.DataFrame, used_for: pd.Series,
                 local_firms: pd.Series, by_product: pd.Series, made: set,
                 weak_threshold: int, names: dict) -> pd.DataFrame:
    """The input rows of the anchor report (columns :data:`ANCHOR_INPUT_COLUMNS`).

    ``used_for``, ``local_firms`` and ``by_product`` are lists by product id (absent:
    none); ``made`` the products the firm makes itself; ``names`` the suppliers' names by
    id.
    """
    def lists(series: pd.Series) -> list:
        return [series.get(i, []) for i in ids]

    inputs = pd.DataFrame({
        "product": ids,
        "name": [products["name"].get(i, i) for i in ids],
        "tier": [products["tier"].get(i) if pd.notna(products["tier"].get(i)) else ""
                 for i in ids],
        "used_for": lists(used_for),
        "local_firms": lists(local_firms),
        "suppliers": lists(by_product),
    }, columns=["product", "name", "tier", "used_for", "local_firms", "suppliers"])
    inputs["local_producers"] = inputs["local_firms"].map(len).astype(int)
    inputs["status"] = status_of(inputs["local_producers"], weak_threshold)
    inputs["in_house"] = inputs["product"].isin(made)
    inputs["known_supplier"] = inputs["suppliers"].map(bool).astype(bool)
    inputs["supplier_names"] = inputs["suppliers"].map(
        lambda ids: [str(names.get(i, i)) for i in ids])
    inputs = inputs.sort_values(["status", "product"], key=lambda c: c.map(STATUS_ORDER)
                                if c.name == "status" else c, kind="mergesort")
    return inputs[ANCHOR_INPUT_COLUMNS].reset_index(drop=True)


def _suppliers(companies: pd.DataFrame, pairs: pd.DataFrame, home: Region,
               targets: list[Region]) -> pd.DataFrame:
    supplied = pairs.dropna(subset=["product_id"]).sort_values("product_id") \
        .groupby("supplier_id")["product_id"].agg(lambda s: sorted(set(s)))
    firms = companies[companies["id"].isin(set(pairs["supplier_id"]))]
    local = in_region(firms, home)
    where = np.where(local, "local", np.where(in_regions(firms, targets), "targets",
                                              "elsewhere"))
    frame = pd.DataFrame({
        "company": firms["id"].to_numpy(dtype=object),
        "name": firms["name"].to_numpy(dtype=object),
        "region": region_paths(firms).to_numpy(dtype=object),
        "where": where,
        "supplied": [supplied.get(i, []) for i in firms["id"]],
        "revenue": firms["revenue"].astype(float).to_numpy(),
    }, columns=ANCHOR_SUPPLIER_COLUMNS)
    frame["_w"] = frame["where"].map(WHERE_ORDER)
    frame["_r"] = frame["revenue"].fillna(-np.inf)
    frame = frame.sort_values(["_w", "_r", "company"], ascending=[True, False, True],
                              kind="mergesort")
    return frame[ANCHOR_SUPPLIER_COLUMNS].reset_index(drop=True)
