"""chainmap pipeline: stages, regions, chains, owners, signed by year, conversion, stage
days and signed projects, in every format."""

from __future__ import annotations

import json

import openpyxl
import pytest

import chainmap


@pytest.fixture
def srun(run, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


def test_pipeline_json(srun):
    result = srun("pipeline", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["stages", "regions", "chains", "owners", "signed_by_year",
                          "conversion", "stage_days", "projects"]
    assert [(s["stage"], s["count"], s["investment"]) for s in data["stages"]] == [
        ("lead", 2, 7.5), ("contacted", 2, 5.5), ("visited", 2, 5.8), ("negotiating", 2, 12.5),
        ("signed", 1, 28.0), ("started", 1, 8.0), ("producing", 1, 2.0), ("lost", 1, 1.2)]
    regions = {r["region"]: r for r in data["regions"]}
    assert list(regions) == ["上海", "江苏", "浙江"]
    assert (regions["上海"]["leads"], regions["上海"]["open"], regions["上海"]["signed"],
            regions["上海"]["investment"], regions["上海"]["signed_investment"]) == (
        3, 2, 1, 34.0, 28.0)  # the lost lead's 1.2 亿元 is not counted
    chains = {c["chain"]: c for c in data["chains"]}
    assert chains["smart-appliances"]["leads"] == 11
    assert chains["smart-logistics"]["chain_name"] == "智慧物流"
    owners = {o["owner"]: o["leads"] for o in data["owners"]}
    assert owners == {"张超": 4, "王磊": 4, "李娜": 4}
    assert data["signed_by_year"] == [{"year": "2026", "projects": 1, "investment": 28.0},
                                      {"year": "unknown", "projects": 2, "investment": 10.0}]
    assert data["conversion"][0] == {"from_stage": "lead", "to_stage": "contacted",
                                     "reached_from": 11, "reached_to": 9, "rate": 0.818}
    assert [p["id"] for p in data["projects"] if p["overdue"]] == ["L0003"]


def test_conversion_and_stage_days_from_history(srun):
    srun("leads", "add", "gree", "--product", "compressor", "--date", "2026-01-01")  # L0013
    srun("leads", "move", "L13", "contacted", "--date", "2026-01-11")
    srun("leads", "move", "L13", "visited", "--date", "2026-01-31")
    srun("leads", "move", "L13", "lost", "--date", "2026-02-10", "--reason", "no land")
    srun("leads", "add", "midea", "--date", "2026-01-01")  # L0014
    srun("leads", "move", "L14", "contacted", "--date", "2026-01-05")
    data = json.loads(srun("pipeline", "--format", "json").stdout)
    days = {d["stage"]: (d["stays"], d["median_days"]) for d in data["stage_days"]}
    assert days["lead"] == (2, 7.0)        # 10 and 4 days
    assert days["contacted"] == (1, 20.0)
    assert days["visited"] == (1, 10.0)    # then lost
    assert days["signed"] == (0, None)
    conv = {c["from_stage"]: (c["reached_from"], c["reached_to"]) for c in data["conversion"]}
    assert conv["lead"] == (13, 11) and conv["contacted"] == (11, 8)  # lost keeps 'visited'


def test_pipeline_table_md_csv(srun):
    table = srun("pipeline").stdout
    assert table.startswith("[stages]\nstage")
    assert "[projects]" in table and "[conversion]" in table
    md = srun("pipeline", "--format", "md").stdout
    assert md.startswith("## stages\n\n| stage | stage_zh | count | investment |")
    assert srun("pipeline", "--format", "csv").stdout.startswith("stage,stage_zh,count")


def test_pipeline_zh(srun):
    table = srun("pipeline", "--lang", "zh").stdout
    assert "阶段" in table and "签而未动" in table and "投资额(亿元)" in table
    # JSON is for programs: the same English keys and codes whatever --lang says
    en = srun("pipeline", "--format", "json").stdout
    data = json.loads(srun("pipeline", "--format", "json", "--lang", "zh").stdout)
    assert data == json.loads(en)
    assert data["stages"][0] == {"stage": "lead", "stage_zh": "线索", "count": 2,
                                 "investment": 7.5}
    assert data["conversion"][0]["from_stage"] == "lead"
    assert "overdue" in data["projects"][0]


def test_pipeline_xlsx(srun, tmp_path):
    out = tmp_path / "pipeline.xlsx"
    result = srun("pipeline", "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"Wrote {out}\n"
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["stages", "regions", "chains", "owners", "signed_by_year",
                               "conversion", "stage_days", "projects"]
    assert [c.value for c in book["stages"][2]] == ["lead", "线索", 2, 7.5]


def test_pipeline_refusals(srun, tmp_path):
    result = srun("pipeline", "--format", "xlsx")
    assert result.exit_code == 1 and result.stderr == "Error: --format xlsx needs -o FILE.xlsx\n"
    assert srun("pipeline", "--days", "-3").exit_code == 2


def test_pipeline_days_option(srun):
    data = json.loads(srun("pipeline", "--format", "json", "--days", "100000").stdout)
    assert not any(p["overdue"] for p in data["projects"])


def test_pipeline_empty_workspace(run, db):
    chainmap.open(db).close()  # an empty workspace (a missing one is an error)
    data = json.loads(run("pipeline", "--format", "json").stdout)
    assert [s["count"] for s in data["stages"]] == [0] * 8
    assert data["regions"] == [] and data["projects"] == []


def strict_json(text: str):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_pipeline_json_is_valid_with_an_infinite_investment_on_record(srun, db):
    """A workspace written before investments had to be finite may hold inf: the JSON
    says null (never the invalid Infinity), in every command that prints leads."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE leads SET investment = ? WHERE id = 'L0003'", (float("inf"),))
        conn.execute("UPDATE leads SET investment = ? WHERE id = 'L0001'", (float("nan"),))
    result = srun("pipeline", "--format", "json")
    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    assert {s["stage"]: s["investment"] for s in data["stages"]}["signed"] is None
    single = strict_json(srun("leads", "list", "--format", "json").stdout)
    assert [r["investment"] for r in single[:3]] == [None, 5.0, None]
    card = strict_json(srun("leads", "show", "L3", "--format", "json").stdout)
    assert card["lead"]["investment"] is None


def test_pipeline_zh_in_every_format(srun, tmp_path):
    md = srun("pipeline", "--format", "md", "--lang", "zh").stdout
    assert md.startswith("## 阶段\n\n| 阶段 | 数量 | 投资额(亿元) |\n")  # sheet titles too
    assert "| 签约 | 1 | 28 |" in md
    out = tmp_path / "p.xlsx"
    assert srun("pipeline", "-o", out, "--lang", "zh").exit_code == 0
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["地区"][1]][:3] == ["地区", "线索数", "在谈"]


def test_reports_read_either_store(make_ws):
    """Every pipeline report, and the gap report, from the CLI on SQLite and on Neo4j
    (``--db bolt://...``; tests/stores.py pushes the sample there)."""
    from click.testing import CliRunner

    from chainmap.cli import main

    ws = make_ws(chainmap.sample_path())

    def out(*args: str):
        result = CliRunner().invoke(main, ["--db", ws.location, *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert [(s["stage"], s["count"]) for s in out("pipeline")["stages"]][3:5] == [
        ("negotiating", 2), ("signed", 1)]
    assert [r["id"] for r in out("leads", "list", "--stage", "洽谈")] == ["L0001", "L0012"]
    assert [p["id"] for p in out("leads", "projects")] == ["L0003", "L0005", "L0007"]
    assert [p["id"] for p in out("leads", "overdue", "--days", "100000")] == []
    assert out("leads", "show", "L3")["lead"]["company_name"] == "上海浦江压缩机股份有限公司"
    assert out("leads", "due") == []
    assert {s["id"] for s in out("leads", "stale", "--days", "1")} == {
        f"L{i:04d}" for i in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)}
    assert out("log")[-1]["detail"] == ("imported leads.csv: 12 row(s), 12 new lead(s), "
                                        "0 skipped")
    gaps = out("gaps", "--chain", "智能家电", "--home", "当涂县")
    assert len(gaps) == 32 and gaps[0]["product"] == "controller"
    assert gaps[0]["candidates"] == ["kaiyue", "shenlian-ctrl", "jiangning-ctrl", "kaiyue-2",
                                     "binjiang-ctrl"]


def test_project_sheets_name_the_product(srun, tmp_path):
    """A list of projects in a workbook (and Chinese CSV) shows the product's name beside
    its id: pipeline's 签约项目, projects delivery's 项目履约, the weekly 签而未动."""
    def rows(path, sheet):
        book = openpyxl.load_workbook(path)
        return [[c.value for c in row] for row in book[sheet].iter_rows()]

    path = tmp_path / "p.xlsx"
    assert srun("pipeline", "-o", path, "--lang", "zh").exit_code == 0
    projects = rows(path, "签约项目")
    assert projects[0][3:5] == ["产品编号", "产品名称"]
    assert projects[1][:5] == ["L0003", "pujiang-comp", "上海浦江压缩机股份有限公司",
                               "compressor", "压缩机"]
    assert srun("projects", "delivery", "-o", path, "--lang", "zh",
                "--as-of", "2026-11-30").exit_code == 0
    delivery = rows(path, "项目履约")
    assert delivery[0][3:5] == ["产品编号", "产品名称"] and delivery[1][4] == "压缩机"
    assert srun("report", "weekly", "--from", "2026-01-01", "--to", "2026-11-30",
                "-o", path, "--lang", "zh").exit_code == 0
    idle = rows(path, "签而未动")
    assert idle[0][2:4] == ["产品编号", "产品名称"] and idle[1][3] == "压缩机"
    csv = srun("pipeline", "--format", "csv", "--lang", "zh").stdout
    assert "compressor,压缩机,签约" in csv
    english = json.loads(srun("pipeline", "--format", "json").stdout)
    assert "product_name" not in english["projects"][0]  # JSON keeps its keys


def test_supervise_sheets_of_owners_excel_refuses_as_names(srun, tmp_path):
    """One 督办单 per person, whatever the person is called: 王磊/李娜, a * or a name of
    more than 31 characters become sheet names Excel takes (it was an internal error)."""
    long = "这是一个非常非常非常非常非常非常长的负责人名字超过三十一个字符的情况测试"
    for lead, owner in (("L6", "王磊/李娜"), ("L10", "招商一局：张超*"), ("L11", long),
                        ("L2", long + "乙")):
        assert srun("leads", "update", lead, "--owner", owner).exit_code == 0
    path = tmp_path / "督办单.xlsx"
    result = srun("supervise", "-o", path, "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    names = openpyxl.load_workbook(path).sheetnames
    assert "王磊／李娜" in names and "招商一局：张超＊" in names
    assert long[:31] in names and long[:28] + "(2)" in names


# -- Chinese CSV: whole numbers as the table writes them (the bundled sample) --------------


def _sample_cli(sample_ws):
    from click.testing import CliRunner

    from chainmap.cli import main

    def invoke(*args):
        return CliRunner().invoke(main, ["--db", sample_ws.location, *map(str, args)],
                                  catch_exceptions=False)
    return invoke


def test_chinese_csv_writes_whole_numbers_as_the_table_does(sample_ws):
    cli = _sample_cli(sample_ws)
    table = cli("pipeline", "--lang", "zh").stdout
    assert any(line.split()[:3] == ["签约", "1", "28"] for line in table.splitlines())
    csv = cli("pipeline", "--format", "csv", "--lang", "zh").stdout.splitlines()
    assert "签约,1,28" in csv and "签约,1,28.0" not in csv
    assert "线索,2,7.5" in csv  # other numbers as they are
    # a summary's 数值 (counts and 亿元 in one column), and 万元 revenues
    signed = cli("report", "signed", "--as-of", "2026-11-30", "--format", "csv", "--lang",
                 "zh").stdout
    assert "总投资(亿元),28," in signed and "28.0" not in signed
    anchor = cli("anchor", "aux", "--home", "当涂县", "--format", "csv", "--lang", "zh").stdout
    assert ",高端黏合剂,12000" in anchor and "12000.0" not in anchor


def test_json_keeps_its_numbers(sample_ws):
    import json

    rows = json.loads(_sample_cli(sample_ws)("pipeline", "--format", "json").stdout)["stages"]
    assert next(r for r in rows if r["stage"] == "signed")["investment"] == 28.0
