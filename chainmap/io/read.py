"""Read a dataset (folder of CSV files or one .xlsx workbook) into raw string tables.

Reading only decodes and splits cells; :mod:`chainmap.io.validate` checks them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ChainmapError, DatasetError, Problem
from ..files import csv_value
from ..i18n import _, join
from .schema import REQUIRED_TABLES, TABLE_ALIASES, TABLES, canonical_header, table_for
from .words import either, system_error, table_word

__all__ = ["DEFAULT_LIMITS", "HEAD_ROWS", "Limits", "RawTable", "check_limits", "csv_cells",
           "decode", "exact_repeats", "header_row", "read_dataset", "read_limits", "read_table",
           "repeated_rows_warnings", "require_file", "sheet_cells", "skipped_title_rows"]


@dataclass(frozen=True)
class Limits:
    """The most a table read from a file may hold (:func:`read_limits`).

    Attributes
    ----------
    rows : int
        Rows of a table or worksheet, the header row included (``CHAINMAP_MAX_ROWS``).
    columns : int
        Columns of a table or worksheet (``CHAINMAP_MAX_COLUMNS``).
    cell : int
        Characters in one cell (``CHAINMAP_MAX_CELL``; Excel's own limit by default).
    """

    rows: int
    columns: int
    cell: int


#: The limits when the environment sets none. A province-scale dataset (a million firms)
#: has about three million capability rows, within 10,000,000; an Excel sheet holds at
#: most 1,048,576 rows anyway.
DEFAULT_LIMITS = Limits(rows=10_000_000, columns=200, cell=32_767)
_LIMIT_VARIABLES = {"rows": "CHAINMAP_MAX_ROWS", "columns": "CHAINMAP_MAX_COLUMNS",
                    "cell": "CHAINMAP_MAX_CELL"}


def read_limits() -> Limits:
    """The limits on what one table of a dataset file may hold, read from the environment.

    ``CHAINMAP_MAX_ROWS`` (default 10,000,000 rows, the header included),
    ``CHAINMAP_MAX_COLUMNS`` (200) and ``CHAINMAP_MAX_CELL`` (32,767 characters) override
    :data:`DEFAULT_LIMITS`. A file beyond them is refused with a :class:`DatasetError`
    before its cells fill memory (a worksheet's extent is read from its cell references
    first).

    Raises
    ------
    ChainmapError
        When a variable is set to something other than a whole number of at least 1.

    Examples
    --------
    >>> read_limits().columns >= 1
    True
    """
    values = {}
    for field_name, variable in _LIMIT_VARIABLES.items():
        text = os.environ.get(variable, "").strip()
        if not text:
            values[field_name] = getattr(DEFAULT_LIMITS, field_name)
            continue
        try:
            number = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            number = 0
        if number < 1:
            raise ChainmapError(_("{variable} must be a whole number of at least 1, "
                                  "not '{value}'").format(variable=variable, value=text))
        values[field_name] = number
    return Limits(**values)


@dataclass(frozen=True)
class RawTable:
    """One table as read: string cells, canonical column names, source line numbers.

    ``frame`` has one column per header: known columns under their English name,
    extra columns under their header as written. ``headers`` maps each column of
    ``frame`` to the header as written in the file (for error messages). ``warnings``:
    what the reader passed over (title rows above the header, see :func:`header_row`).
    """

    table: str
    source: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def extras(self) -> list[str]:
        """The columns of ``frame`` that the table's schema does not know."""
        known = {c.name for c in TABLES[self.table]}
        return [c for c in self.frame.columns if c not in known]

    def header(self, column: str) -> str:
        """The header of ``column`` as written in the file."""
        return self.headers.get(column, column)


def decode(data: bytes, source: str) -> tuple[str, str]:
    r"""Decode CSV bytes as UTF-8 (with or without BOM) or GB18030/GBK.

    Returns the text and the encoding found. Raises :class:`DatasetError` when the
    bytes are none of these.

    >>> decode("名称".encode("gbk"), "x.csv")
    ('名称', 'gb18030')
    >>> decode(b"\xef\xbb\xbfid", "x.csv")
    ('id', 'utf-8-sig')
    """
    if b"\x00" in data[:4096]:
        raise DatasetError([Problem("bad-encoding",
                                    _("looks like a binary file, not CSV text "
                                      "(UTF-16 or a spreadsheet saved as .csv?)"),
                                    source=source)])
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(source, data[3:], exc) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _undecodable(source, data, exc) from None


def _undecodable(source: str, data: bytes, exc: UnicodeDecodeError) -> DatasetError:
    line = data.count(b"\n", 0, exc.start) + 1
    return DatasetError([Problem("bad-encoding",
                                 _("the file is not UTF-8, UTF-8 with BOM or GB18030/GBK; "
                                   "save it from Excel as 'CSV UTF-8'"), source=source, line=line,
                                 value=data[exc.start:exc.start + 4].hex(" "))])


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DatasetError([Problem("unreadable", _("cannot read the file: {error}").format(
            error=system_error(exc)), source=source)]) from None


def csv_cells(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Every row of a CSV file, header included, as string cells, with its line numbers.

    The encoding is detected (:func:`decode`); blank cells are ``""``; a cell that
    chainmap wrote as ``'=1+1`` (so that spreadsheets show it as text) reads ``=1+1``
    (:func:`chainmap.files.csv_value`). Raises
    :class:`DatasetError` for a file that cannot be read or decoded, or is not CSV.
    """
    frame, lines, _trimmed = _csv_read(path)
    return frame, lines


def _csv_read(path: Path) -> tuple[pd.DataFrame, np.ndarray, bool]:
    """:func:`csv_cells`, and whether every cell is already trimmed (see :func:`_untrimmed`)."""
    source = path.name
    data = _read_bytes(path, source)
    text, encoding = decode(data, source)
    if encoding == "utf-8-sig":
        data = data[3:]
    if encoding == "gb18030":
        data = text.encode("utf-8")
    # else: the file's own bytes are the UTF-8 of ``text`` (no copy made). Line ends
    # (LF, CRLF, CR) are the parsers' business: a CR or CRLF inside a quoted cell stays.
    try:
        # bytes, not a StringIO: the C parser reads those several times faster
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8", header=None,
                            dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=False, engine="c")
        physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if len(frame) != physical:  # a quoted cell spans lines: count lines exactly
            raise ValueError
        lines = np.arange(1, len(frame) + 1)
        trimmed = not _untrimmed(data)
    except (pd.errors.ParserError, ValueError):
        frame, lines = _csv_slow(text, source)
        trimmed = False
    except pd.errors.EmptyDataError:
        frame, lines, trimmed = pd.DataFrame(), np.arange(0), False
    frame = frame.fillna("")
    if "'" in text:
        frame = _unquoted(frame)
    return frame, lines, trimmed


#: Bytes of CSV text that may begin a character ``str.strip`` takes off: ASCII white
#: space (tab, VT, FF, the separators 0x1c-0x1f, space) and the lead bytes of the
#: non-ASCII ones (U+0085, U+00A0: 0xc2; U+1680: 0xe1; U+2000-U+205F: 0xe2; U+3000: 0xe3).
_MAYBE_SPACE = np.zeros(256, dtype=bool)
_MAYBE_SPACE[[0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True
#: Bytes that end or begin a cell: comma, line break, quote.
_EDGE = np.zeros(256, dtype=bool)
_EDGE[[ord(","), ord("\n"), ord("\r"), ord('"')]] = True
_CHUNK = 1 << 24


def _untrimmed(data: bytes) -> bool:
    """Whether a cell of the CSV text ``data`` may begin or end with white space.

    A cell that :meth:`str.strip` would change has a white-space character right after
    the comma, line break or quote that begins it, or right before the one that ends it
    (or at the start or end of the text; a cell holding a line break never comes here:
    :func:`_csv_read` reads such a file with the csv module). This looks, with numpy,
    for a byte that may begin such a character next to such a byte; it may say yes for a
    cell that needs no
    trimming (a cell beginning with “ or 、), never no for one that does.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(buf), _CHUNK):  # bounded memory on big files
        maybe = np.flatnonzero(_MAYBE_SPACE[buf[start:start + _CHUNK]]) + start
        if not len(maybe):
            continue
        if len(maybe) > 100_000:
            return True
        before, after = maybe - 1, maybe + 1
        # a multi-byte character ends two (0xc2) or three bytes after its lead byte
        lead = buf[maybe]
        after[lead == 0xC2] += 1
        after[lead >= 0xE1] += 2
        if (before < 0).any() or (after >= len(buf)).any():
            return True
        if _EDGE[buf[before]].any() or _EDGE[buf[after]].any():
            return True
    return False


def _unquoted(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the apostrophe chainmap's CSV writer adds taken off each cell.

    ``'=1+1`` reads ``=1+1`` (:func:`chainmap.files.csv_value`): an apostrophe before
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is the one that made the cell
    text for spreadsheets.
    """
    for col in frame.columns:
        values = frame[col].tolist()
        if any(v[:1] == "'" for v in values):
            frame[col] = [csv_value(v) for v in values]
    return frame


def _csv_table(path: Path, table: str) -> RawTable:
    frame, lines, trimmed = _csv_read(path)
    return _framed(frame, lines, table, path.name, trimmed=trimmed)


def _csv_slow(text: str, source: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Parse with the csv module, which knows the line where each record starts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    width: int | None = None
    start = 1
    titles = True  # every row so far is a title (at most one cell filled), above the header
    try:
        for row in reader:
            if width is None:
                width = len(row)
            if len(row) > width and titles and len(rows) < HEAD_ROWS:
                # the header under a title row written as one cell ("企业名录 2026年")
                width = len(row)
                rows = [(r + [""] * width)[:width] for r in rows]
            titles = titles and sum(1 for c in row if c.strip()) <= 1
            if len(row) > width and any(c.strip() for c in row[width:]):
                raise DatasetError([Problem("bad-csv",
                                            _("{cells} cells but the header has {width}; "
                                              "is a comma missing its quotes?").format(
                                                cells=len(row), width=width), source=source,
                                            line=start)])
            rows.append((row + [""] * width)[:width])
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DatasetError([Problem("bad-csv", _("not valid CSV: {error}").format(
            error=_csv_error(exc)), source=source, line=reader.line_num)]) from None
    return pd.DataFrame(rows, dtype=str), np.array(lines, dtype=np.int64)


def _csv_error(exc: csv.Error) -> str:
    """What the csv module says, in the current language for the errors it commonly gives."""
    said = str(exc)
    if said.startswith("field larger than field limit"):
        return _("a cell is longer than {limit} characters").format(limit=csv.field_size_limit())
    if said.startswith("line contains NUL"):
        return _("a line contains a NUL character")
    if said.startswith("unexpected end of data"):
        return _("the file ends inside a quoted cell")
    if said.startswith("new-line character seen in unquoted field"):
        return _("a line break inside a cell without quotes")
    return said


#: The header of a table or firm list is looked for in its first this many rows.
HEAD_ROWS = 20


def header_row(frame: pd.DataFrame, names_key: Callable[[str], bool],
               rows: int = HEAD_ROWS) -> int | None:
    """The position of the header row of ``frame``, or ``None``.

    The header is the first of the first ``rows`` rows with a cell that ``names_key``
    accepts (a key column's header). Office sheets often carry a title above the header
    (row 1 "当涂经开区企业名录 2026年", the header in row 2); such rows are passed
    over (the caller warns with :func:`skipped_title_rows`). Firm lists
    (:func:`chainmap.intake.read_firm_list`) and dataset tables (:func:`read_dataset`,
    :func:`read_table`) find their header so.

    Examples
    --------
    >>> frame = pd.DataFrame([["企业名录 2026年", ""], ["编号", "名称"], ["a", "甲"]])
    >>> header_row(frame, lambda cell: cell == "编号")
    1
    >>> header_row(frame, lambda cell: cell == "id") is None
    True
    """
    for i in range(min(len(frame), rows)):
        for cell in frame.iloc[i].tolist():
            text = str(cell).strip()
            if text and names_key(text):
                return i
    return None


def skipped_title_rows(source: str, line: int, count: int) -> str:
    """The warning that the header is on ``line`` and the ``count`` rows above it were skipped.

    >>> skipped_title_rows("企业.csv", 2, 1)
    '企业.csv: the header is on line 2; the 1 line(s) above it were skipped'
    """
    return _("{source}: the header is on line {line}; the {count} line(s) above it were "
             "skipped").format(source=source, line=line, count=count)


def exact_repeats(frame: pd.DataFrame, key: Any = None) -> dict[int, int]:
    """The rows of ``frame`` that repeat an earlier row exactly: position -> the first's.

    Every cell equal (as read: trimmed). ``key``: a column (e.g. a firm list's name) so
    that only rows whose ``key`` repeats are compared whole, not every row.

    >>> frame = pd.DataFrame([["a", "1"], ["b", "2"], ["a", "1"], ["a", "3"]])
    >>> exact_repeats(frame), exact_repeats(frame, key=0)
    ({2: 0}, {2: 0})
    """
    if not len(frame) or not len(frame.columns):
        return {}
    if key is not None:
        maybe = np.flatnonzero(frame[key].duplicated(keep=False).to_numpy())
    else:
        maybe = np.arange(len(frame))
    if not len(maybe):
        return {}
    seen: dict[tuple, int] = {}
    out: dict[int, int] = {}
    for position, row in zip(maybe.tolist(), frame.iloc[maybe].itertuples(index=False, name=None),
                             strict=True):
        first = seen.setdefault(row, position)
        if first != position:
            out[position] = first
    return out


#: How many rows taken once :func:`repeated_rows_warnings` names one by one.
_REPEATS_NAMED = 20


def repeated_rows_warnings(source: str, repeats: dict[int, int], lines: np.ndarray) -> list[str]:
    """The warnings that rows repeating an earlier one exactly were taken once.

    ``repeats`` from :func:`exact_repeats`, ``lines`` the rows' line numbers; one warning
    per row (``file: line 5 repeats line 3 exactly ...``) for the first
    20, then one counting the rest.
    """
    said = _("{source}: line {line} repeats line {first} exactly (every cell); the row was "
             "taken once")
    out = [said.format(source=source, line=int(lines[i]), first=int(lines[j]))
           for i, j in list(repeats.items())[:_REPEATS_NAMED]]
    if len(repeats) > _REPEATS_NAMED:
        out.append(_("{source}: {count} more row(s) repeat an earlier row exactly; each was "
                     "taken once").format(source=source, count=len(repeats) - _REPEATS_NAMED))
    return out


def _key_columns(table: str) -> frozenset[str]:
    """The columns whose header marks a table's header row.

    Its required ones and ``id`` (for companies also ``name`` and ``uscc``, which may
    stand for the id).
    """
    keys = {c.name for c in TABLES[table] if c.required or c.name == "id"}
    if table == "companies":
        keys |= {"name", "uscc"}
    keys |= set(STANDS_IN.get(table, {}).values())
    return frozenset(keys)


#: A required column another may stand in for, by table: a sheet of leads that names its
#: firms only under 企业名称 (``company_name``) names them by registered name, which the
#: ``company`` column also takes.
STANDS_IN: dict[str, dict[str, str]] = {"leads": {"company": "company_name"}}


def _refuse_too_large(frame: pd.DataFrame, table: str | None, source: str,
                      limits: Limits) -> None:
    """Refuse a table of more rows or columns than ``limits`` allow (``table-too-large``)."""
    if frame.shape[1] > limits.columns or len(frame) > limits.rows:
        raise DatasetError([Problem(
            "table-too-large",
            _("the table has {rows:,} rows x {columns:,} columns; chainmap reads at most "
              "{max_rows:,} rows (CHAINMAP_MAX_ROWS) x {max_columns:,} columns "
              "(CHAINMAP_MAX_COLUMNS)").format(
                rows=len(frame), columns=frame.shape[1], max_rows=limits.rows,
                max_columns=limits.columns), table=table, source=source)])


def _framed(frame: pd.DataFrame, lines: np.ndarray, table: str, source: str,
            trimmed: bool = False) -> RawTable:
    """Take the header row off, name columns, drop blank rows and strip cells.

    ``trimmed``: no cell needs stripping (the file was checked), the cells are kept as read.
    Refuses a table beyond :func:`read_limits` (rows, columns, characters in a cell).
    """
    if frame.empty:
        raise DatasetError([Problem("empty-file", _("the file is empty (no header row)"),
                                    table=table, source=source)])
    limits = read_limits()
    _refuse_too_large(frame, table, source, limits)
    keys = _key_columns(table)
    at = header_row(frame, lambda cell: canonical_header(table, cell) in keys) or 0
    warnings: tuple[str, ...] = ()
    head = int(lines[at])  # the header's line (1 unless title rows are above it)
    if at:
        warnings = (skipped_title_rows(source, head, at),)
    header = [str(h).strip() for h in frame.iloc[at].tolist()]
    for i, h in enumerate(header):
        if len(h) > limits.cell:
            raise DatasetError([_too_long(table, source, head, f"#{i + 1}", h, limits.cell)])
        if "\x00" in h:  # NUL is refused anywhere, a header too (it would become a key)
            raise DatasetError([Problem("bad-text", _("a cell may not hold a NUL character"),
                                        table=table, source=source, line=head,
                                        column=f"#{i + 1}", value=h[:40])])
    body = frame.iloc[at + 1:].reset_index(drop=True)
    lines = lines[at + 1:]
    names: list[str] = []
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    keep: list[int] = []
    for i, h in enumerate(header):
        if not h:
            if (body.iloc[:, i].astype(str).str.strip() != "").any():
                problems.append(Problem("bad-header", _("a column with data has no header"),
                                        table=table, source=source, line=head, column=f"#{i + 1}",
                                        value=""))
            continue
        name = canonical_header(table, h) or h
        if name in seen:
            problems.append(Problem("duplicate-column",
                                    _("duplicate column: '{first}' already gives '{name}'")
                                    .format(first=seen[name], name=name),
                                    table=table, source=source, line=head, column=h))
            continue
        seen[name] = h
        names.append(name)
        headers[name] = h
        keep.append(i)
    for column, other in STANDS_IN.get(table, {}).items():
        if column not in seen and other in seen:
            names[names.index(other)] = column
            headers[column] = headers.pop(other)
            seen[column] = seen.pop(other)
    missing = [c.name for c in TABLES[table] if c.required and c.name not in seen]
    for col in missing:
        stand_in = STANDS_IN.get(table, {}).get(col)  # a column that may stand in for it
        aliases = join([*(a for c in TABLES[table] if c.name == col for a in c.aliases),
                        *([stand_in] if stand_in else []),
                        *(a for c in TABLES[table] if c.name == stand_in for a in c.aliases)])
        problems.append(Problem("missing-column",
                                _("required column is missing (also accepted: {aliases})")
                                .format(aliases=aliases),
                                table=table, source=source, line=head, column=col))
    if table == "companies" and "id" not in seen and "uscc" not in seen:
        problems.append(Problem("missing-column",
                                _("companies need an 'id' or a 'uscc' column"),
                                table=table, source=source, line=head, column="id"))
    if problems:
        raise DatasetError(problems)
    body = body.iloc[:, keep]
    body.columns = names
    columns = {}
    for name in names:
        if trimmed:
            cells = body[name].to_numpy(dtype=object)
        else:
            cells = _stripped(body[name], name in _TEXT_COLUMNS.get(table, ()))
        longest = max(map(len, cells), default=0)
        if longest > limits.cell:
            at = next(i for i, c in enumerate(cells) if len(c) > limits.cell)
            problems.append(_too_long(table, source, int(lines[at]), headers[name], cells[at],
                                      limits.cell))
        columns[name] = body[name] if trimmed else pd.Series(cells, index=body.index, dtype=str)
    if problems:
        raise DatasetError(problems)
    body = pd.DataFrame(columns, index=body.index)
    if not names:
        return RawTable(table, source, body.iloc[:0].reset_index(drop=True), lines[:0], headers,
                        warnings)
    # a row is blank when every cell is: only rows blank in the first column are looked at
    maybe = np.flatnonzero((body.iloc[:, 0] == "").to_numpy(dtype=bool))
    if not len(maybe):
        return RawTable(table, source, body.reset_index(drop=True), lines, headers, warnings)
    filled = np.ones(len(body), dtype=bool)
    filled[maybe] = (body.iloc[maybe] != "").any(axis=1).to_numpy()
    return RawTable(table, source, body[filled].reset_index(drop=True), lines[filled], headers,
                    warnings)


def check_limits(frame: pd.DataFrame, lines: np.ndarray, source: str,
                 table: str | None = None) -> None:
    """Refuse raw cells (:func:`csv_cells`, :func:`sheet_cells`) beyond :func:`read_limits`.

    For readers that do not go through :func:`read_table` (firm lists). Raises
    :class:`DatasetError` (``table-too-large``, ``cell-too-long``: line and column
    ``#N`` of the first cell too long).
    """
    limits = read_limits()
    _refuse_too_large(frame, table, source, limits)
    for i, name in enumerate(frame.columns):
        cells = frame[name].tolist()
        if max((len(c) for c in cells if isinstance(c, str)), default=0) > limits.cell:
            at = next(j for j, c in enumerate(cells)
                      if isinstance(c, str) and len(c) > limits.cell)
            raise DatasetError([_too_long(table, source, int(lines[at]), f"#{i + 1}",
                                          cells[at], limits.cell)])


def _too_long(table: str | None, source: str, line: int, column: str, cell: str,
              limit: int) -> Problem:
    return Problem("cell-too-long",
                   _("the cell holds {length:,} characters; chainmap reads at most {limit:,} "
                     "in a cell (CHAINMAP_MAX_CELL)").format(length=len(cell), limit=limit),
                   table=table, source=source, line=line, column=column,
                   value=cell[:20] + "…")


#: Free-text columns: their cells lose leading and trailing spaces only, so that a name
#: that starts with a tab or ends with a line break reads back as it was written
#: (ids, codes, numbers and dates lose every blank, tabs and line breaks included).
_TEXT_COLUMNS: dict[str, frozenset[str]] = {
    "chains": frozenset({"name", "name_en"}),
    "products": frozenset({"name", "name_en"}),
    "companies": frozenset({"name", "address", "main_products", "scope", "status_raw"}),
    "capabilities": frozenset({"text"}),
    "leads": frozenset({"owner", "note", "reason", "company_name"}),
}
#: The blanks trimmed off free text: the Unicode spaces, not tabs or line breaks.
_SPACES = " \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"


def _stripped(column: pd.Series, text: bool = False) -> list[str]:
    """``column``'s cells as text, each stripped (``text``: of spaces only)."""
    cells = column.astype(str).to_numpy(dtype=object)
    if text:
        return [c.strip(_SPACES) for c in cells]
    return [c.strip() for c in cells]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_tables(path: Path) -> tuple[list[RawTable], list[str]]:
    book = _open_book(path)
    tables, ignored = [], []
    try:
        for sheet in book.worksheets:
            table = table_for(sheet.title)
            if table is None:
                ignored.append(f"{path.name}[{sheet.title}]")
                continue
            tables.append(_sheet_table(sheet, table, f"{path.name}[{sheet.title}]"))
    finally:
        book.close()
    return tables, ignored


def _sheet_table(sheet: Any, table: str, source: str) -> RawTable:
    """One worksheet as the raw table ``table`` (Excel row numbers are the line numbers)."""
    frame, lines = sheet_cells(sheet)
    return _framed(frame, lines, table, source)


def sheet_cells(sheet: Any, max_row: int | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Every row of a worksheet (up to ``max_row``) as string cells.

    Returns the cells and their Excel row numbers: dates as ISO text, whole floats
    without ``.0``, blanks ``""``. A sheet read row by row (a sparse one) leaves out rows
    without any cell, so the row numbers may skip.
    """
    rows, lines = sheet.rows(max_row)
    rows = [[_cell(v) for v in row] for row in rows]
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    return frame, np.asarray(lines, dtype=np.int64)


#: A sheet whose cells span at most this many (rows x columns, from A1) is read whole by
#: python-calamine (fast; its memory grows with the span, empty cells included); a wider
#: span that holds few cells is read row by row, keeping only the cells there are.
DENSE_CELLS = 4_000_000


# Any letters and digits: a reference such as ``A99999999`` or ``ZZZZ1`` is outside
# Excel's grid, but python-calamine would size its grid by it (35 GB for A99999999).
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="\$?([A-Za-z]*)\$?([0-9]*)[^"]*"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)')
_CELL_TAG = re.compile(rb'<(?:\w+:)?c[\s>/]')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper()[:8]:  # 8 letters are far beyond any limit already
        n = n * 26 + ch - 64
    return n


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its XML part in the xlsx zip (``xl/worksheets/sheet1.xml``)."""
    import zipfile
    from xml.etree import ElementTree

    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(rel) in targets:
            target = targets[sheet.get(rel)].lstrip("/")
            parts[sheet.get("name", "")] = target if target.startswith("xl/") \
                else "xl/" + target
    return parts


def _used_size(path: Path, part: str) -> tuple[int, int, int]:
    """The last row and column any cell of the sheet XML ``part`` names; its cell count.

    Read from the cell references themselves (a ``<dimension>`` element may be absent
    or wrong), streaming, so that the check costs little memory and time.
    """
    import zipfile

    rows = cols = cells = 0
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as xml:
        while chunk := xml.read(1 << 20):
            text = tail + chunk
            for m in _CELL_REF.finditer(text):
                cols = max(cols, _column_number(m.group(1)))
                rows = max(rows, int(m.group(2)[:12] or 0))
            for m in _ROW_REF.finditer(text):
                rows = max(rows, int(m.group(1)[:12]))
            cells += len(_CELL_TAG.findall(chunk))
            tail = text[-256:]
    return rows, cols, cells


def _sheet_error(source: str, exc: BaseException) -> DatasetError:
    """A sheet that cannot be read, as a clean error naming it."""
    said = str(exc).strip()
    if len(said) < 8:  # python-calamine's XmlError says as little as 'c'
        said = f"{type(exc).__name__} {said}".strip()
    return DatasetError([Problem("unreadable", _("cannot read the sheet: {error}")
                                 .format(error=said[:300]), source=source)])


def _too_large(source: str, rows: int, cols: int, limits: Limits) -> DatasetError:
    return DatasetError([Problem(
        "sheet-too-large",
        _("the sheet reaches {rows} rows x {columns} columns (cell {cell}); chainmap reads "
          "at most {max_rows:,} rows (CHAINMAP_MAX_ROWS) x {max_columns:,} columns "
          "(CHAINMAP_MAX_COLUMNS); delete the empty rows and columns below and right of "
          "the data in Excel and save again").format(
            rows=rows, columns=cols, cell=f"{_column_letters(cols)}{rows}",
            max_rows=limits.rows, max_columns=limits.columns),
        source=source)])


class _Sheet:
    """One worksheet, read whole (python-calamine) or row by row (openpyxl).

    Row by row, by openpyxl's streaming parser, when its cells are few and far apart.
    """

    def __init__(self, book: Any, title: str, source: str, path: Path,
                 part: str | None) -> None:
        self._book, self.title, self._source = book, title, source
        self._path, self._part = path, part

    def _span(self) -> tuple[int, int, int] | None:
        """The sheet's extent and cells (:func:`_used_size`), refused beyond the limits.

        ``None`` when the sheet's XML part is not known.
        """
        if self._part is None:
            return None
        try:
            rows, cols, cells = _used_size(self._path, self._part)
        except Exception as exc:  # a broken zip member: zlib, zipfile and XML errors
            raise _sheet_error(self._source, exc) from None
        limits = read_limits()
        if rows > limits.rows or cols > limits.columns:
            raise _too_large(self._source, rows, cols, limits)
        return rows, cols, cells

    def rows(self, max_row: int | None = None) -> tuple[list[list[object]], list[int]]:
        """The rows (cells as Python values, blanks ``""`` or ``None``); their row numbers.

        A sheet whose span is small or well filled is read whole from row 1 (blank rows
        kept); any other is streamed, rows without cells left out, and refused as soon as
        a cell lies beyond the limits (:func:`read_limits`).
        """
        if self._path.suffix.lower() in OLD_WORKBOOKS:
            return self._old_rows(max_row)
        span = self._span()
        if span is not None:
            rows, cols, cells = span
            if rows * cols <= max(DENSE_CELLS, 4 * cells):
                return self._whole(max_row)
        return self._streamed(max_row)

    def _whole(self, max_row: int | None) -> tuple[list[list[object]], list[int]]:
        try:
            sheet = self._book.get_sheet_by_name(self.title)
            rows: list[list[object]] = sheet.to_python(skip_empty_area=False, nrows=max_row)
        except Exception as exc:  # python-calamine raises several kinds for a broken sheet
            raise _sheet_error(self._source, exc) from None
        limits = read_limits()
        width = max((len(r) for r in rows), default=0)
        if len(rows) > limits.rows or width > limits.columns:
            raise _too_large(self._source, len(rows), width, limits)
        return rows, list(range(1, len(rows) + 1))

    def _old_rows(self, max_row: int | None) -> tuple[list[list[object]], list[int]]:
        """The rows of an old Excel (.xls) sheet that hold a cell, by python-calamine.

        Row by row (an .xls grid reaches 65,536 x 256 cells), refused beyond the limits.
        """
        limits = read_limits()
        rows: list[list[object]] = []
        lines: list[int] = []
        try:
            sheet = self._book.get_sheet_by_name(self.title)
            start = sheet.start or (0, 0)
            end = sheet.end or (0, 0)
            if end[0] + 1 > limits.rows or end[1] + 1 > limits.columns:
                raise _too_large(self._source, end[0] + 1, end[1] + 1, limits)
            for number, row in enumerate(sheet.iter_rows(), start=1):
                if max_row is not None and number > max_row:
                    break
                if not any(cell not in ("", None) for cell in row):
                    continue
                # rows come from the first row, but from the range's first column (the
                # columns left of it are empty): put each cell back in its column
                pad = start[1] if len(row) == end[1] - start[1] + 1 else 0
                rows.append([""] * pad + list(row))
                lines.append(number)
        except DatasetError:
            raise
        except Exception as exc:  # python-calamine raises several kinds for a broken sheet
            raise _sheet_error(self._source, exc) from None
        return rows, lines

    def _streamed(self, max_row: int | None) -> tuple[list[list[object]], list[int]]:
        """Rows that hold a cell, streamed by openpyxl's sheet parser (read-only mode)."""
        import openpyxl
        from openpyxl.worksheet._reader import WorkSheetParser

        limits = read_limits()
        rows: list[list[object]] = []
        lines: list[int] = []
        try:
            book = openpyxl.load_workbook(self._path, read_only=True, data_only=True)
        except Exception as exc:
            raise _sheet_error(self._source, exc) from None
        try:
            sheet = book[self.title]
            with sheet._get_source() as xml:
                parser = WorkSheetParser(xml, sheet._shared_strings, data_only=True,
                                         epoch=book.epoch, date_formats=book._date_formats,
                                         timedelta_formats=book._timedelta_formats)
                for number, cells in parser.parse():
                    if max_row is not None and number > max_row:
                        break
                    if number > limits.rows:
                        raise _too_large(self._source, number, 0, limits)
                    row: list[object] = []
                    for cell in cells:
                        column = cell["column"]
                        if column > limits.columns:
                            raise _too_large(self._source, number, column, limits)
                        if cell["value"] is not None:
                            row.extend([None] * (column - len(row) - 1))
                            row.append(cell["value"])
                    if row:
                        rows.append(row)
                        lines.append(number)
        except DatasetError:
            raise
        except Exception as exc:  # a broken sheet: XML, cell references, numbers
            raise _sheet_error(self._source, exc) from None
        finally:
            book.close()
        return rows, lines


class _Book:
    """A workbook's sheets, in order (``worksheets``), read by python-calamine."""

    def __init__(self, path: Path) -> None:
        import python_calamine

        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # python-calamine raises several kinds for a broken file
            import zipfile

            if path.suffix.lower() in OLD_WORKBOOKS:
                why = _("cannot read the workbook: it is no .xls file (a CSV or a WPS .et "
                        "renamed to .xls, or a file cut short?); open it in Excel or WPS "
                        "and save it as .xlsx")
            elif zipfile.is_zipfile(path):
                why = _("cannot read the workbook: {error}").format(error=exc)
            else:
                why = _("cannot read the workbook: it is no .xlsx file (a CSV or an .xls "
                        "renamed to .xlsx, or a file cut short?)")
            raise DatasetError([Problem("unreadable", why, source=path.name)]) from None
        try:
            parts: dict[str, str] = {} if path.suffix.lower() in OLD_WORKBOOKS \
                else _sheet_parts(path)
        except Exception:  # odd relationships: each sheet is streamed, not read whole
            parts = {}
        self.worksheets = [_Sheet(self._book, name, f"{path.name}[{name}]", path,
                                  parts.get(name))
                           for name in self._book.sheet_names]

    def close(self) -> None:
        """Release the file."""
        self._book.close()


#: Old Excel workbooks (Excel 97-2003), read by python-calamine like .xlsx.
OLD_WORKBOOKS = (".xls",)
#: What a sheet may be read from: CSV and the workbooks.
WORKBOOKS = (".xlsx", *OLD_WORKBOOKS)


def _old_workbook(path: Path) -> str:
    """Why a WPS (.et) workbook is refused, and what to do."""
    return _("WPS .et workbooks are not read; save it as .xlsx (Excel workbook)")


def _open_book(path: Path) -> _Book:
    return _Book(path)


def require_file(path: Path) -> None:
    """Refuse ``path`` unless it is a file: a folder is said to be one, else no such file.

    Raises :class:`DatasetError` (``bad-file-type``, ``no-such-file``) naming ``path``:
    what every reader of one sheet (a table, a firm list, a review sheet) says first.
    """
    if path.is_dir():
        raise DatasetError([Problem("bad-file-type", _("this is a folder; give a .csv or "
                                                       ".xlsx file"), source=str(path))])
    if not path.is_file():
        raise DatasetError([Problem("no-such-file", _("no such file"), source=str(path))])


def read_table(path: str | Path, table: str) -> RawTable:
    """Read one table from a ``.csv`` file or an ``.xlsx`` or ``.xls`` workbook.

    From a workbook, the sheet named for the table (English or Chinese), else the
    workbook's only sheet.

    The same decoding, header matching, line numbers and messages as
    :func:`read_dataset`; raises :class:`DatasetError`.
    """
    path = Path(path)
    require_file(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_table(path, table)
    if suffix not in WORKBOOKS:
        raise DatasetError([Problem("bad-file-type",
                                    _("{table} are read from a .csv, .xlsx or .xls file")
                                    .format(table=table_word(table)), source=path.name)])
    book = _open_book(path)
    try:
        sheets = [s for s in book.worksheets if table_for(s.title) == table]
        if not sheets and len(book.worksheets) == 1:
            sheets = book.worksheets
        if not sheets:
            names = [table, *(k for k, v in TABLE_ALIASES.items() if v == table)]
            raise DatasetError([Problem("missing-sheet",
                                        _("no sheet named {names}").format(
                                            names=either(f"'{n}'" for n in names)),
                                        source=path.name)])
        return _sheet_table(sheets[0], table, f"{path.name}[{sheets[0].title}]")
    finally:
        book.close()


def read_dataset(path: str | os.PathLike[str]) -> tuple[dict[str, RawTable], list[str]]:
    """Read every table of the dataset at ``path``.

    Returns the tables by name and a list of warnings (files or sheets ignored).
    Raises :class:`DatasetError` listing what cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise DatasetError([Problem("no-such-file", _("no such file or folder"),
                                    source=str(path))])
    if path.is_dir():
        try:
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() == ".csv")
        except OSError as exc:
            raise DatasetError([Problem("unreadable", _("cannot read the folder: {error}")
                                        .format(error=system_error(exc)),
                                        source=str(path))]) from None
        ignored = [p.name for p in files if table_for(p.stem) is None]
        readers = [(table, p) for p in files if (table := table_for(p.stem)) is not None]
        found: dict[str, Path] = {}
        problems: list[Problem] = []
        for table, p in readers:
            if table in found:
                problems.append(Problem("duplicate-table",
                                        _("a second '{table}' table (first: {first})").format(
                                            table=table_word(table), first=found[table].name),
                                        source=p.name))
            found[table] = p
        if problems:
            raise DatasetError(problems)
        tables: list[RawTable] = []
        problems = []
        for table, p in readers:
            try:
                tables.append(_csv_table(p, table))
            except DatasetError as exc:
                problems.extend(exc.problems)
        if problems:
            raise DatasetError(problems)
    elif path.suffix.lower() in WORKBOOKS:
        tables, ignored = _xlsx_tables(path)
    elif path.suffix.lower() == ".et":
        raise DatasetError([Problem("bad-file-type", _old_workbook(path), source=path.name)])
    else:
        raise DatasetError([Problem(
            "bad-file-type", _("a dataset is a folder of CSV files or one .xlsx or .xls "
                               "workbook"), source=path.name)])
    by_name = {t.table: t for t in tables}
    if len(by_name) < len(tables):
        raise DatasetError([Problem("duplicate-table",
                                    _("the workbook has two sheets for the same table"),
                                    source=str(path.name))])
    missing = [t for t in REQUIRED_TABLES if t not in by_name]
    if missing:
        said = _("required table '{table}' is missing (a '{table}.csv' file or sheet)")
        raise DatasetError([Problem("missing-table", said.format(table=t), table=t,
                                    source=path.name)
                            for t in missing])
    said = _("ignored {name}: not a chainmap table")
    warnings = [said.format(name=name) for name in ignored]
    warnings += [w for t in tables for w in t.warnings]
    return by_name, warnings
