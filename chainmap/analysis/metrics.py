"""Chain metrics: how complete a chain is at the home zone (产业链完整度), per tier."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..regions import Region
from ..snapshot import reads_snapshot
from .common import TIER_ORDER
from .gaps import gaps

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["METRIC_COLUMNS", "metrics"]

#: Columns of the frame :func:`metrics` returns.
METRIC_COLUMNS = [
    "chain",            # chain id
    "tier",             # upstream / midstream / downstream / unspecified, or overall
    "products",         # products of the chain in this tier
    "covered",          # of them, covered (at least weak_threshold local producers)
    "weak",             # of them, weak links (弱链): some local producers, too few
    "missing",          # of them, missing links (缺链): no local producer
    "local_producers",  # distinct home-zone firms making at least one of them
    "completeness",     # share of the products with at least one local producer
]


@reads_snapshot
def metrics(workspace: Workspace, chain: str | None = None, home: str | Region | None = None,
            weak_threshold: int = 2) -> pd.DataFrame:
    """Completeness of ``chain`` at ``home``: per tier and overall.

    Completeness is the share of the chain's products that at least one firm in the
    home zone makes (weak and covered products). The counts agree with the statuses
    of :func:`chainmap.gaps` for the same ``weak_threshold``.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    chain
        Chain id or name; ``None`` for every chain of the workspace (by chain id).
    home
        The home zone; defaults to the workspace's configured home.
    weak_threshold
        Fewer local producers than this (but some) is a weak link.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`METRIC_COLUMNS`: per chain, one row per tier that has products
        (upstream, midstream, downstream, then ``unspecified`` for products without a
        tier), then an ``overall`` row. ``completeness`` is NaN for a chain without
        products.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> m = chainmap.metrics(ws, "智能家电", home="安徽省/马鞍山市/当涂县")
    >>> print(m[["tier", "products", "missing", "weak", "completeness"]].round(3)
    ...       .to_string(index=False))
          tier  products  missing  weak  completeness
      upstream        11        7     3         0.364
     midstream        17        6     4         0.647
    downstream         4        0     2         1.000
       overall        32       13     9         0.594
    """
    if chain is None:
        chain_ids = sorted(workspace._table("chains")["id"])
    else:
        chain_ids = [workspace.chain_id(chain)]
    home_region = workspace.resolve_home(home)
    rows = []
    for chain_id in chain_ids:
        report = gaps(workspace, chain_id, home=home_region, weak_threshold=weak_threshold)
        report = report.assign(tier=report["tier"].replace("", "unspecified"))
        tiers = sorted(set(report["tier"]), key=lambda t: TIER_ORDER.get(t, len(TIER_ORDER)))
        for tier in [*tiers, "overall"]:
            part = report if tier == "overall" else report[report["tier"] == tier]
            rows.append(_row(chain_id, tier, part))
    frame = pd.DataFrame(rows, columns=METRIC_COLUMNS)
    return frame.astype({c: int for c in METRIC_COLUMNS[2:7]})


def _row(chain_id: str, tier: str, part: pd.DataFrame) -> dict:
    n = len(part)
    counts = part["status"].value_counts()
    firms = {f for ids in part["local_firms"] for f in ids}
    made = int((part["local_producers"] > 0).sum())
    return {"chain": chain_id, "tier": tier, "products": n,
            "covered": int(counts.get("covered", 0)), "weak": int(counts.get("weak", 0)),
            "missing": int(counts.get("missing", 0)), "local_producers": len(firms),
            "completeness": made / n if n else float("nan")}
