"""chainmap report signed (签约项目通报): every format in English and Chinese, the
workbook, the notes on stderr and the refusals, on the article's half year
(tests/test_signed.py)."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

import chainmap
from tests.test_signed import ARTICLE_EN, ARTICLE_ZH, half_year

HALF = ("--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "2026-07-15")
NOTES_EN = [
    "Bulletin of signed projects, 2026-01-01 – 2026-06-30 (as of 2026-07-15)",
    "Not counted: 1 project(s) signed in the period under 1 亿元",
    "Not counted: 1 project(s) signed in the period without an investment figure (taken "
    "as under --min)",
    "Not counted: 2 project(s) with a contract date in the period but not at signed, "
    "started or producing on 2026-07-15 (lost, moved back, or moved to signed later)",
    "Not counted: 2 project(s) at signed, started or producing without a contract date; "
    "give one with 'chainmap leads update LEAD --contract-date YYYY-MM-DD'",
]
NOTES_ZH = [
    "签约项目通报：2026-01-01 至 2026-06-30（截至 2026-07-15）",
    "未计入：期内签约但投资额不足1亿元的项目1个",
    "未计入：期内签约但没有投资额的项目1个（按低于 --min 处理）",
    "未计入：签约日期在期内、但截至 2026-07-15 不处于签约、开工或投产阶段的项目2个（已终止、退回，"
    "或转入签约的日期在后）",
    "未计入：处于签约、开工或投产阶段但没有签约日期的项目2个；请用 'chainmap leads update LEAD "
    "--contract-date YYYY-MM-DD' 补录签约日期",
]


@pytest.fixture
def srun(run, db, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    ws = chainmap.open(db)
    chainmap.import_dataset(ws, chainmap.sample_path())
    half_year(ws)
    ws.close()
    return run


def test_json(srun):
    result = srun("report", "signed", *HALF, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == NOTES_EN
    data = json.loads(result.stdout)
    assert list(data)[:4] == ["count", "from_targets", "total", "bands"]
    assert (data["count"], data["from_targets"], data["total"]) == (16, 8, 116.3)
    assert data["bands"] == [{"min": 30, "count": 1}, {"min": 20, "count": 1},
                             {"min": 10, "count": 3}]
    assert data["sentence"] == {"zh": ARTICLE_ZH, "en": ARTICLE_EN}
    assert data["targets"] == ["上海市", "江苏省", "浙江省"]
    assert data["min_investment"] == 1
    assert data["projects"][0]["company"] == "aux-hq"
    zh = srun("report", "signed", *HALF, "--format", "json", "--lang", "zh")
    assert json.loads(zh.stdout) == data  # machine output: the same whatever --lang
    assert zh.stderr.splitlines() == NOTES_ZH


def test_table(srun):
    result = srun("report", "signed", *HALF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(ARTICLE_EN + "\n\n[summary]\nmeasure ")
    assert "\n[projects]\nlead " in out
    assert "2026-06-28" in out and "aux-hq" in out
    zh = srun("report", "signed", *HALF, "--lang", "zh").stdout
    assert zh.startswith(ARTICLE_ZH + "\n\n[汇总]\n指标")
    for word in ("[签约项目]", "新签约项目数", "其中来自目标地区", "30亿元（含）以上项目",
                 "企业名称", "来自目标地区", "投资档次(亿元)", "签约日期", "投产", "签约"):
        assert word in zh, word
    assert "measure" not in zh and "count" not in zh and "producing" not in zh


def test_markdown(srun):
    md = srun("report", "signed", *HALF, "--format", "md").stdout
    assert md.startswith(ARTICLE_EN + "\n\n## summary\n\n| measure | measure_zh | value |")
    assert "\n## projects\n\n| lead | company | company_name |" in md
    zh = srun("report", "signed", *HALF, "--format", "md", "--lang", "zh").stdout
    assert zh.startswith(ARTICLE_ZH + "\n\n## 汇总\n\n"
                         "| 指标 | 数值 | 开始日期 | 结束日期 | 截至日期 |")
    assert "\n## 签约项目\n\n| 线索编号 | 企业编号 | 企业名称 |" in zh


def test_csv(srun):
    csv = srun("report", "signed", *HALF, "--format", "csv").stdout.splitlines()
    assert csv[0] == "measure,measure_zh,value,start,end,as_of"
    assert csv[1] == f'sentence,通报,"{ARTICLE_EN}",2026-01-01,2026-06-30,2026-07-15'
    assert csv[2] == "count,新签约项目数,16,2026-01-01,2026-06-30,2026-07-15"
    header = csv.index("lead,company,company_name,region,from_targets,product,product_name,"
                       "chain_name,investment,band,contract_date,stage")
    assert csv[header + 1].startswith("L0013,aux-hq,")
    zh = srun("report", "signed", *HALF, "--format", "csv", "--lang", "zh").stdout.splitlines()
    assert zh[0] == "指标,数值,开始日期,结束日期,截至日期"
    assert zh[1] == f"通报,{ARTICLE_ZH},2026-01-01,2026-06-30,2026-07-15"
    header = zh.index("线索编号,企业名称,地区,来自目标地区,产品名称,产业链名称,投资额(亿元),"
                      "投资档次(亿元),签约日期,阶段")
    assert zh[header + 1] == ("L0013,宁波奥克斯电气股份有限公司,浙江省/宁波市/鄞州区,是,空调整机,"
                              "智能家电,30,30,2026-03-01,签约")  # 30 亿元, as the table


def test_workbook_in_chinese(srun, tmp_path):
    path = tmp_path / "签约通报.xlsx"
    result = srun("report", "signed", *HALF, "--format", "xlsx", "-o", path, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总", "签约项目"]  # the summary sheet first
    summary = wb["汇总"]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0] == ("指标", "数值", "开始日期", "结束日期", "截至日期")
    assert rows[1][:2] == ("通报", ARTICLE_ZH)
    assert rows[1][2:] == (dt.datetime(2026, 1, 1), dt.datetime(2026, 6, 30),
                           dt.datetime(2026, 7, 15))
    assert [r[1] for r in rows[2:]] == [16, 8, 116.3, 1, 1, 3, 1, 1, 2, 2]
    assert summary["C2"].number_format == "yyyy-mm-dd"
    assert summary.freeze_panes == "A2" and summary["A1"].font.bold
    projects = wb["签约项目"]
    rows = list(projects.iter_rows(values_only=True))
    assert rows[0] == ("线索编号", "企业名称", "地区", "来自目标地区", "产品名称", "产业链名称",
                       "投资额(亿元)", "投资档次(亿元)", "签约日期", "阶段")  # names, not ids
    assert rows[1] == ("L0013", "宁波奥克斯电气股份有限公司", "浙江省/宁波市/鄞州区", "是",
                       "空调整机", "智能家电", 30, 30, dt.datetime(2026, 3, 1), "签约")
    assert len(rows) == 17
    assert projects["G2"].number_format == "0.00" and projects["H2"].number_format == "0.00"
    assert projects["I2"].number_format == "yyyy-mm-dd"
    assert {r[3] for r in rows[1:]} == {"是", "否"}


def test_workbook_in_english(srun, tmp_path):
    path = tmp_path / "signed.xlsx"
    result = srun("report", "signed", *HALF, "-o", path)  # the suffix makes a workbook
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"Wrote {path}"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["summary", "projects"]
    rows = list(wb["summary"].iter_rows(values_only=True))
    assert rows[1][:3] == ("sentence", "通报", ARTICLE_EN)
    header = [c.value for c in wb["projects"][1]]
    assert "company" not in header and "product" not in header
    assert header[:3] == ["lead", "company_name", "region"]
    assert wb["projects"]["D2"].value == "yes"


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "table"])
def test_to_a_file(srun, tmp_path, fmt):
    path = tmp_path / f"signed.{fmt}"
    result = srun("report", "signed", *HALF, "--format", fmt, "-o", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = path.read_text("utf-8-sig")
    printed = srun("report", "signed", *HALF, "--format", fmt).stdout
    assert text == printed
    assert ("116.3" in text) and ("aux-hq" in text)


def test_options(srun):
    five = srun("report", "signed", *HALF, "--min", "5", "--format", "json")
    assert json.loads(five.stdout)["count"] == 5
    south = srun("report", "signed", *HALF, "--targets", "广东,山东", "--bands", "20,10",
                 "--format", "json", "--lang", "zh")
    data = json.loads(south.stdout)
    assert data["from_targets"] == 3 and data["bands"] == [{"min": 20, "count": 2},
                                                           {"min": 10, "count": 3}]
    assert data["sentence"]["zh"] == ("新签约亿元以上项目16个，其中来自广东、山东项目3个，总投资"
                                      "116.3亿元，其中超20亿元项目2个、超10亿元项目3个")
    none = srun("report", "signed", *HALF, "--bands", "", "--format", "json")
    assert json.loads(none.stdout)["bands"] == []


def test_default_period(srun):
    import time_machine

    with time_machine.travel("2026-07-15 18:00", tick=False):
        result = srun("report", "signed", "--format", "json")
    assert json.loads(result.stdout)["period"] == {"start": "2026-01-01", "end": "2026-07-15",
                                                   "as_of": "2026-07-15"}
    assert result.stderr.splitlines()[0] == (
        "Bulletin of signed projects, 2026-01-01 – 2026-07-15 (as of 2026-07-15)")


def test_refusals(srun):
    cases = [
        (("--min", "-1"), "Error: --min must be a finite number of 亿元, 0 or more, not '-1'"),
        (("--min", "nan"), "Error: --min must be a finite number of 亿元, 0 or more, not "
                           "'nan'"),
        (("--min", "inf"), "Error: --min must be a finite number of 亿元, 0 or more, not "
                           "'inf'"),
        (("--bands", "30,abc"), "Error: --bands must be amounts in 亿元 above 0, such as "
                                "30,20,10; 'abc' is not one"),
        (("--bands", "30,20,30"), "Error: --bands names 30 亿元 twice"),
        (("--from", "2026-07-01", "--to", "2026-06-30"),
         "Error: the period's --from (2026-07-01) is after its --to (2026-06-30)"),
        (("--from", "2026-08-01", "--as-of", "2026-07-15"),
         "Error: the period's --from (2026-08-01) is after --as-of (2026-07-15), the "
         "default end"),
        (("--targets", "安徽者"), None),
    ]
    for args, message in cases:
        result = srun("report", "signed", *args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, lines)
        if message:
            assert lines[0] == message
    xlsx = srun("report", "signed", "--format", "xlsx")
    assert xlsx.exit_code == 1 and xlsx.stderr.startswith("Error: --format xlsx needs -o")


def test_refusals_in_chinese(srun):
    result = srun("report", "signed", "--min", "-1", "--lang", "zh")
    assert result.stderr == "错误：--min 须为不小于 0 的数（亿元），不是 '-1'\n"
    result = srun("report", "signed", "--from", "2026-07-01", "--to", "2026-06-30",
                  "--lang", "zh")
    assert result.stderr == (
        "错误：统计期起始日 --from（2026-07-01）晚于截止日 --to（2026-06-30）\n")
