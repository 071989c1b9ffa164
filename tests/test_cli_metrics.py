"""chainmap metrics: the CLI over chainmap.metrics."""

from __future__ import annotations

import json

import pytest

import chainmap
from tests.conftest import write_files
from tests.test_analysis_gaps import GAPS, HOME


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "gaps", GAPS)).exit_code == 0
    return run


def test_json(cli):
    r = cli("metrics", "--chain", "ac", "--home", HOME, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data[0]) == chainmap.METRIC_COLUMNS
    assert data[-1] == {"chain": "ac", "tier": "overall", "products": 6, "covered": 1,
                        "weak": 1, "missing": 4, "local_producers": 3,
                        "completeness": pytest.approx(1 / 3)}


def test_all_chains_in_chinese(cli):
    cli("config", "home", HOME)
    r = cli("metrics", "--format", "csv", "--lang", "zh")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "产业链,环节,产品数,已覆盖数,弱链数,缺链数,本地生产企业数,完整度"
    # Chinese CSV names the chain (空调, id ac) and gives 完整度 as a percentage
    assert lines[4] == "空调,未分环节,1,0,0,1,0,0.0%" and lines[5].startswith("空调,全链,6,")
    assert len(lines) == 8


def test_table_and_markdown_in_chinese_name_the_chain(cli):
    """Under --lang zh the table and Markdown name the chain (空调), as the CSV does,
    not its id; English keeps the id."""
    cli("config", "home", HOME)
    table = cli("metrics", "--lang", "zh").stdout.splitlines()
    assert table[2].startswith("空调 ") and not any(line.startswith("ac ") for line in table)
    md = cli("metrics", "--lang", "zh", "--format", "md").stdout.splitlines()
    assert md[2].startswith("| 空调 | ")
    assert cli("metrics").stdout.splitlines()[2].startswith("ac ")


def test_errors(cli):
    r = cli("metrics", "--chain", "x", "--home", HOME)
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown chain 'x'; chains: ")
    r = cli("metrics", "--chain", "ac")
    assert r.exit_code == 1 and r.stderr.startswith("Error: no home region")
    assert cli("metrics", "--home", HOME, "--weak-threshold", "0").exit_code == 2


def test_english_markdown_and_table_show_completeness_as_a_percentage(cli):
    """English Markdown and table read 33.3% as the Chinese ones do (they showed
    0.3333333333); CSV and JSON keep the fraction for programs."""
    md = cli("metrics", "--chain", "ac", "--home", HOME, "--format", "md").stdout
    overall = md.splitlines()[-1]
    assert overall == "| ac | overall | 6 | 1 | 1 | 4 | 3 | 33.3% |", md
    table = cli("metrics", "--chain", "ac", "--home", HOME).stdout.splitlines()
    assert table[-1].split()[-1] == "33.3%" and "0.333" not in "\n".join(table)
    csv = cli("metrics", "--chain", "ac", "--home", HOME, "--format", "csv").stdout
    assert csv.splitlines()[-1] == "ac,overall,6,1,1,4,3,0.3333333333333333"
