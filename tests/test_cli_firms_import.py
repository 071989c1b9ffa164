"""chainmap firms import: office sheets (GBK CSV, xlsx), registry refresh, refusals."""

from __future__ import annotations

import json

import pytest

import chainmap
from tests.test_intake import OFFICE, REGISTRY, U1, U2, U3, write_book, write_csv

EXAMPLE = chainmap.sample_path().parents[2] / "examples" / "dangtu-office-list.csv"


@pytest.fixture
def srun(run, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


def test_an_office_list_in_gbk(srun, tmp_path):
    path = write_csv(tmp_path / "园区企业名录.csv", OFFICE, "gbk")
    result = srun("firms", "import", path, "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "imported 园区企业名录.csv: 3 firm(s) read, 3 new, 0 updated, 0 closed" \
        in result.stderr
    listed = json.loads(srun("firms", "dupes", "--format", "json").stdout)
    assert all(U1 not in (d["keep"], d["drop"]) for d in listed)


def test_an_xlsx_sheet_and_a_refresh(srun, tmp_path, db):
    path = write_book(tmp_path / "firms.xlsx", OFFICE, other="封面")
    assert srun("firms", "import", path, "--sheet", "企业名录").exit_code == 0
    result = srun("firms", "import", write_csv(tmp_path / "reg.csv", REGISTRY))
    assert result.exit_code == 0, result.output
    assert "3 firm(s) read, 1 new, 2 updated, 1 closed" in result.stderr
    assert "Warning:" in result.stderr  # 100万美元 kept as text
    with chainmap.open(db) as ws:
        firms = ws.table("companies").set_index("id")
        assert firms.loc[U3, "status"] == "closed"
        assert firms.loc[U2, "source"] == "reg.csv"
        assert len(firms[firms["uscc"] == U1]) == 1


def test_a_firm_of_another_legal_form_is_a_new_firm(srun, tmp_path, db):
    # the sample's hengnian is 上海恒粘新材料股份有限公司: its 集团有限公司 is another firm,
    # added, and hengnian keeps its fields; its own form written another way updates it
    rows = [["企业名称", "所在地区", "参保人数"],
            ["上海恒粘新材料集团有限公司", "上海市嘉定区", "900"],
            ["上海恒粘新材料股份公司", "上海市嘉定区", "321"]]
    result = srun("firms", "import", write_csv(tmp_path / "forms.csv", rows))
    assert result.exit_code == 0, result.output
    assert "2 firm(s) read, 1 new, 1 updated, 0 closed" in result.stderr
    with chainmap.open(db) as ws:
        firms = ws.table("companies")
        assert firms.loc[firms["id"] == "hengnian", "employees"].tolist() == [321]
        group = firms[firms["name"] == "上海恒粘新材料集团有限公司"]
        assert group["employees"].tolist() == [900] and group["id"].tolist() != ["hengnian"]


def test_the_example_office_list(srun):
    result = srun("firms", "import", EXAMPLE, "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert "7 firm(s) read, 6 new, 1 updated, 1 closed" in result.stderr


def test_a_bad_row_is_an_error_and_nothing_is_written(srun, tmp_path, db):
    rows = [r[:] for r in OFFICE]
    rows[2][4] = "很多"
    result = srun("firms", "import", write_csv(tmp_path / "bad.csv", rows, "gbk"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 1 problem(s) found; nothing was imported\n")
    assert "bad.csv:3: column '注册资本': value '很多'" in result.stderr
    assert "Traceback" not in result.output
    with chainmap.open(db) as ws:
        assert ws.counts()["companies"] == 131


def test_refusals(srun, tmp_path):
    result = srun("firms", "import", tmp_path / "nowhere.csv")
    assert result.exit_code == 1 and "no such file" in result.stderr
    path = write_csv(tmp_path / "f.csv", OFFICE)
    result = srun("firms", "import", path, "--as-of", "soon")
    assert result.exit_code == 1
    assert "invalid date 'soon' for --as-of" in result.stderr


def test_a_folder_is_said_to_be_a_folder(srun, tmp_path):
    """A folder given for a file (the sample folder, say) is named a folder, not missing:
    firms import, leads import and classify accept."""
    folder = tmp_path / "名录"
    folder.mkdir()
    for args in (("firms", "import"), ("leads", "import"), ("classify", "accept")):
        result = srun(*args, folder)
        assert result.exit_code == 1, result.output
        assert "this is a folder; give a .csv or .xlsx file" in result.stderr, args
        assert "no such file" not in result.stderr
        zh = srun(*args, folder, "--lang", "zh")
        assert "这是一个文件夹" in zh.stderr, args


def test_import_of_a_lone_firm_list_says_to_use_firms_import(srun, tmp_path):
    for path in (write_csv(tmp_path / "企业.csv", OFFICE, "gbk"),
                 write_book(tmp_path / "企业.xlsx", OFFICE)):
        result = srun("import", path)
        assert result.exit_code == 1
        assert f"import it with 'chainmap firms import {path.name}'" in result.stderr
        assert "Traceback" not in result.output


def test_a_row_without_a_place_names_the_sheets_column(srun, tmp_path):
    """A row with a blank 所在地区 (a 合计 line, say) is reported on 所在地区, the column
    the sheet has, not on an English field name; a sheet with no place column at all
    on 省份 under --lang zh."""
    path = tmp_path / "名录.csv"
    path.write_bytes("企业名称,所在地区,参保人数\n马鞍山甲有限公司,当涂县,5\n合计,,5\n"
                     .encode("gbk"))
    result = srun("firms", "import", path, "--lang", "zh")
    assert result.exit_code == 1
    assert "名录.csv:3: 列“所在地区”: 值“”: 没有地区" in result.stderr
    assert "province" not in result.stderr
    bare = tmp_path / "bare.csv"
    bare.write_bytes("企业名称,参保人数\n某某公司,5\n".encode("gbk"))
    result = srun("firms", "import", bare, "--lang", "zh")
    assert "bare.csv:2: 列“省份”: 值“”: 没有地区" in result.stderr


def test_a_wps_workbook_is_named_as_such(srun, tmp_path):
    """A WPS .et workbook is refused saying WPS and how to save it, not 'old .xls'."""
    path = tmp_path / "名录.et"
    path.write_bytes(b"PK\x03\x04")
    for args in (("firms", "import", path), ("import", path)):
        result = srun(*args)
        assert result.exit_code == 1
        assert "WPS .et workbooks are not read; save it as .xlsx" in result.stderr
        assert ".xls workbooks" not in result.stderr


def test_a_csv_renamed_to_xlsx_is_said_to_be_no_workbook(srun, tmp_path):
    """A CSV saved (or renamed) as .xlsx: the error says it is no .xlsx file and what it
    may be, in Chinese under --lang zh, not the zip library's English words."""
    path = tmp_path / "名录.xlsx"
    path.write_bytes("企业名称,所在地区\n马鞍山戊有限公司,当涂县\n".encode("gbk"))
    result = srun("firms", "import", path, "--lang", "zh")
    assert result.exit_code == 1
    assert "无法读取工作簿：这不是 .xlsx 文件" in result.stderr
    assert "Zip" not in result.stderr and "EOCD" not in result.stderr


def test_blank_cells_that_clear_stored_values_are_said(srun, tmp_path, db):
    """A list read again with blank cells clears those fields of the stored firms, as
    documented; the import says how many and which (it was silent)."""
    first, again = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes("企业名称,所在地区,参保人数,主营产品\n马鞍山甲有限公司,当涂县,50,电机\n"
                      .encode("gbk"))
    again.write_bytes("企业名称,所在地区,参保人数,主营产品\n马鞍山甲有限公司,当涂县,,\n"
                      .encode("gbk"))
    assert "blank cells" not in srun("firms", "import", first).stderr
    result = srun("firms", "import", again, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert ("警告：b.csv：空白单元格清除了已存的 2 项数据：员工人数（1 项）、主营产品（1 项）"
            in result.stderr)
    import pandas as pd

    firm = chainmap.open(db).table("companies").set_index("name").loc["马鞍山甲有限公司"]
    assert pd.isna(firm["employees"]) and pd.isna(firm["main_products"])
    assert "blank cells" not in srun("firms", "import", again).stderr  # nothing left to clear


def test_a_row_pasted_twice_is_taken_once_with_a_warning(srun, tmp_path, db):
    rows = [r[:] for r in OFFICE]
    rows.insert(3, rows[1][:])  # line 4 = line 2, every cell
    rows.append(rows[2][:])  # line 6 = line 3 (the row under the copy: as pasted)
    result = srun("firms", "import", write_csv(tmp_path / "pasted.csv", rows, "gbk"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "Warning: pasted.csv: line 4 repeats line 2 exactly (every cell); the row was taken "
        "once",
        "Warning: pasted.csv: line 6 repeats line 3 exactly (every cell); the row was taken "
        "once"]
    assert "3 firm(s) read, 3 new" in result.stderr
    with chainmap.open(db) as ws:
        assert ws.counts()["companies"] == 134
    # one USCC on two rows that differ in a cell is still two rows of one firm: refused
    rows = [r[:] for r in OFFICE]
    rows.append(rows[2][:])
    rows[-1][5] = "130人"
    result = srun("firms", "import", write_csv(tmp_path / "differ.csv", rows))
    assert result.exit_code == 1
    assert "differ.csv:5: column '统一社会信用代码'" in result.stderr
    assert "the same USCC as line 3" in result.stderr


def test_a_title_row_of_one_cell_above_the_header(srun, tmp_path):
    """A CSV whose title row is one cell (not padded with commas as Excel pads it)."""
    path = tmp_path / "titled.csv"
    path.write_text("当涂经开区企业名录 2026年\n" + "\n".join(",".join(r) for r in OFFICE[:3])
                    + "\n", encoding="utf-8")
    result = srun("firms", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "Warning: titled.csv: the header is on line 2; the 1 line(s) above it were skipped")
    assert "2 firm(s) read, 2 new" in result.stderr
    # a data row wider than a header of several cells is still refused
    path.write_text("企业名称,所在地区\n甲公司,安徽省,马鞍山市\n", encoding="utf-8")
    assert "titled.csv:2: 3 cells but the header has 2; is a comma missing its quotes?" \
        in srun("firms", "import", path).stderr
