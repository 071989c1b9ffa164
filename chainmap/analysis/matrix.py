"""What every region makes: the firm x product capabilities summed per region and product.

The relatedness analyses (:mod:`.opportunities`, :mod:`.related`) need, over the whole
workspace, how many active firms of each region have a confirmed link to each product
(or their revenue), and for the home zone which firm makes what. This module builds
that once per data revision from the live tables (what the reports count: active firms,
confirmed links) as a :class:`CapabilityMatrix`:

- rows are *region groups*: the firms that share a ``region_code``, ``city_code`` and
  ``province_code`` (a district, or the city or province of a firm whose record names
  no district); a firm without a region code is left out;
- columns are every product of the workspace, by id;
- ``firms[g, p]`` counts the firms of group ``g`` making ``p``, ``revenue[g, p]`` sums
  their revenue (万元; a firm without revenue adds 0);
- the links of each group (firm, product), for the home zone's own counts.

It does not depend on the home zone, so it is kept per revision in memory and, for a
workspace file, on disk (:mod:`chainmap.cache`): a new process at 1M firms reads it in
milliseconds instead of reading every firm from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..regions import REGION_COLUMN, Region

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["CapabilityMatrix", "capability_matrix"]

#: The region code columns of a group, in the order of :attr:`CapabilityMatrix.codes`.
CODE_COLUMNS = ("region_code", "city_code", "province_code")
#: The cache kind of the matrix (:mod:`chainmap.cache`), with a format version.
CACHE_KIND = "capability-matrix-1"
#: Workspaces with fewer links than this are quick to read: their matrix is not saved.
PERSIST_MIN_LINKS = 20_000


@dataclass(frozen=True)
class CapabilityMatrix:
    """Firms and revenue per region group and product, and each group's links.

    Attributes
    ----------
    products
        Product ids, sorted (the columns).
    codes
        ``(groups, 3)`` text: the ``region_code``, ``city_code`` and ``province_code`` of
        each group (empty where the firms have none).
    firms
        ``(groups, products)``: active firms of the group with a confirmed link.
    revenue
        ``(groups, products)``: their revenue in 万元.
    link_ptr
        ``(groups + 1,)``: the links of group ``g`` are ``link_ptr[g]:link_ptr[g + 1]``.
    link_firm, link_product
        Each link's firm (a number unique in the workspace) and product (column).
    """

    products: np.ndarray
    codes: np.ndarray
    firms: np.ndarray
    revenue: np.ndarray
    link_ptr: np.ndarray
    link_firm: np.ndarray
    link_product: np.ndarray

    @property
    def n_links(self) -> int:
        """Links (firm, product) in the matrix."""
        return int(len(self.link_firm))

    def inside(self, region: Region) -> np.ndarray:
        """Boolean mask of the groups inside ``region`` (the one "inside" rule).

        Parameters
        ----------
        region
            A province, city or district.

        Returns
        -------
        ndarray
            One bool per group.
        """
        column = CODE_COLUMNS.index(REGION_COLUMN[region.level])
        return np.asarray(self.codes[:, column] == region.code, dtype=bool)

    def inside_any(self, regions: list[Region]) -> np.ndarray:
        """Boolean mask of the groups inside at least one of ``regions``."""
        mask = np.zeros(len(self.codes), dtype=bool)
        for region in regions:
            mask |= self.inside(region)
        return mask

    def links_of(self, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Firms and products of the links of the groups in the mask ``groups``."""
        picked = np.flatnonzero(groups)
        if not len(picked):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        parts = [np.arange(self.link_ptr[g], self.link_ptr[g + 1]) for g in picked]
        at = np.concatenate(parts)
        return self.link_firm[at].astype(np.int64), self.link_product[at].astype(np.int64)

    def regions(self, weight: str, home: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, int | None]:
        """The region x product matrix of complexity: districts, the home as one region.

        Parameters
        ----------
        weight
            ``firms`` or ``revenue``.
        home
            Mask of the home zone's groups (merged into one region), or ``None``.

        Returns
        -------
        tuple
            ``X`` (regions x products), the region codes (the home's row is labelled
            ``home``), and the row of the home (``None`` when it has no group).
        """
        values = self.firms if weight == "firms" else self.revenue
        home = np.zeros(len(self.codes), dtype=bool) if home is None else home
        rest = ~home
        labels, index = np.unique(self.codes[rest, 0], return_inverse=True)
        index = index.reshape(-1)
        X = np.zeros((len(labels) + int(home.any()), values.shape[1]), dtype=np.float64)
        if len(labels):  # groups of one region code summed (sorted, then reduced)
            order = np.argsort(index, kind="stable")
            starts = np.flatnonzero(np.diff(index[order], prepend=-1))
            X[:len(labels)] = np.add.reduceat(values[rest][order].astype(np.float64),
                                              starts, axis=0)
        row = None
        if home.any():
            row = len(labels)
            X[row] = values[home].sum(axis=0)
            labels = np.append(labels, "home")
        return X, labels, row

    def arrays(self) -> dict[str, np.ndarray]:
        """The matrix as named arrays (what :mod:`chainmap.cache` saves)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted.

    ``np.unique`` by sorting: numpy 2's hashing is far slower on millions of integers.
    """
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _build(workspace: Workspace) -> CapabilityMatrix:
    """The matrix from the workspace's live tables (active firms, confirmed links)."""
    companies = workspace._live("companies")
    caps = workspace._live("capabilities")
    products = np.sort(workspace._table("products")["id"].astype(str).unique())
    codes = companies.loc[:, list(CODE_COLUMNS)].astype(object).where(
        companies.loc[:, list(CODE_COLUMNS)].notna(), "").astype(str)
    placed = (codes["region_code"] != "").to_numpy()
    group_of = np.full(len(companies), -1, dtype=np.int64)
    keys = codes[placed]
    frame_groups = keys.groupby(list(CODE_COLUMNS), sort=True).ngroup().to_numpy()
    group_of[placed] = frame_groups
    group_codes = keys.drop_duplicates().sort_values(list(CODE_COLUMNS)).to_numpy(dtype=str)
    if not len(group_codes):
        group_codes = np.zeros((0, 3), dtype="<U6")
    n_groups, n_products = len(group_codes), len(products)

    firm = pd.Index(companies["id"]).get_indexer(caps["company_id"])
    product = pd.Index(products).get_indexer(caps["product_id"].astype(str))
    ok = (firm >= 0) & (product >= 0)
    firm, product = firm[ok], product[ok]
    group = group_of[firm]
    ok = group >= 0
    firm, product, group = firm[ok], product[ok], group[ok]
    # one link per (firm, product), as the gap report counts distinct firms
    pair = _distinct(firm.astype(np.int64) * max(n_products, 1) + product)
    firm, product = pair // max(n_products, 1), pair % max(n_products, 1)
    group = group_of[firm]
    order = np.argsort(group, kind="stable")
    firm, product, group = firm[order], product[order], group[order]
    cell = group * n_products + product
    counts = np.bincount(cell, minlength=n_groups * n_products)
    money = companies["revenue"].to_numpy(dtype=float, na_value=np.nan)
    money = np.where(np.isfinite(money) & (money > 0), money, 0.0)
    revenue = np.bincount(cell, weights=money[firm], minlength=n_groups * n_products)
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(group, minlength=n_groups))
    return CapabilityMatrix(
        products=products.astype(str), codes=group_codes,
        firms=counts.reshape(n_groups, n_products).astype(np.int32),
        revenue=revenue.reshape(n_groups, n_products),
        link_ptr=ptr, link_firm=firm.astype(np.int32),
        link_product=product.astype(np.int16 if n_products < 2**15 else np.int32))




def capability_matrix(workspace: Workspace) -> CapabilityMatrix:
    """The workspace's :class:`CapabilityMatrix` at its current revision.

    Kept per workspace and revision in memory; for a workspace file also on disk
    (:mod:`chainmap.cache`, when it has at least :data:`PERSIST_MIN_LINKS` links), so
    that a new process finds it without reading the firms.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.

    Returns
    -------
    CapabilityMatrix
    """
    from .. import cache

    return cache.derived(
        workspace, CACHE_KIND, build=lambda: _build(workspace),
        restore=lambda found: CapabilityMatrix(**found), arrays=CapabilityMatrix.arrays,
        persist=lambda matrix: matrix.n_links >= PERSIST_MIN_LINKS)
