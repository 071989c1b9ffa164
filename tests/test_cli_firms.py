"""chainmap firms dupes / merge: USCC first, normalised names, blocking, dry run, apply."""

from __future__ import annotations

import json
import sqlite3

import pytest

import chainmap
from tests.conftest import TINY, USCC_A, USCC_B, make_uscc, write_files

USCC_C = make_uscc("91310115MA1K3Y4C3")


@pytest.fixture
def srun(run, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


def test_dupes_on_the_sample(srun):
    result = srun("firms", "dupes", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(d["keep"], d["drop"], d["score"], d["reason"]) for d in json.loads(result.stdout)] \
        == [("kaiyue", "kaiyue-2", 100.0, "same normalised name"),
            ("hengleng", "hengleng-gf", 90.0, "same name, another legal form")]
    assert result.stderr == "2 likely duplicate pair(s)\n"


DUPES = dict(TINY)
DUPES["companies.csv"] = f"""\
    id,name,uscc,province,city,district
    aux,奥克斯空调（马鞍山）有限公司,{USCC_A},安徽省,马鞍山市,当涂县
    aux-copy,奥克斯空调马鞍山有限公司,{USCC_A},安徽省,马鞍山市,当涂县
    haoyue,安徽皓月电气有限公司,,安徽省,马鞍山市,当涂县
    haoyue-sh,皓月电气（上海）分公司,,上海市,上海市,浦东新区
    shcomp,上海某压缩机有限公司,{USCC_B},上海市,上海市,浦东新区
    shcomp2,上海某压缩机有限公司,{USCC_C},上海市,上海市,浦东新区
    nbcomp,宁波某压缩机有限公司,,浙江省,宁波市,北仑区
    hz-kx,杭州凯旋电子科技有限公司,,浙江省,杭州市,西湖区
    kx,凯旋电子科技（杭州）有限公司,,浙江省,杭州市,西湖区
    kx2,凯旋电子技术有限公司,,浙江省,杭州市,西湖区
    """


FORMS = dict(TINY)
FORMS["companies.csv"] = """\
    id,name,uscc,province,city,district
    aux,奥克斯空调（马鞍山）有限公司,,安徽省,马鞍山市,当涂县
    haoyue,安徽皓月电气有限公司,,安徽省,马鞍山市,当涂县
    shcomp,上海某压缩机有限公司,,上海市,上海市,浦东新区
    grp,恒粘新材料集团有限公司,,安徽省,马鞍山市,当涂县
    gf,恒粘新材料股份有限公司,,安徽省,马鞍山市,当涂县
    llc,恒粘新材料有限责任公司,,安徽省,马鞍山市,当涂县
    llc2,恒粘新材料有限公司,,安徽省,马鞍山市,当涂县
    kx,凯旋电子（杭州）有限公司,,浙江省,杭州市,西湖区
    hz-kx,杭州凯旋电子股份有限公司,,浙江省,杭州市,西湖区
    """


def test_dupes_and_check_tell_legal_forms_apart(run, tmp_path):
    # one name with two legal forms is two firms by name: listed at 90 for a person to
    # check, not as one normalised name (100); 有限责任公司 is 有限公司
    assert run("import", write_files(tmp_path / "f", FORMS)).exit_code == 0
    rows = json.loads(run("firms", "dupes", "--format", "json").stdout)
    assert [(d["keep"], d["drop"], d["score"], d["reason"]) for d in rows] == [
        ("llc", "llc2", 100.0, "same normalised name"),
        ("gf", "grp", 90.0, "same name, another legal form"),
        ("gf", "llc", 90.0, "same name, another legal form"),
        ("gf", "llc2", 90.0, "same name, another legal form"),
        ("grp", "llc", 90.0, "same name, another legal form"),
        ("grp", "llc2", 90.0, "same name, another legal form")]
    rows = json.loads(run("firms", "dupes", "--min-score", "95", "--format", "json").stdout)
    assert [(d["keep"], d["drop"]) for d in rows] == [("llc", "llc2")]
    found = json.loads(run("check", "--format", "json").stdout)
    assert [(f["id"], f["message"]) for f in found if f["check"] == "duplicate-name"] == [
        ("gf;grp;llc;llc2", "one name with different legal forms: 恒粘新材料股份有限公司 / "
         "恒粘新材料集团有限公司 / 恒粘新材料有限责任公司 / 恒粘新材料有限公司: two firms, or one "
         "firm recorded before and after a change of form? (chainmap firms merge)"),
        ("llc;llc2", "names look like one firm: 恒粘新材料有限责任公司 / 恒粘新材料有限公司")]


def test_dupes_rules(run, tmp_path, db):
    # an import refuses a USCC another firm holds (issue 14): aux-copy gets aux's USCC
    # afterwards, as a workspace written before that rule may hold it
    files = dict(DUPES)
    files["companies.csv"] = files["companies.csv"].replace(
        f"aux-copy,奥克斯空调马鞍山有限公司,{USCC_A},", "aux-copy,奥克斯空调马鞍山有限公司,,")
    assert run("import", write_files(tmp_path / "d", files)).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE companies SET uscc = ? WHERE id = 'aux-copy'", (USCC_A,))
    conn.close()
    rows = json.loads(run("firms", "dupes", "--format", "json").stdout)
    pairs = {(d["keep"], d["drop"]): (d["score"], d["reason"]) for d in rows}
    assert pairs[("aux", "aux-copy")] == (100.0, "same USCC")
    assert pairs[("haoyue", "haoyue-sh")] == (95.0, "same name, place given on one only")
    assert pairs[("hz-kx", "kx")] == (99.0, "same name, place written differently")
    # different USCCs are different firms, whatever the names
    assert ("shcomp", "shcomp2") not in pairs and ("shcomp2", "shcomp") not in pairs
    # the same name in two different places is not the same firm
    assert not {("nbcomp", "shcomp"), ("shcomp", "nbcomp"), ("nbcomp", "shcomp2"),
                ("shcomp2", "nbcomp")} & set(pairs)
    lower = json.loads(run("firms", "dupes", "--min-score", "70", "--format", "json").stdout)
    similar = {(d["keep"], d["drop"]) for d in lower if d["reason"] == "similar names"}
    assert similar == {("hz-kx", "kx2")}
    assert {(d["keep"], d["drop"]) for d in lower} >= set(pairs)
    assert run("firms", "dupes", "--min-score", "101").exit_code == 2


def test_merge_dry_run_changes_nothing(srun, db):
    srun("leads", "add", "kaiyue-2", "--product", "pcb")  # L0013
    srun("leads", "log", "L13", "--kind", "call", "--note", "hi")
    before = sqlite3.connect(db).execute("SELECT count(*) FROM companies").fetchone()[0]
    result = srun("firms", "merge", "kaiyue", "kaiyue-2")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "merge kaiyue-2 (凯越电子(宁波)有限公司) into kaiyue (凯越电子（宁波）有限公司)\n"
        "  would move: 1 capability\n"
        "  would move: 0 supply relations\n"
        "  would move: 1 lead\n"
        "  would move: 1 activity (with its lead)\n"
        "  would move: 0 follow-ups (with their leads)\n"
        "  would remove firm record kaiyue-2; the whole record is kept in the merge log\n")
    assert result.stderr == "Dry run: nothing changed; add --apply to merge\n"
    assert sqlite3.connect(db).execute("SELECT count(*) FROM companies").fetchone()[0] == before


def test_merge_apply_moves_everything_and_records_it(srun, db):
    srun("leads", "add", "hengleng-gf", "--product", "heat-exchanger")  # L0013
    srun("leads", "follow-up", "L13", "--due", "2026-12-01", "--note", "call")
    conn = sqlite3.connect(db)
    caps = {r[0] for r in conn.execute(
        "SELECT product_id FROM capabilities WHERE company_id IN ('hengleng', 'hengleng-gf')")}
    result = srun("firms", "merge", "hengleng", "hengleng-gf", "--apply", "--by", "王磊")
    assert result.exit_code == 0, result.output
    assert "moved: 1 lead\n" in result.stdout and "removed firm record hengleng-gf" in result.stdout
    assert result.stderr == ""
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM companies WHERE id = 'hengleng-gf'").fetchone() \
        == (0,)
    assert {r[0] for r in conn.execute(
        "SELECT product_id FROM capabilities WHERE company_id = 'hengleng'")} == caps
    assert conn.execute("SELECT count(*) FROM capabilities WHERE company_id = 'hengleng-gf'"
                        ).fetchone() == (0,)
    assert conn.execute("SELECT company_id FROM leads WHERE id = 'L0013'").fetchone() == \
        ("hengleng",)
    keep, drop, dropped, by = conn.execute(
        "SELECT keep_id, drop_id, dropped, by FROM merges").fetchone()
    assert (keep, drop, by) == ("hengleng", "hengleng-gf", "王磊")
    assert json.loads(dropped)["company"]["name"] == "苏州恒冷换热器股份有限公司"
    extra = json.loads(conn.execute("SELECT extra FROM companies WHERE id = 'hengleng'"
                                    ).fetchone()[0])
    assert extra["merged_names"] == "苏州恒冷换热器股份有限公司"
    log = json.loads(srun("log", "--lead", "L13", "--format", "json").stdout)
    assert log[-1]["action"] == "firm merged" and log[-1]["by"] == "王磊"
    assert "merge" in [r["action"] for r in json.loads(srun("log", "--format", "json").stdout)]
    # the duplicate is gone from the report
    assert [d["keep"] for d in json.loads(srun("firms", "dupes", "--format", "json").stdout)] \
        == ["kaiyue"]


def test_merge_fills_missing_fields_and_reports_internal_supplies(run, tmp_path, db):
    files = dict(TINY)
    files["companies.csv"] = f"""\
        id,name,uscc,province,city,district,employees
        aux,奥克斯空调（马鞍山）有限公司,,安徽省,马鞍山市,当涂县,
        aux2,奥克斯空调马鞍山有限公司,{USCC_A},安徽省,马鞍山市,当涂县,3000
        haoyue,安徽皓月电气有限公司,,安徽省,马鞍山市,当涂县,120
        shcomp,上海某压缩机有限公司,{USCC_B},上海市,上海市,浦东新区,800
        """
    files["supplies.csv"] = """\
        supplier,customer,product
        haoyue,aux,capacitor
        aux2,aux,ac-unit
        shcomp,aux2,compressor
        """
    assert run("import", write_files(tmp_path / "m", files)).exit_code == 0
    dry = run("firms", "merge", "aux", "aux2").stdout
    assert "would fill uscc of aux from aux2: " + USCC_A in dry
    assert "would fill employees of aux from aux2: 3000" in dry
    assert ("note: 1 supply relation(s) between aux and aux2 become a firm supplying itself "
            "and are removed (kept in the merge log)") in dry
    assert run("firms", "merge", "aux", "aux2", "--apply").exit_code == 0
    ws = chainmap.open(db)
    aux = ws.table("companies").set_index("id").loc["aux"]
    assert aux["uscc"] == USCC_A and aux["employees"] == 3000
    supplies = sorted(map(tuple, ws.table("supplies").fillna("").values.tolist()))
    assert supplies == [("haoyue", "aux", "capacitor"), ("shcomp", "aux", "compressor")]
    merged = json.loads(sqlite3.connect(db).execute("SELECT dropped FROM merges").fetchone()[0])
    assert merged["internal_supplies"] == [["aux2", "aux", "ac-unit"]]


def test_merge_refusals(srun):
    def error(*args: str) -> str:
        result = srun("firms", "merge", *args)
        assert result.exit_code == 1 and result.stdout == ""
        return result.stderr.strip()

    assert error("aux", "aux") == "Error: cannot merge firm 'aux' into itself"
    assert error("aux", "nosuch") == "Error: unknown firm 'nosuch'"
    message = error("hengleng", "xinchang-valve")
    assert message.startswith("Error: 'hengleng' and 'xinchang-valve' have different USCCs (")
    assert message.endswith("): they are different firms")


def test_merge_fills_a_location_whole_and_only_a_more_precise_one(tmp_path):
    import chainmap
    from tests.conftest import TINY, write_files

    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"] + (
        "        haoyue2,安徽皓月电气有限公司（旧）,,安徽省,马鞍山市,当涂县,,,\n"
        "        sh2,上海某压缩机有限公司（旧）,,江苏省,南京市,江宁区,,,\n")
    files["companies.csv"] = files["companies.csv"].replace(
        "haoyue,安徽皓月电气有限公司,,安徽省,马鞍山市,当涂县",
        "haoyue,安徽皓月电气有限公司,,安徽省,,")
    ws = chainmap.open(tmp_path / "w.db")
    chainmap.import_dataset(ws, write_files(tmp_path / "d", files))
    chainmap.merge_firms(ws, "haoyue", "haoyue2", apply=True)
    chainmap.merge_firms(ws, "shcomp", "sh2", apply=True)
    c = ws.table("companies").set_index("id")
    assert c.loc["haoyue", ["district", "region_code", "city_code"]].tolist() == [
        "当涂县", "340521", "340500"]
    assert c.loc["shcomp", ["province", "district", "region_code"]].tolist() == [
        "上海市", "浦东新区", "310115"]
