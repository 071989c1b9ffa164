"""chainmap viz: the chain map as one offline HTML file."""

from __future__ import annotations

import re

import pytest

import chainmap

HOME = "安徽省/马鞍山市/当涂县"


@pytest.fixture
def cli(run):
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


def test_products_only(cli, tmp_path):
    out = tmp_path / "map.html"
    r = cli("viz", "--chain", "智能家电", "--home", HOME, "-o", out)
    assert r.exit_code == 0, r.output
    assert (r.stdout, r.stderr) == ("", f"Wrote {out}: 32 products, 61 edges\n")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "智能家电 产业链图谱 · 安徽省/马鞍山市/当涂县" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)


def test_firms_and_grouping(cli, tmp_path):
    out = tmp_path / "firms.html"
    r = cli("viz", "--chain", "smart-appliances", "--home", "当涂县", "--firms", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stderr == f"Wrote {out}: 32 products, 65 firms, 144 edges\n"
    r = cli("viz", "--chain", "智能家电", "--home", "当涂县", "--firms", "--max-firms", "10",
            "--top", "1", "-o", out)
    assert r.stderr == f"Wrote {out}: 32 products, 40 firm groups (+N), 101 edges\n"
    r = cli("viz", "--chain", "智能家电", "--home", "当涂县", "--firms", "--targets", "上海",
            "--weak-threshold", "3", "-o", out)
    assert r.exit_code == 0 and "候选企业 candidates in 上海市" in out.read_text(encoding="utf-8")


def test_configured_home(cli, tmp_path):
    assert cli("config", "home", HOME).exit_code == 0
    r = cli("viz", "--chain", "智能家电", "-o", tmp_path / "m.html")
    assert r.exit_code == 0 and r.stderr.startswith("Wrote ")


def test_errors(cli, tmp_path):
    r = cli("viz", "--chain", "zz", "--home", HOME, "-o", tmp_path / "m.html")
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown chain 'zz'")
    r = cli("viz", "--chain", "智能家电", "-o", tmp_path / "m.html")
    assert (r.exit_code, r.stderr) == (
        1, "Error: no home region: give --home, or set one with "
           "'chainmap config home 安徽省/马鞍山市/当涂县'\n")
    r = cli("viz", "--chain", "智能家电", "--home", HOME, "-o", tmp_path / "no" / "m.html")
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot write ")
    assert not (tmp_path / "m.html").exists()
    assert cli("viz", "--chain", "智能家电", "--home", HOME).exit_code == 2  # -o is required
    assert cli("viz", "--chain", "智能家电", "--top", "-1", "-o", "x.html").exit_code == 2
