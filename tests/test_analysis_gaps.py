"""The gap report's contract: statuses, local demand, candidate order, row order, outputs.

The dataset below is small enough to check every number by hand (home 当涂县):

- chain ``ac``: unit (downstream) <- comp, cap, valve; valve <- tube <- recyc <- unit
  (a cycle: tube -> valve -> unit -> recyc -> tube); chain ``auto``: autoac <- comp, cap.
- local firms: a1 makes unit and autoac, a2 makes autoac, a3 and a4 make cap;
  a5 makes comp in 雨山区 (Ma'anshan, but not 当涂县).
- comp candidates: s1 (上海, 100, supplies a1), s2 (江苏, 500), s4 (浙江, 500),
  s3 (浙江, no revenue); g1 (广东, 9999, supplies a1) is outside 苏浙沪.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

import chainmap
from tests.conftest import write_files

GAPS = {
    "chains.csv": """\
        id,name,name_en
        ac,空调,Air conditioning
        auto,汽车空调链,Auto AC
        """,
    "products.csv": """\
        id,name,name_en,chains,tier
        unit,空调整机,AC unit,ac,downstream
        comp,压缩机,compressor,ac,midstream
        cap,电容器,capacitor,ac,midstream
        valve,四通阀,valve,ac,midstream
        tube,铜管,copper tube,ac,upstream
        recyc,回收,recycling,ac,
        autoac,汽车空调,auto AC,auto,downstream
        """,
    "inputs.csv": """\
        upstream,downstream
        comp,unit
        cap,unit
        valve,unit
        tube,valve
        unit,recyc
        recyc,tube
        comp,autoac
        cap,autoac
        """,
    "companies.csv": """\
        id,name,province,city,district,revenue
        a1,当涂整机厂,安徽省,马鞍山市,当涂县,900
        a2,当涂汽车空调厂,安徽省,马鞍山市,当涂县,80
        a3,当涂电容一厂,安徽省,马鞍山市,当涂县,30
        a4,当涂电容二厂,安徽省,马鞍山市,当涂县,20
        a5,雨山压缩机厂,安徽省,马鞍山市,雨山区,40
        s1,上海压缩机厂,上海市,上海市,浦东新区,100
        s2,江苏压缩机厂,江苏省,苏州市,吴江区,500
        s3,浙江压缩机一厂,浙江省,宁波市,鄞州区,
        s4,浙江压缩机二厂,浙江省,杭州市,滨江区,500
        g1,广东压缩机厂,广东省,佛山市,顺德区,9999
        j1,江苏阀门厂,江苏省,南京市,江宁区,10
        z1,浙江铜管厂,浙江省,绍兴市,诸暨市,1
        """,
    "capabilities.csv": """\
        company,product
        a1,unit
        a1,autoac
        a2,autoac
        a3,cap
        a4,cap
        a5,comp
        s1,comp
        s2,comp
        s3,comp
        s4,comp
        g1,comp
        j1,valve
        z1,tube
        """,
    "supplies.csv": """\
        supplier,customer,product
        s1,a1,comp
        g1,a1,comp
        a3,a1,cap
        """,
}

HOME = "安徽省/马鞍山市/当涂县"


@pytest.fixture
def ws(make_ws):
    """The dataset on SQLite, then on Neo4j (tests/stores.py)."""
    return make_ws(GAPS)


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "gaps", GAPS)).exit_code == 0
    return run


def rows(report):
    return report.set_index("product")


def test_statuses_and_counts_by_hand(ws):
    report = rows(chainmap.gaps(ws, "ac", home=HOME))
    assert report["status"].to_dict() == {
        "comp": "missing", "valve": "missing", "tube": "missing", "recyc": "missing",
        "unit": "weak", "cap": "covered"}
    assert report["local_producers"].to_dict() == {
        "comp": 0, "valve": 0, "tube": 0, "recyc": 0, "unit": 1, "cap": 2}
    assert report.loc["cap", "local_firms"] == ["a3", "a4"]
    assert report.loc["recyc", "tier"] == ""  # no tier given


def test_weak_threshold(ws):
    three = rows(chainmap.gaps(ws, "ac", home=HOME, weak_threshold=3))
    assert three.loc["cap", "status"] == "weak" and three.loc["unit", "status"] == "weak"
    one = rows(chainmap.gaps(ws, "ac", home=HOME, weak_threshold=1))
    assert one.loc["cap", "status"] == "covered" and one.loc["unit", "status"] == "covered"
    assert one.loc["comp", "status"] == "missing"
    with pytest.raises(chainmap.ChainmapError, match="at least 1, not 0"):
        chainmap.gaps(ws, "ac", home=HOME, weak_threshold=0)


def test_province_scope_home_turns_missing_into_weak(ws):
    assert rows(chainmap.gaps(ws, "ac", home="当涂县")).loc["comp", "status"] == "missing"
    for home in ("马鞍山市", "安徽省"):
        row = rows(chainmap.gaps(ws, "ac", home=home)).loc["comp"]
        assert (row["status"], row["local_firms"]) == ("weak", ["a5"])


def test_local_demand_counts_distinct_firms_across_chains(ws):
    demand = rows(chainmap.gaps(ws, "ac", home=HOME))["local_demand"].to_dict()
    # comp goes into unit (a1) and autoac of the other chain (a1, a2): 2 firms, not 3
    assert demand == {"comp": 2, "cap": 2, "valve": 1, "tube": 0, "recyc": 0, "unit": 0}


def test_candidate_order(ws):
    report = rows(chainmap.gaps(ws, "ac", home=HOME))
    # supplies a local firm first; then revenue descending (ties by id); no revenue last;
    # g1 supplies a1 and has the most revenue but is outside the targets
    assert report.loc["comp", "candidates"] == ["s1", "s2", "s4", "s3"]
    assert report.loc["comp", "n_candidates"] == 4
    assert report.loc["cap", "candidates"] == []
    assert rows(chainmap.gaps(ws, "ac", home=HOME, targets="广东, 浙江")).loc[
        "comp", "candidates"] == ["g1", "s4", "s3"]


def test_target_groups_and_cities(ws):
    def candidates(home, targets):
        report = rows(chainmap.gaps(ws, "ac", home=home, targets=targets))
        return report.loc["comp", "candidates"], report.loc["valve", "candidates"]

    # 长三角 takes in 安徽省: a5 (雨山区) is a candidate for 当涂县, local to 马鞍山市
    assert candidates(HOME, "长三角") == (["s1", "s2", "s4", "a5", "s3"], ["j1"])
    assert candidates("马鞍山市", "长三角") == (["s1", "s2", "s4", "s3"], ["j1"])
    assert candidates(HOME, "苏州市,杭州市") == (["s2", "s4"], [])
    assert candidates(HOME, "江苏省,上海") == (["s1", "s2"], ["j1"])


def test_default_row_order(ws):
    # status, then local demand descending, then candidates descending, then id
    report = chainmap.gaps(ws, "ac", home=HOME)
    assert report["product"].tolist() == ["comp", "valve", "tube", "recyc", "unit", "cap"]
    assert list(report.columns) == chainmap.GAP_COLUMNS


def test_cycle_terminates(ws):
    # tube -> valve -> unit -> recyc -> tube is a cycle; the report is still complete
    assert len(chainmap.gaps(ws, "ac", home=HOME)) == 6


def test_json_keys(ws):
    from click.testing import CliRunner

    from chainmap.cli import main

    r = CliRunner().invoke(main, ["--db", ws.location, "gaps", "--chain", "空调", "--home",
                                  HOME, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data[0]) == chainmap.GAP_COLUMNS
    assert {"product", "name", "tier", "status", "local_producers", "local_demand",
            "candidates"} <= set(data[0])
    assert data[0]["product"] == "comp" and data[0]["candidates"] == ["s1", "s2", "s4", "s3"]
    assert r.stderr == ""


def test_unknown_chain(cli):
    r = cli("gaps", "--chain", "nope", "--home", HOME)
    assert r.exit_code == 1
    assert r.stderr == "Error: unknown chain 'nope'; chains: ac (空调), auto (汽车空调链)\n"
    assert r.stdout == ""


def test_unknown_or_ambiguous_region(cli):
    r = cli("gaps", "--chain", "ac", "--home", "火星")
    assert (r.exit_code, r.stderr) == (1, "Error: unknown region '火星'\n")
    r = cli("gaps", "--chain", "ac", "--home", "鼓楼区")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: '鼓楼区' is ambiguous: it matches 江苏省/南京市/鼓楼区, ")
    r = cli("gaps", "--chain", "ac", "--home", HOME, "--targets", "火星")
    assert (r.exit_code, r.stderr) == (1, "Error: unknown region '火星'\n")


def test_no_home(cli):
    r = cli("gaps", "--chain", "ac")
    assert r.exit_code == 1
    assert r.stderr == ("Error: no home region: give --home, or set one with "
                        "'chainmap config home 安徽省/马鞍山市/当涂县'\n")
    cli("config", "home", "当涂县")
    assert cli("gaps", "--chain", "ac", "--format", "json").exit_code == 0


def test_usage_errors(cli):
    assert cli("gaps", "--home", HOME).exit_code == 2  # --chain is required
    assert cli("gaps", "--chain", "ac", "--weak-threshold", "0").exit_code == 2


def test_csv(cli):
    r = cli("gaps", "--chain", "ac", "--home", HOME, "--format", "csv")
    lines = r.stdout.splitlines()
    assert lines[0] == ",".join(chainmap.GAP_COLUMNS)
    assert lines[1].startswith("comp,压缩机,compressor,midstream,missing,0,2,4,s1;s2;s4;s3,,")
    assert len(lines) == 7


def test_csv_in_chinese(cli):
    r = cli("gaps", "--chain", "ac", "--home", HOME, "--format", "csv", "--lang", "zh")
    header = r.stdout.splitlines()[0].split(",")
    assert header[:6] == ["产品编号", "名称", "英文名称", "环节", "状态", "本地生产企业数"]
    assert r.stdout.splitlines()[1].startswith("comp,压缩机,compressor,中游,缺链,")


def test_markdown(cli):
    r = cli("gaps", "--chain", "ac", "--home", HOME, "--format", "md")
    lines = r.stdout.splitlines()
    assert lines[0] == "| " + " | ".join(chainmap.GAP_COLUMNS) + " |"
    assert lines[1] == "|" + "|".join(["---"] * len(chainmap.GAP_COLUMNS)) + "|"
    # read by people: the first candidates by name, the rest counted (JSON and CSV: ids)
    assert lines[2].startswith("| comp | 压缩机 | compressor | midstream | missing | 0 | 2 | 4 | "
                               "上海压缩机厂, 江苏压缩机厂, 浙江压缩机二厂 +1 |")


def test_xlsx(cli, tmp_path):
    out = tmp_path / "gaps.xlsx"
    r = cli("gaps", "--chain", "ac", "--home", HOME, "-o", out)
    assert r.exit_code == 0 and r.stderr == f"Wrote {out}\n" and r.stdout == ""
    sheet = openpyxl.load_workbook(out)["gaps"]
    values = list(sheet.values)
    assert list(values[0]) == chainmap.GAP_COLUMNS
    first = dict(zip(values[0], values[1]))
    # a workbook names the candidates (ranked); the product id column stays
    assert first["product"] == "comp" and first["candidates"] == \
        "上海压缩机厂;江苏压缩机厂;浙江压缩机二厂;浙江压缩机一厂"
    assert first["local_demand"] == 2 and first["status"] == "missing"
    assert len(values) == 7
    r = cli("gaps", "--chain", "ac", "--home", HOME, "--format", "xlsx")
    assert (r.exit_code, r.stderr) == (1, "Error: --format xlsx needs -o FILE.xlsx\n")


def test_empty_targets_are_refused_not_defaulted(run):
    import chainmap

    run("import", chainmap.sample_path())
    r = run("gaps", "--chain", "智能家电", "--home", "当涂县", "--targets", " , ")
    assert r.exit_code == 1
    assert r.stderr == ("Error: no target region given: leave --targets out for 苏浙沪, or "
                        "name regions such as 江苏省,上海市\n")


def test_csv_report_file_has_a_bom_for_excel(run, tmp_path):
    import chainmap

    run("import", chainmap.sample_path())
    out = tmp_path / "gaps.csv"
    r = run("gaps", "--chain", "智能家电", "--home", "当涂县", "--format", "csv", "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbfproduct,name,")
