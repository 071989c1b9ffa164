"""chainmap impact: the CLI over chainmap.impact."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write_files
from tests.test_analysis_impact import HOME, IMPACT


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "impact", IMPACT)).exit_code == 0
    return run


def test_leaving_json(cli):
    r = cli("impact", "f", "--home", HOME, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["products", "customers"]
    assert data["products"][0] == {
        "product": "p", "name": "产品P", "tier": "upstream", "before": "weak",
        "after": "missing", "local_producers_before": 1, "local_producers_after": 0,
        "changed": True}
    assert data["customers"] == [{"customer": "cu", "name": "当涂客户U", "product": "p",
                                  "product_name": "产品P",
                                  "effect": "loses its only local supplier"}]
    assert r.stderr.startswith("If 当涂F厂 (f) leaves 安徽省/马鞍山市/当涂县: 4 product(s)")


def test_landing_in_chinese(cli):
    r = cli("impact", "--add", "江苏T厂", "--home", HOME, "--chain", "c1", "--format", "csv",
            "--lang", "zh")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == ("产品编号,名称,环节,变化前,变化后,变化前本地生产企业数,"
                        "变化后本地生产企业数,状态变化")
    assert lines[1] == "n,产品N,上游,缺链,弱链,0,1,是"  # Chinese CSV says 是/否
    assert "cu,当涂客户U,n,产品N,获得首个本地供应商" in lines


def test_refusals(cli):
    r = cli("impact", "t", "--home", HOME)
    assert r.exit_code == 1
    assert r.stderr == ("Error: 江苏T厂 (t) is not in 安徽省/马鞍山市/当涂县, so its leaving "
                        "changes nothing there; use --add to see what its arrival would "
                        "change\n")
    r = cli("impact", "f", "--add", "--home", HOME)
    assert r.exit_code == 1
    assert r.stderr == ("Error: 当涂F厂 (f) is already in 安徽省/马鞍山市/当涂县; drop --add "
                        "to see what its leaving would change\n")
    r = cli("impact", "nope", "--home", HOME)
    assert (r.exit_code, r.stderr) == (1, "Error: unknown firm 'nope'\n")
    r = cli("impact", "f", "--home", HOME, "--chain", "c9")
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown chain 'c9'")
    assert cli("impact", "--home", HOME).exit_code == 2
