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

__all__ = ["patch_arrays"]


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

    # -- firms: the old ones not named, and the named ones as they are now, by rowid --
    changed = np.asarray(sorted(firms), dtype=str) if firms else np.empty(0, dtype="<U1")
    at = np.searchsorted(sorted_ids, changed)
    hit = at < len(sorted_ids)
    hit[hit] = sorted_ids[at[hit]] == changed[hit]
    kept = np.ones(len(ids), dtype=bool)
    kept[order[at[hit]]] = False
    new_ids = np.asarray(companies["id"].to_numpy(dtype=object), dtype=str) \
        if len(companies) else np.empty(0, dtype="<U1")
    rowid = np.concatenate((np.asarray(old["firm_rowid"])[kept],
                            companies["rowid"].to_numpy(dtype=np.int64)))
    place = np.argsort(rowid, kind="stable")  # new firm i is the firm place[i] of the joined
    where = np.empty(len(place), dtype=np.int64)  # where[j]: the new position of joined j
    where[place] = np.arange(len(place))
    n_kept = int(kept.sum())
    moved = np.full(len(ids), -1, dtype=np.int64)  # old position -> new position
    moved[kept] = where[:n_kept]
    firm_ids = np.concatenate((ids[kept], new_ids))[place]
    out: dict[str, np.ndarray] = {
        "firm_ids": firm_ids, "firm_rowid": rowid[place],
        "revenue": np.concatenate((np.asarray(old["revenue"])[kept], companies["revenue"]
                                   .to_numpy(dtype=float, na_value=np.nan)))[place]}
    for name in [n for n in old if n.startswith("region:")]:
        column = name.split(":", 1)[1]
        codes, values = _recoded(np.asarray(old[name])[kept], old["regions:" + column],
                                 companies[column].to_numpy(dtype=object))
        out[name] = _first_seen(codes[place], values, "regions:" + column, out)

    # the firms in the order of their ids: the old order without the named, the new merged
    kept_order = moved[order[kept[order]]]
    new_sorted = np.argsort(new_ids, kind="stable")
    spots = np.searchsorted(firm_ids[kept_order], new_ids[new_sorted])
    out["firm_order"] = np.insert(kept_order, spots, where[n_kept:][new_sorted])
    by_id = firm_ids[out["firm_order"]]

    def position(values: np.ndarray) -> np.ndarray | None:
        """The new positions of the firm ids ``values``; ``None`` if one is not a firm."""
        text = np.asarray(values, dtype=str) if len(values) else np.empty(0, dtype="<U1")
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

    # -- links: the kept ones (in key order) with the new ones merged in ----------------
    keep = kept[old_cap_firm]
    cap_firm = moved[old_cap_firm[keep]]
    cap_prod = np.asarray(old["cap_prod"])[keep].astype(np.int64)
    new_firm = position(capabilities["company_id"].to_numpy(dtype=object))
    if new_firm is None:
        return None
    new_prod = index.get_indexer(capabilities["product_id"])
    rank = np.empty(len(by_id), dtype=np.int64)
    rank[out["firm_order"]] = np.arange(len(by_id))
    text_rank = np.empty(len(products), dtype=np.int64)
    text_rank[np.argsort(products.astype(str), kind="stable")] = np.arange(len(products))
    span = len(products) + 1
    old_key = rank[cap_firm] * span + text_rank[cap_prod]
    new_key = rank[new_firm] * span + text_rank[new_prod]
    spots = np.searchsorted(old_key, new_key)
    cap_firm = np.insert(cap_firm, spots, new_firm)
    cap_prod = np.insert(cap_prod, spots, new_prod)
    out["cap_firm"] = cap_firm.astype(np.int32)
    first_cap, cap_uniques = pd.factorize(cap_prod)
    out["cap_prod"] = first_cap.astype(np.int32)

    # -- supplies: the kept ones and the new ones, by rowid ------------------------------
    keep = kept[old_sup_firm] & kept[old_cust_firm]
    supplier = position(supplies["supplier_id"].to_numpy(dtype=object))
    customer = position(supplies["customer_id"].to_numpy(dtype=object))
    if supplier is None or customer is None:
        return None
    sup_new_prod = index.get_indexer(supplies["product_id"])
    sup_new_prod[supplies["product_id"].isna().to_numpy()] = -1
    rowid = np.concatenate((np.asarray(old["sup_rowid"])[keep],
                            supplies["rowid"].to_numpy(dtype=np.int64)))
    place = np.argsort(rowid, kind="stable")
    out["sup_rowid"] = rowid[place]
    out["sup_firm"] = np.concatenate((moved[old_sup_firm[keep]], supplier))[place] \
        .astype(np.int32)
    out["cust_firm"] = np.concatenate((moved[old_cust_firm[keep]], customer))[place] \
        .astype(np.int32)
    sup_prod = np.concatenate((np.asarray(old["sup_prod"])[keep], sup_new_prod))[place]

    # products as the codes number them: links' products by first link, then the
    # products only supplies name, by first supply
    coded = np.full(len(products), -1, dtype=np.int64)
    coded[cap_uniques] = np.arange(len(cap_uniques))
    named_only = pd.unique(sup_prod[(sup_prod >= 0) & (coded[np.maximum(sup_prod, 0)] < 0)])
    coded[named_only] = len(cap_uniques) + np.arange(len(named_only))
    used = np.concatenate((cap_uniques, named_only)).astype(np.int64)
    out["products"] = np.asarray(products[used], dtype=str) if len(used) \
        else np.empty(0, dtype="<U1")
    out["sup_prod"] = np.where(sup_prod >= 0, coded[np.maximum(sup_prod, 0)], -1) \
        .astype(np.int32)
    return out


def _recoded(codes: np.ndarray, values: np.ndarray,
             new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` of ``values`` with the texts ``new`` appended (None: -1), new values added."""
    index = pd.Index(np.asarray(values).astype(object))
    found = index.get_indexer(pd.Index(new, dtype=object))
    missing = (found < 0) & pd.notna(new)
    extra = pd.unique(new[missing])
    found[missing] = len(index) + pd.Index(extra).get_indexer(new[missing])
    found[pd.isna(new)] = -1
    return (np.concatenate((codes.astype(np.int64), found)),
            np.concatenate((index.to_numpy(dtype=object), extra)))


def _first_seen(codes: np.ndarray, values: np.ndarray, name: str,
                out: dict[str, np.ndarray]) -> np.ndarray:
    """``codes`` renumbered in order of first appearance (as ``pandas.factorize``).

    Puts the values in that order under ``name`` in ``out``; returns the codes.
    """
    some = codes >= 0
    renumbered, uniques = pd.factorize(codes[some])
    result = np.full(len(codes), -1, dtype=np.int32)
    result[some] = renumbered
    kept = np.asarray(values, dtype=object)[uniques]
    out[name] = np.asarray(kept, dtype=str) if len(kept) else np.empty(0, dtype="<U1")
    return result
