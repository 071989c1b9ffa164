"""chainmap report weekly (招商周报): formats, --lang, the workbook and the refusals."""

from __future__ import annotations

import json

import openpyxl
import pytest

import chainmap
from tests.test_weekly import week_of_november

PERIOD = ("--from", "2026-11-02", "--to", "2026-11-08")
SHEETS = ["summary", "by_owner", "by_chain", "new_leads", "stage_moves", "activities",
          "activity_kinds", "deals", "overdue_followups", "signed_not_started"]


@pytest.fixture
def wrun(run, db, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    ws = chainmap.open(db)
    chainmap.import_dataset(ws, chainmap.sample_path())
    week_of_november(ws)
    ws.close()
    return run


def test_json_is_an_object_of_tables(wrun):
    result = wrun("report", "weekly", *PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Weekly report (招商周报) 2026-11-02 – 2026-11-08\n"
    data = json.loads(result.stdout)
    assert list(data) == SHEETS
    assert {r["measure"]: r["value"] for r in data["summary"]} == {
        "new_leads": 2, "stage_moves": 4, "activities": 3, "signed": 1, "started": 1,
        "producing": 0, "signed_investment": 12.0, "overdue_followups": 2,
        "signed_not_started": 0}
    assert {r["owner"]: r["started_investment"] for r in data["by_owner"]} == {
        "张超": 28.0, "李娜": 0.0, "王磊": 0.0}
    assert [r["chain"] for r in data["by_chain"]] == ["smart-appliances", "smart-logistics"]


def test_json_keys_stay_english_under_lang_zh(wrun):
    en = wrun("report", "weekly", *PERIOD, "--format", "json")
    zh = wrun("report", "weekly", *PERIOD, "--format", "json", "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    assert json.loads(zh.stdout) == json.loads(en.stdout)


def test_table_in_chinese(wrun):
    result = wrun("report", "weekly", *PERIOD, "--lang", "zh")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("[汇总]\n指标")
    for word in ("[按负责人]", "[按产业链]", "[签而未动]", "新增线索", "签约金额(亿元)",
                 "开工金额(亿元)", "会谈", "电话"):
        assert word in out
    assert "measure" not in out and "new_leads" not in out and "meeting" not in out


def test_csv_and_md(wrun):
    md = wrun("report", "weekly", *PERIOD, "--format", "md")
    assert md.stdout.startswith("## summary\n\n| measure | measure_zh | value | start | end |")
    csv = wrun("report", "weekly", *PERIOD, "--format", "csv")
    assert csv.stdout.splitlines()[:2] == ["measure,measure_zh,value,start,end",
                                           "new_leads,新增线索,2,2026-11-02,2026-11-08"]


def test_workbook_summary_first(wrun, tmp_path):
    path = tmp_path / "周报.xlsx"
    result = wrun("report", "weekly", *PERIOD, "-o", path)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    rows = list(wb["summary"].iter_rows(values_only=True))
    assert rows[0][:3] == ("measure", "measure_zh", "value")
    assert [r[2] for r in rows[1:]] == [2, 4, 3, 1, 1, 0, 12, 2, 0]

    path_zh = tmp_path / "周报-zh.xlsx"
    assert wrun("report", "weekly", *PERIOD, "--format", "xlsx", "-o", path_zh,
                "--lang", "zh").exit_code == 0
    wb = openpyxl.load_workbook(path_zh)
    assert wb.sheetnames == ["汇总", "按负责人", "按产业链", "新增线索", "阶段推进", "走访活动",
                             "活动方式", "签约开工投产", "逾期跟进", "签而未动"]
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert rows[0][:2] == ("指标", "数值")
    assert rows[7][:2] == ("签约金额(亿元)", 12)


def test_default_period(wrun):
    import time_machine

    with time_machine.travel("2026-11-08 18:00", tick=False):
        result = wrun("report", "weekly", "--format", "json")
    assert result.stderr == "Weekly report (招商周报) 2026-11-02 – 2026-11-08\n"
    assert json.loads(result.stdout)["summary"][0]["value"] == 2


def test_refusals(wrun):
    late = wrun("report", "weekly", "--from", "2026-11-09", "--to", "2026-11-08")
    assert late.exit_code == 1
    assert late.stderr == "Error: --from (2026-11-09) is after --to (2026-11-08)\n"
    bad = wrun("report", "weekly", "--to", "08/11/2026")
    assert bad.exit_code == 1 and "for --to:" in bad.stderr
    assert wrun("report", "weekly", "--format", "xlsx").stderr.startswith(
        "Error: --format xlsx needs -o FILE.xlsx")
