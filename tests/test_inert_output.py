"""Output is inert wherever a person opens it (issue 14, item 3).

Hostile names (formulas, HTML, Markdown links, terminal escapes, bidi and zero-width
characters) are shown as text in CSV (a leading apostrophe), Markdown (escaped), terminal
tables (visible escapes) and xlsx (OOXML ``_x001B_`` escapes), and survive import ->
export -> import exactly in CSV and xlsx. NUL is refused at import (item 2): not here.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import textwrap

import openpyxl
import pandas as pd
import pytest

import chainmap
from chainmap import files
from chainmap.errors import ChainmapError
from chainmap.files import write_xlsx
from chainmap.output import render
from tests.conftest import TINY, write_files
from tests.test_cli_import import snapshot

HOSTILE = [
    "=1+1",
    "+cmd|'/C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "\x1b[31m red",
    "abc\u202eevil.exe",
    "a\u200db",
    # what the escapes themselves must not eat
    "'=already quoted",
    "''@two",
    "'plain apostrophe",
    "_x001B_ literal",
    "a\x0bb\x1fc",
]
#: Cells a spreadsheet evaluates: the first character after any apostrophes.
LIVE = tuple("=+-@\t\r")


def _live(cell: str) -> bool:
    return cell.startswith(LIVE)


def csv_text(text: str) -> str:
    return files.csv_text(text)


def csv_value(cell: str) -> str:
    return files.csv_value(cell)


# --- the CSV rule --------------------------------------------------------------------

@pytest.mark.parametrize("text", [*HOSTILE, "-3.5", "+2", "1e5", "-", "'", "", "当涂"])
def test_csv_rule_is_reversible(text):
    written = csv_text(text)
    assert not _live(written) or text in ("-3.5", "+2")
    assert csv_value(written) == text


def test_plain_numbers_stay_numbers():
    assert [csv_text(t) for t in ("-3.5", "+2", "-1e5", ".5")] == ["-3.5", "+2", "-1e5", ".5"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_report_csv_cells_are_text_for_spreadsheets():
    frame = pd.DataFrame({"name": HOSTILE, "n": range(len(HOSTILE)),
                          "list": [[h, "ok"] for h in HOSTILE]})
    rows = _csv_rows(render(frame, "csv"))
    assert rows[0] == ["name", "n", "list"]
    for row, name in zip(rows[1:], HOSTILE, strict=True):
        assert not _live(row[0]) and not _live(row[2])
        assert csv_value(row[0]) == name.replace("\r", "\n") or csv_value(row[0]) == name
    # a carriage return inside a cell is quoted: unquoted, a spreadsheet starts a row there
    split = _csv_rows(render(pd.DataFrame({"a": ["x\r=cmd|' /C calc'!A0"], "n": [1]}), "csv"))
    assert split == [["a", "n"], ["x\r=cmd|' /C calc'!A0", "1"]]
    negative = _csv_rows(render(pd.DataFrame({"x": [-3.5], "t": ["-3.5"]}), "csv"))
    assert negative[1] == ["-3.5", "-3.5"]


class _Name(str):
    """Text of a subclass of ``str`` (a NumPy or pandas value may be one)."""


def test_a_hostile_cell_among_empty_and_numeric_cells_is_still_made_inert():
    """Columns are looked at by their cells' types and first characters in C: a column
    of mostly empty cells or numbers with one formula, one line break or one list."""
    empty = [None] * 5000
    frame = pd.DataFrame({
        "formula": pd.Series([*empty, "=1+1", 2.5], dtype=object),
        "cr": pd.Series([*empty, "x\r=cmd", 7], dtype=object),
        "list": pd.Series([*empty, ["=a", "b"], None], dtype=object),
        "sub": pd.Series([*empty, _Name("@SUM(1)"), "ok"], dtype=object)})
    rows = _csv_rows(render(frame, "csv"))
    assert rows[-2] == ["'=1+1", "x\r=cmd", "'=a;b", "'@SUM(1)"]
    assert rows[-1] == ["2.5", "7", "", "ok"]
    assert rows[1] == ["", "", "", ""]


# --- Markdown and terminal tables ----------------------------------------------------

def test_markdown_shows_html_and_links_as_text():
    md = render(pd.DataFrame({"name": HOSTILE}), "md")
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "[x](" not in md and "\\[x\\](javascript:alert(1))" in md
    assert "\x1b" not in md and "\\x1b\\[31m red" in md
    assert "\u202e" not in md and "\u200d" not in md
    lines = md.splitlines()
    assert len(lines) == 2 + len(HOSTILE)  # no cell breaks a line
    assert all(line.count(" | ") == 0 or "\\|" in line for line in lines[2:])
    assert "+cmd\\|'/C calc'!A0" in md


def test_markdown_images_and_links_are_inert():
    """A link or an image needs an unescaped ``[`` ... ``]`` (CommonMark 6.3, 6.4): with
    both brackets escaped, ``(`` ``)`` and ``!`` are plain text and keep no backslash."""
    md = render(pd.DataFrame({"name": ["![x](javascript:alert(1))", "[a](b)", "a (b)!",
                                       "[ref]: /url", "[^1] [x][ref] ![y][]"]}), "md")
    cells = [line[2:-2] for line in md.splitlines()[2:]]
    assert cells == ["!\\[x\\](javascript:alert(1))", "\\[a\\](b)", "a (b)!",
                     "\\[ref\\]: /url", "\\[^1\\] \\[x\\]\\[ref\\] !\\[y\\]\\[\\]"]
    assert re.findall(r"(?<!\\)[\[\]]", md) == []  # every bracket escaped


def test_markdown_leaves_ordinary_names_as_typed():
    """Parentheses and exclamation marks, ASCII or full-width, in a firm's name carry no
    backslash in the Markdown source (session 11: ``上海某\\(集团\\)有限公司\\!``)."""
    names = ["上海某(集团)有限公司！", "安徽皓月(马鞍山)电气有限公司!",
             "奥克斯空调（马鞍山）有限公司",
             "当涂县经济开发区 #1: 2 - 3 + 4 = 10. 1) 2!"]
    md = render(pd.DataFrame({"企业(名称)!": names}), "md")
    lines = md.splitlines()
    assert lines[0] == "| 企业(名称)! |"
    assert [line[2:-2] for line in lines[2:]] == names
    assert "\\" not in md


#: What CommonMark reads a backslash escape and these entities as (spec 2.4, 2.5).
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&(lt|gt|amp);")
#: Signs that start Markdown syntax in a cell when not escaped: a link or image
#: bracket, HTML or an autolink, an entity, a code span, emphasis, strike-through, a cell
#: break. (An underscore opens or closes emphasis unless between two letters or digits.)
_ACTIVE = re.compile(r"(?<!\\)(?:\\\\)*([\[\]<>&`*~|])|(?<!\\)(?<![^\W_])_|(?<!\\)_(?![^\W_])")


@pytest.mark.parametrize("name", HOSTILE[:11] + [
    "![x](javascript:alert(1))", "[a]: <javascript:x>", "\\[x](y)", "\\\\[x](y)",
    "<!-- x -->", "&lt;b&gt; &#60;", "`code` ``x``", "**b** __u__ _i_ *i* a__b__c _中_ 中_文_",
    "~~s~~ ~t~",
    "[^1]", "<http://a.b>", "a|b\\|c", "上海某(集团)有限公司！"])
def test_a_markdown_cell_reads_back_as_the_name(name):
    """No renderer is among the test dependencies, so the rules it follows are checked
    directly: every sign that would start a link, an image, HTML, an autolink, an entity,
    a code span, emphasis or a cell break is escaped, and undoing CommonMark's escapes
    and entities gives back the name (its control characters shown as escapes)."""
    from chainmap.output import markdown_text, visible

    cell = markdown_text(name)
    assert [m.group() for m in _ACTIVE.finditer(cell.replace("&lt;", "").replace(
        "&gt;", "").replace("&amp;", ""))] == []
    shown = _UNESCAPE.sub(lambda m: m.group(1) or {"lt": "<", "gt": ">", "amp": "&"}[m.group(2)],
                          cell)
    assert shown == visible(re.sub("\r\n|\r|\n", " ", name))


def test_markdown_emphasis_code_and_strike_through_are_inert():
    """A *ST firm, a note in **bold**, `code`, ~~struck~~ or _em_ shows as typed; an
    underscore inside a word (``local_firms``, 中_文) is left as it is."""
    md = render(pd.DataFrame({"local_firms": ["*ST康美;*ST长城", "**重点** `x` ~~删~~",
                                              "_em_ a_b 中_文"]}), "md")
    lines = md.splitlines()
    assert lines[0] == "| local_firms |"
    assert [line[2:-2] for line in lines[2:]] == [
        "\\*ST康美;\\*ST长城", "\\*\\*重点\\*\\* \\`x\\` \\~\\~删\\~\\~",
        "\\_em\\_ a_b 中_文"]


def test_markdown_escapes_headers_too():
    md = render(pd.DataFrame({"<b>x</b>": [1]}), "md")
    assert md.splitlines()[0] == "| &lt;b&gt;x&lt;/b&gt; |"


def test_table_shows_control_and_bidi_characters_as_escapes():
    text = render(pd.DataFrame({"name": HOSTILE, "h\x1b": range(len(HOSTILE))}), "table")
    for bad in ("\x1b", "\u202e", "\u200d", "\r", "\t", "\x0b", "\x1f"):
        assert bad not in text
    for shown in ("\\x1b[31m red", "abc\\u202eevil.exe", "a\\u200db", "\\x09=1",
                  "\\x0d=1", "h\\x1b"):
        assert shown in text
    assert len(text.splitlines()) == 2 + len(HOSTILE)


# --- xlsx ----------------------------------------------------------------------------

def test_xlsx_keeps_what_it_cannot_hold_as_escapes(tmp_path):
    path = write_xlsx({"s": pd.DataFrame({"name": HOSTILE})}, tmp_path / "h.xlsx")
    from chainmap.io.read import _open_book as open_book
    from chainmap.io.read import sheet_cells

    book = open_book(path)
    try:
        frame, _lines = sheet_cells(book.worksheets[0])
    finally:
        book.close()
    assert frame[0].tolist() == ["name", *HOSTILE]
    raw = [c.value for c in openpyxl.load_workbook(path)["s"]["A"]][1:]
    assert raw[HOSTILE.index("\x1b[31m red")] == "_x001B_[31m red"
    assert raw[HOSTILE.index("_x001B_ literal")] == "_x005F_x001B_ literal"


def test_xlsx_refuses_a_cell_longer_than_excel_holds(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "note": ["short", "长" * 32_768]})
    with pytest.raises(ChainmapError) as err:
        write_xlsx({"leads": frame}, tmp_path / "long.xlsx")
    assert str(err.value) == ("cannot write long.xlsx: cell B3 of sheet 'leads' (column "
                              "'note') holds 32,768 characters; Excel holds at most 32,767 "
                              "in a cell")
    assert not (tmp_path / "long.xlsx").exists()
    assert list(tmp_path.iterdir()) == []
    write_xlsx({"leads": frame.assign(note=["x", "长" * 32_767])}, tmp_path / "ok.xlsx")


def test_a_list_too_long_for_a_cell_is_named_by_its_own_column(tmp_path):
    """A list is written joined by ';': the error names its cell, not the first one."""
    names = ["长" * 99] * 400  # 400 x 99 + 399 separators = 39,999 characters
    frame = pd.DataFrame({"product": ["p1", "p2"], "candidates": [["a"], names]})
    with pytest.raises(ChainmapError) as err:
        write_xlsx({"gaps": frame}, tmp_path / "long.xlsx")
    assert str(err.value) == ("cannot write long.xlsx: cell B3 of sheet 'gaps' (column "
                              "'candidates') holds 39,999 characters; Excel holds at most "
                              "32,767 in a cell")


# --- import -> export -> import ------------------------------------------------------

def _quoted(rows, lineterminator="\r\n"):
    """``rows`` as CSV text, every cell quoted."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=lineterminator).writerows(rows)
    return out.getvalue()


def _with_firms(names, prefix, lineterminator="\r\n"):
    """TINY's files with a firm in 当涂县 called each of ``names`` (ids PREFIX0, ...)."""
    files = dict(TINY)
    companies = list(csv.reader(io.StringIO(textwrap.dedent(TINY["companies.csv"]))))
    header = companies[0]
    for i, name in enumerate(names):
        row = dict.fromkeys(header, "")
        row.update(id=f"{prefix}{i}", name=name, province="安徽省", city="马鞍山市",
                   district="当涂县")
        companies.append([row[h] for h in header])
    files["companies.csv"] = _quoted(companies, lineterminator)
    return files


def _hostile_dataset(folder):
    """TINY with a firm, a product and a lead note for each hostile name."""
    files = _with_firms(HOSTILE, "h")
    products = [["id", "name", "name_en", "chains", "tier"],
                ["compressor", "压缩机", "compressor", "ac", "midstream"],
                ["capacitor", "电容器", "capacitor", "ac", "upstream"],
                ["ac-unit", "空调整机", "AC unit", "ac", "downstream"],
                *([f"p{i}", f"产品{i}", name, "ac", "upstream"]
                  for i, name in enumerate(HOSTILE))]
    files["products.csv"] = _quoted(products)
    files["leads.csv"] = _quoted([["company", "product", "stage", "owner", "note"],
                                  *([f"h{i}", "compressor", "lead", name, name]
                                    for i, name in enumerate(HOSTILE))])
    return write_files(folder, files)


def _leads(db):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT company_id, owner, note FROM leads").fetchall())


@pytest.mark.parametrize("target", ["out", "out.xlsx"])
def test_hostile_names_round_trip_exactly(tmp_path, target):
    first = tmp_path / "first.db"
    with chainmap.open(first) as ws:
        chainmap.import_dataset(ws, _hostile_dataset(tmp_path / "in"))
        names = ws.table("companies").set_index("id")["name"]
        out = tmp_path / target
        chainmap.export_dataset(ws, out)
    # stored as given (leading blanks trimmed by the reader; control characters kept)
    assert names["h0"] == "=1+1" and names["h8"] == "\x1b[31m red"
    if target == "out":
        text = (out / "companies.csv").read_text("utf-8-sig")
        cells = [row[1] for row in _csv_rows(text)[1:]]
        assert not any(_live(c) for c in cells)
        # the first import read ''@two as '@two (one apostrophe is the CSV rule's)
        assert "'=1+1" in cells and "''@two" in cells and "'plain apostrophe" in cells
    second = tmp_path / "second.db"
    with chainmap.open(second) as ws:
        chainmap.import_dataset(ws, out)
    assert snapshot(second) == snapshot(first)
    assert _leads(second) == _leads(first)
    assert len(_leads(first)) == len(HOSTILE)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_lead_export_round_trips_hostile_notes(tmp_path, suffix):
    first = tmp_path / "first.db"
    with chainmap.open(first) as ws:
        chainmap.import_dataset(ws, _hostile_dataset(tmp_path / "in"))
        path = chainmap.export_leads(ws, tmp_path / f"leads{suffix}")
    if suffix == ".csv":
        rows = _csv_rows(path.read_text("utf-8-sig"))
        assert not any(_live(c) for row in rows for c in row)
    second = tmp_path / "second.db"
    with chainmap.open(second) as ws:
        chainmap.import_dataset(ws, _hostile_dataset(tmp_path / "in2"))
        with sqlite3.connect(second) as conn:
            conn.execute("DELETE FROM leads")
        chainmap.import_leads(ws, path)
    assert _leads(second) == _leads(first)


# --- blanks and line breaks kept (issue 14, item 3) ------------------------------------

#: Names whose tabs and line breaks are what people typed: kept by the first import and
#: by every round trip (a CSV cell's leading tab or CR, a CRLF or CR inside a name).
BREAKS = ["\t=1", "\tlead tab", "\rlead cr", "a\r\nb", "a\rb", "a\nb", "trail\t",
          "trail\r\n", "\r\n=cmd"]


def _breaks_dataset(folder):
    return write_files(folder, _with_firms(BREAKS, "b", lineterminator="\n"))


@pytest.mark.parametrize("target", ["out", "out.xlsx"])
def test_tabs_and_line_breaks_in_names_round_trip_exactly(tmp_path, target):
    first = tmp_path / "first.db"
    with chainmap.open(first) as ws:
        chainmap.import_dataset(ws, _breaks_dataset(tmp_path / "in"))
        names = ws.table("companies").set_index("id")["name"]
        chainmap.export_dataset(ws, tmp_path / target)
    # the first import keeps them (it used to strip a leading tab or CR and make a CR \n)
    assert [names[f"b{i}"] for i in range(len(BREAKS))] == BREAKS
    second = tmp_path / "second.db"
    with chainmap.open(second) as ws:
        chainmap.import_dataset(ws, tmp_path / target)
        again = ws.table("companies").set_index("id")["name"]
    assert [again[f"b{i}"] for i in range(len(BREAKS))] == BREAKS
    assert snapshot(second) == snapshot(first)


def test_a_crlf_file_keeps_a_cr_inside_a_quoted_name(tmp_path):
    folder = _breaks_dataset(tmp_path / "in")
    path = folder / "companies.csv"
    path.write_bytes(path.read_bytes().replace(b'"\n', b'"\r\n'))
    with chainmap.open(tmp_path / "w.db") as ws:
        chainmap.import_dataset(ws, folder)
        names = ws.table("companies").set_index("id")["name"]
    assert [names[f"b{i}"] for i in range(len(BREAKS))] == BREAKS
