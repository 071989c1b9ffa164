"""Every file chainmap writes is written here: whole or not at all.

- :func:`write_atomic` writes one file: to a temporary name in the target's folder,
  then renamed over the target, so a reader never sees half a file and a failure
  (disk full, say) leaves the old file as it was;
- :func:`write_all` writes several files into one folder the same way, all at once:
  none is renamed into place until every one is written;
- a write first removes what an interrupted earlier write to the same place left behind
  (its temporary files, ``.NAME.PID.XXXXXXXX``, whose process is gone);
- :func:`write_xlsx` writes a workbook with one sheet per frame (the report workbooks
  and the dataset export), its cells made by :func:`xlsx_cell`;
- :func:`refuse_existing` refuses, before anything is written, to overwrite a file (or
  a folder's files) the user did not say may go (``force=True``, ``--force``).

Errors of the file system become a :class:`~chainmap.errors.ChainmapError` naming the
file. Written files get the usual mode (``0666`` less the umask), not ``mkstemp``'s
``0600``. :mod:`chainmap.output` renders frames as text and writes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import math
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError, ChainmapError
from .i18n import _, join, language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXCEL_CELL_LIMIT", "NUMBER_FORMATS", "STALE_AGE", "csv_frame", "csv_text",
           "csv_value", "inert_csv", "plain_value", "refuse_existing", "remove_stale",
           "sheet_titles", "write_all",
           "write_atomic", "write_xlsx", "xlsx_cell", "xlsx_row"]

#: A writer: called with the temporary file's name, it writes the whole file there.
Writer = Callable[[str], object]


#: Temporary files of a chainmap older than this (seconds) whose name holds no process id
#: are left over from an interrupted write, and removed by the next write to the target.
STALE_AGE = 3600.0


def _temporary(folder: Path, name: str) -> str:
    """A new temporary file for the target ``name`` in ``folder``: ``.NAME.PID.XXXXXXXX``.

    The process id in the name tells a later write whether its writer is still alive;
    left-overs of the same target whose writer is gone are removed first
    (:func:`remove_stale`).
    """
    remove_stale(folder, name)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", dir=folder)
    os.close(fd)
    return tmp


def system_error(exc: OSError) -> str:
    """What the system says went wrong (``exc.strerror``), in the current language.

    English keeps the system's own words; Chinese names the common causes (no such
    file, no permission, a folder, a full disk, a name too long ...) and keeps the
    system's words for the rest.

    Examples
    --------
    >>> import errno
    >>> from chainmap.i18n import use_language
    >>> with use_language("zh"):
    ...     system_error(OSError(errno.ENAMETOOLONG, "File name too long"))
    '名称太长'
    """
    import errno

    if language() == "en":
        return str(exc.strerror or exc)
    said = {
        errno.ENOENT: _("no such file or folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("not a folder"),
        errno.ENOSPC: _("no space left on the disk"),
        errno.EROFS: _("the disk is read-only"),
        errno.EEXIST: _("it exists already"),
        errno.ENAMETOOLONG: _("the name is too long"),
    }
    return said.get(exc.errno or 0, str(exc.strerror or exc))


def remove_stale(folder: str | os.PathLike, name: str) -> list[Path]:
    """Remove the temporary files an interrupted write of ``folder/name`` left behind.

    Those named ``.NAME.PID.XXXXXXXX`` (:func:`write_atomic`, :func:`write_all`) whose
    process ``PID`` is no longer running, and those of an older chainmap
    (``.NAME.XXXXXXXX``, no process id) not changed for :data:`STALE_AGE` seconds. A
    temporary file of a running process is left alone; one that cannot be removed is
    left too (the write goes on).

    Parameters
    ----------
    folder
        The target's folder.
    name
        The target's file name.

    Returns
    -------
    list of Path
        The files removed.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".gaps.csv.999999999.abcd1234").write_text("half")
    >>> [p.name for p in remove_stale(folder, "gaps.csv")]
    ['.gaps.csv.999999999.abcd1234']
    """
    import time

    folder = Path(folder)
    pattern = re.compile(re.escape(f".{name}.") + r"(?:(\d+)\.)?[a-z0-9_]{8}")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if found[1] is not None:
                if _alive(int(found[1])):
                    continue
            elif time.time() - entry.stat(follow_symlinks=False).st_mtime < STALE_AGE:
                continue
            os.unlink(entry.path)
        except (OSError, ValueError, OverflowError):
            continue
        removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether the process ``pid`` is running (this one's own files count as alive)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would end the process there: ask the system instead
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))  # type: ignore[attr-defined]
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or cannot tell: leave its file alone
    return True


@functools.cache
def _umask() -> int:
    """The process umask, read once (reading it means setting it for a moment)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def refuse_existing(path: str | os.PathLike, names: Iterable[str] | None = None, *,
                    force: bool = False) -> None:
    """Refuse to overwrite what exists at ``path``, unless ``force``.

    Parameters
    ----------
    path
        The file to be written or, with ``names``, the folder to be written into.
    names
        The files a write puts into the folder ``path``; only these count (other files
        in it, or an empty folder, are no reason to refuse).
    force
        Overwrite them: nothing is refused.

    Raises
    ------
    ArgumentError
        ``path`` (or one of ``names`` in it) exists and ``force`` is false; the message
        names the file or files and ``force=True`` (``--force`` on the command line),
        and its :attr:`~chainmap.errors.ChainmapError.parameter` is ``force``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "chains.csv").write_text("id", encoding="utf-8")
    >>> refuse_existing(folder, ["notes.csv"])  # chains.csv is not written: fine
    >>> refuse_existing(folder, ["chains.csv", "products.csv"], force=True)
    >>> refuse_existing(folder, ["chains.csv", "products.csv"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    chainmap.errors.ArgumentError: ... already holds chains.csv; give another folder, ...
    """
    if force:
        return
    target = Path(path)
    if names is None:
        if target.exists():
            raise ArgumentError(_("{path} exists; give another file, or force=True to "
                                  "overwrite it").format(path=target), parameter="force")
        return
    there = [name for name in names if (target / name).exists()]
    if there:
        raise ArgumentError(_("{folder} already holds {files}; give another folder, or "
                              "force=True to overwrite what is there").format(
                                  folder=target, files=join(there)), parameter="force")


def write_atomic(path: str | os.PathLike, writer: Writer) -> Path:
    """Write one file whole or not at all: ``writer(tmp)`` writes it, then it is renamed.

    Parameters
    ----------
    path
        The file to write; its folder must exist.
    writer
        Called with the name of a temporary file in the same folder; writes the whole
        file there.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ChainmapError
        When the file cannot be written (``cannot write PATH: reason``); ``path`` is
        then left as it was.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "note.txt"
    >>> write_atomic(target, lambda tmp: Path(tmp).write_text("当涂", encoding="utf-8")).name
    'note.txt'
    >>> target.read_text(encoding="utf-8")
    '当涂'
    """
    target = Path(path)
    try:
        tmp = _temporary(target.parent, target.name)
    except OSError as exc:
        raise ChainmapError(_("cannot write {path}: {reason}").format(
            path=target, reason=system_error(exc))) from None
    try:
        writer(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, target)
    except OSError as exc:
        raise ChainmapError(_("cannot write {path}: {reason}").format(
            path=target, reason=system_error(exc))) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def write_all(folder: str | os.PathLike, files: Mapping[str, Writer]) -> list[Path]:
    """Write several files into ``folder`` all at once.

    Each ``files[name](tmp)`` writes a temporary file; only when every one is written
    are they all renamed into place, so a failure while writing leaves the folder as
    it was.

    Parameters
    ----------
    folder
        An existing folder.
    files
        File name (inside ``folder``) -> writer of that file, called with a temporary
        file's name.

    Returns
    -------
    list of Path
        The files written, in the order given.

    Raises
    ------
    ChainmapError
        When a file cannot be written (``cannot write to FOLDER: reason``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> paths = write_all(folder, {"a.txt": lambda tmp: Path(tmp).write_text("a"),
    ...                            "b.txt": lambda tmp: Path(tmp).write_text("b")})
    >>> [p.name for p in paths], sorted(p.name for p in folder.iterdir())
    (['a.txt', 'b.txt'], ['a.txt', 'b.txt'])
    """
    folder = Path(folder)
    staged: list[tuple[str, Path]] = []
    try:
        for name, write in files.items():
            tmp = _temporary(folder, name)
            staged.append((tmp, folder / name))
            write(tmp)
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise ChainmapError(_("cannot write to {folder}: {reason}").format(
            folder=folder, reason=system_error(exc))) from None
    finally:
        for tmp, _target in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [target for _tmp, target in staged]


@functools.cache
def _pandas_missing() -> tuple[object, ...]:
    """The missing-value singletons of pandas, ``pd.NA`` and ``pd.NaT`` (imported once)."""
    import pandas as pd

    return (pd.NA, pd.NaT)


def plain_value(value: object) -> object:
    """``value`` as a plain Python value, for JSON text and spreadsheet cells.

    numpy scalars are unwrapped, lists and dicts recursed into, and missing or
    non-finite numbers (NaN, inf, ``pd.NA``, ``NaT``) become ``None``, so that JSON
    made from the result is always valid.

    Examples
    --------
    >>> import numpy as np
    >>> plain_value([np.int64(3), float("nan"), {"k": np.float64(0.5)}])
    [3, None, {'k': 0.5}]
    """
    if isinstance(value, (list, tuple)):
        if all(type(v) is str for v in value):  # a list of ids: nothing to convert
            return list(value)
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    na, nat = _pandas_missing()
    if value is None or value is na or value is nat:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: First characters that make a spreadsheet evaluate a CSV cell (a formula or DDE call).
FORMULA_START = frozenset("=+-@\t\r")
#: A plain number such as ``-3.5`` or ``+2``: a spreadsheet reads it as a number, never
#: a formula, so it is written as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_text(text: str) -> str:
    """``text`` as a CSV cell that Excel and WPS show as text, never evaluate.

    A cell that starts, after any apostrophes, with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return gets one more leading apostrophe (``=1+1`` -> ``'=1+1``,
    ``'=x`` -> ``''=x``); a plain number (``-3.5``) stays as it is. :func:`csv_value`
    takes the apostrophe off again, so what is written reads back exactly.

    Examples
    --------
    >>> [csv_text(t) for t in ("=1+1", "@SUM(1)", "-3.5", "'=x", "'x", "当涂")]
    ["'=1+1", "'@SUM(1)", '-3.5', "''=x", "'x", '当涂']
    """
    head = text.lstrip("'")
    if not head or head[0] not in FORMULA_START:
        return text
    if len(head) == len(text) and _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def csv_value(cell: str) -> str:
    """A CSV cell as chainmap wrote it with :func:`csv_text`, apostrophe taken off.

    A cell of one or more apostrophes then ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return loses its first apostrophe; every other cell is as written.

    Examples
    --------
    >>> [csv_value(c) for c in ("'=1+1", "''=x", "'x", "-3.5", "'-3.5")]
    ['=1+1', "'=x", "'x", '-3.5', '-3.5']
    """
    if cell[:1] != "'":
        return cell
    head = cell.lstrip("'")
    return cell[1:] if head and head[0] in FORMULA_START else cell


def _csv_cell(value: object) -> object:
    return csv_text(value) if isinstance(value, str) and value[:1] in _CSV_FIRST else value


_CSV_FIRST = FORMULA_START | {"'"}
#: A text's first character (``""`` for an empty one), mapped over a column in C.
_FIRST = operator.itemgetter(slice(None, 1))


def _texts(values: list) -> list[str]:
    """The text cells of ``values`` (a column as a list): itself when all are text."""
    if set(map(type, values)) <= {str}:
        return values
    return [v for v in values if isinstance(v, str)]


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells and headers made inert for a CSV file (:func:`csv_text`).

    Numbers stay numbers (only text and object columns are looked at); ``frame`` is
    returned itself when no cell needs an apostrophe. A column is looked at by its
    cells' first characters, gathered in C (a report of 100,000 rows has a million
    cells); only a column with one to change is made again cell by cell.
    """
    changed: dict[str, list] = {}
    for col in frame.columns:
        if frame[col].dtype.kind in "biufcmM":  # numbers, booleans, dates: never text
            continue
        values = frame[col].tolist()
        if not _CSV_FIRST.isdisjoint(map(_FIRST, _texts(values))):
            changed[col] = [_csv_cell(v) for v in values]
    headers = [_csv_cell(c) for c in frame.columns]
    if not changed and headers == list(frame.columns):
        return frame
    out = frame.copy()
    for col, values in changed.items():
        out[col] = values
    out.columns = headers
    return out


def inert_csv(frame: pd.DataFrame, path: str | None = None, **options: Any) -> str | None:
    r"""``frame.to_csv(path, index=False, **options)`` with cells made inert.

    Text cells a spreadsheet would evaluate get their apostrophe (:func:`csv_frame`), and
    when a cell holds a carriage return every text cell is quoted: Python 3.11's CSV
    writer leaves a lone ``\r`` unquoted, and a spreadsheet would start a new row there
    (``x\r=cmd`` -> a row starting ``=cmd``).
    """
    import csv

    out = csv_frame(frame)
    if any("\r" in "".join(_texts(out[col].tolist()))
           for col in out.columns if out[col].dtype.kind not in "biufcmM") \
            or any("\r" in str(c) for c in out.columns):
        options["quoting"] = csv.QUOTE_NONNUMERIC
    return out.to_csv(path, index=False, **options)


#: The most characters (UTF-16 units) an Excel cell holds.
EXCEL_CELL_LIMIT = 32_767
#: What :func:`xlsx_cell` escapes the OOXML way (``_x001B_``): the control characters XML
#: cannot hold, a carriage return (XML readers make it a line feed) and the ``_`` of text
#: that already looks like such an escape (``_x0041_`` -> ``_x005F_x0041_``).
_XLSX_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


class CellTooLong(ChainmapError):
    """A text longer than Excel holds in one cell (:data:`EXCEL_CELL_LIMIT`)."""

    def __init__(self, length: int) -> None:
        self.length = length
        super().__init__(_("a cell holds {length:,} characters; Excel holds at most "
                           "{limit:,}").format(length=length, limit=EXCEL_CELL_LIMIT))


def _xlsx_text(text: str) -> str:
    """``text`` escaped the OOXML way where XML or Excel cannot hold it as is."""
    return _XLSX_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_cell(sheet: Any, value: object) -> Any:
    r"""A cell of the write-only ``sheet`` holding ``value``, safe to open in Excel.

    Text is always a *string* cell, never a formula: a firm named ``=1+2`` or
    ``=HYPERLINK("http://x","y")`` is shown as written, not evaluated. Control
    characters that XML cannot hold (``\x1b``, ``\x0b``) and carriage returns are
    written the OOXML way, ``_x001B_``, which Excel, WPS and chainmap's reader turn back
    into the character; text that already looks like such an escape gets its ``_``
    escaped (``_x005F_``), so that it reads back as written. Nothing is dropped. Text
    longer than Excel holds (:data:`EXCEL_CELL_LIMIT`) raises :class:`CellTooLong`.
    Lists are joined by ``;``; ``None``, ``""``, NaN and ±inf give an empty cell;
    numbers, booleans and dates stay typed; anything else is written as its text.

    For ``openpyxl.Workbook(write_only=True)`` sheets:
    ``sheet.append([xlsx_cell(sheet, v) for v in row])``, or :func:`xlsx_row`.

    Parameters
    ----------
    sheet
        A sheet of an ``openpyxl.Workbook(write_only=True)``.
    value
        What the cell holds.

    Returns
    -------
    openpyxl.cell.WriteOnlyCell
        The cell, for ``sheet.append``.
    """
    from openpyxl.cell import WriteOnlyCell

    value = _joined(plain_value(value))
    if not isinstance(value, str):
        try:
            return WriteOnlyCell(sheet, value=value)
        except (TypeError, ValueError):  # a type openpyxl has no cell type for
            value = str(value)
    if not value:
        return WriteOnlyCell(sheet, value=None)
    if len(value) > EXCEL_CELL_LIMIT // 2 and \
            len(value.encode("utf-16-le")) // 2 > EXCEL_CELL_LIMIT:
        raise CellTooLong(len(value.encode("utf-16-le")) // 2)
    cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
    cell.data_type = "s"  # openpyxl would make text starting with '=' a formula
    return cell


def _joined(value: object) -> object:
    """A list as the text of its cell (joined by ``;``); anything else as it is."""
    if isinstance(value, list):
        return ";".join("" if v is None else str(v) for v in value)
    return value


def xlsx_row(sheet: Any, values: Iterable[object]) -> list:
    """``[xlsx_cell(sheet, v) for v in values]``: a row for ``sheet.append``.

    Parameters
    ----------
    sheet
        A sheet of an ``openpyxl.Workbook(write_only=True)``.
    values
        The row's values.

    Returns
    -------
    list
        The cells.
    """
    return [xlsx_cell(sheet, v) for v in values]


#: Number formats of the column kinds :func:`write_xlsx` knows (``kinds=``).
NUMBER_FORMATS = {
    "money": "0.00",        # 亿元, two decimals
    "percent": "0.0%",      # a share: 0.239 shows as 23.9%
    "count": "0",           # a whole number
    "amount": "#,##0",      # 万元 and other large amounts, thousands separated
    "decimal": "0.00",      # a measure read to two decimals (proximity 0.57), kept whole
    "date": "yyyy-mm-dd",   # ISO text or a date becomes a date cell
}
#: Column kinds that :func:`write_xlsx` writes without a number format.
PLAIN_KINDS = ("text", "number")


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike, *,
               kinds: Mapping[str, Mapping[str, str]] | None = None,
               fit: bool = True,
               choices: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> Path:
    """Write one sheet per frame to an ``.xlsx`` workbook, whole or not at all.

    The one workbook writer: report workbooks (``--format xlsx``), the lead export,
    the dataset export and the classify review sheet. Sheet names are cut to Excel's
    31 characters and written as Excel takes them (:func:`sheet_titles`); the header row
    is the frame's column names; cells are made by
    :func:`xlsx_cell` (text is never a formula, lists are joined by ``;``, control
    characters XML cannot hold are escaped the OOXML way, ``_x001B_``, and read back).

    Each column is written by its *kind* (``kinds[sheet][column]``, see
    :data:`NUMBER_FORMATS`): ``money`` ``0.00``, ``percent`` ``0.0%``, ``count`` ``0``,
    ``amount`` ``#,##0``, ``decimal`` ``0.00`` (the cell keeps every digit), ``date`` a
    date cell shown ``yyyy-mm-dd`` (ISO text is turned into a date; other text stays text),
    ``number`` a number cell when the text is a finite number (else text), ``text``
    always text (ids, USCCs: ``"0012"`` stays ``"0012"``). A column not named there and
    holding integers is a ``count``.

    Parameters
    ----------
    sheets
        Sheet name -> frame, in sheet order.
    path
        The workbook to write.
    kinds
        Sheet name -> column -> kind, for the columns that need one.
    fit
        Lay the sheets out for reading (the default): the header row bold and frozen,
        an autofilter over the table, each column as wide as its longest cell (a
        Chinese character counts twice; between 6 and 60).
    choices
        Sheet name -> column -> the words a person picks from in that column's cells
        (a drop-down list in Excel and WPS, e.g. 是 / 否 of the classify review sheet);
        other text may still be typed (no error box): whoever reads the sheet back
        decides what it takes.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ChainmapError
        When the file cannot be written, or a text is longer than Excel holds in a cell
        (the error names the cell, its sheet and column; nothing is written).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["=1+2"], "count": [3], "rate": [0.239]})
    >>> path = write_xlsx({"report": frame}, Path(tempfile.mkdtemp()) / "r.xlsx",
    ...                   kinds={"report": {"rate": "percent"}})
    >>> sheet = openpyxl.load_workbook(path)["report"]
    >>> [c.value for c in sheet[2]], [c.number_format for c in sheet[2]]
    (['=1+2', 3, 0.239], ['General', '0', '0.0%'])
    >>> sheet.freeze_panes, sheet.auto_filter.ref, sheet["A1"].font.b
    ('A2', 'A1:C2', True)
    """
    def write(tmp: str) -> None:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        titles = sheet_titles(sheets)
        for name, frame in sheets.items():
            sheet = book.create_sheet(titles[name])
            header = [str(c) for c in frame.columns]
            declared = (kinds or {}).get(name, {})
            column_kinds = [declared.get(c) or _inferred_kind(frame[c]) for c in frame.columns]
            line, cells = 1, header  # type: int, Iterable[object]
            for column, words in (choices or {}).get(name, {}).items():
                if column in header and len(frame):
                    sheet.data_validations.append(_drop_down(
                        header.index(column), len(frame), words))
            try:
                if fit:
                    _fit(sheet, frame)
                    sheet.append(_bold_row(sheet, header))
                else:
                    sheet.append(xlsx_row(sheet, header))
                for cells in frame.itertuples(index=False, name=None):
                    line += 1  # the Excel row, for the error naming a cell too long
                    sheet.append([_typed_cell(sheet, v, k)
                                  for v, k in zip(cells, column_kinds, strict=True)])
            except CellTooLong as exc:
                with contextlib.suppress(Exception):  # its rows ended now, while the file
                    sheet.close()  # is open (not when collected, after it is gone)
                raise _too_long(exc, path, titles[name], header, line, cells) from None
        book.save(tmp)

    return write_atomic(path, write)


def _drop_down(position: int, rows: int, words: Sequence[str]) -> Any:
    """A drop-down list of ``words`` under the header of column ``position`` (0-based).

    Over its ``rows`` cells; any other text may be typed too.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(position + 1)
    listed = ",".join(w.replace('"', '""') for w in words)
    found = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                           showErrorMessage=False)
    found.add(f"{letter}2:{letter}{rows + 1}")
    return found


#: Characters Excel refuses in a sheet's name, and the full-width ones that stand for them
#: (a 督办单 per person: 王磊/李娜 becomes 王磊／李娜).
_SHEET_CHARACTERS = str.maketrans({"/": "／", "\\": "＼", "?": "？", "*": "＊", ":": "：",
                                   "[": "【", "]": "】"})


#: What :func:`chainmap.output.visible` escapes (controls, bidi, zero-width): a sheet
#: name holds none of them (XML cannot hold most; the others turn the tab around).
_TITLE_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029"
                              "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _title_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sheet_titles(sheets: Iterable[object]) -> dict[Any, str]:
    r"""The sheet name Excel takes for each of ``sheets``' names, distinct.

    Excel refuses ``/ \ ? * : [ ]`` (written full-width instead), a name longer than 31
    characters (cut), a blank one or one starting or ending with ``'``; two names alike
    after that get ``(2)``, ``(3)`` ... Control, bidi and zero-width characters (which
    XML cannot hold or which turn the tab's text around) are written as escapes first
    as :func:`chainmap.output.visible` writes them (``王\x01磊`` is ``王＼x01磊``).

    Examples
    --------
    >>> list(sheet_titles(["王磊/李娜", "招商一局：张超*", "", "x" * 40, "x" * 31]).values())
    ... # doctest: +NORMALIZE_WHITESPACE
    ['王磊／李娜', '招商一局：张超＊', 'Sheet', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
     'xxxxxxxxxxxxxxxxxxxxxxxxxxxx(2)']
    """
    out: dict[Any, str] = {}
    taken: set[str] = set()
    for name in sheets:
        title = _TITLE_INVISIBLE.sub(_title_escape, str(name)).translate(_SHEET_CHARACTERS) \
            .strip().strip("'")[:31] or "Sheet"
        unique, n = title, 1
        while unique.lower() in taken:
            n += 1
            unique = title[:31 - len(f"({n})")] + f"({n})"
        taken.add(unique.lower())
        out[name] = unique
    return out


def _too_long(exc: CellTooLong, path: str | os.PathLike, sheet: str, header: list[str],
              line: int, cells: Iterable[object]) -> ChainmapError:
    """The error naming the cell (``B7``, its sheet and column) too long for Excel."""
    from openpyxl.utils import get_column_letter

    texts = [_joined(plain_value(v)) for v in cells]  # as the cells were written
    index = next((i for i, v in enumerate(texts)
                  if isinstance(v, str) and len(v.encode("utf-16-le")) // 2 == exc.length), 0)
    column = header[index] if index < len(header) else ""
    return ChainmapError(_("cannot write {path}: cell {cell} of sheet '{sheet}' (column "
                           "'{column}') holds {length:,} characters; Excel holds at most "
                           "{limit:,} in a cell").format(
        path=Path(path).name, cell=f"{get_column_letter(index + 1)}{line}", sheet=sheet,
        column=column, length=exc.length, limit=EXCEL_CELL_LIMIT))


def _inferred_kind(column: pd.Series) -> str | None:
    """``count`` for a column of integers (not booleans), else none."""
    from pandas.api.types import is_bool_dtype, is_integer_dtype

    return "count" if is_integer_dtype(column) and not is_bool_dtype(column) else None


def _typed_cell(sheet: Any, value: object, kind: str | None) -> Any:
    """The cell of ``value`` written as a column of ``kind`` (see :func:`write_xlsx`)."""
    value = plain_value(value)
    if kind == "text":
        return xlsx_cell(sheet, "" if value is None else str(value))
    if kind == "date" and isinstance(value, str):
        value = _iso_date(value)
    elif kind in ("money", "percent", "count", "amount", "decimal", "number") \
            and isinstance(value, str):
        value = _number(value)
    cell = xlsx_cell(sheet, value)
    number_format = NUMBER_FORMATS.get(kind or "")
    if number_format and not isinstance(value, (str, bool)) and value is not None:
        cell.number_format = number_format
    return cell


def _iso_date(text: str) -> object:
    """``text`` as a date when it is an ISO date (``2026-03-18``), else ``text``."""
    import datetime as dt

    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return text


def _number(text: str) -> object:
    """``text`` as an ``int`` or ``float`` when it is one written plainly, else ``text``.

    Only text that a spreadsheet reader gives back the same is turned into a number
    (``"12"``, ``"1.5"``; not ``"012"``, ``"1e3"``, ``"1.50"`` or ``"nan"``), so that a
    workbook read back as text holds what was written.
    """
    stripped = text.strip()
    if stripped != text or not stripped:
        return text
    try:
        number = int(stripped)
    except ValueError:
        try:
            real = float(stripped)
        except ValueError:
            return text
        if not math.isfinite(real) or repr(real) != stripped or real.is_integer():
            return text
        return real
    if str(number) != stripped or abs(number) >= 10**15:  # Excel keeps 15 digits
        return text
    return number


def _width(value: object) -> int:
    """How many columns of Excel's width a cell's text takes (a wide character two)."""
    import unicodedata

    value = plain_value(value)
    if isinstance(value, float):  # shown with a number format, not all 17 digits
        value = f"{value:,.2f}"
    text = "" if value is None else str(value or "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(sheet: Any, frame: pd.DataFrame) -> None:
    """Column widths fitting ``frame`` (6 to 60), a frozen header row and an autofilter."""
    from openpyxl.utils import get_column_letter

    for i, column in enumerate(frame.columns, start=1):
        cells = frame[column].head(1000).tolist()
        widest = max([_width(column), *(_width(v) for v in cells)])
        sheet.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 6), 60)
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        last = get_column_letter(len(frame.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"


def _bold_row(sheet: Any, values: list[str]) -> list:
    """The header row's cells, in bold."""
    from openpyxl.styles import Font

    cells = xlsx_row(sheet, values)
    for cell in cells:
        cell.font = Font(bold=True)
    return cells
