"""The gap report: which products of a chain the home zone lacks or holds by too few firms.

Missing links (缺链) and weak links (弱链), who here would buy them, and who in the target
regions makes them.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..i18n import N_, _
from ..regions import REGION_COLUMN, CodedRegions, Region
from ..snapshot import reads_snapshot
from .codepatch import fixed_text, patch_arrays
from .common import STATUS_ORDER, status_of, target_regions, targets_text

if TYPE_CHECKING:
    from ..store.base import ColumnReads
    from ..workspace import Workspace

__all__ = ["GAP_COLUMNS", "gaps"]

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


@reads_snapshot
def gaps(workspace: Workspace, chain: str, home: str | Region | None = None,
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
        raise ArgumentError(_("weak_threshold= must be at least 1, not {value}").format(
            value=weak_threshold), parameter="weak_threshold")
    chain_id = workspace.chain_id(chain)
    home_region = workspace.resolve_home(home)
    target_list = target_regions(targets)
    t = {name: workspace._table(name) for name in ("products", "product_chains")}
    chain_products = t["product_chains"].loc[t["product_chains"]["chain_id"] == chain_id,
                                             "product_id"]
    products = t["products"].set_index("id").loc[chain_products.unique()]
    product_set = set(products.index)

    counts = workspace.store.gap_counts(chain_id, home_region, target_list) \
        if workspace.store.computes_gaps else None
    if counts is None:  # computed here, on the integer codes of the live tables
        counts = _count(gap_codes(workspace), workspace._table("inputs"), product_set,
                        home_region, target_list)
    return _assemble(products, counts, int(weak_threshold), home_region, target_list)


class _Codes:
    """Integer codes of the big tables, built once per set of cached frames.

    Firms are positions in ``companies`` (-1: unknown id), products are positions in
    ``products`` (the factorised product ids of capabilities and inputs). The gap
    report then works on numpy arrays instead of hashing long string columns.

    :meth:`arrays` gives them as named arrays of numbers and fixed-width text, which
    :func:`gap_codes` keeps on disk (:mod:`chainmap.cache`) and :meth:`from_arrays`
    reads back: a new process then reads no firm from the store.
    """

    refs: tuple[weakref.ref, ...] = ()

    def __init__(self, companies: pd.DataFrame, caps: pd.DataFrame,
                 supplies: pd.DataFrame) -> None:
        self.refs = tuple(weakref.ref(f) for f in (companies, caps, supplies))
        firms = pd.Index(companies["id"])
        self.firm_ids = companies["id"].to_numpy(dtype=object)
        self.revenue = companies["revenue"].to_numpy(dtype=float, na_value=np.nan)
        self.regions = CodedRegions(companies)
        self.cap_firm = _positions(firms, caps["company_id"])
        self.cap_prod, uniques = pd.factorize(caps["product_id"])
        named = pd.Index(supplies["product_id"].dropna().unique())
        self.products = pd.Index(uniques).append(named[~named.isin(uniques)])
        self.sup_firm = _positions(firms, supplies["supplier_id"])
        self.cust_firm = firms.get_indexer(supplies["customer_id"])
        self.sup_prod = self.products.get_indexer(supplies["product_id"])
        self.sup_prod[supplies["product_id"].isna().to_numpy()] = -1
        # the rows' order in an SQLite workspace (a patch keeps it: codepatch.py)
        self.firm_rowid = companies["rowid"].to_numpy(dtype=np.int64) \
            if "rowid" in companies else None
        self.sup_rowid = supplies["rowid"].to_numpy(dtype=np.int64) \
            if "rowid" in supplies else None
        self._firm_rank: np.ndarray | None = None
        self._firm_order: np.ndarray | None = None
        self._index()

    def _index(self) -> None:
        """The capability rows by firm and by product (positions and offsets, as CSR).

        The report then touches only the rows of the home's firms and of the chain's
        products. Firm ``f``'s rows are ``by_firm[firm_ptr[f + 1]:firm_ptr[f + 2]]``
        (slot 0 holds the rows of unknown firms), product ``p``'s
        ``by_prod[prod_ptr[p]:prod_ptr[p + 1]]``, in the order candidates are ranked
        (revenue, largest first and none last, then id).
        """
        n_firms, n_products = len(self.firm_ids), len(self.products)
        self.by_firm = np.argsort(self.cap_firm, kind="stable").astype(np.int32)
        self.firm_ptr = np.zeros(n_firms + 2, dtype=np.int64)
        self.firm_ptr[1:] = np.cumsum(np.bincount(self.cap_firm + 1, minlength=n_firms + 1))
        # a product's rows in the candidates' order: revenue (largest first, none last),
        # then id; a report then only moves the home's suppliers to the front
        score = np.empty(n_firms + 1, dtype=np.int64)
        score[np.lexsort((self.firm_rank, -np.where(np.isnan(self.revenue), -np.inf,
                                                     self.revenue)))] = np.arange(n_firms)
        score[-1] = n_firms  # unknown firms (-1), never candidates
        key = self.cap_prod.astype(np.int64) * (n_firms + 1) + score[self.cap_firm]
        self.by_prod = _stable_order(key, max(n_products, 1) * (n_firms + 1)).astype(np.int32)
        self.prod_ptr = np.zeros(n_products + 1, dtype=np.int64)
        self.prod_ptr[1:] = np.cumsum(np.bincount(self.cap_prod, minlength=n_products))

    def fits(self, companies: pd.DataFrame, caps: pd.DataFrame,
             supplies: pd.DataFrame) -> bool:
        return bool(self.refs) and \
            all(r() is f for r, f in zip(self.refs, (companies, caps, supplies), strict=True))

    def arrays(self) -> dict[str, np.ndarray]:
        """The codes as named arrays of numbers and fixed-width text (no objects)."""
        out = {"firm_ids": fixed_text(self.firm_ids), "revenue": self.revenue,
               "firm_rank": self.firm_rank, "cap_firm": self.cap_firm.astype(np.int32),
               "cap_prod": self.cap_prod.astype(np.int32),
               "products": fixed_text(self.products.to_numpy(dtype=object)),
               "sup_firm": self.sup_firm.astype(np.int32),
               "cust_firm": self.cust_firm.astype(np.int32),
               "sup_prod": self.sup_prod.astype(np.int32), "firm_order": self.firm_order,
               "by_firm": self.by_firm, "firm_ptr": self.firm_ptr,
               "by_prod": self.by_prod, "prod_ptr": self.prod_ptr}
        for column, (codes, uniques) in self.regions.coded().items():
            out["region:" + column] = codes.astype(np.int32)
            out["regions:" + column] = fixed_text(np.asarray(uniques, dtype=object))
        if self.firm_rowid is not None and self.sup_rowid is not None:
            out["firm_rowid"], out["sup_rowid"] = self.firm_rowid, self.sup_rowid
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> _Codes:
        """The codes :meth:`arrays` gave (mapped from a cache file: read as used).

        Without the ranking index (``by_firm``, ``by_prod`` and their offsets, and
        ``firm_rank``: the arrays of a patch) they are made here.
        """
        self = cls.__new__(cls)
        self.firm_ids = arrays["firm_ids"]  # fixed-width text; str when taken out
        self.revenue = arrays["revenue"]
        self._firm_rank = arrays.get("firm_rank")
        self._firm_order = arrays["firm_order"]
        self.firm_rowid, self.sup_rowid = arrays.get("firm_rowid"), arrays.get("sup_rowid")
        self.cap_firm, self.cap_prod = arrays["cap_firm"], arrays["cap_prod"]
        self.products = pd.Index(arrays["products"].astype(object))
        self.sup_firm, self.cust_firm = arrays["sup_firm"], arrays["cust_firm"]
        self.sup_prod = arrays["sup_prod"]
        self.regions = CodedRegions.from_coded(len(self.firm_ids), {
            name.split(":", 1)[1]: (value, arrays["regions:" + name.split(":", 1)[1]]
                                    .astype(object))
            for name, value in arrays.items() if name.startswith("region:")})
        if "by_prod" in arrays:
            self.by_firm, self.firm_ptr = arrays["by_firm"], arrays["firm_ptr"]
            self.by_prod, self.prod_ptr = arrays["by_prod"], arrays["prod_ptr"]
        else:
            self._index()
        return self

    @property
    def firm_rank(self) -> np.ndarray:
        """Each firm's place in the order of ids (ties cannot happen: ids are unique)."""
        if self._firm_rank is None:
            rank = np.empty(len(self.firm_order), dtype=np.int64)
            rank[self.firm_order] = np.arange(len(self.firm_order))
            self._firm_rank = rank
        return self._firm_rank

    @property
    def firm_order(self) -> np.ndarray:
        """The firms' positions in the order of their ids."""
        if self._firm_order is None:
            self._firm_order = np.argsort(self.firm_ids, kind="stable").astype(np.int64)
        return self._firm_order

    # -- what the firm-centred reports (anchor, impact) read ------------------------
    def firm_code(self, firm_id: str) -> int:
        """The position of the firm ``firm_id`` (-1: not a live firm), by binary search."""
        order, ids = self.firm_order, self.firm_ids
        lo, hi = 0, len(order)
        while lo < hi:  # touches about 20 ids of a million
            mid = (lo + hi) // 2
            if str(ids[order[mid]]) < firm_id:
                lo = mid + 1
            else:
                hi = mid
        return int(order[lo]) if lo < len(order) and str(ids[order[lo]]) == firm_id else -1

    def capabilities_of(self, firms: Iterable[int]) -> pd.DataFrame:
        """``company_id``, ``product_id`` of the (live) capabilities of the firms ``firms``.

        In the order of the table the codes were made from.
        """
        keys = np.asarray(sorted({int(f) for f in firms if f >= 0}), dtype=np.int64)
        rows = np.sort(_rows(self.by_firm, self.firm_ptr, keys + 1))
        return pd.DataFrame({
            "company_id": self.firm_ids[self.cap_firm[rows]].astype(object),
            "product_id": self.products.to_numpy(dtype=object)[self.cap_prod[rows]]},
            columns=["company_id", "product_id"])

    def supplies_at(self, rows: np.ndarray) -> pd.DataFrame:
        """``supplier_id``, ``customer_id``, ``product_id`` (None: not named) of ``rows``."""
        rows = rows[(self.sup_firm[rows] >= 0) & (self.cust_firm[rows] >= 0)]
        prod = self.sup_prod[rows]
        named = np.empty(len(rows), dtype=object)
        named[prod >= 0] = self.products.to_numpy(dtype=object)[prod[prod >= 0]]
        return pd.DataFrame({
            "supplier_id": self.firm_ids[self.sup_firm[rows]].astype(object),
            "customer_id": self.firm_ids[self.cust_firm[rows]].astype(object),
            "product_id": named}, columns=["supplier_id", "customer_id", "product_id"])

    def producers(self, local: np.ndarray, products: Iterable[str]) -> pd.DataFrame:
        """``company_id``, ``product_id`` of the firms of mask ``local`` making ``products``.

        ``local`` is a mask of :meth:`in_region` (one more entry than firms).
        """
        keys = self.products.get_indexer(pd.Index(sorted(set(products)), dtype=object))
        rows = _rows(self.by_prod, self.prod_ptr, keys[keys >= 0].astype(np.int64))
        rows = np.sort(rows[local[self.cap_firm[rows]]])
        return pd.DataFrame({
            "company_id": self.firm_ids[self.cap_firm[rows]].astype(object),
            "product_id": self.products.to_numpy(dtype=object)[self.cap_prod[rows]]},
            columns=["company_id", "product_id"])

    def in_region(self, region: Region) -> np.ndarray:
        """:meth:`CodedRegions.inside`, with a False sentinel at the end (for firm -1)."""
        mask = np.zeros(self.regions.size + 1, dtype=bool)
        mask[:-1] = self.regions.inside(region)
        return mask


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """``index.get_indexer(values)``, looking up each run of equal values once.

    A table in the order of its key (capabilities by firm) has runs of one firm.
    """
    array = values.to_numpy(dtype=object)
    if not len(array):
        return np.empty(0, dtype=np.intp)
    starts = np.flatnonzero(np.concatenate(([True], array[1:] != array[:-1])))
    if len(starts) > 0.8 * len(array):
        return index.get_indexer(pd.Index(array, dtype=object))
    found = index.get_indexer(pd.Index(array[starts], dtype=object))
    return np.repeat(found, np.diff(np.append(starts, len(array))))


_CODES: list[_Codes] = []


def _codes(companies: pd.DataFrame, caps: pd.DataFrame, supplies: pd.DataFrame) -> _Codes:
    for codes in _CODES:
        if codes.fits(companies, caps, supplies):
            return codes
    codes = _Codes(companies, caps, supplies)
    _CODES[:] = [c for c in _CODES[-1:] if c.refs[0]() is not None] + [codes]
    return codes


#: The cache kind of the gap report's codes (:mod:`chainmap.cache`), with a format version.
CACHE_KIND = "gap-codes-4"
#: Workspaces with fewer capabilities than this are quick to read: their codes stay in
#: memory only.
PERSIST_MIN_LINKS = 20_000

#: The columns of the live tables the codes are made of.
CODE_COLUMNS = {
    "companies": ("id", "revenue", *dict.fromkeys(REGION_COLUMN.values())),
    "capabilities": ("company_id", "product_id"),
    "supplies": ("supplier_id", "customer_id", "product_id"),
}



def gap_codes(workspace: Workspace) -> _Codes:
    """The integer codes of the workspace's live tables at its current revision.

    Kept per workspace and revision in memory and, for a workspace file with at least
    :data:`PERSIST_MIN_LINKS` capabilities, on disk under the store's
    :meth:`~chainmap.store.Store.firms_key` (:mod:`chainmap.cache`): a new process
    reads them mapped from the file instead of every firm from the store, also after
    writes that left the firm tables as they were (leads, follow-ups, settings). Built from
    the columns :data:`CODE_COLUMNS` of what :meth:`Workspace._live
    <chainmap.Workspace._live>` holds (active firms, confirmed links), read alone when
    the store can (an SQLite file).
    """
    from .. import cache

    return cache.derived(
        workspace, CACHE_KIND,
        build=lambda: _patched(workspace) or _read_codes(workspace),
        restore=_Codes.from_arrays, arrays=_Codes.arrays,
        persist=lambda codes: len(codes.cap_firm) >= PERSIST_MIN_LINKS, firms_only=True)


def _rows_where_they_were(reads: ColumnReads, arrays: Mapping[str, np.ndarray],
                          changed: set[str]) -> bool:
    """Whether a sample of the unchanged firms and supplies of ``arrays`` keep their rowid.

    The patch places rows by ``rowid``; a workspace file rebuilt row by row (an SQL dump
    loaded again) keeps the firm mark but may number its rows anew. 32 firms and 32
    supplies spread over the codes are looked up by rowid (a few milliseconds).
    """
    if "firm_rowid" not in arrays or "sup_rowid" not in arrays:
        return False
    ids = arrays["firm_ids"]

    def spread(n: int) -> list[int]:
        return sorted({int(i) for i in np.linspace(0, n - 1, min(n, 32))}) if n else []

    firms: dict[int, tuple[str, ...]] = {
        int(arrays["firm_rowid"][i]): (str(ids[i]),) for i in spread(len(ids))}
    supplies: dict[int, tuple[str, ...]] = {
        int(arrays["sup_rowid"][i]): (str(ids[arrays["sup_firm"][i]]),
                                      str(ids[arrays["cust_firm"][i]]))
        for i in spread(len(arrays["sup_rowid"]))}
    for table, want, columns in (("companies", firms, ("id",)),
                                 ("supplies", supplies, ("supplier_id", "customer_id"))):
        want = {r: v for r, v in want.items() if not changed.intersection(v)}
        got = reads.rows_at(table, list(want), columns)
        if any(got.get(r) != v for r, v in want.items()):
            return False
    return True


def _read_codes(workspace: Workspace) -> _Codes:
    """The codes made from every live row (with the rows' order, from an SQLite store)."""
    return _Codes(*(workspace._live_columns(name, columns, rowid=True)
                    for name, columns in CODE_COLUMNS.items()))


def _patched(workspace: Workspace) -> _Codes | None:
    """The codes of an earlier state on disk, patched with the firms changed since.

    The store names the states its declared writes lead back to
    (:meth:`~chainmap.store.Store.firm_steps`); the newest whose codes are on disk is
    patched with the rows of the firms changed since, read by index
    (:func:`chainmap.analysis.codepatch.patch_arrays`). ``None`` when there is none,
    or the codes cannot be patched: they are then made from every firm.
    """
    from .. import cache

    store = workspace.store
    if not store.reads_columns or cache.cache_dir() is None:
        return None
    for key, firms in store.firm_steps():
        found = cache.load(CACHE_KIND, key)
        if found is None:
            continue
        reads = cast("ColumnReads", store)
        try:
            if not _rows_where_they_were(reads, found, set(firms)):
                return None  # the file was rebuilt (its rows renumbered): read whole
            arrays = patch_arrays(found, firms, *(
                reads.live_rows_of(name, columns + (("rowid",) if name != "capabilities"
                                                    else ()), firms)
                for name, columns in CODE_COLUMNS.items()))
            return None if arrays is None else _Codes.from_arrays(arrays)
        except (KeyError, ValueError, IndexError, TypeError):
            return None  # another layout
    return None


def save_codes_of(workspace: Workspace, tables: Mapping[str, pd.DataFrame],
                  revision: int) -> bool:
    """Save the codes (:func:`gap_codes`) of a workspace file that holds just ``tables``.

    For an import into a workspace without firms: the workspace then holds exactly the
    dataset's ``companies``, ``capabilities`` and ``supplies`` (``tables``, as written),
    so their codes are made from those frames, without reading a million firms back as
    text, and the first report after the import finds them on disk. Saved only when the
    workspace is still at ``revision`` (the one the import's write made: no other
    write came in since), for a workspace file whose codes :func:`gap_codes` would keep
    on disk; ``True`` when saved.

    The frames are taken as :meth:`~chainmap.store.sqlite.SQLiteStore.live_columns`
    reads the tables they were written to: the live rows
    (:func:`chainmap.live.live_rows`), firms and supplies in the order written,
    links in the order of their key, a blank text as none. Each link and supply is
    there once, as a validated dataset holds them.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> save_codes_of(ws, {}, 1)  # a workspace in memory keeps no codes on disk
    False
    """
    from .. import cache
    from ..live import live_rows

    store = workspace.store
    if store.computes_gaps or not store.reads_columns or cache.cache_dir() is None \
            or len(tables.get("capabilities", ())) < PERSIST_MIN_LINKS:
        return False
    with store.snapshot():
        if store.revision() != revision:
            return False
        key = store.firms_key()
    if key is None:
        return False
    companies = tables["companies"]
    status = companies["status"]
    closed = set(companies.loc[(status.notna() & (status != "active")).to_numpy(), "id"])
    frames = {}
    for name, columns in CODE_COLUMNS.items():
        table = tables[name]
        if name != "capabilities":  # written into empty tables: rowid 1, 2, ...
            table = table.assign(rowid=np.arange(1, len(table) + 1, dtype=np.int64))
            columns = (*columns, "rowid")
        frames[name] = _as_read(live_rows(name, table, closed).loc[:, list(columns)])
    caps = frames["capabilities"]
    firm, prod = caps["company_id"].to_numpy(), caps["product_id"].to_numpy()
    if len(caps) > 1 and not bool(np.all((firm[1:] > firm[:-1]) | (
            (firm[1:] == firm[:-1]) & (prod[1:] > prod[:-1])))):
        frames["capabilities"] = caps.sort_values(
            ["company_id", "product_id"], kind="stable").reset_index(drop=True)
    codes = _Codes(frames["companies"], frames["capabilities"], frames["supplies"])
    return cache.save(CACHE_KIND, key, codes.arrays()) is not None


def _as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as the store reads it back: text as objects, blank or missing as None."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if column == "revenue":
            out[column] = pd.Series(values.to_numpy(dtype=float, na_value=np.nan))
        elif column == "rowid":
            out[column] = pd.Series(values.to_numpy(dtype=np.int64))
        else:
            text = np.array(values.astype(object), dtype=object)  # a copy, to be written
            text[values.isna().to_numpy()] = None
            text[text == ""] = None
            out[column] = pd.Series(text, dtype=object)
    return pd.DataFrame(out, columns=frame.columns)


#: A workspace with at least this many firms is told that its first report after a
#: change builds the codes (:func:`codes_to_build`).
ANNOUNCE_MIN_FIRMS = 200_000


def codes_to_build(workspace: Workspace) -> int:
    """How many firms the next report codes first; 0 when it will not take long.

    The codes of the data as they are now (:func:`gap_codes`) are built by the first
    report after a change of the firm tables (an import into a workspace without firms
    leaves them itself, :func:`save_codes_of`; after a write that named its firms, the
    codes before it are patched instead, quickly): seconds for a million firms. This
    says so beforehand (``chainmap gaps`` and the other reports tell the user, on
    standard error) for a workspace file of at least :data:`ANNOUNCE_MIN_FIRMS` firms
    whose codes are not on disk for its current state nor patched from an earlier one;
    0 for a smaller one, a store that counts by itself (Neo4j), or a workspace in
    memory.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> codes_to_build(ws)
    0
    """
    from .. import cache

    store = workspace.store
    if store.computes_gaps or not store.reads_columns:
        return 0
    with store.snapshot():
        key = store.firms_key()
        if key is None or cache.holds(CACHE_KIND, key) or any(
                cache.holds(CACHE_KIND, earlier)
                for earlier, _ in store.firm_steps()):  # patched: quick (_patched)
            return 0
        firms = cast("ColumnReads", store).count("companies")
        return firms if firms >= ANNOUNCE_MIN_FIRMS else 0


def _gap_counts(t: dict[str, pd.DataFrame], product_set: set, home: Region,
                targets: list[Region]) -> dict[str, pd.Series]:
    """Local producers, local demand and ranked candidates per product, on int codes.

    Gives what the plain pandas version in tests/test_synth.py gives (same rows, same
    order), faster.
    """
    ix = _codes(t["companies"], t["capabilities"], t["supplies"])
    return _count(ix, t["inputs"], product_set, home, targets)


def _stable_order(values: np.ndarray, bound: int) -> np.ndarray:
    """``numpy.argsort(values, kind="stable")`` of whole numbers in ``[0, bound)``.

    A radix sort, 16 bits at a time (numpy sorts 16-bit numbers by radix): for three
    million keys about 2.5 times as fast as the merge sort of 64-bit ones.

    >>> _stable_order(np.array([70000, 3, 70000, 65539, 3]), 70001).tolist()
    [1, 4, 3, 0, 2]
    """
    order = np.argsort(values.astype(np.uint16), kind="stable")
    shift = 16
    while bound > 1 << shift:
        order = order[np.argsort((values[order] >> shift).astype(np.uint16), kind="stable")]
        shift += 16
    return order


def _rows(order: np.ndarray, ptr: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The rows ``order[ptr[k]:ptr[k + 1]]`` of every key ``k`` of ``keys``, in one array."""
    starts = ptr[keys]
    sizes = ptr[keys + 1] - starts
    total = int(sizes.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    shift = starts - np.concatenate(([0], np.cumsum(sizes)[:-1]))
    return order[np.arange(total) + np.repeat(shift, sizes)]


def _count(ix: _Codes, inputs: pd.DataFrame, product_set: set, home: Region,
           targets: list[Region]) -> dict[str, pd.Series]:
    """:func:`_gap_counts` on the codes ``ix`` (and the ``inputs`` table)."""
    local = ix.in_region(home)
    eligible = np.zeros_like(local)
    for r in targets:
        eligible |= ix.in_region(r)
    eligible &= ~local
    chain = np.asarray(ix.products.isin(product_set), dtype=bool)

    # only the rows needed: the capabilities of the chain's products (local producers,
    # candidates) and of the products made of them (local demand), by product
    rows = _rows(ix.by_prod, ix.prod_ptr, np.flatnonzero(chain))
    firm, prod = ix.cap_firm[rows], ix.cap_prod[rows]
    here = local[firm]
    lf, lp = firm[here], prod[here]
    by_id = np.lexsort((ix.firm_rank[lf], lp))  # by product, then firm id
    local_firms = _lists(ix, lf[by_id], lp[by_id])

    edges = inputs.loc[inputs["upstream"].isin(product_set), ["upstream", "downstream"]]
    edges = edges.assign(code=ix.products.get_indexer(edges["downstream"]))
    edges = edges[edges["code"] >= 0]
    made = _made_here(ix, local, np.unique(edges["code"].to_numpy()))
    users = pd.DataFrame({"code": ix.cap_prod[made], "firm": ix.cap_firm[made]})
    demand = edges.merge(users, on="code").drop_duplicates(["upstream", "firm"]) \
        .groupby("upstream").size()

    wanted = eligible[firm]
    firm, prod = firm[wanted], prod[wanted]
    supplier = np.zeros(len(local), dtype=bool)
    supplier[ix.sup_firm[local[ix.cust_firm]]] = True
    supplier[-1] = False
    product_rank = np.argsort(np.argsort(ix.products.to_numpy(dtype=object), kind="stable"),
                              kind="stable")
    # a product's rows come ranked by revenue and id (_Codes._index): by product id, the
    # firms supplying the home first, keeping that order (a stable sort of one key)
    order = np.argsort(product_rank[prod].astype(np.int64) * 2 + ~supplier[firm],
                       kind="stable")
    return {"local_firms": local_firms, "local_demand": demand,
            "candidates": _lists(ix, firm[order], prod[order])}


def _made_here(ix: _Codes, local: np.ndarray, products: np.ndarray,
               by: str | None = None) -> np.ndarray:
    """The capability rows of the home's firms (mask ``local``) making ``products``.

    In no particular order. Read by firm (the home's rows) or by product (the
    products' rows), whichever touches fewer rows; ``by`` (``"firm"``, ``"product"``)
    forces one.
    """
    homes = np.flatnonzero(local[:-1]) + 1  # the home's firms, as keys of by_firm
    if by is None:
        by = "firm" if int((ix.firm_ptr[homes + 1] - ix.firm_ptr[homes]).sum()) < \
            int((ix.prod_ptr[products + 1] - ix.prod_ptr[products]).sum()) else "product"
    if by == "firm":
        rows = _rows(ix.by_firm, ix.firm_ptr, homes)
        return rows[np.isin(ix.cap_prod[rows], products)]
    rows = _rows(ix.by_prod, ix.prod_ptr, products)
    return rows[local[ix.cap_firm[rows]]]


def _lists(ix: _Codes, firm: np.ndarray, prod: np.ndarray) -> pd.Series:
    """The ids of ``firm`` as a list per product (rows grouped by product), by product id."""
    if not len(firm):
        return pd.Series([], dtype=object)
    starts = np.flatnonzero(np.diff(prod, prepend=-1))
    lists = np.empty(len(starts), dtype=object)
    for i, part in enumerate(np.split(ix.firm_ids[firm], starts[1:])):
        lists[i] = part.tolist()
    return pd.Series(lists, index=ix.products[prod[starts]], dtype=object)


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
    where = targets_text(targets)
    frame["explanation"] = [
        _explain(s, lp, ld, nc, home.name, where) for s, lp, ld, nc in
        zip(frame["status"], frame["local_producers"], frame["local_demand"],
            frame["n_candidates"])]
    frame["_order"] = frame["status"].map(STATUS_ORDER)
    frame = frame.sort_values(["_order", "local_demand", "n_candidates", "product"],
                              ascending=[True, False, False, True], kind="mergesort")
    return frame[GAP_COLUMNS].reset_index(drop=True)


#: The gap report's explanations, whole sentences: by status, then whether local firms
#: use the product (as a 招商 office writes them in Chinese).
EXPLANATIONS = {
    ("missing", True): N_("no firm in {home} makes it (缺链); {demand} local firm(s) make "
                          "products that use it; {candidates} candidate(s) in {where}"),
    ("missing", False): N_("no firm in {home} makes it (缺链); no local firm uses it "
                           "directly; {candidates} candidate(s) in {where}"),
    ("weak", True): N_("only {producers} firm(s) in {home} make it (弱链); {demand} local "
                       "firm(s) make products that use it; {candidates} candidate(s) in "
                       "{where}"),
    ("weak", False): N_("only {producers} firm(s) in {home} make it (弱链); no local firm "
                        "uses it directly; {candidates} candidate(s) in {where}"),
    ("covered", True): N_("{producers} firms in {home} make it; {demand} local firm(s) make "
                          "products that use it; {candidates} candidate(s) in {where}"),
    ("covered", False): N_("{producers} firms in {home} make it; no local firm uses it "
                           "directly; {candidates} candidate(s) in {where}"),
}


def _explain(status: str, producers: int, demand: int, candidates: int, home: str,
             where: str) -> str:
    """The row in words, in the current language (:func:`chainmap.i18n.language`)."""
    return _(EXPLANATIONS[status, bool(demand)]).format(
        home=home, producers=producers, demand=demand, candidates=candidates, where=where)
