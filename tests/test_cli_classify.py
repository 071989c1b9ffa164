"""chainmap classify (table, json, csv, xlsx), classify accept (--min, a reviewed sheet)
and classify reject."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

import chainmap
from tests.test_cli_firms_import import EXAMPLE


@pytest.fixture
def crun(run, monkeypatch):
    """The sample, the 智能家电 template's keywords, the example office list."""
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    assert run("chains", "add", "智能家电").exit_code == 0
    assert run("firms", "import", EXAMPLE, "--as-of", "2026-11-01").exit_code == 0
    return run


def test_classify_json(crun):
    result = crun("classify", "--chain", "智能家电", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"company", "product", "evidence", "field", "text", "status", "company_name",
            "product_name", "keyword"} <= set(rows[0])
    grades = {(r["company_name"], r["product"]): r["evidence"] for r in rows}
    assert grades[("马鞍山恒冷压缩机有限公司", "compressor")] == "strong"
    assert grades[("当涂县恒信制冷设备销售有限公司", "refrigerant")] == "weak"
    assert all(r["status"] == "suggested" and r["text"] for r in rows)
    assert not any(r["company_name"] == "马鞍山旧联电子有限公司" for r in rows)  # 注销
    assert "suggestion(s)" in result.stderr


def test_classify_table_and_csv(crun, tmp_path):
    table = crun("classify")
    assert table.exit_code == 0
    assert "马鞍山恒冷压缩机有限公司" in table.stdout and "strong" in table.stdout
    assert "91340521" not in table.stdout  # names, not ids
    result = crun("classify", "--format", "csv", "-o", tmp_path / "review.csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "review.csv").read_text("utf-8-sig"))))
    assert "是否采纳" in rows[0]


def test_classify_xlsx_review_and_accept(crun, tmp_path, db):
    path = tmp_path / "review.xlsx"
    result = crun("classify", "--format", "xlsx", "-o", path)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "是否采纳" and sheet.freeze_panes == "A2"
    # a drop-down over the column's cells (any other word may still be typed)
    rows = sheet.max_row
    assert [(str(d.sqref), d.formula1, d.showErrorMessage)
            for d in sheet.data_validations.dataValidation] == \
        [(f"I2:I{rows}", '"yes,no"', False)]
    assert f"fill the 是否采纳 column of {path} with yes or no (是/否), then run " \
           f"'chainmap classify accept {path}'" in result.stderr
    product = header.index("product")
    for row in sheet.iter_rows(min_row=2):
        row[-1].value = "是" if row[product].value in ("compressor", "eev") else "否"
    book.save(path)
    result = crun("classify", "accept", path, "--by", "王磊")
    assert result.exit_code == 0, result.output
    assert "2 link(s) confirmed" in result.stderr
    gaps = json.loads(crun("gaps", "--chain", "智能家电", "--format", "json").stdout)
    local = {g["product"]: g["local_producers"] for g in gaps}
    assert local["compressor"] == 1 and local["eev"] == 1
    assert local["refrigerant"] == 0  # the trader's link was rejected (否)
    log = crun("log", "--format", "json")
    assert any(e["action"] == "accept" and e["by"] == "王磊" for e in json.loads(log.stdout))
    assert crun("classify", "--format", "json").stdout.strip() == "[]"


def test_accept_min_and_chain(crun):
    assert crun("classify").exit_code == 0
    result = crun("classify", "accept", "--min", "strong", "--chain", "智能家电",
                  "--format", "json")
    assert result.exit_code == 0, result.output
    decided = json.loads(result.stdout)
    assert decided and {d["evidence"] for d in decided} == {"strong"}
    left = json.loads(crun("classify", "--format", "json").stdout)
    assert {r["evidence"] for r in left} == {"weak"}
    bad = crun("classify", "accept", "--min", "great")
    assert bad.exit_code == 2


def test_reject_then_classify(crun):
    assert crun("classify").exit_code == 0
    result = crun("classify", "reject", "马鞍山恒冷压缩机有限公司", "压缩机")
    assert result.exit_code == 0, result.output
    assert "Rejected: 马鞍山恒冷压缩机有限公司" in result.stderr
    rows = json.loads(crun("classify", "--format", "json").stdout)
    assert ("马鞍山恒冷压缩机有限公司", "compressor") not in {
        (r["company_name"], r["product"]) for r in rows}
    unknown = crun("classify", "reject", "nobody", "压缩机")
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: unknown firm")


def test_refusals(crun, tmp_path):
    result = crun("classify", "--format", "xlsx")
    assert result.exit_code == 1 and "needs -o FILE.xlsx" in result.stderr
    result = crun("classify", "--chain", "家电")
    assert result.exit_code == 1 and "unknown chain '家电'" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("company,product,是否采纳\nnobody,compressor,是\n", encoding="utf-8")
    result = crun("classify", "accept", bad)
    assert result.exit_code == 1
    assert "bad.csv:2: column 'company': value 'nobody'" in result.stderr
    assert "Traceback" not in result.output


def test_classify_and_accept_in_chinese(crun, tmp_path):
    """Under --lang zh the grade, the field and the decision read as Chinese words, in
    the table, the review sheet and the accept table; 同意/不同意 are decisions."""
    table = crun("classify", "--lang", "zh")
    assert table.exit_code == 0, table.output
    assert "强" in table.stdout and "主营产品" in table.stdout and "经营范围" in table.stdout
    assert "strong" not in table.stdout and "main_products" not in table.stdout
    path = tmp_path / "review.xlsx"
    written = crun("classify", "--format", "xlsx", "-o", path, "--lang", "zh")
    assert written.exit_code == 0
    assert f"请在 {path} 的“是否采纳”列填写 是 或 否" in written.stderr
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert [d.formula1 for d in sheet.data_validations.dataValidation] == ['"是,否"']
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    grades = {row[header.index("依据强度")] for row in rows}
    fields = {row[header.index("依据字段")] for row in rows}
    assert grades == {"强", "弱"} and fields <= {"主营产品", "经营范围", "国标行业"}
    product = header.index("产品编号")
    for row in sheet.iter_rows(min_row=2):
        row[-1].value = "同意" if row[product].value == "compressor" else "不同意"
    book.save(path)
    result = crun("classify", "accept", path, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "已确认" in result.stdout and "已否决" in result.stdout
    assert "confirmed" not in result.stdout and "strong" not in result.stdout
