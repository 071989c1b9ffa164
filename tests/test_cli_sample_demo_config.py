"""chainmap sample, demo, config home and region."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main


def test_sample_writes_dataset(run, tmp_path):
    r = run("sample", tmp_path / "s")
    assert r.exit_code == 0
    names = {p.name for p in (tmp_path / "s").iterdir()}
    assert {"products.csv", "companies.csv", "README.md"} <= names
    again = run("sample", tmp_path / "s")
    assert again.exit_code == 1 and "already has" in again.stderr


def test_sample_meets_the_brief():
    folder = chainmap.sample_path()
    products = pd.read_csv(folder / "products.csv")
    companies = pd.read_csv(folder / "companies.csv")
    assert len(products) >= 40 and len(companies) >= 100
    for name in ("奥克斯", "粤美", "皓月电气", "仅达", "汉司", "中商冷链", "鸿鼎医药", "国星",
                 "经纬回转支承", "福马", "超美"):
        assert companies["name"].str.contains(name).any(), name
    assert set(companies["illustrative"]) == {0, 1}


def test_demo(tmp_path):
    out = tmp_path / "demo.db"
    r = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "home 安徽省/马鞍山市/当涂县" in r.stdout
    assert "smart-appliances" in r.stdout
    with chainmap.open(out) as ws:
        assert ws.home.code == "340521"
        assert ws.counts()["companies"] >= 100


def test_config_home(run, db):
    missing = run("config", "home")  # no workspace yet: said, no file made
    assert missing.exit_code == 1 and "no workspace at" in missing.stderr
    assert not db.exists()
    chainmap.open(db).close()
    assert run("config", "home").stdout == "(not set)\n"
    r = run("config", "home", "当涂")
    assert r.stdout == "安徽省/马鞍山市/当涂县\n"
    assert r.stderr == "Home region set to 安徽省/马鞍山市/当涂县 (340521)\n"
    bad = run("config", "home", "鼓楼区")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: '鼓楼区' is ambiguous")
    assert run("config", "home", "--unset").exit_code == 0
    assert run("config", "home").stdout == "(not set)\n"


def test_region_lookup(run):
    r = run("region", "苏浙沪", "皖", "--format", "json")
    assert [row["code"] for row in json.loads(r.stdout)] == ["310000", "320000", "330000",
                                                              "340000"]
    assert run("region", "火星").stderr == "Error: unknown region '火星'\n"


def test_usage_error_exit_2(run):
    assert run("check", "--format", "yaml").exit_code == 2


def test_demo_never_overwrites_a_real_workspace(tmp_path, run, db, tiny):
    run("import", tiny)
    r = CliRunner().invoke(main, ["demo", "--out", str(db)])
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {db} exists and is not a demo workspace; the demo makes "
                        "its workspace anew, so give another --out\n")
    assert chainmap.open(db).counts()["companies"] == 3
    folder = CliRunner().invoke(main, ["demo", "--out", str(tmp_path)])
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
    out = tmp_path / "d.db"
    assert CliRunner().invoke(main, ["demo", "--out", str(out)]).exit_code == 0
    assert CliRunner().invoke(main, ["demo", "--out", str(out)]).exit_code == 0  # again


def test_lookup_prefers_exact_ids_to_case_folded_ones(tmp_path):
    from tests.conftest import TINY, write_files

    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"] + "        AUX,另一家公司,,安徽省,,,,,\n"
    ws = chainmap.open(tmp_path / "w.db")
    chainmap.import_dataset(ws, write_files(tmp_path / "d", files))
    assert ws.company_id("aux") == "aux" and ws.company_id("AUX") == "AUX"
    assert ws.company_id("安徽皓月电气有限公司") == "haoyue"
    assert ws.product_id("COMPRESSOR") == "compressor"  # no exact match: case ignored
    import pytest

    with pytest.raises(chainmap.ChainmapError, match="'Aux' names several firms: aux, AUX"):
        ws.company_id("Aux")


def test_demo_leaves_a_foreign_sqlite_file_untouched(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE foo (x)")
    before = other.read_bytes()
    r = CliRunner().invoke(main, ["demo", "--out", str(other)])
    assert r.exit_code == 1 and "is not a demo workspace" in r.stderr
    assert other.read_bytes() == before


@pytest.mark.parametrize("home", ["安徽省/马鞍山市", "安徽省"])
def test_demo_counts_local_firms_inside_a_city_or_province_home(tmp_path, monkeypatch, home):
    # the demo's home is a district; a city or province home counts every firm inside it
    monkeypatch.setattr("chainmap.tour.SAMPLE_HOME", home)
    out = tmp_path / "demo.db"
    text = chainmap.demo(out)
    with chainmap.open(out) as ws:
        region = chainmap.regions.resolve(home)
        companies = ws.table("companies")
        column = {"city": "city_code", "province": "province_code"}[region.level]
        expected = int((companies[column] == region.code).sum())
    assert expected > int((companies["region_code"] == region.code).sum())
    assert f"Local firms in {region.path}: {expected} (" in text
