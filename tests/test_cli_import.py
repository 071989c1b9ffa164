"""chainmap import: encodings, headers, validation, all-or-nothing, idempotence."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import chainmap
from tests.conftest import TINY, USCC_A, write_files


def snapshot(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("chains", "products", "product_chains", "inputs", "companies",
                          "capabilities", "supplies")}


def test_import_tiny(run, tiny, db):
    result = run("import", tiny)
    assert result.exit_code == 0, result.output
    assert "3 companies (3 new)" in result.stderr
    assert result.stdout == ""
    ws = chainmap.open(db)
    companies = ws.table("companies").set_index("id")
    assert companies.loc["haoyue", "in_park"] == 1
    assert companies.loc["aux", "region_code"] == "340521"
    assert companies.loc["shcomp", "city"] == "上海市"
    assert ws.table("chains")["id"].tolist() == ["ac"]  # created from products.chains


def test_reimport_changes_nothing(run, tiny, db):
    run("import", tiny)
    before = snapshot(db)
    result = run("import", tiny)
    assert "3 companies (0 new)" in result.stderr
    assert snapshot(db) == before


def test_gbk_csv_with_chinese_headers(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = f"""\
        编号,企业名称,统一社会信用代码,省份,城市,区县,是否入园,员工人数,营业收入
        aux,奥克斯空调（马鞍山）有限公司,{USCC_A},皖,马鞍山,当涂县,是,"3,000",500000
        haoyue,安徽皓月电气有限公司,,安徽,马鞍山市,当涂县,否,120,4200.5
        shcomp,上海某压缩机有限公司,,上海,上海市,浦东新区,0,800,
        """
    files["products.csv"] = """\
        编号,产品名称,英文名称,产业链,环节
        compressor,压缩机,compressor,智能家电,中游
        capacitor,电容器,capacitor,智能家电,上游
        ac-unit,空调整机,AC unit,智能家电|汽车空调,下游
        """
    folder = write_files(tmp_path / "gbk", files, encoding="gbk")
    result = run("import", folder)
    assert result.exit_code == 0, result.output
    ws = chainmap.open(db)
    c = ws.table("companies").set_index("id")
    assert c.loc["aux", "name"] == "奥克斯空调（马鞍山）有限公司"
    assert c.loc["aux", "employees"] == 3000 and c.loc["haoyue", "revenue"] == 4200.5
    assert c.loc["haoyue", "in_park"] == 0
    assert ws.table("products").set_index("id").loc["compressor", "tier"] == "midstream"
    assert sorted(ws.table("product_chains").query("product_id == 'ac-unit'")["chain_id"]) == [
        "智能家电", "汽车空调"]


def test_full_width_uscc_and_numbers_are_read(run, tmp_path, db):
    """A sheet typed with the Chinese input method on: full-width USCC, employees and
    revenue (５０, １，２３４) are read as firms import reads them."""
    full = USCC_A.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    files = dict(TINY)
    files["companies.csv"] = f"""\
        编号,企业名称,统一社会信用代码,省份,城市,区县,员工人数,营业收入
        aux,奥克斯空调（马鞍山）有限公司,{full},皖,马鞍山,当涂县,５０,"１，２３４.５"
        haoyue,安徽皓月电气有限公司,,安徽,马鞍山市,当涂县,１２０,４２００
        shcomp,上海某压缩机有限公司,,上海,上海市,浦东新区,800,
        """
    result = run("import", write_files(tmp_path / "gbk", files, encoding="gbk"))
    assert result.exit_code == 0, result.output
    c = chainmap.open(db).table("companies").set_index("id")
    assert c.loc["aux", "uscc"] == USCC_A
    assert (c.loc["aux", "employees"], c.loc["aux", "revenue"]) == (50, 1234.5)
    assert (c.loc["haoyue", "employees"], c.loc["haoyue", "revenue"]) == (120, 4200.0)


def test_utf8_bom_csv(run, tmp_path, db):
    folder = write_files(tmp_path / "bom", TINY, encoding="utf-8-sig")
    assert run("import", folder).exit_code == 0
    assert "aux" in set(chainmap.open(db).table("companies")["id"])


def test_xlsx_workbook(run, tmp_path, db):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in TINY.items():
        sheet = book.create_sheet(name.removesuffix(".csv"))
        frame = pd.read_csv(pd.io.common.StringIO(__import__("textwrap").dedent(text)),
                            dtype=str, keep_default_na=False)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([int(v) if v.isdigit() and len(v) < 10 else v for v in row])
    notes = book.create_sheet("说明")
    notes.append(["this sheet is not a table"])
    path = tmp_path / "tiny.xlsx"
    book.save(path)
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert "Warning: ignored tiny.xlsx[说明]: not a chainmap table" in result.stderr
    c = chainmap.open(db).table("companies").set_index("id")
    assert c.loc["aux", "employees"] == 3000 and c.loc["aux", "uscc"] == USCC_A


def test_every_error_named_with_file_line_column_value(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = f"""\
        id,name,uscc,province,city,district,in_park,employees,revenue
        aux,奥克斯,{USCC_A[:-1]}X,安徽省,马鞍山市,当涂县,1,3000,500000
        haoyue,皓月,,安徽省,马鞍山市,鼓楼区,maybe,-3,abc
        shcomp,上海某,,火星,,,0,800,90000
        aux,again,,安徽省,,,,,
        """
    files["capabilities.csv"] = """\
        company,product
        aux,ac-unit
        haoyue,fridge
        """
    folder = write_files(tmp_path / "bad", files)
    result = run("import", folder)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 8 problem(s) found; nothing was imported"
    assert set(lines[1:]) == {
        "  capabilities.csv:3: column 'product': value 'fridge': unknown product 'fridge': "
        "not an id or name in this dataset nor in the workspace",
        f"  companies.csv:2: column 'uscc': value '{USCC_A[:-1]}X': "
        "not a valid USCC: the check digit is wrong",
        "  companies.csv:3: column 'district': value '鼓楼区': "
        "unknown district '鼓楼区' in 安徽省/马鞍山市",
        "  companies.csv:3: column 'in_park': value 'maybe': "
        "not a yes/no value (1/0, true/false, yes/no, 是/否)",
        "  companies.csv:3: column 'employees': value '-3': not a whole number ≥ 0",
        "  companies.csv:3: column 'revenue': value 'abc': not a finite number ≥ 0",
        "  companies.csv:4: column 'province': value '火星': unknown province '火星'",
        "  companies.csv:5: column 'id': value 'aux': duplicate id (first on line 2)",
    }
    assert not db.exists() or snapshot(db)["companies"] == []


def test_bad_import_leaves_existing_data_exactly_as_it_was(run, tiny, tmp_path, db):
    run("import", tiny)
    before = snapshot(db)
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"].replace("安徽皓月电气有限公司", "改名了") + \
        "        new,新企业,,安徽省,,,1,10,10\n"
    files["supplies.csv"] = "supplier,customer,product\nnew,ghost,capacitor\n"
    result = run("import", write_files(tmp_path / "bad", files))
    assert result.exit_code == 1
    assert "supplies.csv:2: column 'customer': value 'ghost': unknown company 'ghost'" \
        in result.stderr
    assert snapshot(db) == before


def test_second_dataset_adds_and_updates(run, tiny, tmp_path, db):
    run("import", tiny)
    more = {
        "products.csv": "id,name,chains\nvalve,四通阀,ac\n",
        "companies.csv": "id,name,province,revenue\nhaoyue,安徽皓月电气有限公司,安徽省,5000\n"
                         "nbvalve,宁波阀门有限公司,浙江省,3000\n",
        "capabilities.csv": "company,product\nnbvalve,valve\nnbvalve,compressor\n",
    }
    assert run("import", write_files(tmp_path / "more", more)).exit_code == 0
    ws = chainmap.open(db)
    c = ws.table("companies").set_index("id")
    assert c.loc["haoyue", "revenue"] == 5000 and len(c) == 4
    assert len(ws.table("capabilities")) == 5


def test_unknown_columns_are_kept(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"].replace("revenue\n", "revenue,联系人,备注\n") \
        .replace(",500000\n", ",500000,张超,链主\n")
    run("import", write_files(tmp_path / "x", files))
    extra = chainmap.open(db).table("companies").set_index("id").loc["aux", "extra"]
    assert extra == '{"备注": "链主", "联系人": "张超"}'


def test_line_numbers_count_quoted_newlines(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = (
        'id,name,province\n"a","多行\n名称",安徽省\nb,坏,火星\n')
    result = run("import", write_files(tmp_path / "nl", files))
    assert "companies.csv:4: column 'province': value '火星'" in result.stderr


def test_file_level_errors(run, tmp_path):
    folder = write_files(tmp_path / "nocompanies", {"products.csv": "id\nx\n"})
    r = run("import", folder)
    assert r.exit_code == 1
    assert "required table 'companies' is missing" in r.stderr
    bad = write_files(tmp_path / "enc", {"products.csv": "id\nx\n", "companies.csv": ""})
    (bad / "companies.csv").write_bytes(b"id,province\n\xff\xfe\xff,x\n")
    r = run("import", bad)
    assert "companies.csv:2: value 'ff fe ff 2c': the file is not UTF-8" in r.stderr
    hdr = write_files(tmp_path / "hdr", {"products.csv": "name\nx\n",
                                         "companies.csv": "id,名称,name,province\n"})
    r = run("import", hdr)
    assert "products.csv:1: column 'id': required column is missing (also accepted: 编号)" \
        in r.stderr
    assert "companies.csv:1: column 'name': duplicate column: '名称' already gives 'name'" \
        in r.stderr
    assert run("import", tmp_path / "nope").stderr.startswith("Error: 1 problem(s) found")
    assert "it is no .xls file" in run("import", write_files(tmp_path / "x", {"a.xls": ""}) /
                                       "a.xls").stderr


def test_library_import_reports_counts(tiny, tmp_path):
    ws = chainmap.open(tmp_path / "lib.db")
    seen = []
    result = chainmap.import_dataset(ws, tiny, progress=lambda done, total: seen.append(
        (done, total)))
    assert result.added["companies"] == 3
    assert seen[-1][0] == seen[-1][1]


def test_a_sheet_without_a_column_leaves_that_field_alone(run, tiny, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"].replace("revenue\n", "revenue,联系人\n") \
        .replace(",500000\n", ",500000,张超\n")
    run("import", write_files(tmp_path / "full", files))
    before = chainmap.open(db).table("companies").set_index("id").loc["aux"]
    partial = {
        "products.csv": "id,name\ncompressor,压缩机（新名）\n",
        "companies.csv": "id,name,province,备注\naux,奥克斯空调（马鞍山）有限公司,安徽省,链主\n",
    }
    assert run("import", write_files(tmp_path / "partial", partial)).exit_code == 0
    ws = chainmap.open(db)
    after = ws.table("companies").set_index("id").loc["aux"]
    for field in ("uscc", "city", "district", "region_code", "employees", "revenue",
                  "in_park"):
        assert after[field] == before[field], field
    assert json.loads(after["extra"]) == {"备注": "链主", "联系人": "张超"}
    products = ws.table("products").set_index("id")
    assert products.loc["compressor", "name"] == "压缩机（新名）"
    assert products.loc["compressor", "tier"] == "midstream"
    assert set(ws.table("product_chains").query("product_id == 'compressor'")["chain_id"]) \
        == {"ac"}


def test_a_row_can_still_move_a_firm_or_clear_a_field(run, tiny, tmp_path, db):
    run("import", tiny)
    moved = {
        "products.csv": "id\ncompressor\n",
        "companies.csv": "id,name,province,city,district,revenue\n"
                         "aux,奥克斯,江苏省,南京市,江宁区,\n",
    }
    run("import", write_files(tmp_path / "moved", moved))
    row = chainmap.open(db).table("companies").set_index("id").loc["aux"]
    assert (row["region_code"], pd.isna(row["revenue"])) == ("320115", True)


def test_numbers_out_of_range_are_refused(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = (
        "id,name,province,employees,revenue\n"
        "a,甲,安徽省,1e19,inf\n"
        "b,乙,安徽省,99999999999999999,1e400\n"
        "c,丙,安徽省,\"12,000\",\"1,234.5\"\n")
    files["capabilities.csv"] = "company,product\n"
    files["supplies.csv"] = "supplier,customer\n"
    r = run("import", write_files(tmp_path / "n", files))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[1:] == [
        "  companies.csv:2: column 'employees': value '1e19': "
        "not a whole number ≥ 0 (up to 9,007,199,254,740,992)",
        "  companies.csv:2: column 'revenue': value 'inf': not a finite number ≥ 0",
        "  companies.csv:3: column 'employees': value '99999999999999999': "
        "not a whole number ≥ 0 (up to 9,007,199,254,740,992)",
        "  companies.csv:3: column 'revenue': value '1e400': not a finite number ≥ 0",
    ]


def test_blank_cells_keep_the_name_and_clear_an_attribute(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"].replace("revenue\n", "revenue,联系人,备注\n") \
        .replace(",500000\n", ",500000,张超,链主\n")
    run("import", write_files(tmp_path / "full", files))
    again = {"products.csv": "id\ncompressor\n",
             "companies.csv": "id,name,province,备注\naux,,安徽省,\n"}
    assert run("import", write_files(tmp_path / "again", again)).exit_code == 0
    row = chainmap.open(db).table("companies").set_index("id").loc["aux"]
    assert row["name"] == "奥克斯空调（马鞍山）有限公司"
    assert row["extra"] == '{"联系人": "张超"}'


def test_reimport_with_extra_columns_is_byte_identical(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"].replace("revenue\n", "revenue,联系人\n") \
        .replace(",500000\n", ",500000,张超\n").replace(",4200\n", ",4200,\n")
    folder = write_files(tmp_path / "x", files)
    run("import", folder)
    before = snapshot(db)
    run("import", folder)
    assert snapshot(db) == before


# -- a title row above the header (as firms import reads it) -----------------------------

@pytest.mark.parametrize(("title", "header_line"), [
    # as Excel saves a sheet with a title row: the title's row padded with commas
    ("当涂经开区企业名录 2026年,,,,,,,,\n,,,,,,,,\n", 3),
    # a title of one cell, not padded (session 10)
    ("当涂经开区企业名录 2026年\n", 2),
])
def test_a_title_row_above_the_header_is_skipped_with_a_warning(run, tmp_path, db, title,
                                                                header_line):
    folder = write_files(tmp_path / "titled", TINY)
    text = (folder / "companies.csv").read_text()
    (folder / "companies.csv").write_text(title + text)
    result = run("import", folder)
    assert result.exit_code == 0, result.output
    assert (f"Warning: companies.csv: the header is on line {header_line}; the "
            f"{header_line - 1} line(s) above it were skipped") in result.stderr.splitlines()
    assert "3 companies (3 new)" in result.stderr
    assert sorted(chainmap.open(db).table("companies")["id"]) == ["aux", "haoyue", "shcomp"]


def test_a_title_row_in_a_workbook_sheet_and_line_numbers_after_it(run, tmp_path, db):
    book = openpyxl.Workbook()
    book.active.title = "products"
    book.active.append(["产品名录"])
    book.active.append(["编号", "名称", "产业链"])
    book.active.append(["compressor", "压缩机", "ac"])
    companies = book.create_sheet("企业")
    companies.append(["当涂经开区企业名录 2026年"])
    companies.append(["编号", "企业名称", "省份"])
    companies.append(["aux", "奥克斯", "安徽省"])
    companies.append(["bad", "某公司", "火星"])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    result = run("import", path)
    assert result.exit_code == 1
    # the line is the sheet's row: the title row counts
    assert ("  titled.xlsx[企业]:4: column '省份': value '火星': unknown province"
            in result.stderr), result.stderr
    book["企业"].delete_rows(4)
    book.save(path)
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "Warning: titled.xlsx[products]: the header is on line 2; the 1 line(s) above it "
        "were skipped",
        "Warning: titled.xlsx[企业]: the header is on line 2; the 1 line(s) above it were "
        "skipped"]


