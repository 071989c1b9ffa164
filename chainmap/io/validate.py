"""Check raw tables against the dataset contract and normalise them for storing.

Every problem found is collected (with file, line, column and value) before anything
is raised, so that a user fixes a sheet in one pass.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from .. import regions
from ..errors import DatasetError, Problem, RegionError
from ..i18n import N_, _
from ..store.base import TABLE_COLUMNS
from ..text import BAD_ID
from .read import RawTable
from .refs import References

__all__ = ["Dataset", "KnownIds", "validate", "TIERS", "parse_tier", "parse_bool",
           "parse_firm_status"]

#: Tier names accepted (English and Chinese) -> stored value.
TIERS = {"upstream": "upstream", "midstream": "midstream", "downstream": "downstream",
         "上游": "upstream", "中游": "midstream", "下游": "downstream"}
_BOOLS = {"1": True, "0": False, "true": True, "false": False, "yes": True, "no": False,
          "y": True, "n": False, "t": True, "f": False, "是": True, "否": False}
_SPLIT = re.compile(r"[;|；｜]")
#: Separators of a product's keywords, exclude phrases and industries.
#: Separators of a list cell (keywords, exclude, industries). Not 、: it belongs to the
#: catalogue's phrases themselves (齿轮及齿轮减、变速箱制造; 制冷、空调设备制造).
_WORDS = re.compile(r"[;；|｜]")
#: Registry words for a firm's status (登记状态), looked for inside longer values
#: ("吊销，未注销", "存续（在营、开业、在册）"); a closed word wins.
CLOSED_WORDS = ("注销", "吊销", "撤销", "责令关闭", "歇业", "清算", "迁出", "停业")
ACTIVE_WORDS = ("存续", "在业", "正常", "开业", "在营")
#: Link statuses and evidence grades accepted, English and Chinese -> stored value.
LINK_STATUS = {"confirmed": "confirmed", "suggested": "suggested", "rejected": "rejected",
               "确认": "confirmed", "已确认": "confirmed", "建议": "suggested",
               "待确认": "suggested", "否决": "rejected", "已否决": "rejected",
               "拒绝": "rejected"}
EVIDENCE = {"strong": "strong", "medium": "medium", "weak": "weak",
            "强": "strong", "中": "medium", "弱": "weak"}

#: ``known(table, ids)`` returns which of ``ids`` the workspace already holds.
KnownIds = Callable[[str, set], set]
#: ``records(table)``: the workspace's ``companies`` or ``products`` table.
Records = Callable[[str], pd.DataFrame]
#: ``holders(usccs)``: the stored firm holding each of ``usccs`` (USCC -> firm id).
Holders = Callable[[set], dict[str, str]]

#: The columns of each table that hold ids (an id, or a reference to one).
_ID_COLUMNS = {"chains": ("id",), "products": ("id", "chains"), "companies": ("id",),
               "inputs": ("upstream", "downstream"), "capabilities": ("company", "product"),
               "supplies": ("supplier", "customer", "product"),
               "leads": ("company", "product", "id")}

_PROBLEM_CAP = 1000

#: "<column> is required", one sentence per column a table requires.
_REQUIRED = {
    "id": N_("id is required"),
    "province": N_("province is required"),
    "upstream": N_("upstream is required"),
    "downstream": N_("downstream is required"),
    "company": N_("company is required"),
    "product": N_("product is required"),
    "supplier": N_("supplier is required"),
    "customer": N_("customer is required"),
}


def _required(column: str) -> str:
    """``<column> is required`` in the current language."""
    return _(_REQUIRED[column])


def parse_tier(value: str) -> str | None:
    """``'上游'`` -> ``'upstream'``; blank -> ``None``; anything else -> ``ValueError``."""
    if not value:
        return None
    try:
        return TIERS[value.strip().lower()]
    except KeyError:
        raise ValueError(value) from None


def parse_firm_status(value: str) -> str | None:
    """Read a firm status: ``'active'``/``'closed'``, or the registry's word.

    存续 -> active, 吊销，未注销 -> closed; blank -> ``None``; an unknown word ->
    ``ValueError``.
    """
    text = value.strip()
    if not text:
        return None
    if text.lower() in ("active", "closed"):
        return text.lower()
    if any(w in text for w in CLOSED_WORDS):
        return "closed"
    if any(w in text for w in ACTIVE_WORDS):
        return "active"
    raise ValueError(value)


def _choice(values: dict[str, str]) -> Callable[[str], str | None]:
    """A parser of one of ``values`` (case-insensitive; blank -> ``None``)."""
    def parse(value: str) -> str | None:
        if not value.strip():
            return None
        try:
            return values[value.strip().lower()]
        except KeyError:
            raise ValueError(value) from None
    return parse


def parse_bool(value: str) -> bool | None:
    """``'是'``/``'yes'``/``'1'`` -> True, ``'否'``/``'no'``/``'0'`` -> False, blank -> None."""
    if not value:
        return None
    try:
        return _BOOLS[value.strip().lower()]
    except KeyError:
        raise ValueError(value) from None


@dataclass(frozen=True)
class Dataset:
    """A validated dataset, ready to store. Frames use the store's column names."""

    chains: pd.DataFrame
    products: pd.DataFrame
    product_chains: pd.DataFrame
    inputs: pd.DataFrame
    companies: pd.DataFrame
    capabilities: pd.DataFrame
    supplies: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    #: Per record table (chains, products, companies): the columns an existing record
    #: takes from this dataset. A sheet without a column leaves that field as it was;
    #: ``None`` means every column (a whole workspace, as pushed or pulled).
    updates: dict[str, tuple[str, ...]] | None = None
    #: Products whose chain list this dataset gives (``None``: every product's).
    chains_given: set | None = None
    #: With ``merge_by_uscc``: each firm id of the file read as the stored firm holding
    #: its USCC (file id -> stored id).
    merged: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per table (chains, products, inputs, companies, capabilities, supplies)."""
        return {name: len(getattr(self, name)) for name in
                ("chains", "products", "inputs", "companies", "capabilities", "supplies")}


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < _PROBLEM_CAP:
            self.items.append(problem)

    def rows(self, code: str, raw: RawTable, mask: np.ndarray | pd.Series, column: str,
             reason: str | pd.Series, value: pd.Series | None = None,
             **fill: pd.Series) -> None:
        """Add one problem (reason ``code``) for each row where ``mask`` holds.

        ``reason`` is the message (already in the current language), or one per row; with
        ``fill``, the message's placeholders take each row's values of those series, so
        that only the rows reported are formatted.
        """
        idx = np.flatnonzero(np.asarray(mask))
        if not len(idx):
            return
        values = raw.frame[column] if value is None else value
        header = raw.header(column)
        for i in idx[: max(0, _PROBLEM_CAP - len(self.items))]:
            why = reason if isinstance(reason, str) else reason.iloc[i]
            if fill:
                why = why.format(**{k: v.iloc[i] for k, v in fill.items()})
            self.items.append(Problem(code, why, table=raw.table, source=raw.source,
                                      line=int(raw.lines[i]), column=header,
                                      value=str(values.iloc[i])))
        self.total += len(idx)

    def raise_if_any(self) -> None:
        if self.total:
            items = sorted(self.items, key=lambda p: (p.source, p.line or 0))
            raise DatasetError(items, self.total)


def _col(raw: RawTable | None, name: str) -> pd.Series:
    if raw is None:
        return pd.Series([], dtype=str)
    if name in raw.frame.columns:
        return raw.frame[name]
    return pd.Series([""] * len(raw.frame), dtype=str)


def _extra(raw: RawTable) -> pd.Series:
    extras = raw.extras
    if not extras:
        return pd.Series([None] * len(raw.frame), dtype=object)
    sub = raw.frame[extras]
    out = []
    for row in sub.itertuples(index=False, name=None):
        # a blank cell is null: it removes that attribute from a record already stored
        d = {k: (v if v != "" else None) for k, v in zip(extras, row)}
        out.append(json.dumps(d, ensure_ascii=False, sort_keys=True))
    return pd.Series(out, dtype=object)


def _clean(raw: RawTable, problems: _Problems) -> None:
    """Refuse ids holding control, zero-width or bidi characters, and NUL in any cell.

    Cells are already trimmed (:func:`chainmap.io.read`); names keep the rest of what
    people type.
    """
    ids = _ID_COLUMNS.get(raw.table, ())
    for column in raw.frame.columns:
        s = raw.frame[column]
        if _clean_column(s, column in ids):  # one search of the whole column: no row to name
            continue
        if column in ids:
            problems.rows("bad-id", raw, s.str.contains(BAD_ID).to_numpy(dtype=bool), column,
                          _("an id may not hold control characters (tab, newline ...), "
                            "zero-width or bidi characters"))
        else:
            problems.rows("bad-text", raw,
                          s.str.contains("\x00", regex=False).to_numpy(dtype=bool), column,
                          _("a cell may not hold a NUL character"))


def _clean_column(column: pd.Series, is_id: bool) -> bool:
    """Whether no cell of ``column`` holds what :func:`_clean` refuses.

    The cells are joined into one string and searched once (a character class matches
    in the joined text exactly when it matches in one of the cells); only a column that
    fails is searched cell by cell, to name the rows.
    """
    try:
        text = "".join(column.tolist())
    except TypeError:  # a cell that is no string: let the cell-by-cell check decide
        return False
    if not is_id:
        return "\x00" not in text
    # every character BAD_ID names is a control or format character: not printable
    return text.isprintable() or BAD_ID.search(text) is None


def clean_problems(raw: RawTable) -> list[Problem]:
    """The ``bad-id`` and ``bad-text`` problems of ``raw`` (see :func:`_clean`)."""
    problems = _Problems()
    _clean(raw, problems)
    return problems.items


def _usccs(raw: RawTable, companies: pd.DataFrame, holders: Holders | None,
           merge: bool, problems: _Problems, valid: np.ndarray | None = None
           ) -> dict[str, str]:
    """Refuse a USCC that another firm holds; with ``merge``, the file id -> stored id.

    A USCC given twice in the file under two ids is refused even with ``merge`` (which
    row would be the firm?). One a stored firm holds under another id is refused, or,
    with ``merge``, the row is that stored firm. A stored firm the file itself gives
    (with another USCC) does not hold its old one any more.
    """
    if "uscc" not in raw.frame.columns:
        return {}
    ids, uscc = companies["id"], companies["uscc"]
    given = (uscc.notna() & (ids != "")).to_numpy()
    if valid is None:  # which USCCs are valid (known to :func:`_companies`)
        valid = np.zeros(len(uscc), dtype=bool)
        valid[given] = _uscc_valid(uscc[given].to_numpy(dtype=object))
    else:
        valid = valid & given
    pairs = pd.DataFrame({"id": ids, "uscc": uscc})[valid]
    pairs = pairs[~pairs.duplicated()]  # one firm given twice: duplicate-id says so
    dup = pairs["uscc"].duplicated(keep="first")
    if dup.any():
        first = pairs.groupby("uscc")["id"].transform("first")
        line = pd.Series(raw.lines, index=ids.index)[pairs.index]
        first_line = line.groupby(pairs["uscc"]).transform("first")
        mask = pd.Series(False, index=ids.index)
        mask[pairs.index[dup.to_numpy()]] = True
        problems.rows("duplicate-uscc", raw, mask.to_numpy(), "uscc",
                      _("firm {id} has the USCC of firm {other} (line {line}): one firm, "
                        "one USCC"),
                      value=_col(raw, "uscc"), id=ids,
                      other=first.reindex(ids.index, fill_value=""),
                      line=first_line.reindex(ids.index, fill_value=0))
    if holders is None or pairs.empty:
        return {}
    held = holders(set(pairs["uscc"].tolist()))
    if not held:
        return {}
    owner = pairs["uscc"].map(held)
    clash = owner.notna() & (owner != pairs["id"]) & ~owner.isin(set(ids.tolist()))
    if not clash.any():
        return {}
    if merge:
        return dict(zip(pairs["id"][clash], owner[clash], strict=True))
    mask = pd.Series(False, index=ids.index)
    mask[pairs.index[clash.to_numpy()]] = True
    problems.rows("duplicate-uscc", raw, mask.to_numpy(), "uscc",
                  _("firm {id} has the USCC of the workspace's firm {other}: give that id, "
                    "or import with --merge-by-uscc to read the row as that firm"),
                  value=_col(raw, "uscc"), id=ids, other=owner.reindex(ids.index, fill_value=""))
    return {}


def _unique_ids(raw: RawTable, ids: pd.Series, column: str, problems: _Problems) -> None:
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        first = pd.Series(raw.lines, index=ids.index).groupby(ids).transform("first")
        problems.rows("duplicate-id", raw, dup, column,
                      _("duplicate id (first on line {line})"), value=ids, line=first)


def _blank(raw: RawTable, column: str, problems: _Problems) -> pd.Series:
    s = _col(raw, column)
    problems.rows("missing-value", raw, s == "", column, _required(column))
    return s


def _half_width(text: str) -> str:
    """``text`` with full-width letters, digits and signs half-width (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def _number(raw: RawTable, column: str, problems: _Problems, integer: bool) -> pd.Series:
    if column not in raw.frame.columns:  # nothing to parse: every value blank
        return pd.Series(np.nan, index=raw.frame.index,
                         dtype="Int64" if integer else "float64")
    s = _col(raw, column)
    num = pd.to_numeric(s.where(s != ""), errors="coerce").astype("float64")
    # only cells that are no number as they stand lose their thousands separators and
    # their full-width digits (５０, １，２３４: typed with a Chinese input method on)
    retry = (s != "").to_numpy() & np.isnan(num.to_numpy(na_value=np.nan))
    if retry.any():
        s = s.copy()
        s[retry] = s[retry].map(_half_width).str.replace(",", "", regex=False)
        num = num.copy()
        num[retry] = pd.to_numeric(s[retry].where(s[retry] != ""),
                                   errors="coerce").astype("float64")
    given = (s != "").to_numpy()
    finite = np.isfinite(num.to_numpy(na_value=np.nan))
    bad = given & ~(finite & (num >= 0).to_numpy())
    problems.rows("bad-number", raw, bad, column,
                  _("not a whole number ≥ 0") if integer else _("not a finite number ≥ 0"))
    if integer:
        # whole, and small enough to be exact (a float holds every integer up to 2^53)
        frac = given & ~bad & ((num % 1 != 0) | (num > 2**53)).to_numpy()
        problems.rows("bad-number", raw, frac, column,
                      _("not a whole number ≥ 0 (up to 9,007,199,254,740,992)"))
        return num.where(~(bad | frac)).astype("Int64")
    return num.where(~bad).astype("float64")


def _mapped(raw: RawTable, column: str, parse: Callable[[str], object],
            problems: _Problems, code: str, reason: str) -> pd.Series:
    if column not in raw.frame.columns:  # nothing to parse: every value blank
        return pd.Series([parse("")] * len(raw.frame), dtype=object)
    s = _col(raw, column)
    table: dict[str, object] = {}
    bad_values = set()
    for v in s.unique():
        try:
            table[v] = parse(v)
        except ValueError:
            bad_values.add(v)
    problems.rows(code, raw, s.isin(bad_values), column, reason)
    return s.map(lambda v: table.get(v)).astype(object)


_USCC_WEIGHTS = np.array((1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
                         dtype=np.int32)
_USCC_VALUE = np.full(128, -1, dtype=np.int8)  # ASCII code point -> value in the alphabet
_USCC_VALUE[[ord(c) for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"]] = np.arange(31)


def _uscc_valid(codes: np.ndarray) -> np.ndarray:
    """Which of ``codes`` (cleaned, upper-case strings) are valid USCCs, vectorised.

    Only a fast path: a code it rejects is checked again by python-stdnum (which
    gives the reason); one it accepts is one stdnum accepts (18 characters, eight
    digits then the GB 32100 alphabet, check digit right).
    """
    ok = np.zeros(len(codes), dtype=bool)
    lengths = np.fromiter(map(len, codes), dtype=np.int64, count=len(codes))
    idx = np.flatnonzero(lengths == 18)
    for start in range(0, len(idx), 200_000):  # bounded memory on big tables
        part = idx[start:start + 200_000]
        points = np.array(codes[part].tolist(), dtype="<U18").view(np.uint32).reshape(-1, 18)
        values = _USCC_VALUE[np.minimum(points, 127)].astype(np.int32)
        values[points > 127] = -1
        good = (values >= 0).all(axis=1) & (values[:, :8] <= 9).all(axis=1)
        check = (31 - values[:, :17] @ _USCC_WEIGHTS) % 31
        ok[part] = good & (check == values[:, 17])
    return ok


def _uscc_reason(code: str) -> str | None:
    """Why ``code`` is no USCC, in the current language; ``None`` for a valid one.

    python-stdnum's exception is mapped to our words: its own English never reaches a
    person.
    """
    return _uscc_reasons([code])[code]


def _uscc_reasons(codes: Iterable[str]) -> dict[str, str | None]:
    """:func:`_uscc_reason` of each of ``codes``, the reasons translated once."""
    length = _("a USCC has 18 characters, this has {length}")
    checksum = _("not a valid USCC: the check digit is wrong")
    characters = _("not a valid USCC: wrong characters for GB 32100-2015")
    out: dict[str, str | None] = {}
    for code in codes:
        try:
            _uscc.validate(code)
            out[code] = None
        except InvalidLength:
            out[code] = length.format(length=len(code))
        except InvalidChecksum:
            out[code] = checksum
        except ValidationError:
            out[code] = characters
    return out


def _companies(raw: RawTable, problems: _Problems) -> tuple[pd.DataFrame, np.ndarray]:
    """The firms, and which of them have a valid USCC."""
    uscc = _col(raw, "uscc")
    # codes valid as written need no cleaning (upper case, no spaces or hyphens)
    dirty = (uscc != "").to_numpy() & ~_uscc_valid(uscc.to_numpy(dtype=object))
    if dirty.any():
        uscc = uscc.copy()
        uscc[dirty] = uscc[dirty].map(_half_width).str.upper().str.replace(r"[\s-]", "",
                                                                            regex=True)
    ids = _col(raw, "id")
    ids = ids.where(ids != "", uscc)
    no_id = ids == ""
    problems.rows("missing-value", raw, no_id, "id" if "id" in raw.frame.columns else "uscc",
                  _("no id and no uscc: one of them is needed"), value=ids)
    _unique_ids(raw, ids, "id" if "id" in raw.frame.columns else "uscc", problems)
    codes = uscc.to_numpy(dtype=object)
    suspect = np.zeros(len(codes), dtype=bool)
    suspect[dirty] = (codes[dirty] != "") & ~_uscc_valid(codes[dirty])
    bad = pd.Series(None, index=uscc.index, dtype=object)
    if suspect.any():  # stdnum says why
        reasons = _uscc_reasons(pd.unique(codes[suspect]))
        bad[suspect] = [reasons[v] for v in codes[suspect]]
    problems.rows("bad-uscc", raw, bad.notna(), "uscc", bad.fillna(""), value=_col(raw, "uscc"))

    prov, city, dist = _col(raw, "province"), _col(raw, "city"), _col(raw, "district")
    problems.rows("missing-value", raw, prov == "", "province", _required("province"))
    # locate each distinct (province, city, district) once; rows take theirs by code
    codes, keys = _factorize3(prov, city, dist)
    found: list[regions.Region | None] = []
    failed: list[RegionError | None] = []
    for p, c, d in keys:
        region_or_error: regions.Region | RegionError | None = None
        if p:
            try:
                region_or_error = regions.locate(p, c or None, d or None)
            except RegionError as exc:
                region_or_error = exc
        found.append(region_or_error if isinstance(region_or_error, regions.Region) else None)
        failed.append(region_or_error if isinstance(region_or_error, RegionError) else None)
    for field_name in ("province", "city", "district"):
        msgs = np.array([str(e) if e is not None and (e.field or "province") == field_name
                         else None for e in failed], dtype=object)
        if any(m is not None for m in msgs):
            m = pd.Series(msgs[codes], dtype=object)
            problems.rows("unknown-region", raw, m.notna(), field_name, m.fillna(""))

    ok = np.array([r is not None for r in found], dtype=bool)[codes]

    def pick(attr: str) -> pd.Series:
        per_key = np.array([getattr(r, attr) if r is not None else None for r in found],
                           dtype=object)
        return pd.Series(per_key[codes]).where(pd.Series(ok), None)

    name = _col(raw, "name")
    valid = (uscc != "").to_numpy(dtype=bool) & ~suspect
    return pd.DataFrame({
        "id": ids,
        "name": name.where(name != "", ids),
        "uscc": uscc.where(uscc != "", None),
        "province": pick("province"),
        "city": pick("city"),
        "district": pick("district"),
        "region_code": pick("code"),
        "province_code": pick("province_code"),
        "city_code": pick("city_code"),
        "in_park": _mapped(raw, "in_park", parse_bool, problems, "bad-bool",
                           _("not a yes/no value (1/0, true/false, yes/no, 是/否)")),
        "employees": _number(raw, "employees", problems, integer=True),
        "revenue": _number(raw, "revenue", problems, integer=False),
        **_registry(raw, problems),
        "extra": _extra(raw),
    }), valid


def _factorize3(a: pd.Series, b: pd.Series, c: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct (a, b, c) triples, and the triples in order of appearance.

    As ``pd.MultiIndex.from_arrays([a, b, c]).factorize()``, from each column's own
    codes (no tuple per row).
    """
    ca, ua = pd.factorize(a)
    cb, ub = pd.factorize(b)
    cc, uc = pd.factorize(c)
    joint = (ca.astype(np.int64) * len(ub) + cb) * len(uc) + cc
    codes, uniques = pd.factorize(joint)
    keys = [(ua[j // (len(ub) * len(uc))], ub[j // len(uc) % len(ub)], uc[j % len(uc)])
            for j in uniques.tolist()]
    return codes, keys


#: Industry columns, most specific first: of several, the first non-empty one counts.
_INDUSTRY = ("industry_class", "industry_group", "industry_division", "industry",
             "industry_section")


def _filled(values: pd.Series, value: str) -> pd.Series:
    """``values.fillna(value)``, every blank holding the one ``value`` object.

    pandas' ``fillna`` writes a new string per blank cell: for the three million links of
    a province, each ``confirmed`` by default, that is 170 MB of equal strings held
    through the whole import (its peak memory).

    >>> filled = _filled(pd.Series(["suggested", None, None], dtype=object), "confirmed")
    >>> filled.tolist(), filled[1] is filled[2]
    (['suggested', 'confirmed', 'confirmed'], True)
    """
    out = values.to_numpy(dtype=object, copy=True)
    out[pd.isna(out)] = value
    return pd.Series(out, index=values.index, dtype=object)


def _text(raw: RawTable, column: str) -> pd.Series:
    """A text column, blank as ``None``."""
    if column not in raw.frame.columns:
        return pd.Series(np.full(len(raw.frame), None, dtype=object), index=raw.frame.index)
    s = _col(raw, column)
    return s.where(s != "", None).astype(object)


def _date(raw: RawTable, column: str, problems: _Problems) -> pd.Series:
    from ..dates import DATE_FORMS, parse_cell_date

    return _mapped(raw, column, lambda v: parse_cell_date(v, column), problems,
                   "bad-date", _("not a date ({forms})").format(forms=_(DATE_FORMS)))


def _registry(raw: RawTable, problems: _Problems) -> dict[str, pd.Series | str]:
    """The v2 columns of a firm.

    Status (the registry's word kept), address, main products, scope, industry,
    registered capital (万元), founded, source, as of.
    """
    given = _col(raw, "status")
    status = _mapped(raw, "status", parse_firm_status, problems, "bad-status",
                     _("not a firm status: active/closed, or a registry word such as "
                       "存续, 在业, 注销, 吊销"))
    word = pd.Series([None] * len(raw.frame), dtype=object) \
        if "status" not in raw.frame.columns else \
        given.where(~given.str.lower().isin(("", "active", "closed")), None)
    if "status_raw" in raw.frame.columns:  # a chainmap export: the word as it was kept
        kept = _col(raw, "status_raw")
        word = kept.where(kept != "", word)
    industry = pd.Series([None] * len(raw.frame), dtype=object)
    for column in reversed(_INDUSTRY):
        if column not in raw.frame.columns:
            continue
        s = _col(raw, column)
        industry = s.where(s != "", industry)
    return {
        "status": _filled(status, "active"),
        "status_raw": word.astype(object),
        "address": _text(raw, "address"),
        "main_products": _text(raw, "main_products"),
        "scope": _text(raw, "scope"),
        "industry": industry.where(industry != "", None).astype(object),
        "registered_capital": _number(raw, "registered_capital", problems, integer=False),
        "founded": _date(raw, "founded", problems),
        "source": _text(raw, "source"),
        "as_of": _date(raw, "as_of", problems),
    }


def _words(raw: RawTable, column: str) -> pd.Series:
    """A list cell (``伺服电机；伺服驱动器|减速器``) stored ``;``-joined, blank as None.

    ``、`` does not separate: it is part of catalogue phrases (制冷、空调设备制造).
    """
    def join(cell: str) -> str | None:
        words = list(dict.fromkeys(w.strip() for w in _WORDS.split(cell) if w.strip()))
        return ";".join(words) or None

    s = _col(raw, column)
    return s.map(join).astype(object)


def _chains_frame(raw: RawTable | None, problems: _Problems) -> pd.DataFrame:
    if raw is None:
        return pd.DataFrame({"id": [], "name": [], "name_en": [], "extra": []}, dtype=object)
    ids = _blank(raw, "id", problems)
    _unique_ids(raw, ids, "id", problems)
    name = _col(raw, "name")
    return pd.DataFrame({"id": ids, "name": name.where(name != "", ids),
                         "name_en": _col(raw, "name_en").replace("", None),
                         "extra": _extra(raw)})


def _products(raw: RawTable, problems: _Problems) -> pd.DataFrame:
    ids = _blank(raw, "id", problems)
    _unique_ids(raw, ids, "id", problems)
    name = _col(raw, "name")
    return pd.DataFrame({
        "id": ids,
        "name": name.where(name != "", ids),
        "name_en": _col(raw, "name_en").replace("", None),
        "tier": _mapped(raw, "tier", parse_tier, problems, "bad-tier",
                        _("tier must be upstream/midstream/downstream or 上游/中游/下游")),
        "keywords": _words(raw, "keywords"),
        "exclude": _words(raw, "exclude"),
        "industries": _words(raw, "industries"),
        "extra": _extra(raw),
    })


def _references(raw: RawTable, column: str, ids: pd.Series, have: set, known: KnownIds,
                table: str, problems: _Problems, optional: bool = False) -> None:
    blank = ids == ""
    if not optional:
        problems.rows("missing-value", raw, blank, column, _required(column))
    missing = set(ids[~blank].unique()) - have
    if missing:
        missing -= known(table, missing)
    if missing:
        why = (_("unknown product id: not in this dataset's products nor in the workspace")
               if table == "products" else
               _("unknown company id: not in this dataset's companies nor in the workspace"))
        problems.rows("unknown-id", raw, ids.isin(missing), column, why)


def _resolve(raw: RawTable, column: str, values: pd.Series, have: set, own: pd.DataFrame,
             known: KnownIds, table: str, problems: _Problems,
             records: Records | None, optional: bool = False) -> pd.Series:
    """``values`` as ids.

    Each names a record of ``own`` (this dataset's ``table``, ids ``have``) or the
    workspace's by id, or else a firm by USCC or registered name, a product by name
    (looked up once per distinct value, in dicts). Unknown and ambiguous ones are
    problems, with the closest names. A plain-id file costs what it always did: names
    are looked up only for values that are no id.
    """
    # the distinct values first: the rows are looked at only when one is blank
    distinct = set(values.unique().tolist())
    if "" in distinct and not optional:
        problems.rows("missing-value", raw, values == "", column, _required(column))
    missing = distinct - have - {""}
    if missing:
        missing -= known(table, missing)
    if not missing:
        return values
    kind = "product" if table == "products" else "company"
    columns = ["id", "uscc", "name"] if kind == "company" else ["id", "name", "name_en"]
    frames = [own[columns]]
    if records is not None:
        frames.insert(0, records(table)[columns])
    refs = References(kind, pd.concat(frames, ignore_index=True))
    found, why = refs.resolve(missing)
    if why:
        reasons = values.map(why)
        several = values.isin(refs.ambiguous).to_numpy()
        problems.rows("ambiguous-name", raw, several, column, reasons.fillna(""))
        problems.rows("unknown-id", raw, reasons.notna().to_numpy() & ~several, column,
                      reasons.fillna(""))
    return values.map(found).fillna(values) if found else values


def validate(tables: dict[str, RawTable], known: KnownIds | None = None,
             known_chains: dict[str, str] | None = None,
             records: Records | None = None, holders: Holders | None = None,
             merge_by_uscc: bool = False) -> Dataset:
    """Check every table and return the normalised :class:`Dataset`.

    Parameters
    ----------
    tables
        Raw tables from :func:`chainmap.io.read_dataset`.
    known
        Tells which referenced ids the workspace already holds; references to those
        are allowed. ``None`` means an empty workspace.
    known_chains
        Chain names already in the workspace (name -> id), so that ``products.chains``
        may give a chain's name (智能家电) instead of its id.
    records
        The workspace's ``companies`` or ``products`` table (``Workspace._table``), so
        that capabilities and supplies may name a stored firm by USCC or registered name
        and a stored product by name; read only when a value is no id.
    holders
        The stored firm holding each USCC (:data:`Holders`): a firm of the file with a
        USCC another stored firm holds is a ``duplicate-uscc`` problem, unless
        ``merge_by_uscc``.
    merge_by_uscc
        Read such a firm as the stored one: its id is replaced by the stored firm's in
        every table of the dataset (:attr:`Dataset.merged`).

    Raises
    ------
    DatasetError
        With every problem found (capped), each naming file, line, column and value.
    """
    known = known or (lambda table, ids: set())
    problems = _Problems()
    for raw_table in tables.values():
        _clean(raw_table, problems)
    chains = _chains_frame(tables.get("chains"), problems)
    products = _products(tables["products"], problems)
    companies, valid = _companies(tables["companies"], problems)
    merged = _usccs(tables["companies"], companies, holders, merge_by_uscc, problems, valid)
    if merged:
        companies = companies.assign(id=companies["id"].replace(merged))
        # a stored firm the file gives twice (once by its id, once by its USCC)
        _unique_ids(tables["companies"], companies["id"],
                    "id" if "id" in tables["companies"].frame.columns else "uscc", problems)

    # products.chains: ids (or names) of chains, split on ; or |
    raw_p = tables["products"]
    by_name = dict(known_chains or {})
    by_name.update(dict(zip(chains["name"], chains["id"], strict=False)))
    chain_ids = set(chains["id"])
    pairs: list[tuple[str, str]] = []
    for pid, cell in zip(products["id"], _col(raw_p, "chains"), strict=False):
        for token in _SPLIT.split(cell):
            token = token.strip()
            if token:
                cid = token if token in chain_ids else by_name.get(token, token)
                pairs.append((pid, cid))
    product_chains = pd.DataFrame(pairs, columns=["product_id", "chain_id"]).drop_duplicates()
    new_chains = sorted(set(product_chains["chain_id"]) - chain_ids
                        - set((known_chains or {}).values()))
    if new_chains:
        chains = pd.concat([chains, pd.DataFrame({"id": new_chains, "name": new_chains,
                                                  "name_en": None, "extra": None})],
                           ignore_index=True)

    product_ids = set(products["id"].tolist())
    company_ids = set(companies["id"].tolist()) | set(merged)
    inputs = pd.DataFrame({"upstream": [], "downstream": []}, dtype=object)
    if "inputs" in tables:
        raw = tables["inputs"]
        up, down = _col(raw, "upstream"), _col(raw, "downstream")
        _references(raw, "upstream", up, product_ids, known, "products", problems)
        _references(raw, "downstream", down, product_ids, known, "products", problems)
        inputs = pd.DataFrame({"upstream": up, "downstream": down}).drop_duplicates()
    caps = pd.DataFrame({c: [] for c in TABLE_COLUMNS["capabilities"]}, dtype=object)
    if "capabilities" in tables:
        raw = tables["capabilities"]
        c, p = _col(raw, "company"), _col(raw, "product")
        c = _resolve(raw, "company", c, company_ids, companies, known, "companies",
                     problems, records)
        p = _resolve(raw, "product", p, product_ids, products, known, "products",
                     problems, records)
        if merged:
            c = c.replace(merged)
        caps = pd.DataFrame({
            "company_id": c, "product_id": p,
            "status": _filled(_mapped(raw, "status", _choice(LINK_STATUS), problems,
                                      "bad-status", _("not a link status: confirmed, "
                                                      "suggested or rejected")),
                              "confirmed"),
            "evidence": _mapped(raw, "evidence", _choice(EVIDENCE), problems,
                                "bad-evidence",
                                _("not an evidence grade: strong, medium or weak")),
            "source": _text(raw, "source"), "field": _text(raw, "field"),
            "text": _text(raw, "text"),
        })
        caps = _last_of_each(caps, "company_id", "product_id")
    supplies = pd.DataFrame({"supplier_id": [], "customer_id": [], "product_id": []}, dtype=object)
    if "supplies" in tables:
        raw = tables["supplies"]
        s, c, p = _col(raw, "supplier"), _col(raw, "customer"), _col(raw, "product")
        s = _resolve(raw, "supplier", s, company_ids, companies, known, "companies",
                     problems, records)
        c = _resolve(raw, "customer", c, company_ids, companies, known, "companies",
                     problems, records)
        p = _resolve(raw, "product", p, product_ids, products, known, "products",
                     problems, records, optional=True)
        if merged:
            s, c = s.replace(merged), c.replace(merged)
        problems.rows("self-supply", raw, (s == c) & (s != ""), "customer",
                      _("a firm cannot supply itself"))
        supplies = pd.DataFrame({"supplier_id": s, "customer_id": c,
                                 "product_id": p.where(p != "", None)}).drop_duplicates()
    problems.raise_if_any()
    updates = {
        "chains": _given(tables.get("chains"), {"name": ("name",), "name_en": ("name_en",)}),
        "products": _given(raw_p, {"name": ("name",), "name_en": ("name_en",),
                                   "tier": ("tier",), "keywords": ("keywords",),
                                   "exclude": ("exclude",), "industries": ("industries",)}),
        "companies": _given(tables["companies"], {
            "name": ("name",), "uscc": ("uscc",), "province": _LOCATION,
            "in_park": ("in_park",), "employees": ("employees",), "revenue": ("revenue",),
            "status": ("status", "status_raw"), "status_raw": ("status_raw",),
            "address": ("address",), "main_products": ("main_products",),
            "scope": ("scope",), **{c: ("industry",) for c in _INDUSTRY},
            "registered_capital": ("registered_capital",), "founded": ("founded",),
            "source": ("source",), "as_of": ("as_of",)}),
        # a link a file states is confirmed unless the file says otherwise
        "capabilities": ("status", *(c for c in _given(tables.get("capabilities"), {
            c: (c,) for c in ("evidence", "source", "field", "text")}) if c != "extra")),
    }
    chains_given = set(products["id"]) if "chains" in raw_p.frame.columns else set()
    return Dataset(chains, products, product_chains, inputs, companies, caps, supplies,
                   updates=updates, chains_given=chains_given, merged=merged)


_LOCATION = regions.LOCATION_COLUMNS


def _last_of_each(frame: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """``frame.drop_duplicates([first, second], keep="last")`` with a fresh index.

    A file sorted by the two columns (strictly increasing pairs: no pair twice, the
    usual case) is returned as it is without hashing its pairs: at 3M links that costs
    about a second and the import's peak memory.
    """
    if len(frame) > 1:
        a = frame[first].to_numpy(dtype=object)
        b = frame[second].to_numpy(dtype=object)
        try:
            a0, a1 = a[:-1], a[1:]
            increasing = bool(((a0 < a1) | ((a0 == a1) & (b[:-1] < b[1:]))).all())
        except TypeError:  # a missing value among them (a problem reported anyway)
            increasing = False
        if increasing:
            return frame.reset_index(drop=True)
    return frame.drop_duplicates([first, second], keep="last").reset_index(drop=True)


def _given(raw: RawTable | None, fields: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The stored columns that ``raw``'s header gives (``extra`` when it has extras)."""
    if raw is None:
        return ()
    out: list[str] = []
    for header, columns in fields.items():
        if header in raw.frame.columns:
            out.extend(columns)
    if raw.extras:
        out.append("extra")
    return tuple(out)
