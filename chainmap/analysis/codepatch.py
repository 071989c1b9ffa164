"""The reports' codes of an earlier state, brought up to date with the rows of a few firms.

After a write that said which firms it changed (an import of 10,000 firms into a
workspace of a million: :meth:`~chainmap.store.sqlite.firmmark.FirmMark.firm_rows`),
the codes kept on disk for the state before (:func:`chainmap.analysis.gaps.gap_codes`)
are patched: the rows of those firms are dropped and their rows as they are now read
back in their place. The result equals, array for array, the codes made from every
firm, in the same order: firms and supplies by their ``rowid`` (the order the store
reads them in), links by (firm, product), products and regions coded in order of first
appearance. Plain numpy on the saved arrays; no Python object per firm of the million.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["fixed_text", "patch_arrays"]


def patch_arrays(old: Mapping[str, np.ndarray], firms: list[str],
                 companies: pd.DataFrame, capabilities: pd.DataFrame,
                 supplies: pd.DataFrame) -> dict[str, np.ndarray] | None:
    """The codes ``old`` with the rows of ``firms`` replaced by the rows given.

    Parameters
    ----------
    old
        The saved arrays of :meth:`chainmap.analysis.gaps._Codes.arrays`, with the
        ``firm_rowid`` and ``sup_rowid`` of codes read from an SQLite workspace.
    firms
        The ids of every firm whose rows may have changed (gone, new or changed).
    companies, capabilities, supplies
        The live rows of those firms now: ``rowid``, ``id``, ``revenue`` and the region
        code columns of each active one; ``company_id``, ``product_id`` of their
        confirmed links, sorted by both; ``rowid``, ``supplier_id``, ``customer_id``,
        ``product_id`` of the supplies between active firms that name one of them.

    Returns
    -------
    dict or None
        The firm, link, supply, product and region arrays (no ranking index: made by
        :class:`~chainmap.analysis.gaps._Codes` afterwards); ``None`` for codes this
        cannot patch (no row ids, or a row naming a firm outside them).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> old = {"firm_ids": np.array(["a", "b"]), "revenue": np.array([1.0, 2.0]),
    ...        "firm_rowid": np.array([1, 2]), "firm_order": np.array([0, 1]),
    ...        "cap_firm": np.array([0, 1], dtype=np.int32),
    ...        "cap_prod": np.array([0, 0], dtype=np.int32), "products": np.array(["p"]),
    ...        "sup_firm": np.array([], dtype=np.int32),
    ...        "cust_firm": np.array([], dtype=np.int32),
    ...        "sup_prod": np.array([], dtype=np.int32),
    ...        "sup_rowid": np.array([], dtype=np.int64),
    ...        "region:region_code": np.array([0, 0], dtype=np.int32),
    ...        "regions:region_code": np.array(["340521"])}
    >>> new = patch_arrays(old, ["b", "c"],
    ...     pd.DataFrame({"rowid": [3], "id": ["c"], "revenue": [5.0],
    ...                   "region_code": ["320100"]}),
    ...     pd.DataFrame({"company_id": ["c"], "product_id": ["q"]}),
    ...     pd.DataFrame(columns=["rowid", "supplier_id", "customer_id", "product_id"]))
    >>> new["firm_ids"].tolist(), new["cap_firm"].tolist(), new["products"].tolist()
    (['a', 'c'], [0, 1], ['p', 'q'])
    """
    if "firm_rowid" not in old or "sup_rowid" not in old:
        return None
    ids = np.asarray(old["firm_ids"])
    old_cap_firm, old_sup_firm = np.asarray(old["cap_firm"]), np.asarray(old["sup_firm"])
    old_cust_firm = np.asarray(old["cust_firm"])
    if any(len(a) and int(a.min()) < 0 for a in (old_cap_firm, old_sup_firm, old_cust_firm)):
        return None  # a row naming an unknown firm: read whole
    order = np.asarray(old["firm_order"])
    sorted_ids = ids[order]

    # -- firms: the old ones not named, with the named ones as they are now merged in
    # by rowid (each list is in rowid order; a new row at ``spots[j]`` of the kept ones)
    changed = fixed_text(sorted(firms))
    at = np.searchsorted(sorted_ids, changed)
    hit = at < len(sorted_ids)
    hit[hit] = sorted_ids[at[hit]] == changed[hit]
    kept = np.ones(len(ids), dtype=bool)
    kept[order[at[hit]]] = False
    new_ids = _texts(companies["id"])
    new_rowid = companies["rowid"].to_numpy(dtype=np.int64)
    kept_rowid = np.asarray(old["firm_rowid"])[kept]
    if not (_increasing(kept_rowid) and _increasing(new_rowid)):
        return None
    spots = np.searchsorted(kept_rowid, new_rowid)
    n_kept = len(kept_rowid)
    moved = np.full(len(ids), -1, dtype=np.int32)  # old position -> new position
    moved[kept] = np.arange(n_kept) + np.searchsorted(spots, np.arange(n_kept), side="right")
    fresh = (spots + np.arange(len(spots))).astype(np.int32)  # the rows read, where now
    firm_ids = _insert_texts(ids[kept], spots, new_ids)
    if len(ids) and not kept.all() and \
            int(np.char.str_len(ids[~kept]).max()) * 4 == ids.dtype.itemsize:
        firm_ids = _narrowest(firm_ids)  # the longest id may be gone: as narrow as a read
    out: dict[str, np.ndarray] = {
        "firm_ids": firm_ids,
        "firm_rowid": np.insert(kept_rowid, spots, new_rowid),
        "revenue": np.insert(np.asarray(old["revenue"])[kept], spots, companies["revenue"]
                             .to_numpy(dtype=float, na_value=np.nan))}
    for name in [n for n in old if n.startswith("region:")]:
        column = name.split(":", 1)[1]
        found, values = _recoded(old["regions:" + column],
                                 companies[column].to_numpy(dtype=object))
        codes = np.insert(np.asarray(old[name])[kept].astype(np.int32), spots, found)
        out[name] = _first_seen(codes, values, "regions:" + column, out)

    # the firms in the order of their ids: the kept ones as they were, the new merged in
    in_order = kept[order]
    sorted_kept = sorted_ids[in_order]
    new_sorted = np.argsort(new_ids, kind="stable")
    at_id = np.searchsorted(sorted_kept, new_ids[new_sorted])
    out["firm_order"] = np.insert(moved[order[in_order]].astype(np.int64), at_id,
                                  fresh[new_sorted])
    by_id = _insert_texts(sorted_kept, at_id, new_ids[new_sorted])

    def position(values: pd.Series) -> np.ndarray | None:
        """The new positions of the firm ids ``values``; ``None`` if one is not a firm."""
        text = _texts(values)
        at = np.searchsorted(by_id, text)
        if len(at) and (int(at.max()) >= len(by_id) or bool((by_id[at] != text).any())):
            return None
        return out["firm_order"][at]

    # -- products: the old ones, then those only the new rows name --------------------
    products = np.asarray(old["products"]).astype(object)
    known = pd.Index(products)
    named = pd.Index(pd.concat([capabilities["product_id"], supplies["product_id"]])
                     .dropna().unique())
    products = np.concatenate((products, named[~named.isin(known)].to_numpy(dtype=object)))
    index = pd.Index(products)

    # -- links, in the order of (firm id, product id): a kept firm's links are one run;
    # the links read go after the runs of the kept firms whose ids are smaller ---------
    keep = kept[old_cap_firm]
    new_firm = position(capabilities["company_id"])
    if new_firm is None:
        return None
    kept_firm = old_cap_firm[keep]
    runs = np.bincount(kept_firm, minlength=len(ids))[order[in_order]]
    before = np.concatenate(([0], np.cumsum(runs)))
    spots = before[np.searchsorted(sorted_kept, _texts(capabilities["company_id"]))]
    out["cap_firm"] = np.insert(moved[kept_firm], spots, new_firm.astype(np.int32))
    cap_prod = np.insert(np.asarray(old["cap_prod"])[keep].astype(np.int32), spots,
                         index.get_indexer(capabilities["product_id"]).astype(np.int32))
    out["cap_prod"], cap_uniques = _by_first_appearance(cap_prod, len(products))

    # -- supplies: the kept ones with the new ones merged in by rowid -------------------
    keep = kept[old_sup_firm] & kept[old_cust_firm]
    supplier = position(supplies["supplier_id"])
    customer = position(supplies["customer_id"])
    kept_rowid = np.asarray(old["sup_rowid"])[keep]
    new_rowid = supplies["rowid"].to_numpy(dtype=np.int64)
    if supplier is None or customer is None or \
            not (_increasing(kept_rowid) and _increasing(new_rowid)):
        return None
    sup_new_prod = index.get_indexer(supplies["product_id"])
    sup_new_prod[supplies["product_id"].isna().to_numpy()] = -1
    spots = np.searchsorted(kept_rowid, new_rowid)
    out["sup_rowid"] = np.insert(kept_rowid, spots, new_rowid)
    out["sup_firm"] = np.insert(moved[old_sup_firm[keep]], spots, supplier).astype(np.int32)
    out["cust_firm"] = np.insert(moved[old_cust_firm[keep]], spots, customer) \
        .astype(np.int32)
    sup_prod = np.insert(np.asarray(old["sup_prod"])[keep].astype(np.int64), spots,
                         sup_new_prod)

    # products as the codes number them: links' products by first link, then the
    # products only supplies name, by first supply
    coded = np.full(len(products), -1, dtype=np.int64)
    coded[cap_uniques] = np.arange(len(cap_uniques))
    named_only = pd.unique(sup_prod[(sup_prod >= 0) & (coded[np.maximum(sup_prod, 0)] < 0)])
    coded[named_only] = len(cap_uniques) + np.arange(len(named_only))
    used = np.concatenate((cap_uniques, named_only)).astype(np.int64)
    out["products"] = fixed_text(products[used])
    out["sup_prod"] = np.where(sup_prod >= 0, coded[np.maximum(sup_prod, 0)], -1) \
        .astype(np.int32)
    return out


def fixed_text(values: np.ndarray | list) -> np.ndarray:
    """Python strings as a fixed-width text array (``<U1`` at least, for none).

    >>> fixed_text(["a", "当涂"]).dtype, fixed_text([]).dtype
    (dtype('<U2'), dtype('<U1'))
    """
    return np.asarray(values, dtype=str) if len(values) else np.empty(0, dtype="<U1")


def _texts(values: pd.Series) -> np.ndarray:
    """A column of text as a fixed-width text array (:func:`fixed_text`)."""
    return fixed_text(values.to_numpy(dtype=object))


def _insert_texts(texts: np.ndarray, spots: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``numpy.insert`` of fixed-width texts, wide enough for both (never cut short)."""
    return np.insert(texts.astype(np.result_type(texts, values), copy=False), spots, values)


def _narrowest(texts: np.ndarray) -> np.ndarray:
    """Fixed-width ``texts`` as narrow as their longest (``<U1`` at least)."""
    width = int(np.char.str_len(texts).max()) if len(texts) else 1
    return texts.astype(f"<U{max(width, 1)}")


def _increasing(values: np.ndarray) -> bool:
    """Whether ``values`` strictly increase (the rows' order of a table)."""
    return bool((values[1:] > values[:-1]).all())


def _recoded(values: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The codes of the texts ``new`` (None: -1) among ``values``, and the values extended."""
    index = pd.Index(np.asarray(values).astype(object))
    found = index.get_indexer(pd.Index(new, dtype=object))
    missing = (found < 0) & pd.notna(new)
    extra = pd.unique(new[missing])
    found[missing] = len(index) + pd.Index(extra).get_indexer(new[missing])
    found[pd.isna(new)] = -1
    return found.astype(np.int64), np.concatenate((index.to_numpy(dtype=object), extra))


def _first_seen(codes: np.ndarray, values: np.ndarray, name: str,
                out: dict[str, np.ndarray]) -> np.ndarray:
    """``codes`` renumbered in order of first appearance (as ``pandas.factorize``).

    Puts the values in that order under ``name`` in ``out``; returns the codes.
    """
    result, uniques = _by_first_appearance(codes, len(values))
    kept = np.asarray(values, dtype=object)[uniques]
    out[name] = fixed_text(kept)
    return result


def _by_first_appearance(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit ``codes`` (of ``size`` values; -1: none) numbered by first appearance.

    As ``pandas.factorize`` numbers them, without an array of 64-bit codes: the
    values in order of appearance (``pandas.unique``), then one lookup, skipped when
    the order is already theirs. Returns the codes and the old code of each new one.
    """
    seen = pd.unique(codes)
    seen = seen[seen >= 0].astype(np.int64)
    if np.array_equal(seen, np.arange(len(seen))):
        return codes.astype(np.int32, copy=False), seen
    table = np.full(size + 1, -1, dtype=np.int32)  # the last slot: code -1
    table[seen] = np.arange(len(seen), dtype=np.int32)
    return table[codes], seen
