"""The products' ranked maker lists, which the Neo4j gap report reads instead of the graph.

On Neo4j the gap report's graph query (``cypher/gaps.cypher``) expands every ``MAKES``
relationship of the chain's products and reads four properties of each maker: at a
million firms some 370,000 relationships and 1.4 million property reads per report,
seconds on the server. A push therefore also leaves, on every ``Product`` node, the
product's makers as the report needs them, made from the workspace's gap codes
(:func:`chainmap.analysis.gaps.gap_codes`): the active firms with a confirmed link to
the product, ranked as candidates are ranked (revenue, largest first and none last,
then id), in three texts of equal length joined by :data:`ITEM`:

``makers_ids``
    the firms' ids;
``makers_places``
    per firm, where it is: its province, city and most specific region codes as tokens
    (:func:`token`), so that "inside region R" is one ``CONTAINS`` of R's token
    (:func:`region_token`), the rule of :data:`chainmap.regions.REGION_COLUMN`;
``makers_customers``
    per firm, the place tokens of the active firms it supplies: "supplies a firm of the
    home" is again one ``CONTAINS``.

``cypher/gaps_lists.cypher`` answers the report from these texts of the chain's products
and of the products made of them (a few hundred property reads), with the same counts
and order as the graph query. The lists hold for the data the push made: they are used
while the database's firm tables are as the push left them (their stored digests, see
:meth:`chainmap.store.neo4j.Neo4jStore.maker_lists_fresh`), and the graph query answers
otherwise.

Examples
--------
>>> import chainmap
>>> from chainmap.analysis.gaps import gap_codes
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> lists = maker_lists(gap_codes(ws))
>>> capacitor = lists["capacitor"]
>>> capacitor.ids.split(ITEM)  # ranked: revenue, largest first, then id
['yuyao-cap', 'baoan-cap', 'tongguan-cap', 'gaochun-cap', 'haoyue']
>>> home = region_token(chainmap.regions.resolve("当涂县"))
>>> [firm for firm, place in zip(capacitor.ids.split(ITEM), capacitor.places.split(ITEM))
...  if home in place]
['haoyue']
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, NamedTuple

from .regions import REGION_COLUMN

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np

    from .analysis.gaps import _Codes
    from .regions import Region

__all__ = ["EMPTY", "ITEM", "TOKEN", "MakerList", "maker_lists", "region_token", "region_tokens",
           "token"]

#: Separates the entries of a list (one per maker).
ITEM = "\x1e"
#: Opens and closes each place token.
TOKEN = "\x1f"
#: The letter of each firm code column in a place token.
_TAG = {"province_code": "P", "city_code": "C", "region_code": "D"}


class MakerList(NamedTuple):
    """One product's makers: three texts of :data:`ITEM`-joined entries, and their hash."""

    ids: str
    places: str
    customers: str

    @property
    def digest(self) -> str:
        """A hash of the three texts (the push sends a product's lists when it changed)."""
        h = hashlib.blake2b(digest_size=16)
        for text in self:
            h.update(text.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


#: The lists of a product no firm makes.
EMPTY = MakerList("", "", "")


def token(column: str, code: str) -> str:
    """The place token of ``code`` in the firm code column ``column``.

    >>> token("region_code", "340521") == TOKEN + "D340521" + TOKEN
    True
    """
    return f"{TOKEN}{_TAG[column]}{code}{TOKEN}"


def region_token(region: Region) -> str:
    """The token a firm's place holds when the firm is inside ``region``."""
    return token(REGION_COLUMN[region.level], region.code)


def region_tokens(regions: Iterable[Region]) -> list[str]:
    """The tokens of ``regions`` (:func:`region_token`), in order."""
    return [region_token(r) for r in regions]


def _places(codes: _Codes) -> np.ndarray:
    """Each firm's place: the tokens of its code columns, one text per firm."""
    import numpy as np

    place = np.full(codes.regions.size, TOKEN, dtype=object)
    for column, (coded, uniques) in codes.regions.coded().items():
        parts = np.array([f"{_TAG[column]}{u}{TOKEN}" for u in uniques] + [""], dtype=object)
        place = place + parts[np.where(np.asarray(coded) >= 0, coded, len(uniques))]
    return place


def _customers(codes: _Codes, places: np.ndarray) -> np.ndarray:
    """Per firm, the places of the firms it supplies, each once, joined ("" for none)."""
    import numpy as np
    import pandas as pd

    out = np.full(len(places), "", dtype=object)
    sup = np.asarray(codes.sup_firm, dtype=np.int64)
    cust = np.asarray(codes.cust_firm, dtype=np.int64)
    known = (sup >= 0) & (cust >= 0)
    sup, cust = sup[known], cust[known]
    if not len(sup):
        return out
    place_code, uniques = pd.factorize(places[cust])
    width = len(uniques) + 1
    pairs = np.unique(sup * width + place_code)  # by firm, each place once
    firm = pairs // width
    tokens = np.asarray(uniques, dtype=object)[pairs % width].tolist()
    starts = np.flatnonzero(np.diff(firm, prepend=-1))
    ends = np.append(starts[1:], len(firm)).tolist()
    out[firm[starts]] = ["".join(tokens[a:b]) for a, b in zip(starts.tolist(), ends,
                                                                strict=True)]
    return out


def maker_lists(codes: _Codes) -> dict[str, MakerList] | None:
    """The ranked maker lists of every product the codes know, by product id.

    Parameters
    ----------
    codes
        The gap codes of a workspace (:func:`chainmap.analysis.gaps.gap_codes`): its
        live firms, links and supplies.

    Returns
    -------
    dict or None
        Product id to :class:`MakerList`; a product no live firm makes has
        :data:`EMPTY` lists. ``None`` when a firm id or a region code holds
        :data:`ITEM` (a control character an import refuses): then there are no
        lists, and the gap report reads the graph.
    """
    import numpy as np

    places = _places(codes)
    customers = _customers(codes, places)
    # every product's rows, in rank order, in one pass (unknown firms, -1, left out)
    firms = np.asarray(codes.cap_firm)[np.asarray(codes.by_prod)]
    ptr = np.asarray(codes.prod_ptr)
    kept = np.cumsum(np.concatenate(([0], firms >= 0)))[ptr].tolist()
    firms = firms[firms >= 0]
    ids = np.asarray(codes.firm_ids)[firms].astype(object).tolist()
    where = places[firms].tolist()
    served = customers[firms].tolist()
    out: dict[str, MakerList] = {}
    for k, product in enumerate(codes.products.tolist()):
        a, b = kept[k], kept[k + 1]
        if b == a:
            out[str(product)] = EMPTY
            continue
        made = MakerList(ITEM.join(ids[a:b]), ITEM.join(where[a:b]), ITEM.join(served[a:b]))
        if any(text.count(ITEM) != b - a - 1 for text in made):
            return None  # an id or a region code holds the separator (imports refuse it)
        out[str(product)] = made
    return out
