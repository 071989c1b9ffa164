"""Reading workbooks (python-calamine, or openpyxl's streaming parser for a sparse sheet):
Excel's row numbers, values as text, a sheet beyond the limits refused before it is read
(issue 14, item 5), and corrupt sheets and zips as clean errors."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from chainmap.errors import ChainmapError, DatasetError
from chainmap.io.read import Limits, check_limits, read_limits, read_table
from tests.xlsx_fixtures import COMPANY_HEADER, COMPANY_ROW, cell, row, sheet_xml, write_xlsx_xml


def test_cells_keep_excel_row_numbers_and_read_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "companies"
    sheet["A1"], sheet["B1"], sheet["C1"], sheet["D1"] = "id", "name", "employees", "province"
    sheet["A2"], sheet["B2"], sheet["C2"], sheet["D2"] = "aux", "奥克斯", 3200, "安徽"
    sheet["E2"] = dt.date(2015, 3, 18)
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["D4"] = "haoyue", "皓月", 85.0, "安徽"
    sheet["E1"] = "founded"
    book.save(tmp_path / "d.xlsx")
    raw = read_table(tmp_path / "d.xlsx", "companies")
    assert raw.lines.tolist() == [2, 4]
    assert raw.frame["employees"].tolist() == ["3200", "85"]
    assert raw.frame["province"].tolist() == ["安徽", "安徽"]
    assert raw.frame["founded"].tolist() == ["2015-03-18", ""]  # an extra column, as text
    assert raw.source == "d.xlsx[companies]"


def test_a_stray_cell_far_away_is_refused_before_memory_grows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "companies"
    sheet["A1"], sheet["B1"] = "id", "name"
    sheet["XFD200000"] = "x"
    book.save(tmp_path / "far.xlsx")
    start = time.perf_counter()
    with pytest.raises(DatasetError) as caught:
        read_table(tmp_path / "far.xlsx", "companies")
    assert time.perf_counter() - start < 10
    problem = caught.value.problems[0]
    assert problem.code == "sheet-too-large"
    assert "200000 rows x 16384 columns" in problem.message


def test_a_file_that_is_not_a_workbook_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DatasetError) as caught:
        read_table(tmp_path / "x.xlsx", "companies")
    assert caught.value.problems[0].code == "unreadable"
    assert str(caught.value.problems[0]).startswith("x.xlsx: cannot read the workbook")


# --- bounded reading (issue 14, item 5) --------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
_PEAK = r"""
import resource, sys
from chainmap.errors import ChainmapError
from chainmap.io.read import read_table
try:
    raw = read_table(sys.argv[1], "companies")
    print("ok", len(raw.frame), raw.lines.tolist()[-1:])
except ChainmapError as exc:
    print("error", getattr(exc, "problems", [exc])[0].code, " ".join(str(exc).split())[:400])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak(path: Path, **env: str) -> tuple[str, float, int]:
    """Read ``path`` in a fresh process: its first output line, seconds, peak KiB."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert done.returncode == 0, done.stderr
    said, peak = done.stdout.strip().splitlines()
    return said, time.perf_counter() - start, int(peak)


GIB = 1 << 20  # KiB


@pytest.mark.parametrize("ref", ["XFD200000", "XFD5000"])
def test_one_value_far_away_fails_fast_in_little_memory(tmp_path, ref):
    path = write_xlsx_xml(tmp_path / "far.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW, row(int(ref[3:]), cell(ref, "x"))],
        dimension=f"A1:{ref}")})
    assert path.stat().st_size < 30_000
    said, seconds, peak = _peak(path)
    assert said.startswith("error sheet-too-large"), said
    assert f"(cell {ref})" in said and "CHAINMAP_MAX_COLUMNS" in said
    assert peak < GIB and seconds < 30


@pytest.mark.parametrize("ref", ["A99999999", "ZZZZ1", "a99999999", "$A$99999999",
                                 "B123456789012345"])
def test_a_reference_outside_excels_grid_is_refused_before_it_is_read(tmp_path, ref):
    # found by benchmarks/fuzz.py: python-calamine sized its grid by r="A99999999" and the
    # process aborted allocating 35 GB (a Rust abort: no exception, no message)
    path = write_xlsx_xml(tmp_path / "far.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW, f'<row r="3"><c r="{ref}"><v>1</v></c></row>'])})
    said, seconds, peak = _peak(path)
    assert said.startswith("error sheet-too-large"), said
    assert peak < GIB


def test_a_row_number_outside_excels_grid_is_refused(tmp_path):
    path = write_xlsx_xml(tmp_path / "far.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW, '<row r="99999999"><c><v>1</v></c></row>'])})
    said, _seconds, peak = _peak(path)
    assert said.startswith("error sheet-too-large"), said
    assert peak < GIB


def test_a_missing_dimension_does_not_hide_a_far_cell(tmp_path):
    path = write_xlsx_xml(tmp_path / "far.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW, row(9000, cell("XFD9000", "x"))])})
    with pytest.raises(DatasetError) as caught:
        read_table(path, "companies")
    assert caught.value.problems[0].code == "sheet-too-large"


def test_a_lying_dimension_is_not_believed(tmp_path):
    small = write_xlsx_xml(tmp_path / "small.xlsx", {"companies": sheet_xml(
        [row(5000, cell("XFD5000", "x"))], dimension="A1:A1")})
    with pytest.raises(DatasetError) as caught:
        read_table(small, "companies")
    assert "(cell XFD5000)" in caught.value.problems[0].message
    huge = write_xlsx_xml(tmp_path / "huge.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW], dimension="A1:XFD1048576")})
    raw = read_table(huge, "companies")
    assert raw.frame.to_dict("list") == {"id": ["aux"], "name": ["奥克斯"],
                                        "province": ["安徽省"]}


def test_a_sparse_sheet_within_the_limits_is_streamed(tmp_path):
    # 200 columns x 300,000 rows spanned, 8 cells: read row by row, rows without cells
    # left out (a whole read would hold 60 million cells)
    path = write_xlsx_xml(tmp_path / "sparse.xlsx", {"companies": sheet_xml(
        [row(1, cell("A1", "id"), cell("B1", "name"), cell("C1", "province"),
             cell("GR1", "note")), COMPANY_ROW,
         row(300_000, cell("A300000", "far"), cell("C300000", "安徽省"),
             cell("GR300000", "远"))])})
    said, seconds, peak = _peak(path)
    assert said == "ok 2 [300000]"
    assert peak < GIB and seconds < 60
    raw = read_table(path, "companies")
    assert raw.frame["note"].tolist() == ["", "远"]
    assert raw.lines.tolist() == [2, 300_000]


def test_limits_come_from_the_environment(tmp_path, monkeypatch):
    path = write_xlsx_xml(tmp_path / "d.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW, row(3, cell("A3", "b"), cell("C3", "安徽省"))])})
    assert len(read_table(path, "companies").frame) == 2
    monkeypatch.setenv("CHAINMAP_MAX_ROWS", "2")
    with pytest.raises(DatasetError) as caught:
        read_table(path, "companies")
    assert caught.value.problems[0].code == "sheet-too-large"
    assert "at most 2 rows (CHAINMAP_MAX_ROWS)" in caught.value.problems[0].message
    monkeypatch.setenv("CHAINMAP_MAX_ROWS", "3")
    monkeypatch.setenv("CHAINMAP_MAX_COLUMNS", "2")
    with pytest.raises(DatasetError) as caught:
        read_table(path, "companies")
    assert "x 2 columns (CHAINMAP_MAX_COLUMNS)" in caught.value.problems[0].message
    monkeypatch.setenv("CHAINMAP_MAX_COLUMNS", "many")
    with pytest.raises(ChainmapError) as bad:
        read_table(path, "companies")
    assert str(bad.value) == ("CHAINMAP_MAX_COLUMNS must be a whole number of at least 1, "
                              "not 'many'")
    monkeypatch.delenv("CHAINMAP_MAX_COLUMNS")
    assert read_limits() == Limits(rows=3, columns=200, cell=32_767)


def test_a_province_scale_table_is_within_the_default_limits(monkeypatch):
    # a million firms make about three million capability rows (issue 13's dataset:
    # 2,972,727); the default refused them from 2,000,000 rows on
    monkeypatch.delenv("CHAINMAP_MAX_ROWS", raising=False)
    rows = 3_000_000
    frame = pd.DataFrame({"company_id": np.full(rows, "c1", dtype=object),
                          "product_id": np.full(rows, "p1", dtype=object)})
    check_limits(frame, np.arange(2, rows + 2), "capabilities.csv", "capabilities")
    monkeypatch.setenv("CHAINMAP_MAX_ROWS", str(rows - 1))
    with pytest.raises(DatasetError) as caught:
        check_limits(frame, np.arange(2, rows + 2), "capabilities.csv", "capabilities")
    assert caught.value.problems[0].message == (
        "the table has 3,000,000 rows x 2 columns; chainmap reads at most 2,999,999 rows "
        "(CHAINMAP_MAX_ROWS) x 200 columns (CHAINMAP_MAX_COLUMNS)")


def test_a_cell_longer_than_the_limit_is_refused_in_xlsx_and_csv(tmp_path, monkeypatch):
    long = "长" * 32_768
    path = write_xlsx_xml(tmp_path / "d.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW, row(3, cell("A3", "b"), cell("B3", long),
                                          cell("C3", "安徽省"))])})
    with pytest.raises(DatasetError) as caught:
        read_table(path, "companies")
    p = caught.value.problems[0]
    assert (p.code, p.line, p.column) == ("cell-too-long", 3, "name")
    assert p.message == ("the cell holds 32,768 characters; chainmap reads at most 32,767 "
                         "in a cell (CHAINMAP_MAX_CELL)")
    assert p.value == "长" * 20 + "…"
    csv_path = tmp_path / "companies.csv"
    csv_path.write_text(f"id,name,province\naux,奥克斯,安徽省\nb,{long},安徽省\n", "utf-8")
    with pytest.raises(DatasetError) as caught:
        read_table(csv_path, "companies")
    assert [(p.code, p.line, p.column) for p in caught.value.problems] == [
        ("cell-too-long", 3, "name")]
    monkeypatch.setenv("CHAINMAP_MAX_CELL", "40000")
    assert len(read_table(csv_path, "companies").frame) == 2


def test_a_csv_beyond_the_row_or_column_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "companies.csv"
    path.write_text("id,name,province\na,甲,安徽省\nb,乙,安徽省\n", "utf-8")
    monkeypatch.setenv("CHAINMAP_MAX_ROWS", "2")
    with pytest.raises(DatasetError) as caught:
        read_table(path, "companies")
    assert caught.value.problems[0].code == "table-too-large"


# --- corrupt sheets (issue 14, item 4: these were internal errors) -----------------------

def _far() -> str:
    """A cell far enough away that the sheet is streamed, not read whole."""
    return row(300_000, cell("GR300000", "x"))


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("bad,said", [
    ('<row r="2"><c r="?B2" t="inlineStr"><is><t>x</t></is></c></row>', "cannot read"),
    ('<row r="2"><c r="A2"><v>1</v></row>', "cannot read"),
    ('<row r="2"><c r="A2" t="n"><v>abc</v></c></row>', None),
    ('<row r="2"><c r="A2" t="b"><v>maybe</v></c></row>', None),
    ('<row r="2"><c r="A2" t="s"><v>99</v></c></row>', None),
    ('<row r="2"><c r="A2" t="d"><v>not a date</v></c></row>', None),
    ('<row r="x"><c r="A2"><v>1</v></c></row>', None),
])
def test_a_corrupt_sheet_is_a_clean_error(tmp_path, bad, said, streamed):
    rows = [COMPANY_HEADER, bad, *([_far()] if streamed else [])]
    path = write_xlsx_xml(tmp_path / "bad.xlsx", {"companies": sheet_xml(rows)})
    try:
        raw = read_table(path, "companies")
    except DatasetError as exc:
        problem = exc.problems[0]
        assert problem.source == "bad.xlsx[companies]"
        assert str(problem).startswith("bad.xlsx[companies]")
        if said:
            assert said in problem.message
    else:
        assert said is None, "a broken sheet read without an error"
        assert list(raw.frame.columns)[:3] == ["id", "name", "province"]


def test_a_broken_zip_is_a_clean_error(tmp_path):
    path = write_xlsx_xml(tmp_path / "d.xlsx", {"companies": sheet_xml(
        [COMPANY_HEADER, COMPANY_ROW])})
    data = path.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[:len(data) // 2])
    with pytest.raises(DatasetError) as caught:
        read_table(tmp_path / "cut.xlsx", "companies")
    assert caught.value.problems[0].code == "unreadable"
    member = data.index(b"xl/worksheets/sheet1.xml") + 40  # inside the compressed sheet
    (tmp_path / "flipped.xlsx").write_bytes(data[:member] + bytes(b ^ 0x5A for b in
                                            data[member:member + 30]) + data[member + 30:])
    with pytest.raises(DatasetError) as caught:
        read_table(tmp_path / "flipped.xlsx", "companies")
    assert caught.value.problems[0].code == "unreadable"
