r"""Read a firm list (an office sheet or a registry export) into normalised firm records.

A *firm list* is one sheet of companies alone (DATA_FORMAT v2): a CSV file in UTF-8,
UTF-8 with BOM or GB18030/GBK, or any sheet of an ``.xlsx`` workbook. This module only
reads and normalises; it writes nothing. :func:`read_firm_list` returns every problem
found (a :class:`~chainmap.errors.Finding` each, in the contract's
``file:line: column 'x': value 'y': reason`` form) and raises only for a file that
cannot be read at all; the caller raises ``DatasetError(firms.problems)`` so that an
import stays all or nothing.

Headers
    Matched case-insensitively after trimming, full-width folded (NFKC), in English
    and the Chinese of office sheets and registry exports (企查查, 天眼查, 启信宝): see
    :data:`HEADER_ALIASES`. A money or head-count header may carry its unit in
    brackets: ``注册资本(万元)``, ``注册资本（亿元）``, ``营业收入(元)``, ``参保人数(人)``.
    The header is the first row, among the first 20, that names a firm column
    (企业名称, name, 统一社会信用代码 ...): title rows above it are skipped with a
    warning. Unknown columns are kept, per row, in the ``extra`` dict. When two columns
    give one field (注册地址 and 通信地址), the alias listed first wins and the other is
    kept in ``extra``, with a warning.
Regions
    From ``province``/``city``/``district`` when the province is filled (as
    :func:`chainmap.regions.locate`); else from a combined cell (所在地区:
    "安徽省马鞍山市当涂县", "浙江省/湖州市/长兴县", "江苏省 苏州市 吴江区", "芜湖市鸠江区",
    which must be all place); else from the city and district cells run together; else
    from the start of the address ("安徽省芜湖市鸠江区电子产业园8号", "嘉定区安亭镇..."
    when the name is unique), by :func:`chainmap.regions.parse_place`. An unknown or
    ambiguous place (the message lists the matches) or a firm with no region is a
    problem (``unknown-region``, ``missing-value``).
Values
    Full-width letters, digits and spaces are folded (NFKC) in ids, USCCs, numbers and
    dates. Placeholder cells of registry exports (``-``, ``--``, ``/``, ``暂无``, ``无``,
    ``N/A``) are blank. See :func:`parse_amount`, :func:`parse_count`,
    :func:`chainmap.dates.parse_cell_date` (dates, Excel date numbers too),
    :func:`parse_status` and :func:`firm_id`.

The frame has the columns :data:`FIRM_COLUMNS`, in that order.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "园区企业.csv").write_bytes(
...     "企业名称,所在地区,注册资本,登记状态\n"
...     "马鞍山恒冷压缩机有限公司,安徽省马鞍山市当涂县,5000万,存续\n".encode("gbk"))
>>> firms = read_firm_list(folder / "园区企业.csv")
>>> firms
FirmList('园区企业.csv': 1 firm(s), 0 problem(s), 0 warning(s))
>>> row = firms.frame.iloc[0]
>>> row = row.to_dict()
>>> row["id"], row["district"], row["region_code"], float(row["registered_capital"])
('n-...', '当涂县', '340521', 5000.0)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import regions
from ..dates import DATE_FORMS, parse_cell_date
from ..errors import DatasetError, Problem, RegionError
from ..i18n import _, join, label
from ..io.read import (
    HEAD_ROWS,
    WORKBOOKS,
    _old_workbook,
    _open_book,
    check_limits,
    csv_cells,
    exact_repeats,
    header_row,
    repeated_rows_warnings,
    require_file,
    sheet_cells,
    skipped_title_rows,
)
from ..io.validate import _uscc_reasons, _uscc_valid, parse_bool
from ..names import firm_keys, same_legal_form, split_firm_name
from ..text import BAD_ID

__all__ = [
    "FIRM_COLUMNS",
    "HEADER_ALIASES",
    "STATUS_WORDS",
    "FirmList",
    "firm_id",
    "match_firms",
    "parse_amount",
    "parse_count",
    "parse_status",
    "read_firm_list",
]

#: The columns of :attr:`FirmList.frame`, in order. ``province``, ``city``,
#: ``district`` are region names and ``region_code`` the GB/T 2260 code of the most
#: specific one; ``status`` is ``active`` or ``closed`` and ``status_raw`` the
#: registry's own word; ``registered_capital`` and ``revenue`` are in 万元 (float);
#: ``registered_capital_text`` holds a foreign-currency capital as written (its value
#: is then empty); ``employees`` is an integer (Int64); ``founded`` an ISO date;
#: ``in_park`` a bool; ``extra`` a dict of the unknown columns (header -> cell, a blank
#: cell ``None``), or ``None`` when the file has none. Blank cells are ``None``.
FIRM_COLUMNS: tuple[str, ...] = (
    "id", "name", "uscc", "province", "city", "district", "region_code", "address",
    "status", "status_raw", "main_products", "scope", "industry", "registered_capital",
    "registered_capital_text", "revenue", "employees", "founded", "in_park", "extra")

#: The headers each field accepts besides its English name (the key), best first.
#: ``region`` is a combined region cell; ``industry_section`` ... ``industry_class``
#: are the GB/T 4754 levels 门类, 大类, 中类, 小类: of the industry columns, the most
#: specific non-empty one gives ``industry`` (小类, 中类, 大类, then a plain 国标行业 /
#: 所属行业 column, then 门类).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("编号", "企业编号"),
    "name": ("企业名称", "公司名称", "名称", "企业(机构)名称", "企业全称", "单位名称"),
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码"),
    "province": ("省份", "所属省份"),
    "city": ("城市", "所属城市"),
    "district": ("区县", "所属区县"),
    "region": ("所在地区", "地区", "所属地区", "注册地", "所在地"),
    "address": ("企业地址", "注册地址", "地址", "住所", "通信地址"),
    "status": ("登记状态", "经营状态", "企业状态"),
    "main_products": ("主营产品", "主要产品", "主导产品"),
    "scope": ("经营范围",),
    "industry": ("国标行业", "所属行业", "行业"),
    "industry_section": ("国标行业门类", "行业门类", "门类"),
    "industry_division": ("国标行业大类", "行业大类", "大类"),
    "industry_group": ("国标行业中类", "行业中类", "中类"),
    "industry_class": ("国标行业小类", "行业小类", "小类"),
    "registered_capital": ("注册资本",),
    "revenue": ("营业收入", "营收"),
    "employees": ("员工人数", "参保人数", "从业人数"),
    "founded": ("成立日期", "注册日期", "成立时间"),
    "in_park": ("是否入园",),
}

#: Registration-status words (登记状态/经营状态) by the status they mean. A cell is
#: ``closed`` when it holds a closed word anywhere ("吊销，未注销"), else ``active`` when
#: it holds an active word ("存续（在营、开业、在册）"); ``active``/``closed`` themselves
#: are accepted; a blank cell is ``active``.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "closed": ("注销", "吊销", "撤销", "责令关闭", "歇业", "清算", "迁出", "停业"),
    "active": ("存续", "在业", "正常", "开业", "在营", "在册"),
}

_INDUSTRY_ORDER = ("industry_class", "industry_group", "industry_division", "industry",
                   "industry_section")
_MONEY_UNITS = {"万元人民币": 1.0, "万人民币": 1.0, "万元": 1.0, "万": 1.0, "亿元": 1e4,
                "亿": 1e4, "元": 1e-4}
_HEAD_ROWS = HEAD_ROWS
_BLANKS = frozenset({"-", "--", "---", "—", "——", "/", "无", "暂无", "n/a", "na", "null",
                     "none", "nan", "N/A", "NA", "NULL", "None", "NaN"})
_BAD = object()  # a cell that does not parse


def _key(header: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(header)).split()).lower()


def _alias_index() -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for name, aliases in HEADER_ALIASES.items():
        for rank, alias in enumerate((name, *aliases)):
            index.setdefault(_key(alias), (name, rank))
    return index


_ALIASES = _alias_index()
_UNIT = re.compile(r"^(.+?)\((万元人民币|万人民币|万元|万|亿元|亿|元|人)\)$")


def _field(header: str) -> tuple[str, int, float] | None:
    """(field, rank, unit factor) for a header, or ``None`` for an extra column."""
    key = _key(header)
    if key in _ALIASES:
        name, rank = _ALIASES[key]
        return name, rank, 1.0
    unit = _UNIT.match(key)
    if unit and unit.group(1) in _ALIASES:
        name, rank = _ALIASES[unit.group(1)]
        if name in ("registered_capital", "revenue") and unit.group(2) in _MONEY_UNITS:
            return name, rank, _MONEY_UNITS[unit.group(2)]
        if name == "employees" and unit.group(2) == "人":
            return name, rank, 1.0
    return None


# -- cell parsers ------------------------------------------------------------------------

_AMOUNT = re.compile(r"(?:人民币|rmb|cny)?(\d+(?:\.\d+)?)(亿|万|千)?(元)?(?:人民币|rmb|cny)?")
_FOREIGN = re.compile(r"\d(?:亿|万|千)?(?:美元|美金|港元|港币|欧元|日元|英镑|澳元|澳门元"
                      r"|新台币|台币|加元|加拿大元|新加坡元|瑞士法郎|韩元|卢布"
                      r"|usd|hkd|eur|jpy|gbp|aud|cad|sgd|chf|twd)")
_SCALE = {"亿": 1e4, "万": 1.0, "千": 0.1}


def parse_amount(text: str, unit: float = 1.0) -> tuple[float | None, str | None]:
    """An amount of money in 万元, or the text of a foreign-currency amount.

    Parameters
    ----------
    text
        A cell: "5000万", "5000万元", "5000万元人民币", "1.2亿", "3,000万元", "800000元"
        or a plain number, which is in ``unit`` 万元 (1 unless the header gave a unit).
    unit
        What a plain number is worth in 万元.

    Returns
    -------
    (value, foreign)
        ``(value, None)`` for an amount in CNY; ``(None, text)`` for one in another
        currency (not converted); ``(None, None)`` for a blank cell.

    Raises
    ------
    ValueError
        For a cell that is not an amount.

    Examples
    --------
    >>> parse_amount("5000万"), parse_amount("1.2亿"), parse_amount("３,０００万元")
    ((5000.0, None), (12000.0, None), (3000.0, None))
    >>> parse_amount("500"), parse_amount("800000元"), parse_amount("2", unit=1e4)
    ((500.0, None), (80.0, None), (20000.0, None))
    >>> parse_amount("50万美元")
    (None, '50万美元')
    """
    raw = str(text).strip()
    flat = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", raw)).lower()
    if not flat or raw in _BLANKS:
        return None, None
    found = _AMOUNT.fullmatch(flat)
    if found:
        number, scale, yuan = float(found.group(1)), found.group(2), found.group(3)
        if scale:
            return round(number * _SCALE[scale], 6), None
        return round(number * (1e-4 if yuan else unit), 6), None
    if _FOREIGN.search(flat):
        return None, raw
    raise ValueError(raw)


def parse_count(text: str) -> int | None:
    """A head count: "50", "50人", "１２０" -> int; blank -> ``None``.

    >>> parse_count("50人"), parse_count("1,200"), parse_count("")
    (50, 1200, None)
    """
    raw = str(text).strip()
    flat = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", raw))
    if not flat or raw in _BLANKS:
        return None
    found = re.fullmatch(r"(\d+)(?:\.0+)?人?", flat)
    if not found:
        raise ValueError(raw)
    return int(found.group(1))


def parse_status(text: str) -> tuple[str, str | None]:
    """``(status, word)``: ``active`` or ``closed`` and the registry's own word.

    >>> parse_status("存续（在营、开业、在册）"), parse_status("吊销，未注销")
    (('active', '存续（在营、开业、在册）'), ('closed', '吊销，未注销'))
    >>> parse_status("")
    ('active', None)
    """
    raw = str(text).strip()
    if not raw or raw in _BLANKS:
        return "active", None
    if raw.lower() in ("active", "closed"):
        return raw.lower(), raw
    for status in ("closed", "active"):
        if any(word in raw for word in STATUS_WORDS[status]):
            return status, raw
    raise ValueError(raw)


def firm_id(name: str) -> str:
    """The stable id of a firm known only by its registered name.

    ``n-`` and 12 hex digits of the SHA-1 of :func:`chainmap.names.normalize_name` and
    the legal form (:func:`chainmap.names.legal_form`): the same on every run and
    machine, two spellings of one name give one id, and two legal forms of one name
    (集团有限公司, 股份有限公司: two firms) two ids. For 有限公司 (or no form) the SHA-1
    is of the normalised name alone, as before legal forms counted, so those ids stay.

    >>> firm_id("奥克斯空调（马鞍山）有限公司") == firm_id("奥克斯空调(马鞍山) 有限责任公司")
    True
    >>> firm_id("恒粘新材料集团有限公司") == firm_id("恒粘新材料股份有限公司")
    False
    >>> firm_id("奥克斯空调（马鞍山）有限公司")
    'n-...'
    """
    return _name_id(*split_firm_name(name))


def _name_id(normalized: str, form: str = "") -> str:
    key = normalized if form in ("", "有限公司") else normalized + "\x1f" + form
    return "n-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# -- the record ----------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class FirmList:
    """A firm list as read: normalised firms, every problem found, and warnings.

    Attributes
    ----------
    frame
        One row per firm of the file, the columns :data:`FIRM_COLUMNS`.
    problems
        Every problem found (:class:`~chainmap.errors.Finding`, severity ``error``); the
        caller raises ``DatasetError(problems)`` when there are any.
    warnings
        Things imported but worth saying (a foreign-currency capital, title rows).
    source
        The file name (``file.xlsx[sheet]`` for a workbook).
    lines
        The file line (Excel row) of each row of ``frame``.
    given
        The columns of :data:`FIRM_COLUMNS` that the file gives: a refresh should
        leave the other fields of a stored firm as they are.
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    lines: np.ndarray = field(default_factory=lambda: np.arange(0))
    given: tuple[str, ...] = ()

    def __repr__(self) -> str:
        """``FirmList('file.csv': 3 firm(s), 0 problem(s), 1 warning(s))``."""
        return (f"FirmList({self.source!r}: {len(self.frame)} firm(s), "
                f"{len(self.problems)} problem(s), {len(self.warnings)} warning(s))")


# -- reading the cells ---------------------------------------------------------------------

def _names_firm(cell: str) -> bool:
    """Whether a header cell names a firm column (name or USCC)."""
    found = _field(cell)
    return found is not None and found[0] in ("name", "uscc")


def _header_row(head: pd.DataFrame) -> int | None:
    """The first row that names a firm column (name or USCC): :func:`header_row`."""
    return header_row(head, _names_firm, _HEAD_ROWS)


def _no_header(source: str) -> DatasetError:
    return DatasetError([Problem(
        "missing-column", _("no firm header: a column 企业名称 (name) or 统一社会信用代码 "
                            "(uscc) in the first {rows} rows").format(rows=_HEAD_ROWS),
        table="companies", source=source)])


def _cells(path: Path, sheet: str | None) -> tuple[pd.DataFrame, np.ndarray, str, int]:
    """The rows of the file or sheet, their line numbers, the source and the header row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame, lines = csv_cells(path)
        check_limits(frame, lines, path.name, "companies")
        if frame.empty:
            raise DatasetError([Problem("empty-file", _("the file is empty (no header row)"),
                                        table="companies", source=path.name)])
        at = _header_row(frame)
        if at is None:
            raise _no_header(path.name)
        return frame, lines, path.name, at
    if suffix == ".et":
        raise DatasetError([Problem("bad-file-type", _old_workbook(path), source=path.name)])
    if suffix not in WORKBOOKS:
        raise DatasetError([Problem("bad-file-type",
                                    _("a firm list is a .csv, .xlsx or .xls file"),
                                    source=path.name)])
    book = _open_book(path)
    try:
        sheets = book.worksheets
        if sheet is not None:
            chosen = [s for s in sheets if s.title.strip() == sheet.strip()]
            if not chosen:
                names = join(f"'{s.title}'" for s in sheets)
                raise DatasetError([Problem("missing-sheet",
                                            _("no sheet named '{sheet}' (the sheets: {names})")
                                            .format(sheet=sheet, names=names),
                                            source=path.name)])
        else:
            chosen = [s for s in sheets
                      if _header_row(sheet_cells(s, max_row=_HEAD_ROWS)[0]) is not None]
            if not chosen and len(sheets) == 1:
                chosen = sheets
            if not chosen:
                raise DatasetError([Problem(
                    "missing-sheet", _("no sheet has a firm header (企业名称, name or "
                                       "统一社会信用代码); give the sheet"), source=path.name)])
        source = f"{path.name}[{chosen[0].title}]"
        frame, lines = sheet_cells(chosen[0])
    finally:
        book.close()
    check_limits(frame, lines, source, "companies")
    if frame.empty:
        raise DatasetError([Problem("empty-file", _("the sheet is empty (no header row)"),
                                    table="companies", source=source)])
    at = _header_row(frame)
    if at is None:
        raise _no_header(source)
    return frame, lines, source, at


# -- the reader ----------------------------------------------------------------------------

class _Sheet:
    """The body of a firm list with its columns mapped to fields, and its problems."""

    def __init__(self, frame: pd.DataFrame, lines: np.ndarray, source: str,
                 header_at: int) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        header = [str(h).strip() for h in frame.iloc[header_at].tolist()]
        header_line = int(lines[header_at])
        body = frame.iloc[header_at + 1:].reset_index(drop=True)
        lines = np.asarray(lines)[header_at + 1:]
        if header_at:
            self.warnings.append(skipped_title_rows(source, header_line, header_at))
        # object columns of stripped str (a list comprehension beats the .str accessor)
        body = pd.DataFrame({k: pd.Series([str(v).strip() for v in col], dtype=object)
                             for k, col in enumerate(body.to_numpy(dtype=object).T)},
                            index=range(len(body)), columns=range(len(header)))
        filled = (body != "").any(axis=1).to_numpy() if len(body.columns) else np.zeros(0, bool)
        self.body = body[filled].reset_index(drop=True)
        self.lines = lines[filled]
        self.columns: dict[str, int] = {}  # field -> column position
        self.headers: dict[str, str] = {}  # field -> header as written
        self.units: dict[str, float] = {}
        self.extras: list[tuple[str, int]] = []  # (header, position)
        candidates: dict[str, list[tuple[int, int, float, str]]] = {}
        for i, h in enumerate(header):
            if not h:
                if (self.body.iloc[:, i] != "").any():
                    self.problems.append(Problem(
                        "bad-header", _("a column with data has no header"), table="companies",
                        source=source, line=header_line, column=f"#{i + 1}", value=""))
                continue
            found = _field(h)
            if found is None:
                self.extras.append((h, i))
            else:
                candidates.setdefault(found[0], []).append((found[1], i, found[2], h))
        also = _("{source}: column '{other}' also gives {field}; '{used}' is used and "
                 "'{other}' kept as an extra column")
        for name, options in candidates.items():
            options.sort()
            i, unit, h = options[0][1:]
            self.columns[name], self.headers[name], self.units[name] = i, h, unit
            for option in options[1:]:
                j, other = option[1], option[3]
                self.extras.append((other, j))
                self.warnings.append(also.format(source=source, other=other, field=name,
                                                 used=h))
        self.extras.sort(key=lambda e: e[1])
        # a row pasted twice (every cell equal) is one firm: taken once, with a warning
        key = next((self.columns[f] for f in ("name", "uscc", "id") if f in self.columns), None)
        repeats = exact_repeats(self.body, key)
        if repeats:
            self.warnings.extend(repeated_rows_warnings(source, repeats, self.lines))
            keep = np.ones(len(self.body), dtype=bool)
            keep[list(repeats)] = False
            self.body = self.body[keep].reset_index(drop=True)
            self.lines = self.lines[keep]

    def __len__(self) -> int:
        return len(self.body)

    def has(self, name: str) -> bool:
        return name in self.columns

    def raw(self, name: str) -> pd.Series:
        """The cells of a field as written (stripped), ``""`` when the column is absent."""
        if name in self.columns:
            return self.body.iloc[:, self.columns[name]]
        return pd.Series([""] * len(self.body), dtype=object)

    def cells(self, name: str) -> pd.Series:
        """The cells of a field, placeholders (``-``, ``暂无`` ...) blanked."""
        s = self.raw(name)
        return s.where(~s.isin(_BLANKS), "")

    def header(self, name: str) -> str:
        """The field's column as the sheet heads it, else the field's own label (省份)."""
        return self.headers.get(name) or label("column", name)

    def add(self, code: str, mask: np.ndarray | pd.Series, name: str,
            reason: str | pd.Series | np.ndarray, value: pd.Series | None = None,
            **fill: pd.Series) -> None:
        """One problem ``code`` on the column of field ``name`` for each row of ``mask``.

        ``reason`` is the message (in the current language) or one per row; with
        ``fill``, its placeholders take each reported row's values of those series.
        """
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(idx):
            return
        values = (self.raw(name) if value is None else value).to_numpy(dtype=object)
        reasons = np.asarray([reason] * len(values) if isinstance(reason, str) else reason,
                             dtype=object)
        filled = {k: np.asarray(v, dtype=object) for k, v in fill.items()}
        header = self.header(name)
        for i in idx:
            why = str(reasons[i])
            if filled:
                why = why.format(**{k: v[i] for k, v in filled.items()})
            self.problems.append(Problem(
                code, why, table="companies",
                source=self.source, line=int(self.lines[i]), column=header,
                value=str(values[i])))


def _per_value(s: pd.Series, parse: Callable[[str], object]) -> np.ndarray:
    """``parse`` applied once per distinct value of ``s``, one item per row.

    An object array; :data:`_BAD` where ``parse`` raises ``ValueError``.
    """
    codes, uniques = pd.factorize(s, sort=False)
    out = np.empty(len(uniques), dtype=object)
    for k, v in enumerate(uniques):
        try:
            out[k] = parse(v)
        except ValueError:
            out[k] = _BAD
    return out[codes] if len(codes) else np.empty(0, dtype=object)


def _nfkc(s: pd.Series) -> pd.Series:
    return pd.Series([unicodedata.normalize("NFKC", v).strip() if v else v for v in s],
                     index=s.index, dtype=object)


def _none(s: pd.Series) -> pd.Series:
    """Blank strings as ``None``."""
    s = s.astype(object)
    return s.where(s != "", None)


def _money(sheet: _Sheet, name: str) -> tuple[pd.Series, pd.Series]:
    """(value in 万元, foreign-currency text) of a money column; problems for bad cells."""
    unit = sheet.units.get(name, 1.0)
    parsed = _per_value(sheet.raw(name), lambda v: parse_amount(v, unit))
    bad = np.array([p is _BAD for p in parsed], dtype=bool)
    sheet.add("bad-number", bad, name,
              _("not an amount in 万元 (5000, 5000万, 1.2亿, 3,000万元)"))
    value = pd.Series([None if b else p[0] for p, b in zip(parsed, bad)], dtype="float64")
    foreign = pd.Series([None if b else p[1] for p, b in zip(parsed, bad)], dtype=object)
    return value, foreign


def _foreign_warning(sheet: _Sheet, name: str, foreign: pd.Series) -> None:
    idx = np.flatnonzero(foreign.notna().to_numpy())
    if len(idx):
        where = join(str(int(sheet.lines[i])) for i in idx[:10])
        said = _("{source}: column '{column}': {count} amount(s) in a foreign currency kept "
                 "as text, not converted to 万元 (line(s) {lines})") if len(idx) <= 10 else \
            _("{source}: column '{column}': {count} amount(s) in a foreign currency kept "
              "as text, not converted to 万元 (line(s) {lines} and {more} more)")
        sheet.warnings.append(said.format(source=sheet.source, column=sheet.header(name),
                                          count=len(idx), lines=where, more=len(idx) - 10))


def _locations(sheet: _Sheet) -> pd.DataFrame:
    """The location columns of every row (:data:`chainmap.regions.LOCATION_COLUMNS`)."""
    p, c, d = sheet.cells("province"), sheet.cells("city"), sheet.cells("district")
    combined, address = sheet.cells("region"), sheet.cells("address")
    has_region = (p != "") | (c != "") | (d != "") | (combined != "")
    address = address.where(~has_region, "")
    keys = pd.MultiIndex.from_arrays([p, c, d, combined, address])
    codes, uniques = keys.factorize() if len(keys) else (np.zeros(0, np.int64), [])
    found: list[regions.Region | None] = []
    failed: list[tuple[str, str, bool] | None] = []  # (field, message, no region at all)
    blank_at = next((f for f in ("region", "province", "address", "district", "city")
                     if sheet.has(f)), "province")
    for pk, ck, dk, comb, addr in uniques:
        region, error = None, None
        try:
            if pk:
                region = regions.locate(pk, ck or None, dk or None)
            elif comb:
                region = regions.parse_place(comb, whole=True)
            elif ck or dk:
                region = regions.parse_place(ck + dk, whole=True)
            elif addr:
                region = regions.parse_place(addr)
                if region is None:
                    error = ("address", _("no region: the address does not start with a "
                                          "place; give 所在地区 or province/city/district"),
                             True)
            else:  # on the location column the sheet has (所在地区 ...), else province
                error = (blank_at, _("no region: give a province (or 所在地区), or an "
                                     "address that starts with the place"), True)
        except RegionError as exc:
            where = (exc.field or "province") if pk else "region" if comb else \
                ("district" if dk else "city") if (ck or dk) else "address"
            error = (where, str(exc), False)
        found.append(region)
        failed.append(error)
    for name in ("province", "city", "district", "region", "address"):
        msgs = np.array([e[1] if e is not None and e[0] == name else None for e in failed],
                        dtype=object)
        nothing = np.array([e is not None and e[0] == name and e[2] for e in failed],
                           dtype=bool)
        per_row = msgs[codes]
        for missing in (True, False):
            mask = np.array([m is not None for m in per_row], dtype=bool) & \
                (nothing[codes] == missing)
            sheet.add("missing-value" if missing else "unknown-region", mask, name, per_row)
    records = [regions.location_record(r) for r in found]
    table = pd.DataFrame(records, columns=list(regions.LOCATION_COLUMNS), dtype=object)
    return table.iloc[codes].reset_index(drop=True) if len(codes) else \
        pd.DataFrame(columns=list(regions.LOCATION_COLUMNS), dtype=object)


def _first_lines(sheet: _Sheet, key: pd.Series) -> pd.Series:
    """For each row, the line of the first row with the same ``key``."""
    return pd.Series(sheet.lines, index=key.index).groupby(key, sort=False).transform("first")


def read_firm_list(path: str | Path, *, sheet: str | None = None) -> FirmList:
    """Read and normalise a firm list; collect every problem, raise for none of them.

    Parameters
    ----------
    path
        A ``.csv`` file (UTF-8, UTF-8 with BOM or GB18030/GBK) or an ``.xlsx`` workbook.
    sheet
        The sheet of a workbook; by default the first sheet with a firm header
        (企业名称, name, 统一社会信用代码 ...), or the only sheet.

    Returns
    -------
    FirmList
        The firms (:data:`FIRM_COLUMNS`), problems, warnings and source.

    Raises
    ------
    DatasetError
        Only for a file that cannot be read at all: missing, not CSV or xlsx, not
        decodable, no such sheet, no firm header.

    Notes
    -----
    Each firm's ``id`` is the ``id`` column if given, else its USCC, else
    :func:`firm_id` of its registered name. Problems (codes): ``missing-value`` (no
    name, USCC or id; no region), ``bad-uscc``, ``unknown-region`` (unknown or
    ambiguous), ``bad-number``, ``bad-date``, ``bad-bool``, ``bad-status``,
    ``duplicate-uscc`` and ``duplicate-name`` (two rows of one firm: the message names
    the other line), ``duplicate-id``, ``bad-header``, ``bad-id`` (an id holding a
    control, zero-width or bidi character), ``bad-text`` (a cell holding NUL). A row
    that repeats an earlier one exactly (every cell) is taken once, with a warning.
    """
    path = Path(path)
    require_file(path)
    frame, lines, source, header_at = _cells(path, sheet)
    s = _Sheet(frame, lines, source, header_at)
    n = len(s)

    # no NUL in any cell; no control, zero-width or bidi character in an id
    for field_name, position in [*s.columns.items(), *((h, i) for h, i in s.extras)]:
        cells = s.body.iloc[:, position]
        s.add("bad-text", cells.str.contains("\x00", regex=False).to_numpy(dtype=bool)
              & (field_name != "id"), field_name, _("a cell may not hold a NUL character"),
              value=cells)
    s.add("bad-id", s.raw("id").str.contains(BAD_ID).to_numpy(dtype=bool), "id",
          _("an id may not hold control characters (tab, newline ...), zero-width or "
            "bidi characters"))

    # identity: name, USCC, id
    name = s.cells("name")
    uscc = pd.Series([re.sub(r"[\s\-]", "", v.upper()) if v else v
                      for v in _nfkc(s.cells("uscc"))], dtype=object)
    codes = uscc.to_numpy(dtype=object)
    suspect = (codes != "") & ~_uscc_valid(codes)
    if suspect.any():  # python-stdnum says why
        reasons = _uscc_reasons(pd.unique(codes[suspect]))
        why = np.array([reasons.get(v) if bad else None for v, bad in zip(codes, suspect)],
                       dtype=object)
        s.add("bad-uscc", suspect, "uscc", why)
    given_id = _nfkc(s.cells("id"))
    has_uscc = uscc != ""
    ids = given_id.where(given_id != "", uscc)
    # normalised names are needed only when some row has no USCC (ids, duplicates)
    norm = pd.Series([""] * n, dtype=object)
    if not has_uscc.all():
        split = _per_value(name, split_firm_name)  # (normalised name, legal form)
        norm = pd.Series([core for core, _form in split], dtype=object)
        forms = [form for _core, form in split]
        hashed = pd.Series([_name_id(core, form) if core else "" for core, form in split],
                           dtype=object)
        ids = ids.where(ids != "", hashed.where(name != "", ""))
        # one firm by name: one normalised name and a legal form that fits
        norm = pd.Series(firm_keys(zip(norm, forms, strict=True)), dtype=object)
    missing = (ids == "").to_numpy()
    first_of = next((f for f in ("name", "uscc", "id") if s.has(f)), "name")
    s.add("missing-value", missing, first_of, _("no name, USCC or id: one of them is needed"))

    flagged = np.zeros(n, dtype=bool)
    dup = (has_uscc & uscc.duplicated(keep="first")).to_numpy()
    if dup.any():
        first = _first_lines(s, uscc)
        s.add("duplicate-uscc", dup, "uscc", _("the same USCC as line {line}"), line=first)
        flagged |= dup
    named = norm != ""
    if named.any():
        key = norm.where(named, None)
        first = _first_lines(s, key.fillna("\x00"))
        lead_has_uscc = has_uscc.groupby(key.fillna("\x00"), sort=False).transform("first")
        later = (named & key.duplicated(keep="first")).to_numpy()
        dup = later & ~(has_uscc & lead_has_uscc).to_numpy() & ~flagged
        s.add("duplicate-name", dup, "name", _("the same registered name as line {line} and "
                                               "no USCC to tell them apart"), line=first)
        flagged |= dup
    dup = ((ids != "") & ids.duplicated(keep="first")).to_numpy() & ~flagged
    if dup.any():
        first = _first_lines(s, ids)
        s.add("duplicate-id", dup, "id" if s.has("id") else "uscc",
              _("duplicate id (first on line {line})"), value=ids, line=first)

    location = _locations(s)

    # registration status
    parsed = _per_value(s.raw("status"), parse_status)
    bad = np.array([p is _BAD for p in parsed], dtype=bool)
    s.add("bad-status", bad, "status",
          _("not a registration status: {active} (active) or {closed} (closed)").format(
              active="/".join(STATUS_WORDS["active"]), closed="/".join(STATUS_WORDS["closed"])))
    status = [None if b else p[0] for p, b in zip(parsed, bad)]
    status_raw = [None if b else p[1] for p, b in zip(parsed, bad)]

    # amounts, counts, dates, flags
    capital, capital_text = _money(s, "registered_capital")
    _foreign_warning(s, "registered_capital", capital_text)
    revenue, revenue_text = _money(s, "revenue")
    _foreign_warning(s, "revenue", revenue_text)
    counts = _per_value(s.raw("employees"), parse_count)
    bad = np.array([e is _BAD for e in counts], dtype=bool)
    s.add("bad-number", bad, "employees", _("not a whole number of people (50, 50人)"))
    employees = pd.array([None if b else e for e, b in zip(counts, bad)], dtype="Int64")
    dates = _per_value(s.raw("founded"), parse_cell_date)
    bad = np.array([f is _BAD for f in dates], dtype=bool)
    s.add("bad-date", bad, "founded", _("not a date ({forms})").format(forms=_(DATE_FORMS)))
    founded = [None if b else f for f, b in zip(dates, bad)]
    flags = _per_value(s.cells("in_park"), parse_bool)
    bad = np.array([v is _BAD for v in flags], dtype=bool)
    s.add("bad-bool", bad, "in_park", _("not a yes/no value (1/0, true/false, yes/no, 是/否)"))
    in_park = [None if b else v for v, b in zip(flags, bad)]

    industry = pd.Series([""] * n, dtype=object)
    for level in _INDUSTRY_ORDER:
        industry = industry.where(industry != "", s.cells(level))

    extra = _extra(s, revenue_text)
    out = pd.DataFrame({
        "id": _none(ids),
        "name": _none(name),
        "uscc": _none(uscc),
        "province": location["province"],
        "city": location["city"],
        "district": location["district"],
        "region_code": location["region_code"],
        "address": _none(s.cells("address")),
        "status": pd.Series(status, dtype=object),
        "status_raw": pd.Series(status_raw, dtype=object),
        "main_products": _none(s.cells("main_products")),
        "scope": _none(s.cells("scope")),
        "industry": _none(industry),
        "registered_capital": capital,
        "registered_capital_text": capital_text,
        "revenue": revenue,
        "employees": employees,
        "founded": pd.Series(founded, dtype=object),
        "in_park": pd.Series(in_park, dtype=object),
        "extra": extra,
    }, columns=list(FIRM_COLUMNS))
    given = _given(s)
    problems = sorted(s.problems, key=lambda p: (p.line or 0))
    return FirmList(out, problems, s.warnings, source, s.lines, given)


def _extra(s: _Sheet, revenue_text: pd.Series) -> pd.Series:
    """Per row, a dict of the unknown columns (and a foreign-currency revenue), or None."""
    names: list[str] = []
    for h, _position in s.extras:  # a header written twice keeps both cells: 备注, 备注 (2)
        names.append(h if h not in names else f"{h} ({sum(n == h for n in names) + 1})")
    foreign = revenue_text.notna().to_numpy()
    if not names and not foreign.any():
        return pd.Series([None] * len(s), dtype=object)
    sub = s.body.iloc[:, [i for _h, i in s.extras]] if names else \
        pd.DataFrame(index=s.body.index)
    rows = [{k: (v if v != "" else None) for k, v in zip(names, row)}
            for row in sub.itertuples(index=False, name=None)] if names else \
        [{} for _row in range(len(s))]
    for i in np.flatnonzero(foreign):
        rows[i][s.header("revenue")] = revenue_text.iloc[i]
    return pd.Series(rows, dtype=object)


def _given(s: _Sheet) -> tuple[str, ...]:
    fields = {"id", "name", "uscc"}
    if any(s.has(f) for f in ("province", "city", "district", "region", "address")):
        fields |= {"province", "city", "district", "region_code"}
    for f in ("address", "main_products", "scope", "revenue", "employees", "founded",
              "in_park"):
        if s.has(f):
            fields.add(f)
    if s.has("status"):
        fields |= {"status", "status_raw"}
    if any(s.has(f) for f in _INDUSTRY_ORDER):
        fields.add("industry")
    if s.has("registered_capital"):
        fields |= {"registered_capital", "registered_capital_text"}
    if s.extras or s.has("revenue"):
        fields.add("extra")
    return tuple(c for c in FIRM_COLUMNS if c in fields)


# -- matching ------------------------------------------------------------------------------

def _normalized(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The normalised names (``None`` for a blank one) and the legal forms of ``names``.

    :func:`chainmap.names.split_firm_name`, computed once per distinct name.
    """
    s = names.astype(object).where(names.notna(), "").astype(str)
    codes, uniques = pd.factorize(s, sort=False)
    split = [split_firm_name(u) if u.strip() else (None, "") for u in uniques]
    norm = np.array([core for core, _form in split], dtype=object)
    forms = np.array([form for _core, form in split], dtype=object)
    return (pd.Series(norm[codes] if len(codes) else [], index=names.index, dtype=object),
            pd.Series(forms[codes] if len(codes) else [], index=names.index, dtype=object))


def match_firms(firms: pd.DataFrame, known: pd.DataFrame) -> pd.Series:
    """The id each firm of a list takes: an existing company's, or its own new one.

    A firm matches the company in ``known`` with the same USCC; else the one with the
    same normalised registered name (:func:`chainmap.names.normalize_name`) and a legal
    form that fits (:func:`chainmap.names.same_firm_name`: a 集团有限公司 is not the
    股份有限公司 of its name), when that is one company of ``known`` and the two USCCs do
    not differ (one of them blank); else it keeps its own ``id``.

    Parameters
    ----------
    firms
        Firms with ``id``, ``name`` and ``uscc`` (as :attr:`FirmList.frame`).
    known
        Existing companies with ``id``, ``name`` and ``uscc``.

    Returns
    -------
    pandas.Series
        One id per row of ``firms``, on its index.

    Examples
    --------
    >>> known = pd.DataFrame({"id": ["aux"], "name": ["奥克斯空调（马鞍山）有限公司"],
    ...                       "uscc": [None]})
    >>> firms = pd.DataFrame({"id": ["n-1", "n-2"], "uscc": [None, None],
    ...                       "name": ["奥克斯空调(马鞍山)有限公司", "马鞍山新厂有限公司"]})
    >>> match_firms(firms, known).tolist()
    ['aux', 'n-2']
    >>> firms["name"] = ["奥克斯空调（马鞍山）", "奥克斯空调（马鞍山）股份有限公司"]
    >>> match_firms(firms, known).tolist()
    ['aux', 'n-2']
    """
    out = firms["id"].astype(object).copy()
    if not len(firms) or not len(known):
        return out
    f_uscc = firms["uscc"].astype(object).where(firms["uscc"].notna() & (firms["uscc"] != ""))
    k_uscc = known["uscc"].astype(object).where(known["uscc"].notna() & (known["uscc"] != ""))
    by_uscc = pd.Series(known["id"].to_numpy(), index=k_uscc.to_numpy())
    by_uscc = by_uscc[by_uscc.index.notna() & ~by_uscc.index.duplicated(keep="first")]
    hit = f_uscc.map(by_uscc).astype(object)

    k_norm, k_form = _normalized(known["name"])
    # the known companies by normalised name: (id, legal form, USCC) of each
    by_core: dict[str, list[tuple[object, str, object]]] = {}
    for core, form, ident, code in zip(k_norm, k_form, known["id"], k_uscc, strict=True):
        if core is not None:
            by_core.setdefault(core, []).append((ident, form, code))
    rest = hit.isna().to_numpy()
    f_norm, f_form = _normalized(firms["name"].iloc[rest])
    named: dict[tuple[object, str], tuple[object, object]] = {}  # per distinct name
    for key in set(zip(f_norm, f_form, strict=True)):
        fits = [(i, c) for i, f, c in by_core.get(key[0], ()) if same_legal_form(key[1], f)] \
            if key[0] is not None else []
        if len(fits) == 1:
            named[key] = fits[0]
    match = [named.get(key, (None, None)) for key in zip(f_norm, f_form, strict=True)]
    name_id = pd.Series([m[0] for m in match], dtype=object)
    name_uscc = pd.Series([m[1] for m in match], dtype=object)
    agree = f_uscc.iloc[rest].isna().to_numpy() | name_uscc.isna().to_numpy()
    hit.iloc[rest] = name_id.where(agree).to_numpy(dtype=object)
    return hit.where(hit.notna(), out).astype(object)
