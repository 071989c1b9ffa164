"""chainmap anchor: the CLI over chainmap.anchor."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.conftest import write_files
from tests.test_analysis_anchor import ANCHOR, HOME


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "anchor", ANCHOR)).exit_code == 0
    return run


def test_json(cli):
    r = cli("anchor", "anc", "--home", HOME, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["summary", "inputs", "suppliers"]
    assert data["summary"][0]["supporting_rate"] == pytest.approx(3 / 7)
    assert data["summary"][0]["definition"].startswith("本地配套率 (local supporting rate)")
    assert [row["product"] for row in data["inputs"]][:2] == ["comp", "foil"]
    assert [row["where"] for row in data["suppliers"]] == [
        "local", "targets", "targets", "elsewhere", "elsewhere"]
    assert r.stderr.splitlines() == [
        "当涂链主空调有限公司 (anc) at 安徽省/马鞍山市/当涂县: 本地配套率 42.9% "
        "(3 of 7 input products), 5 known supplier(s)",
        "本地配套率 (local supporting rate) = share of the input products of what the firm "
        "makes that at least one firm in 安徽省/马鞍山市/当涂县 makes (the firm itself included)",
    ]


def test_table_has_three_sections(cli):
    r = cli("anchor", "当涂链主空调有限公司", "--home", HOME)
    assert r.exit_code == 0
    assert [line for line in r.stdout.splitlines() if line.startswith("[")] == [
        "[summary]", "[inputs]", "[suppliers]"]


def test_chinese(cli):
    r = cli("anchor", "anc", "--home", HOME, "--format", "csv", "--lang", "zh")
    assert "本地配套率" in r.stdout.splitlines()[0]
    assert "本地" in r.stdout and "其他地区" in r.stdout and "缺链" in r.stdout


def test_xlsx_sheets(cli, tmp_path):
    out = tmp_path / "anchor.xlsx"
    r = cli("anchor", "anc", "--home", HOME, "-o", out)
    assert r.exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["summary", "inputs", "suppliers"]
    summary = list(book["summary"].values)
    assert dict(zip(summary[0], summary[1]))["supported"] == 3


def test_errors(cli):
    r = cli("anchor", "nope", "--home", HOME)
    assert (r.exit_code, r.stderr) == (1, "Error: unknown firm 'nope'\n")
    r = cli("anchor", "anc")
    assert r.exit_code == 1 and r.stderr.startswith("Error: no home region")
    assert cli("anchor", "--home", HOME).exit_code == 2
