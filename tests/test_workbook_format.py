"""Workbooks leadership reads (issue 11): names, Chinese sheets, layout, number formats."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import chainmap


@pytest.fixture
def sample(run, db):
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "安徽省/马鞍山市/当涂县").exit_code == 0
    return run


def _book(run, tmp_path, *args: str) -> openpyxl.Workbook:
    out = tmp_path / "report.xlsx"
    result = run(*args, "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _column(sheet, header: str) -> list:
    headers = [c.value for c in sheet[1]]
    i = headers.index(header)
    return [row[i] for row in sheet.iter_rows(min_row=2)]


def _laid_out(sheet) -> None:
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
                                    f"{sheet.max_row}"


def test_pipeline_workbook_in_chinese(sample, tmp_path):
    book = _book(sample, tmp_path, "pipeline", "--lang", "zh")
    assert book.sheetnames == ["阶段", "地区", "产业链", "负责人", "年度签约", "阶段转化率",
                               "阶段停留天数", "签约项目"]
    for sheet in book.worksheets:
        _laid_out(sheet)
    stages = book["阶段"]
    assert [c.number_format for c in _column(stages, "数量")] == ["0"] * 8
    assert {c.number_format for c in _column(stages, "投资额(亿元)")} == {"0.00"}
    rates = _column(book["阶段转化率"], "转化率")
    assert {c.number_format for c in rates} == {"0.0%"}
    assert all(isinstance(c.value, float) for c in rates)
    projects = book["签约项目"]
    signed = [c for c in _column(projects, "签约日期") if c.value is not None]
    assert signed and all(isinstance(c.value, dt.datetime) for c in signed)
    assert {c.number_format for c in signed} == {"yyyy-mm-dd"}
    assert {c.value for c in _column(projects, "签而未动")} <= {"是", "否"}
    assert "是" in {c.value for c in _column(projects, "签而未动")}
    assert all(isinstance(c.value, str) for c in _column(projects, "编号"))
    # a column of Chinese names is wider than Excel's default (8.43)
    names = [c.value for c in projects[1]].index("企业名称") + 1
    letter = projects.cell(1, names).column_letter
    assert projects.column_dimensions[letter].width > 20


def test_pipeline_workbook_in_english_says_yes_and_no(sample, tmp_path):
    book = _book(sample, tmp_path, "pipeline")
    assert book.sheetnames[0] == "stages"
    assert {c.value for c in _column(book["projects"], "overdue")} <= {"yes", "no"}


def test_gap_workbook_names_the_candidates(sample, tmp_path):
    book = _book(sample, tmp_path, "gaps", "--chain", "智能家电", "--lang", "zh")
    assert book.sheetnames == ["缺链分析"]
    sheet = book["缺链分析"]
    _laid_out(sheet)
    candidates = [c.value for c in _column(sheet, "候选企业") if c.value]
    assert any("凯越电子（宁波）有限公司" in v for v in candidates)
    assert not any("kaiyue" in v for v in candidates)
    local = [c.value for c in _column(sheet, "本地生产企业") if c.value]
    assert "安徽皓月电气有限公司" in local
    assert _column(sheet, "产品编号")[0].value == "controller"  # the id column stays
    assert {c.number_format for c in _column(sheet, "候选企业数")} == {"0"}


def test_metrics_and_anchor_workbooks(sample, tmp_path):
    metrics = _book(sample, tmp_path, "metrics", "--lang", "zh")["产业链完整度"]
    assert "智能家电" in {c.value for c in _column(metrics, "产业链")}
    assert {c.number_format for c in _column(metrics, "完整度")} == {"0.0%"}
    anchor = _book(sample, tmp_path, "anchor", "aux", "--lang", "zh")
    assert anchor.sheetnames == ["链主概况", "投入品配套", "已知供应商"]
    assert _column(anchor["链主概况"], "本地配套率")[0].number_format == "0.0%"
    inputs = anchor["投入品配套"]
    assert "空调整机" in {c.value for c in _column(inputs, "用于产品")}
    assert {c.value for c in _column(inputs, "自产")} == {"是", "否"}


def test_chinese_csv_gets_names_yes_no_and_percent(sample):
    result = sample("pipeline", "--format", "csv", "--lang", "zh")
    assert result.exit_code == 0
    import re

    assert re.search(r"^线索,接洽,\d+,\d+,\d+\.\d%$", result.stdout, re.M)
    assert re.search(r",是$", result.stdout, re.M)
    gaps = sample("gaps", "--chain", "智能家电", "--format", "csv", "--lang", "zh").stdout
    assert "凯越电子（宁波）有限公司" in gaps and "kaiyue;" not in gaps
    # English CSV and JSON are machine output: unchanged
    english = sample("gaps", "--chain", "智能家电", "--format", "csv").stdout
    assert "kaiyue;shenlian-ctrl" in english


def test_exports_keep_numbers_as_numbers_and_ids_as_text(sample, tmp_path):
    assert sample("export", str(tmp_path / "out.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    companies = book["companies"]
    _laid_out(companies)
    assert {type(c.value) for c in _column(companies, "revenue") if c.value is not None} \
        <= {int, float}
    assert all(isinstance(c.value, str) for c in _column(companies, "uscc") if c.value)
    assert all(isinstance(c.value, str) for c in _column(companies, "id"))
    leads = book["leads"]
    assert {type(c.value) for c in _column(leads, "investment") if c.value is not None} \
        <= {int, float}
    assert isinstance(_column(leads, "date")[0].value, dt.datetime)
    assert sample("leads", "export", str(tmp_path / "leads.xlsx")).exit_code == 0
    exported = openpyxl.load_workbook(tmp_path / "leads.xlsx")["leads"]
    assert isinstance(_column(exported, "investment")[0].value, (int, float))
    assert isinstance(_column(exported, "id")[0].value, str)


def test_leads_export_imports_again_exactly(sample, tmp_path):
    from chainmap.io.read import read_table

    assert sample("leads", "export", str(tmp_path / "leads.xlsx")).exit_code == 0
    assert sample("leads", "export", str(tmp_path / "leads.csv")).exit_code == 0
    from_xlsx = read_table(tmp_path / "leads.xlsx", "leads").frame
    from_csv = read_table(tmp_path / "leads.csv", "leads").frame
    assert from_xlsx.equals(from_csv)


def test_number_text_becomes_a_number_only_when_it_reads_back_the_same():
    from chainmap.files import _number

    assert [_number(t) for t in ("12", "1.5", "012", "1.50", "1e3", "nan", " 3", "-0",
                                 "12345678901234567")] == \
        [12, 1.5, "012", "1.50", "1e3", "nan", " 3", "-0", "12345678901234567"]
