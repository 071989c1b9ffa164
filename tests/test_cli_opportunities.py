"""chainmap opportunities, related and chart opportunities: the CLI over the library."""

from __future__ import annotations

import json

import openpyxl
import pytest

import chainmap
from tests.chart_fixtures import cjk_font  # noqa: F401
from tests.conftest import write_files
from tests.test_analysis_opportunities import HAND, HOME

THIN = ("Warning: only 4 region(s) of the workspace have firms making its products: "
        "complexity (pci, cog) and density say little about so few places\n"
        "Warning: only 17% of region and product pairs meet the log-supermodularity "
        "condition (ecomplexity asks for 80%): pci and cog may not rank complexity\n")


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "hand", HAND)).exit_code == 0
    return run


def test_json_keys_rows_and_warnings(cli):
    r = cli("opportunities", "--chain", "空调", "--home", HOME, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [list(row) for row in rows] == [chainmap.OPPORTUNITY_COLUMNS] * 4
    assert list(rows[0]) == ["product", "name", "name_en", "tier", "status", "rca", "present",
                             "density", "pci", "cog", "upstream_local", "downstream_local",
                             "local_demand", "n_candidates", "score", "explanation"]
    assert [row["product"] for row in rows] == ["B", "D", "A", "C"]
    d = rows[1]
    assert (d["rca"], d["present"], d["density"], d["pci"], d["cog"]) == (0.0, False, 0.0,
                                                                         None, 0.0)
    assert rows[0]["score"] == pytest.approx(0.65) and rows[2]["present"] is True
    assert r.stderr == THIN  # the data are too thin: said on stderr, JSON stays clean


def test_strategy_weight_and_table(cli):
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--strategy", "near",
            "--weight", "firms")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["product", "name", "status", "rca", "present", "density", "pci",
                                "cog", "upstream_local", "downstream_local", "local_demand",
                                "n_candidates", "score"]
    assert lines[2].split() == ["B", "压缩机", "missing", "0", "False", "0.45", "1.41", "0.66",
                                "1", "1", "2", "3", "0.7"]
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--weight", "revenue",
            "--format", "csv")
    assert r.exit_code == 0 and r.stdout.startswith("product,name,name_en,tier,status,rca,")


def test_chinese(cli, tmp_path):
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--lang", "zh")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].split() == [
        "产品编号", "名称", "状态", "比较优势(RCA)", "本地优势", "关联密度", "产品复杂度",
        "机会增益", "本地有上游数", "本地有下游数", "本地需求企业数", "候选企业数", "得分"]
    assert r.stderr.startswith("警告：工作区中只有 4 个地区有企业生产这些产品")
    out = tmp_path / "o.xlsx"
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--lang", "zh", "-o", out)
    assert r.exit_code == 0
    sheet = openpyxl.load_workbook(out)["招商方向"]
    values = list(sheet.values)
    assert values[0][:7] == ("产品编号", "名称", "英文名称", "环节", "状态", "比较优势(RCA)",
                             "本地优势")
    assert values[1][:7] == ("B", "压缩机", "compressor", "中游", "缺链", 0, "否")
    assert values[1][-1].startswith("排名靠前主要因为本地已有相关产品；本地尚无生产")
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--format", "json",
            "--lang", "zh")
    assert json.loads(r.stdout)[0]["status"] == "missing"  # JSON keys and codes stay English


def test_errors(cli):
    r = cli("opportunities", "--chain", "tv", "--home", HOME)
    assert (r.exit_code, r.stderr) == (1, "Error: unknown chain 'tv'; chains: ac (空调)\n")
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--strategy", "bold")
    assert r.exit_code == 2 and "Invalid value for '--strategy': 'bold' is not one of " \
        "'balanced', 'near', 'bets'." in r.stderr
    r = cli("opportunities", "--chain", "ac", "--home", HOME, "--weight", "staff")
    assert r.exit_code == 2 and "'--weight'" in r.stderr
    r = cli("opportunities", "--chain", "ac", "--home", "安徽者")
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown region")
    r = cli("opportunities", "--chain", "ac")
    assert (r.exit_code, r.stderr) == (1, "Error: no home region: give --home, or set one with "
                                          "'chainmap config home 安徽省/马鞍山市/当涂县'\n")
    r = cli("related", "--product", "E")
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown product 'E'")
    r = cli("related", "--product", "A", "--top", "0")
    assert r.exit_code == 2 and "--top" in r.stderr
    r = cli("related")
    assert r.exit_code == 2 and "Missing option '--product'" in r.stderr


def test_related(cli):
    r = cli("related", "--product", "压缩机", "--format", "json")
    assert r.exit_code == 0 and r.stderr == ""
    rows = json.loads(r.stdout)
    assert list(rows[0]) == chainmap.RELATED_COLUMNS
    assert [(row["product"], row["proximity"]) for row in rows] == [("C", 0.5), ("A", 1 / 3)]
    r = cli("related", "--product", "B", "--top", "1")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].split() == ["product", "name", "tier", "proximity",
                                                "shared_regions", "regions", "is_input",
                                                "is_use"]
    assert r.stdout.splitlines()[2].split() == ["C", "空调整机", "downstream", "0.5", "1", "2",
                                                "False", "True"]
    r = cli("related", "--product", "冷媒")
    assert r.exit_code == 0 and r.stdout == "(no rows)\n"
    assert r.stderr == ("No region has 冷媒 as a strength (RCA at least 1): nothing is related "
                        "to it yet\n")
    r = cli("related", "--product", "B", "--lang", "zh", "--format", "md")
    assert ("| 产品编号 | 名称 | 英文名称 | 环节 | 邻近度 | 共同优势地区数 | 优势地区数 | "
            "是其投入品 | 是其下游 | 说明 |") in r.stdout
    assert "压缩机是它的直接投入品" in r.stdout


def test_chart(cli, tmp_path, cjk_font):  # noqa: F811
    out = tmp_path / "o.png"
    r = cli("chart", "opportunities", "--chain", "ac", "--home", HOME, "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stderr == THIN + f"Wrote {out}\n"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli("chart", "opportunities", "--chain", "ac", "--home", HOME, "-o", tmp_path / "o.jpg")
    assert r.exit_code == 1 and "name the file .png" in r.stderr
    r = cli("chart", "opportunities", "--chain", "ac", "--home", HOME, "--lang", "zh",
            "-o", out)
    assert r.stderr.endswith(f"已写入 {out}\n") and r.stderr.startswith("警告：")
