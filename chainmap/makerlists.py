"""The products' ranked maker lists, which the Neo4j gap report reads instead of the graph.

On Neo4j the gap report's graph query (``cypher/gaps.cypher``) expands every ``MAKES``
relationship of the chain's products and reads four properties of each maker: at a
million firms some 370,000 relationships and 1.4 million property reads per report,
seconds on the server. A push therefore also leaves, on every ``Product`` node, the
product's makers as the report needs them, made from the workspace's gap codes
(:func:`chainmap.analysis.gaps.gap_codes`): the active firms with a confirmed link to
the product, ranked as candidates are ranked (revenue, largest first and none last,
then id), in three texts:

``makers_ids``
    the firms' ids, joined by :data:`ITEM`;
``makers_places``
    where each firm is, one character per firm: the character of its place in the
    database's **place table** (:func:`place_char`);
``makers_customers``
    per firm, the characters of the places of the active firms it supplies, each once,
    the firms' entries joined by :data:`ITEM`.

A place is a firm's province, city and most specific region codes as tokens
(:func:`token`), so that "inside region R" is one ``CONTAINS`` of R's token
(:func:`region_token`), the rule of :data:`chainmap.regions.REGION_COLUMN`. The place
table (:attr:`MakerLists.places`) numbers the places; it is kept in the database and
only ever grows, so a product whose makers did not change keeps its texts from push to
push. The report turns the home and the targets into the characters of the places
inside them (:func:`region_places`).

The report reads these texts of the chain's products and of the products made of them
(``cypher/gaps_lists.cypher``: a few hundred property reads) and classes the makers in
numpy (:func:`gaps_from_lists`), with the same counts and order as the graph query. The
lists hold for the data the push made: they are used
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
>>> home = region_places(lists.places, chainmap.regions.resolve("当涂县"))
>>> [firm for firm, place in zip(capacitor.ids.split(ITEM), capacitor.places)
...  if place in home]
['haoyue']
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, NamedTuple

from .regions import REGION_COLUMN

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import numpy as np

    from .analysis.gaps import _Codes
    from .regions import Region

__all__ = ["EMPTY", "ITEM", "MAX_PLACES", "TOKEN", "MakerList", "MakerLists",
           "gaps_from_lists", "maker_lists", "place_char", "region_places", "region_token",
           "region_tokens", "token"]

#: Separates the entries of a list (one per maker).
ITEM = "\x1e"
#: Opens and closes each place token.
TOKEN = "\x1f"
#: The letter of each firm code column in a place token.
_TAG = {"province_code": "P", "city_code": "C", "region_code": "D"}
#: The character of place 0 of the place table (two bytes in UTF-8 up to place 1,791).
_PLACE_BASE = 0x100
#: The most places a place table holds: their characters stay below the surrogates, one
#: UTF-16 code unit each (the lists are made and read as code units: ``_text``, ``_units``).
MAX_PLACES = 0xD800 - _PLACE_BASE


class MakerList(NamedTuple):
    """One product's makers: its three texts (ids, places, customers), and their hash."""

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


class MakerLists(dict[str, MakerList]):
    """Every product's :class:`MakerList` by product id, with the place table they use.

    ``places[i]`` is the place (its tokens, :func:`token`) that :func:`place_char` of
    ``i`` stands for in the lists.
    """

    def __init__(self, lists: dict[str, MakerList], places: Sequence[str]) -> None:
        super().__init__(lists)
        self.places: tuple[str, ...] = tuple(places)


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


def place_char(index: int) -> str:
    """The character standing for place ``index`` of a place table in the lists.

    >>> place_char(0), place_char(1)
    ('Ā', 'ā')
    """
    if not 0 <= index < MAX_PLACES:
        raise ValueError(f"a place table holds at most {MAX_PLACES} places")
    return chr(_PLACE_BASE + index)


def region_places(places: Sequence[str], *regions: Region) -> str:
    """The characters of the places of ``places`` inside any of ``regions``.

    >>> import chainmap
    >>> p = [token("province_code", "34") + token("region_code", "340521")[1:],
    ...      token("province_code", "32")]
    >>> region_places(p, chainmap.regions.resolve("当涂县")) == place_char(0)
    True
    """
    wanted = region_tokens(regions)
    return "".join(place_char(i) for i, place in enumerate(places)
                   if any(t in place for t in wanted))


def _place_of_firms(codes: _Codes, table: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Each firm's place index into the place table, and the table grown by new places.

    The places of ``table`` keep their index; places it lacks are added after them, in
    the order of their text.
    """
    import numpy as np

    coded = codes.regions.coded()
    key = np.zeros(codes.regions.size, dtype=np.int64)
    sizes = []
    for column, (code, uniques) in coded.items():
        key = key * (len(uniques) + 1) + (np.asarray(code, dtype=np.int64) + 1)
        sizes.append((column, len(uniques) + 1, uniques))
    distinct, firm_key = np.unique(key, return_inverse=True)
    texts = []
    for k in distinct.tolist():
        parts = []
        for column, width, uniques in reversed(sizes):
            k, c = divmod(k, width)
            if c:
                parts.append(f"{_TAG[column]}{uniques[c - 1]}{TOKEN}")
        texts.append(TOKEN + "".join(reversed(parts)))
    grown = list(table)
    index = {place: i for i, place in enumerate(grown)}
    for place in sorted(set(texts) - index.keys()):
        index[place] = len(grown)
        grown.append(place)
    of_key = np.array([index[t] for t in texts], dtype=np.int64)
    return of_key[firm_key.ravel()], grown


def _chars(indexes: np.ndarray) -> str:
    """The characters of place indexes, as one text."""
    import numpy as np

    return _text(np.asarray(indexes, dtype=np.uint16) + np.uint16(_PLACE_BASE))


def _text(units: np.ndarray) -> str:
    """UTF-16 code units (no surrogates) as a text."""
    return units.astype("<u2", copy=False).tobytes().decode("utf-16-le")


def _customers(codes: _Codes, place: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per firm, the places of the firms it supplies, each once, as blocks of characters.

    Returns the blocks (UTF-16 code units: firm after firm, its places' characters then
    :data:`ITEM`) and where each firm's block starts (one more offset at the end).
    """
    import numpy as np

    n = len(place)
    sup = np.asarray(codes.sup_firm, dtype=np.int64)
    cust = np.asarray(codes.cust_firm, dtype=np.int64)
    known = (sup >= 0) & (cust >= 0)
    sup, cust = sup[known], cust[known]
    width = int(place.max()) + 1 if n else 1
    pairs = np.unique(sup * width + place[cust])
    firm = pairs // width  # by firm, each place once
    start = np.concatenate(([0], np.cumsum(np.bincount(firm, minlength=n) + 1)))
    units = np.full(int(start[-1]), ord(ITEM), dtype=np.uint16)
    # the i-th pair goes after the places of the firms before its own and one ITEM for
    # each of them: at i + its firm
    units[np.arange(len(firm)) + firm] = (pairs % width + _PLACE_BASE).astype(np.uint16)
    return units, start


def _gather(units: np.ndarray, start: np.ndarray, firms: np.ndarray) -> np.ndarray:
    """The blocks ``units[start[f]:start[f + 1]]`` of ``firms``, one after another."""
    import numpy as np

    length = (start[1:] - start[:-1])[firms]
    ends = np.cumsum(length)
    at = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    at += np.repeat(start[firms] - (ends - length), length)
    return units[at]


def _ids_text(ids: np.ndarray, lengths: np.ndarray, firms: np.ndarray) -> str:
    """The ids of ``firms``, each followed by :data:`ITEM`, as one text.

    ``ids`` is a fixed-width text array and ``lengths`` its texts' lengths; when every id
    fills the width and is ASCII (as codes of one form are), the text is made in bytes.
    """
    import numpy as np

    width = ids.dtype.itemsize // 4
    if len(ids) and width and bool((lengths == width).all()):
        units = np.ascontiguousarray(ids).view(np.uint32).reshape(-1, width)
        if int(units.max()) < 0x80:
            chars = np.empty((len(firms), width + 1), dtype=np.uint8)
            chars[:, :width] = units.astype(np.uint8)[firms]
            chars[:, width] = ord(ITEM)
            return chars.tobytes().decode("ascii")
    return ITEM.join(ids[firms].astype(object).tolist()) + ITEM


def _runs(text: str, lengths: np.ndarray, kept: np.ndarray) -> list[str]:
    """The runs ``kept[k]:kept[k + 1]`` of the entries of ``text``, joined.

    Entry ``i`` is ``lengths[i]`` characters and :data:`ITEM`; a run goes without its
    last :data:`ITEM`.
    """
    import numpy as np

    at = np.concatenate(([0], np.cumsum(lengths + 1)))[kept].tolist()
    return [text[at[k]:at[k + 1] - 1] if at[k + 1] > at[k] else ""
            for k in range(len(at) - 1)]


def maker_lists(codes: _Codes, places: Sequence[str] = ()) -> MakerLists | None:
    """The ranked maker lists of every product the codes know, by product id.

    Parameters
    ----------
    codes
        The gap codes of a workspace (:func:`chainmap.analysis.gaps.gap_codes`): its
        live firms, links and supplies.
    places
        The place table the database holds (:meth:`MakerLists.places` of the lists it
        holds): its places keep their characters, new ones are added after them.

    Returns
    -------
    MakerLists or None
        Product id to :class:`MakerList`, and the place table they use; a product no
        live firm makes has :data:`EMPTY` lists. ``None`` when a firm id or a region
        code holds :data:`ITEM` (a control character an import refuses), or the places
        outgrow :data:`MAX_PLACES`: then there are no lists, and the gap report reads
        the graph.
    """
    import numpy as np

    place, table = _place_of_firms(codes, places)
    if len(table) > MAX_PLACES or any(ITEM in p for p in table):
        return None
    served_units, served_start = _customers(codes, place)
    # every product's rows, in rank order, in one pass (unknown firms, -1, left out)
    firms = np.asarray(codes.cap_firm)[np.asarray(codes.by_prod)]
    kept = np.cumsum(np.concatenate(([0], firms >= 0)))[np.asarray(codes.prod_ptr)]
    firms = firms[firms >= 0]
    ids = np.asarray(codes.firm_ids)  # fixed-width text, or str objects when just read
    ids = ids if ids.dtype.kind == "U" else ids.astype(str)
    id_lengths = np.char.str_len(ids).astype(np.int64)
    text = _ids_text(ids, id_lengths, firms)
    if text.count(ITEM) != len(firms):
        return None  # an id holds the separator (imports refuse it)
    joined_ids = _runs(text, id_lengths[firms], kept)
    served = _runs(_text(_gather(served_units, served_start, firms)),
                   np.diff(served_start)[firms] - 1, kept)
    where = _chars(place[firms])
    bounds = kept.tolist()
    out: dict[str, MakerList] = {}
    for k, product in enumerate(codes.products.tolist()):
        a, b = bounds[k], bounds[k + 1]
        out[str(product)] = (MakerList(joined_ids[k], where[a:b], served[k]) if b > a
                             else EMPTY)
    return MakerLists(out, table)


def _units(text: str) -> np.ndarray:
    """A text of the lists as its UTF-16 code units (one per place character)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-16-le"), dtype="<u2")


def _mask(chars: str) -> np.ndarray:
    """A lookup of the characters ``chars`` by code unit."""
    import numpy as np

    mask = np.zeros(0x10000, dtype=bool)
    mask[[ord(c) for c in chars]] = True
    return mask


def gaps_from_lists(products: Iterable[Sequence[str]], outputs: Iterable[Sequence[str]],
                    uses: Iterable[Sequence[str]], home: str,
                    targets: str) -> list[tuple[str, list[str], int, list[str]]]:
    """The gap report's rows from the maker lists of a chain (``cypher/gaps_lists.cypher``).

    Parameters
    ----------
    products
        Per product of the chain: its id and its three texts (:class:`MakerList`).
    outputs
        Per product a product of the chain is an input of: its id, ids and places.
    uses
        Pairs (product of the chain, product it is an input of).
    home, targets
        The characters of the places inside the home, and inside any target region
        (:func:`region_places`).

    Returns
    -------
    list of tuple
        Per product of the chain: its id, its local makers (rank order), its local
        demand (the distinct local makers of the products it is an input of) and its
        candidates (makers outside the home and inside a target: first those supplying
        a firm of the home, then the others, each in rank order), as the graph query
        (``cypher/gaps.cypher``) counts them.

    Examples
    --------
    >>> a, b = place_char(0), place_char(1)  # a: the home, b: a target
    >>> lists = [["p", ITEM.join(["x", "y", "z"]), a + b + b, ITEM.join(["", "", a])]]
    >>> gaps_from_lists(lists, [["q", "w", a]], [["p", "q"]], home=a, targets=b)
    [('p', ['x'], 1, ['z', 'y'])]
    """
    import numpy as np

    at_home, in_target = _mask(home), _mask(targets)
    local_of: dict[str, set[str]] = {}
    for product, ids, places in outputs:
        makers = ids.split(ITEM) if ids else []
        local_of[product] = {makers[i] for i in np.flatnonzero(at_home[_units(places)])}
    demand: dict[str, set[str]] = {}
    for product, output in uses:
        demand.setdefault(product, set()).update(local_of.get(output, ()))
    rows = []
    for product, ids, places, customers in products:
        makers = ids.split(ITEM) if ids else []
        where = _units(places)
        local = at_home[where]
        candidate = ~local & in_target[where]
        units = _units(customers)
        entry = np.cumsum(units == ord(ITEM))  # the maker each code unit belongs to
        supplies = np.zeros(len(makers), dtype=bool)
        supplies[entry[at_home[units]]] = True
        first = np.flatnonzero(candidate & supplies).tolist()
        rest = np.flatnonzero(candidate & ~supplies).tolist()
        rows.append((product, [makers[i] for i in np.flatnonzero(local).tolist()],
                     len(demand.get(product, ())), [makers[i] for i in first + rest]))
    return rows
