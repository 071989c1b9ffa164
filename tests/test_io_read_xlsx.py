"""Reading workbooks (python-calamine): Excel's row numbers, values as text, and a sheet
that declares a huge area refused before it is read."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import openpyxl
import pytest

from chainmap.errors import DatasetError
from chainmap.io.read import read_table


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
