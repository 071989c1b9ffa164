"""Old Excel workbooks (.xls, Excel 97-2003) read as .xlsx are (session 10).

A 招商局's sheets often come as .xls (older systems and registry exports write it); they
were refused with "save it as .xlsx". The workbooks here are written by xlwt, the
classic writer of the format, so the reader meets real BIFF files.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import xlwt

import chainmap
from chainmap.errors import DatasetError
from chainmap.io.read import read_dataset
from tests.test_intake import OFFICE, REGISTRY, U1, U3


def write_xls(path: Path, sheets: dict[str, list[list[object]]],
              at: tuple[int, int] = (0, 0)) -> Path:
    """A workbook of ``sheets`` (rows of cells), each starting at cell ``at`` (row, column)."""
    book = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value in ("", None):
                    continue
                if isinstance(value, dt.date):
                    sheet.write(at[0] + r, at[1] + c, value, day)
                else:
                    sheet.write(at[0] + r, at[1] + c, value)
    book.save(str(path))
    return path


def _sample_as_xls(path: Path) -> Path:
    """The bundled sample, each CSV file a sheet of one .xls workbook."""
    sheets = {}
    for file in sorted(Path(chainmap.sample_path()).glob("*.csv")):
        with file.open(encoding="utf-8-sig", newline="") as f:
            sheets[file.stem] = list(csv.reader(f))
    return write_xls(path, sheets)


def test_a_dataset_workbook_imports_as_its_csv_folder(tmp_path):
    book = _sample_as_xls(tmp_path / "当涂样例.xls")
    from_xls = chainmap.open(tmp_path / "xls.db")
    from_csv = chainmap.open(tmp_path / "csv.db")
    chainmap.import_dataset(from_xls, book)
    chainmap.import_dataset(from_csv, chainmap.sample_path())
    for table in ("companies", "capabilities", "products", "inputs", "supplies", "leads"):
        # (a lead's ``updated`` is the moment of the import)
        a = from_xls.table(table).drop(columns=["updated"], errors="ignore")
        b = from_csv.table(table).drop(columns=["updated"], errors="ignore")
        assert len(a) == len(b) > 0, table
        assert a.astype(str).equals(b.astype(str)), table
    report = chainmap.gaps(from_xls, "智能家电", home="当涂县")
    assert len(report) == 32


def test_an_office_list_with_a_title_row_and_a_registry_refresh(run, tmp_path, db):
    assert run("import", chainmap.sample_path()).exit_code == 0
    office = write_xls(tmp_path / "园区企业名录.xls",
                       {"企业名录": [["当涂经开区企业名录（2026年11月）"], *OFFICE]})
    done = run("firms", "import", office, "--as-of", "2026-11-01")
    assert done.exit_code == 0, done.output
    assert "3 firm(s) read, 3 new, 0 updated, 0 closed" in done.stderr
    # a registry export: dates as Excel dates, numbers as numbers
    rows = [r[:] for r in REGISTRY]
    rows[1][4] = dt.date(2015, 3, 18)
    rows[2][7] = 120
    done = run("firms", "import", write_xls(tmp_path / "工商.xls", {"Sheet1": rows}))
    assert done.exit_code == 0, done.output
    assert "3 firm(s) read, 1 new, 2 updated, 1 closed" in done.stderr
    with chainmap.open(db) as ws:
        firms = ws.table("companies").set_index("id")
        one = firms[firms["uscc"] == U1].iloc[0]
        assert one["founded"] == "2015-03-18"
        assert firms[firms["uscc"] == U3].iloc[0]["status"] == "closed"


def test_a_sheet_that_starts_right_of_column_a_keeps_its_columns(tmp_path):
    """python-calamine gives an .xls sheet's rows from its first used column: the cells go
    back to their own columns, and the line numbers are the sheet's rows."""
    office = write_xls(tmp_path / "list.xls", {"企业名录": OFFICE}, at=(3, 2))
    from chainmap.intake.firmlist import read_firm_list

    found = read_firm_list(office)
    assert found.problems == [] and found.source == "list.xls[企业名录]"
    assert found.frame["name"].tolist() == [r[0] for r in OFFICE[1:]]
    assert found.frame["uscc"].tolist()[1] == OFFICE[2][1]
    assert [int(n) for n in found.lines] == [5, 6, 7]  # the sheet's own rows


def test_leads_from_an_xls_file(run, tmp_path, db):
    assert run("import", chainmap.sample_path()).exit_code == 0
    leads = write_xls(tmp_path / "线索.xls", {"线索": [
        ["企业", "产品", "阶段", "负责人", "投资额（亿元）"],
        ["安徽皓月电气有限公司", "电容器", "洽谈", "王磊", 3.5]]})
    done = run("leads", "import", leads)
    assert done.exit_code == 0, done.output
    with chainmap.open(db) as ws:
        rows = ws.table("leads")
        row = rows[rows["company_id"] == "haoyue"].iloc[-1]
        assert (row["stage"], row["owner"], float(row["investment"])) == \
            ("negotiating", "王磊", 3.5)


@pytest.mark.parametrize("data", [b"", b"id,name\n1,x\n", b"PK\x03\x04 not a zip"])
def test_a_file_named_xls_that_is_no_workbook_is_refused_clearly(tmp_path, data):
    path = tmp_path / "名录.xls"
    path.write_bytes(data)
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    [problem] = caught.value.problems
    assert problem.code == "unreadable" and problem.source == "名录.xls"
    assert "it is no .xls file" in problem.message and "save it as .xlsx" in problem.message
