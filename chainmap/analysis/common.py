"""Pieces the analyses share: who is local, who is in the target regions, ranking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ArgumentError, RegionError
from ..i18n import _, language
from ..regions import LIST_SEPARATORS, REGION_COLUMN, Region, inside, inside_any, resolve_many

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["DEFAULT_TARGETS", "REGION_COLUMN", "STATUS_ORDER", "TIER_ORDER", "chain_products",
           "in_region", "in_regions", "local_producer_counts", "open_lead_firms", "ordinal",
           "region_paths", "require_active", "status_of", "target_regions", "targets_text"]

#: The default target regions of the gap report: 苏浙沪.
DEFAULT_TARGETS = "苏浙沪"
STATUS_ORDER = {"missing": 0, "weak": 1, "covered": 2}
#: Tiers in report order; products without a tier are ``unspecified``.
TIER_ORDER = {"upstream": 0, "midstream": 1, "downstream": 2, "unspecified": 3}


def in_region(companies: pd.DataFrame, region: Region) -> np.ndarray:
    """Boolean mask of the firms located inside ``region`` (:func:`chainmap.regions.inside`)."""
    return inside(companies, region)


def in_regions(companies: pd.DataFrame, regions: list[Region]) -> np.ndarray:
    """Boolean mask of the firms inside any of ``regions`` (:func:`chainmap.regions.inside_any`)."""
    return inside_any(companies, regions)


def target_regions(targets: str | list | None) -> list[Region]:
    """Regions from a comma-separated string, a list, or the default 苏浙沪."""
    if targets is None:
        return resolve_many(DEFAULT_TARGETS)
    if not [t for t in LIST_SEPARATORS.split(targets) if t.strip()] if isinstance(targets, str) \
            else not targets:
        raise RegionError(_("no target region given: leave targets= out for 苏浙沪, or name "
                            "regions such as 江苏省,上海市"), parameter="targets")
    return resolve_many(targets)


def targets_text(targets: list[Region]) -> str:
    """The target regions as a reader names them, in the current language.

    English lists the names (``上海市, 江苏省, 浙江省``); Chinese joins them with 、 and
    says 苏浙沪 for the default group, as a 招商 office writes it.

    Examples
    --------
    >>> from chainmap.i18n import use_language
    >>> targets_text(target_regions(None))
    '上海市, 江苏省, 浙江省'
    >>> with use_language("zh"):
    ...     targets_text(target_regions(None)), targets_text(target_regions("江苏省,浙江省"))
    ('苏浙沪', '江苏省、浙江省')
    """
    if language() != "zh":
        return ", ".join(r.name for r in targets)
    if [r.path for r in targets] == [r.path for r in resolve_many(DEFAULT_TARGETS)]:
        return DEFAULT_TARGETS
    return "、".join(r.name for r in targets)


def status_of(local_producers: pd.Series, weak_threshold: int) -> pd.Series:
    """``missing`` for 0, ``weak`` below ``weak_threshold``, else ``covered``."""
    return pd.Series(np.where(local_producers == 0, "missing",
                              np.where(local_producers < weak_threshold, "weak", "covered")),
                     index=local_producers.index)


def chain_products(workspace: Workspace, chain_id: str) -> list[str]:
    """Ids of the products of the chain ``chain_id`` (an id, already resolved), sorted."""
    links = workspace._table("product_chains")
    return sorted(links.loc[links["chain_id"] == chain_id, "product_id"].unique())


def local_producer_counts(companies: pd.DataFrame, capabilities: pd.DataFrame,
                          home: Region, products: Iterable[str] | None = None) -> pd.Series:
    """Distinct local firms making each product (index: product id; absent means 0).

    Give it what the reports count (``workspace._live("companies")`` and
    ``workspace._live("capabilities")``): active firms and their confirmed links.
    """
    local_ids = companies.loc[in_region(companies, home), "id"]
    caps = capabilities[capabilities["company_id"].isin(local_ids)]
    if products is not None:
        caps = caps[caps["product_id"].isin(products)]
    return caps.groupby("product_id")["company_id"].nunique()


def require_active(workspace: Workspace, firm_id: str, parameter: str) -> None:
    """Refuse a report about a closed firm (注销, 吊销 ...).

    A closed firm makes, buys and supplies nothing any more, so every count about it
    would be empty.
    """
    row = workspace._records("companies", {firm_id})[["name", "status", "status_raw"]]
    if len(row) and row["status"].iloc[0] == "closed":
        raw = row["status_raw"].iloc[0]
        name = row["name"].iloc[0]
        if isinstance(raw, str) and raw:
            message = _("{name} ({firm}) is closed ({status}): reports count active firms "
                        "only").format(name=name, firm=firm_id, status=raw)
        else:
            message = _("{name} ({firm}) is closed: reports count active firms only").format(
                name=name, firm=firm_id)
        raise ArgumentError(message, parameter=parameter)


def region_paths(companies: pd.DataFrame) -> pd.Series:
    """``province/city/district`` of each firm (a municipality is not repeated)."""
    province = companies["province"].fillna("").astype(str)
    city = companies["city"].fillna("").astype(str)
    district = companies["district"].fillna("").astype(str)
    city = city.where(city != province, "")
    path = province + ("/" + city).where(city != "", "") \
        + ("/" + district).where(district != "", "")
    return path.str.lstrip("/").astype(object)


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th`` ... ``11th``, ``12th``, ``21st``."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: Lead stages that no longer count as open: lost (终止) and producing (投产).
CLOSED_LEAD_STAGES = frozenset({"lost", "producing"})


def open_lead_firms(workspace: Workspace) -> set[str]:
    """Ids of the firms with an open lead in the pipeline (招商线索).

    The hook the reports use for their ``is_lead`` column. Until the workspace has a
    ``leads`` table (the lead pipeline lands later) this is the empty set; once it
    has one, every firm with a lead whose stage is not lost or producing counts.
    """
    from ..errors import ChainmapError

    try:  # two columns of a table that may hold 100,000 leads
        leads = workspace._columns("leads", ("company_id", "stage"))
    except ChainmapError:  # no leads table in this workspace (yet)
        return set()
    leads = leads[~leads["stage"].isin(CLOSED_LEAD_STAGES)]
    return set(leads["company_id"].dropna().astype(str))
