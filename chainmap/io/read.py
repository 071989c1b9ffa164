"""Read a dataset (folder of CSV files or one .xlsx workbook) into raw string tables.

Reading only decodes and splits cells; :mod:`chainmap.io.validate` checks them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DatasetError, Problem
from ..files import csv_value
from ..i18n import _, join
from .schema import REQUIRED_TABLES, TABLE_ALIASES, TABLES, canonical_header, table_for
from .words import either, system_error, table_word

__all__ = ["RawTable", "csv_cells", "decode", "read_dataset", "read_table",
           "sheet_cells"]


@dataclass(frozen=True)
class RawTable:
    """One table as read: string cells, canonical column names, source line numbers.

    ``frame`` has one column per header: known columns under their English name,
    extra columns under their header as written. ``headers`` maps each column of
    ``frame`` to the header as written in the file (for error messages).
    """

    table: str
    source: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)

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
    if encoding == "gb18030" or b"\r" in data:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        data = text.encode("utf-8")
    # else: the file's own bytes are the UTF-8 of ``text`` (no copy made)
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
    rows, lines, width, start = [], [], None, 1
    try:
        for row in reader:
            if width is None:
                width = len(row)
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


def _framed(frame: pd.DataFrame, lines: np.ndarray, table: str, source: str,
            trimmed: bool = False) -> RawTable:
    """Take the header row off, name columns, drop blank rows and strip cells.

    ``trimmed``: no cell needs stripping (the file was checked), the cells are kept as read.
    """
    if frame.empty:
        raise DatasetError([Problem("empty-file", _("the file is empty (no header row)"),
                                    table=table, source=source)])
    header = [str(h).strip() for h in frame.iloc[0].tolist()]
    body = frame.iloc[1:].reset_index(drop=True)
    lines = lines[1:]
    names: list[str] = []
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    keep: list[int] = []
    for i, h in enumerate(header):
        if not h:
            if (body.iloc[:, i].astype(str).str.strip() != "").any():
                problems.append(Problem("bad-header", _("a column with data has no header"),
                                        table=table, source=source, line=1, column=f"#{i + 1}",
                                        value=""))
            continue
        name = canonical_header(table, h) or h
        if name in seen:
            problems.append(Problem("duplicate-column",
                                    _("duplicate column: '{first}' already gives '{name}'")
                                    .format(first=seen[name], name=name),
                                    table=table, source=source, line=1, column=h))
            continue
        seen[name] = h
        names.append(name)
        headers[name] = h
        keep.append(i)
    missing = [c.name for c in TABLES[table] if c.required and c.name not in seen]
    for col in missing:
        aliases = join(a for c in TABLES[table] if c.name == col for a in c.aliases)
        problems.append(Problem("missing-column",
                                _("required column is missing (also accepted: {aliases})")
                                .format(aliases=aliases),
                                table=table, source=source, line=1, column=col))
    if table == "companies" and "id" not in seen and "uscc" not in seen:
        problems.append(Problem("missing-column",
                                _("companies need an 'id' or a 'uscc' column"),
                                table=table, source=source, line=1, column="id"))
    if problems:
        raise DatasetError(problems)
    body = body.iloc[:, keep]
    body.columns = names
    if not trimmed:
        body = pd.DataFrame({name: _stripped(body[name]) for name in names}, index=body.index)
    if not names:
        return RawTable(table, source, body.iloc[:0].reset_index(drop=True), lines[:0], headers)
    # a row is blank when every cell is: only rows blank in the first column are looked at
    maybe = np.flatnonzero((body.iloc[:, 0] == "").to_numpy(dtype=bool))
    if not len(maybe):
        return RawTable(table, source, body.reset_index(drop=True), lines, headers)
    filled = np.ones(len(body), dtype=bool)
    filled[maybe] = (body.iloc[maybe] != "").any(axis=1).to_numpy()
    return RawTable(table, source, body[filled].reset_index(drop=True), lines[filled], headers)


def _stripped(column: pd.Series) -> pd.Series:
    """``column`` as text, each cell stripped (one list comprehension, not the accessor)."""
    cells = column.astype(str).to_numpy(dtype=object)
    return pd.Series([c.strip() for c in cells], index=column.index, dtype=str)


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
    without ``.0``, blanks ``""``.
    """
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(max_row=max_row)]
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    return frame, np.arange(1, len(rows) + 1)


#: A sheet whose cells reach further than this (rows x columns, from cell A1) is refused
#: before it is read: a stray value at XFD200000 would otherwise fill memory.
MAX_SHEET_CELLS = 60_000_000


_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


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


def _used_size(path: Path, part: str) -> tuple[int, int]:
    """The last row and column that any cell of the sheet XML ``part`` names.

    Read from the cell references themselves (a ``<dimension>`` element may be absent
    or wrong), streaming, so that the check costs little memory and time.
    """
    import zipfile

    rows = cols = 0
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as xml:
        while chunk := xml.read(1 << 20):
            text = tail + chunk
            for m in _CELL_REF.finditer(text):
                cols = max(cols, _column_number(m.group(1)))
                rows = max(rows, int(m.group(2)))
            for m in _ROW_REF.finditer(text):
                rows = max(rows, int(m.group(1)))
            tail = text[-256:]
    return rows, cols


class _Sheet:
    """One worksheet read by python-calamine (a fast reader; openpyxl only writes)."""

    def __init__(self, book: Any, title: str, source: str, path: Path,
                 part: str | None) -> None:
        self._book, self.title, self._source = book, title, source
        self._path, self._part = path, part

    def _check_size(self) -> None:
        """Refuse a sheet whose cells span more than :data:`MAX_SHEET_CELLS`."""
        if self._part is None:
            return
        try:
            rows, cols = _used_size(self._path, self._part)
        except (KeyError, OSError, EOFError, ValueError) as exc:
            raise DatasetError([Problem("unreadable", _("cannot read the sheet: {error}")
                                        .format(error=exc), source=self._source)]) from None
        if rows * cols > MAX_SHEET_CELLS:
            raise DatasetError([Problem(
                "sheet-too-large",
                _("the sheet reaches {rows} rows x {columns} columns ({cells:,} cells, "
                  "more than {limit:,}); delete the empty rows and columns below "
                  "and right of the data in Excel and save again").format(
                    rows=rows, columns=cols, cells=rows * cols, limit=MAX_SHEET_CELLS),
                source=self._source)])

    def iter_rows(self, max_row: int | None = None) -> list[list[object]]:
        """Return the rows from row 1, cells as Python values, blanks ``""``.

        Blank leading rows and columns are kept, so row numbers and columns are Excel's.
        """
        self._check_size()
        try:
            sheet = self._book.get_sheet_by_name(self.title)
        except Exception as exc:  # a broken sheet inside a readable workbook
            raise DatasetError([Problem("unreadable", _("cannot read the sheet: {error}")
                                        .format(error=exc), source=self._source)]) from None
        try:
            rows: list[list[object]] = sheet.to_python(skip_empty_area=False, nrows=max_row)
        except Exception as exc:
            raise DatasetError([Problem("unreadable", _("cannot read the sheet: {error}")
                                        .format(error=exc), source=self._source)]) from None
        return rows


class _Book:
    """A workbook's sheets, in order (``worksheets``), read by python-calamine."""

    def __init__(self, path: Path) -> None:
        import python_calamine

        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # python-calamine raises several kinds for a broken file
            raise DatasetError([Problem("unreadable", _("cannot read the workbook: {error}")
                                        .format(error=exc), source=path.name)]) from None
        try:
            parts: dict[str, str] = _sheet_parts(path)
        except Exception:  # an .xls or .ods file, or odd relationships: no size check
            parts = {}
        self.worksheets = [_Sheet(self._book, name, f"{path.name}[{name}]", path,
                                  parts.get(name))
                           for name in self._book.sheet_names]

    def close(self) -> None:
        """Release the file."""
        self._book.close()


def _open_book(path: Path) -> _Book:
    return _Book(path)


def read_table(path: str | Path, table: str) -> RawTable:
    """Read one table from a ``.csv`` file or an ``.xlsx`` workbook.

    From a workbook, the sheet named for the table (English or Chinese), else the
    workbook's only sheet.

    The same decoding, header matching, line numbers and messages as
    :func:`read_dataset`; raises :class:`DatasetError`.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError([Problem("no-such-file", _("no such file"), source=str(path))])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_table(path, table)
    if suffix != ".xlsx":
        raise DatasetError([Problem("bad-file-type",
                                    _("{table} are read from a .csv or .xlsx file")
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
    elif path.suffix.lower() == ".xlsx":
        tables, ignored = _xlsx_tables(path)
    elif path.suffix.lower() in (".xls", ".et"):
        raise DatasetError([Problem("bad-file-type",
                                    _("old .xls workbooks are not read; save it as .xlsx"),
                                    source=path.name)])
    else:
        raise DatasetError([Problem("bad-file-type",
                                    _("a dataset is a folder of CSV files or one .xlsx workbook"),
                                    source=path.name)])
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
    return by_name, warnings
