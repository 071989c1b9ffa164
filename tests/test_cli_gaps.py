"""chainmap gaps in the formats people read: names, not ids, in tables and Markdown."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chainmap.cli import main

HOME = "安徽省/马鞍山市/当涂县"


@pytest.fixture
def cli(sample_ws):
    def invoke(*args: str):
        return CliRunner().invoke(main, ["--db", sample_ws.location, *args],
                                  catch_exceptions=False)
    return invoke


def _row(markdown: str, product: str) -> dict[str, str]:
    lines = markdown.splitlines()
    head = [c.strip() for c in lines[0].strip("|").split(" | ")]
    row = next(line for line in lines if line.startswith(f"| {product} |"))
    return dict(zip(head, [c.strip() for c in row.strip("|").split(" | ")], strict=True))


@pytest.mark.parametrize(("lang", "column", "comma"), [("en", "candidates", ", "),
                                                      ("zh", "候选企业", "、")])
def test_markdown_names_the_candidates_top_three_and_counts_the_rest(cli, lang, column,
                                                                     comma):
    r = cli("gaps", "--chain", "智能家电", "--home", HOME, "--format", "md", "--lang", lang)
    assert r.exit_code == 0, r.output
    # controller has 5 candidates: kaiyue, shenlian-ctrl, jiangning-ctrl, kaiyue-2, ...
    assert _row(r.stdout, "controller")[column] == comma.join(
        ["凯越电子（宁波）有限公司", "上海申联智能控制技术有限公司",
         "南京江宁智控电子有限公司"]) + " +2"
    assert "kaiyue" not in r.stdout


def test_markdown_names_the_local_firms(cli):
    r = cli("gaps", "--chain", "智能家电", "--home", HOME, "--format", "md")
    row = _row(r.stdout, "capacitor")
    assert row["local_firms"] == "安徽皓月电气有限公司"


def test_json_and_csv_keep_the_ids(cli):
    r = cli("gaps", "--chain", "智能家电", "--home", HOME, "--format", "json")
    controller = next(row for row in json.loads(r.stdout) if row["product"] == "controller")
    assert controller["candidates"][:2] == ["kaiyue", "shenlian-ctrl"]
    r = cli("gaps", "--chain", "智能家电", "--home", HOME, "--format", "csv")
    assert ",kaiyue;shenlian-ctrl;jiangning-ctrl;" in r.stdout


def test_other_markdown_reports_name_their_firm_lists(cli):
    r = cli("targets", "--chain", "智能家电", "--product", "compressor", "--home", HOME,
            "--format", "md")
    assert _row(r.stdout, "1")["local_customers"] == "奥克斯空调（马鞍山）有限公司"
