"""What-if: the links that break if a local firm leaves, or close if a target lands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..i18n import N_, _, label, language
from ..regions import Region
from ..snapshot import reads_snapshot
from .anchor import firm_supply_pairs
from .common import STATUS_ORDER, chain_products, require_active, status_of
from .gaps import gap_codes

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["IMPACT_CUSTOMER_COLUMNS", "IMPACT_PRODUCT_COLUMNS", "ImpactReport", "impact"]

#: Columns of :attr:`ImpactReport.products`: one row per product the firm makes.
IMPACT_PRODUCT_COLUMNS = [
    "product",                # product id
    "name",                   # Chinese name
    "tier",                   # upstream / midstream / downstream (may be empty)
    "before",                 # status at the home zone now: missing / weak / covered
    "after",                  # status once the firm has left (or landed)
    "local_producers_before",  # distinct local firms making it now
    "local_producers_after",   # ... and after
    "changed",                # whether the status changes
]

#: Columns of :attr:`ImpactReport.customers`: local firms whose only local source of a
#: product is the firm (it leaves) or would be the firm (it lands).
IMPACT_CUSTOMER_COLUMNS = [
    "customer",      # local customer id
    "name",          # its registered name
    "product",       # the product the firm supplies it
    "product_name",  # that product's Chinese name
    "effect",        # 'loses its only local supplier' / 'gains its first local supplier'
]                    # (in the current language)

LOSES = N_("loses its only local supplier")
GAINS = N_("gains its first local supplier")


@dataclass(frozen=True)
class ImpactReport:
    """What :func:`impact` returns."""

    firm: str
    name: str
    home: str
    action: str  # "leaves" or "lands"
    products: pd.DataFrame
    customers: pd.DataFrame

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The report as named frames: ``products``, ``customers``."""
        return {"products": self.products, "customers": self.customers}

    def __str__(self) -> str:
        """One line, in the current language: what changes if the firm leaves or lands."""
        changed = self.products[self.products["changed"]]
        zh = language() == "zh"  # Chinese names the products, English gives their ids
        moves = ("，" if zh else ", ").join(
            f"{p} {label('status', b)} → {label('status', a)}" for p, b, a in
            zip(changed["name" if zh else "product"], changed["before"], changed["after"]))
        lands = self.action == "lands in"
        text = SUMMARIES[lands, bool(moves)]
        return _(text).format(name=self.name, firm=self.firm, home=self.home,
                              changed=len(changed), moves=moves, customers=len(self.customers))

    def _repr_html_(self) -> str:
        """The line of :meth:`__str__`, then the tables as ``chainmap impact`` shows them."""
        from ..output import report_html

        return report_html(self.sheets(), language(), sentence=str(self))


#: :meth:`ImpactReport.__str__`, whole sentences: (the firm lands, some status changes).
SUMMARIES = {
    (False, True): N_("If {name} ({firm}) leaves {home}: {changed} product(s) change status "
                      "({moves}); {customers} local customer link(s) affected"),
    (False, False): N_("If {name} ({firm}) leaves {home}: {changed} product(s) change "
                       "status; {customers} local customer link(s) affected"),
    (True, True): N_("If {name} ({firm}) lands in {home}: {changed} product(s) change status "
                     "({moves}); {customers} local customer link(s) affected"),
    (True, False): N_("If {name} ({firm}) lands in {home}: {changed} product(s) change "
                      "status; {customers} local customer link(s) affected"),
}


@reads_snapshot
def impact(workspace: Workspace, firm: str, home: str | Region | None = None,
           chain: str | None = None, add: bool = False, weak_threshold: int = 2) -> ImpactReport:
    """What changes at ``home`` if the local ``firm`` leaves (or, with ``add``, lands).

    For each product the firm makes (of ``chain`` if given): its status before and
    after, counting the firm out (or in). And the local customers hit: for every
    ``supplies`` row from the firm to a firm in the home zone (the row's product, or,
    when the row names none, each product the firm makes that the customer takes as an
    input), the customer *loses its only local supplier* when no other local firm
    makes that product. With ``add`` the firm is a non-local target and the same rule
    runs in reverse: the products it would bring to the zone, and the local customers
    that would *gain their first local supplier*.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    firm
        The firm's id, USCC or exact registered name.
    home
        The home zone; defaults to the workspace's configured home.
    chain
        Only the products of this chain (id or name); default every product.
    add
        The firm is not local and lands (default: the firm is local and leaves).
    weak_threshold
        As in :func:`chainmap.gaps`.

    Returns
    -------
    ImpactReport
        ``products`` (columns :data:`IMPACT_PRODUCT_COLUMNS`; the products whose status
        changes first, by the new status, then by product id) and ``customers``
        (columns :data:`IMPACT_CUSTOMER_COLUMNS`, by customer and product).

    Raises
    ------
    ArgumentError
        A firm outside the home zone without ``add``, or a local firm with ``add``.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> gone = chainmap.impact(ws, "haoyue", home="安徽省/马鞍山市/当涂县")
    >>> print(gone.products[["product", "before", "after"]].to_string(index=False))
      product before   after
    capacitor   weak missing
    >>> print(gone.customers[["customer", "product", "effect"]].to_string(index=False))
    customer   product                        effect
         aux capacitor loses its only local supplier
    >>> lands = chainmap.impact(ws, "xinchang-valve", home="当涂县", add=True)
    >>> print(lands.products[["product", "before", "after"]].to_string(index=False))
           product  before after
               eev missing  weak
    four-way-valve missing  weak
    """
    firm_id = workspace.company_id(firm)
    require_active(workspace, firm_id, "firm")
    home_region = workspace.resolve_home(home)
    # what it reads: the codes of the live tables (active firms and their confirmed
    # links; see gaps.gap_codes), the firm's own rows, its customers' names by id
    ix = gap_codes(workspace)
    code = ix.firm_code(firm_id)
    local = ix.in_region(home_region)
    name = str(workspace._names("companies", {firm_id}).get(firm_id, firm_id))
    is_local = bool(local[code])  # the sentinel of code -1 is not local
    if not add and not is_local:
        raise ArgumentError(_("{name} ({firm}) is not in {home}, so its leaving changes "
                              "nothing there; use add=True to see what its arrival would "
                              "change").format(name=name, firm=firm_id, home=home_region.path),
                            parameter="add")
    if add and is_local:
        raise ArgumentError(_("{name} ({firm}) is already in {home}; drop add=True to see "
                              "what its leaving would change").format(
            name=name, firm=firm_id, home=home_region.path), parameter="add")
    scope = set(chain_products(workspace, workspace.chain_id(chain))) if chain else None
    made_all = set(ix.capabilities_of([code])["product_id"])
    made = sorted(made_all if scope is None else made_all & scope)
    delta = 1 if add else -1

    def local_producer_counts(products: set | list) -> pd.Series:
        """Distinct local firms making each of ``products`` (absent: none)."""
        return ix.producers(local, products).groupby("product_id")["company_id"].nunique()

    products = workspace._table("products").set_index("id")
    before = local_producer_counts(made).reindex(made).fillna(0).astype(int)
    frame = _product_frame(made, products, before, delta, int(weak_threshold))

    rows = np.flatnonzero((ix.sup_firm == code) & local[ix.cust_firm]
                          & (ix.cust_firm != code)) if code >= 0 else np.empty(0, np.int64)
    pairs = firm_supply_pairs(ix, rows, workspace._table("inputs")) \
        .dropna(subset=["product_id"])
    if scope is not None:
        pairs = pairs[pairs["product_id"].isin(scope)]
    producers = local_producer_counts(set(pairs["product_id"]))
    others = pairs["product_id"].map(producers).fillna(0).astype(int)
    if not add:  # the firm itself is one of the local producers of what it makes
        others = others - pairs["product_id"].isin(made_all).astype(int)
    hit = pairs[(others == 0).to_numpy()].sort_values(["customer_id", "product_id"])
    names = workspace._names("companies", set(hit["customer_id"]))
    customers = pd.DataFrame({
        "customer": hit["customer_id"].to_numpy(dtype=object),
        "name": [names.get(c, c) for c in hit["customer_id"]],
        "product": hit["product_id"].to_numpy(dtype=object),
        "product_name": [products["name"].get(p, p) for p in hit["product_id"]],
        "effect": _(GAINS if add else LOSES),
    }, columns=IMPACT_CUSTOMER_COLUMNS)
    return ImpactReport(firm_id, name, home_region.path, "lands in" if add else "leaves",
                        frame, customers.reset_index(drop=True))


def _product_frame(made: list, products: pd.DataFrame, before: pd.Series, delta: int,
                   weak_threshold: int) -> pd.DataFrame:
    """The product rows of the impact report (columns :data:`IMPACT_PRODUCT_COLUMNS`).

    ``before`` holds the local producers of each of ``made``; ``delta`` is what the
    firm's leaving (-1) or coming (+1) does to them.
    """
    frame = pd.DataFrame({
        "product": made,
        "name": [products["name"].get(p, p) for p in made],
        "tier": [products["tier"].get(p) if pd.notna(products["tier"].get(p)) else ""
                 for p in made],
        "local_producers_before": before.to_numpy(dtype=int),
        "local_producers_after": (before + delta).to_numpy(dtype=int),
    })
    frame["before"] = status_of(frame["local_producers_before"], weak_threshold)
    frame["after"] = status_of(frame["local_producers_after"], weak_threshold)
    frame["changed"] = frame["before"] != frame["after"]
    frame["_order"] = frame["after"].map(STATUS_ORDER)
    frame = frame.sort_values(["changed", "_order", "product"], ascending=[False, True, True],
                              kind="mergesort")
    return frame[IMPACT_PRODUCT_COLUMNS].reset_index(drop=True)
