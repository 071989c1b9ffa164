"""Leads in datasets (chainmap import) and in files (chainmap leads import / export):
all or nothing, every problem listed, never duplicated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

import chainmap
from tests.conftest import TINY, USCC_B, write_files


@pytest.fixture
def srun(run, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


def lead_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, company_id, product_id, stage, owner, investment, "
                            "source, lost_reason FROM leads ORDER BY seq").fetchall()


# -- the sample folder -------------------------------------------------------------------
def test_import_of_the_sample_imports_its_leads(run, db, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    result = run("import", chainmap.sample_path())
    assert result.exit_code == 0, result.output
    assert "ignored leads.csv" not in result.stderr
    assert ", 12 leads (12 new) into " in result.stderr
    rows = lead_rows(db)
    assert rows[0] == ("L0001", "xinchang-valve", "eev", "negotiating", "王磊", 12.0, "gap", None)
    assert rows[7] == ("L0008", "hengnian", "adhesive", "lost", "王磊", 1.2, "event",
                       "lost: chose to expand at its 嘉定 site, closer to its main customers")
    card = chainmap.lead_details(chainmap.open(db), "L0003")
    assert card.history[["from_stage", "to_stage", "date", "by"]].values.tolist() == [
        [None, "signed", "2026-01-15", "tester"]]


def test_reimporting_the_sample_does_not_duplicate_leads(run, db):
    run("import", chainmap.sample_path())
    run("leads", "move", "L0006", "contacted")
    before = lead_rows(db)
    result = run("import", chainmap.sample_path())
    assert ", 12 leads (0 new) into " in result.stderr
    assert lead_rows(db) == before  # and the moved lead is not moved back


TINY_LEADS = dict(TINY)
TINY_LEADS["leads.csv"] = """\
    company,product,stage,owner,investment,source,date,note,拜访次数
    shcomp,compressor,洽谈,王磊,"1,200",gap,2026-03-01,hot,3
    上海某压缩机有限公司,电容器,lead,,,event,,,
    """


def test_dataset_leads_may_name_firms_of_the_dataset(run, tiny, tmp_path, db):
    folder = write_files(tmp_path / "with-leads", TINY_LEADS)
    result = run("import", folder)
    assert result.exit_code == 0, result.output
    assert "2 leads (2 new)" in result.stderr
    rows = lead_rows(db)
    assert rows[0][:7] == ("L0001", "shcomp", "compressor", "negotiating", "王磊", 1200.0, "gap")
    assert rows[1][:4] == ("L0002", "shcomp", "capacitor", "lead")  # by name
    extra = sqlite3.connect(db).execute("SELECT extra FROM leads WHERE id = 'L0001'").fetchone()
    assert json.loads(extra[0]) == {"拜访次数": "3"}


BAD_LEADS = """\
    company,product,stage,owner,investment,source,date,note
    nosuch,compressor,lead,,,gap,,
    shcomp,widget,won,,-3,cold,2026-02-30,
    shcomp,compressor,lost,,,gap,,
    shcomp,capacitor,lead,,,gap,,
    shcomp,capacitor,contacted,,,gap,,
    """


def test_dataset_import_is_all_or_nothing_with_leads(run, tmp_path, db):
    chainmap.open(db).close()  # an existing, empty workspace: nothing is written into it
    files = dict(TINY)
    files["leads.csv"] = BAD_LEADS
    files["capabilities.csv"] = """\
        company,product
        aux,fridge
        """
    result = run("import", write_files(tmp_path / "bad", files))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 9 problem(s) found; nothing was imported",
        "  capabilities.csv:2: column 'product': value 'fridge': unknown product 'fridge': "
        "not an id or name in this dataset nor in the workspace",
        "  leads.csv:2: column 'company': value 'nosuch': unknown firm: not an id, USCC or "
        "registered name in this dataset or the workspace",
        "  leads.csv:3: column 'product': value 'widget': unknown product: not an id or name "
        "in this dataset or the workspace",
        "  leads.csv:3: column 'stage': value 'won': unknown stage: use lead/线索, "
        "contacted/接洽, visited/考察, negotiating/洽谈, signed/签约, started/开工, "
        "producing/投产 or lost/终止",
        "  leads.csv:3: column 'investment': value '-3': not a number ≥ 0 (亿元)",
        "  leads.csv:3: column 'source': value 'cold': unknown source: use gap, referral, "
        "event or other",
        "  leads.csv:3: column 'date': value '2026-02-30': not a date: "
        "use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日",
        "  leads.csv:4: column 'stage': value 'lost': a lost lead needs a reason (column "
        "'reason' 终止原因, or a note)",
        "  leads.csv:6: column 'company': value 'shcomp': duplicate lead: same firm, product "
        "and source as line 5",
    ]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM companies").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM leads").fetchone() == (0,)


def test_dataset_lead_problems_alone(run, tmp_path, db):
    chainmap.open(db).close()  # an existing, empty workspace: nothing is written into it
    files = dict(TINY)
    files["leads.csv"] = "company,stage\nshcomp,won\n"
    result = run("import", write_files(tmp_path / "bad", files))
    assert result.stderr.splitlines()[0] == "Error: 1 problem(s) found; nothing was imported"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM companies").fetchone() == (0,)


def test_leads_table_needs_company_column(run, tmp_path):
    files = dict(TINY)
    files["线索.csv"] = "负责人,阶段\n王磊,lead\n"
    result = run("import", write_files(tmp_path / "bad", files))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "  线索.csv:1: column 'company': required column is missing (also accepted: 企业, "
        "企业编号, company_name, 企业名称)")


def test_a_dataset_leads_table_may_name_its_firms_under_qiye_mingcheng(run, tmp_path, db):
    files = dict(TINY)
    files["线索.csv"] = "企业名称,阶段\nshcomp,lead\n"
    result = run("import", write_files(tmp_path / "ok", files))
    assert result.exit_code == 0, result.output
    assert lead_rows(db)[0][:4] == ("L0001", "shcomp", None, "lead")


# -- chainmap leads import / export -------------------------------------------------------
def test_export_then_import_round_trip(srun, db, tmp_path):
    srun("leads", "add", "gree", "--product", "compressor", "--investment", "2.5")  # L0013
    out = tmp_path / "leads.csv"
    result = srun("leads", "export", out)
    assert result.exit_code == 0 and result.stderr == f"Wrote {out}\n"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].decode("utf-8").splitlines()[0]
    assert header == "id,company,company_name,product,stage,owner,investment,source,date,note," \
                     "reason"
    again = srun("leads", "import", out)
    assert again.exit_code == 0, again.output
    assert again.stdout == ""
    assert again.stderr == "imported leads.csv: 13 leads (0 new, 13 already in the workspace)\n"
    # into a fresh workspace with the same firms: every lead comes back
    other = tmp_path / "other.db"
    ws = chainmap.open(other)
    chainmap.import_dataset(ws, chainmap.sample_path())
    ws.store.conn.execute("DELETE FROM lead_events")  # the test wants an empty pipeline
    ws.store.conn.execute("DELETE FROM leads")
    result = chainmap.import_leads(ws, out, by="tester")
    assert result.added == [f"L{i:04d}" for i in range(1, 14)]
    assert chainmap.list_leads(ws)[["company", "product", "stage", "investment"]].values \
        .tolist() == chainmap.list_leads(chainmap.open(db))[
        ["company", "product", "stage", "investment"]].values.tolist()


def test_import_new_leads_prints_ids(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"new.csv": """\
        企业,产品,阶段,负责人,投资额,来源,日期,备注
        gree,压缩机,接洽,王磊,3,以商招商,2026-06-01,格力
        midea,,线索,李娜,,,2026-06-02,
        xinchang-valve,eev,lead,,,other,,
        """}, encoding="gbk") / "new.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\nL0014\n"
    assert result.stderr == (  # the row not added is named, with the lead that holds it
        "Warning: new.csv:4: not added: lead L0001 (negotiating) is open for the same firm "
        "and product\n"
        "imported new.csv: 3 leads (2 new, 1 already in the workspace)\n")
    assert lead_rows(db)[12] == ("L0013", "gree", "compressor", "contacted", "王磊", 3.0,
                                 "referral", None)


def test_rows_held_by_another_lead_are_named(srun, tmp_path, db):
    # a lost row with L0008's firm, product and source; an open row of L0002's firm and
    # product (another source); a row naming L0003 by its id
    path = write_files(tmp_path / "in", {"again.csv": """\
        id,企业,产品,阶段,来源,终止原因
        ,hengnian,adhesive,lost,event,预算
        ,yuhuan-valve,four-way-valve,visited,referral,
        L0003,pujiang-comp,compressor,signed,referral,
        ,yuhuan-valve,four-way-valve,lost,other,选址
        """}) / "again.csv"
    result = srun("leads", "import", path, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\n"  # the lost row of L0002's firm and product: a new lead
    # a row with a lead's id, or its firm, product and source, is that lead: no warning
    assert result.stderr.splitlines()[:1] == [
        "警告：again.csv：第 3 行：未导入：同一企业和产品已有在办线索 L0002（考察）"]
    assert len(result.stderr.splitlines()) == 2
    # the same file again, through the library: every row held, the same one named
    again = chainmap.import_leads(chainmap.open(db), path)
    assert again.added == [] and again.skipped == 4
    assert again.warnings == ["again.csv:3: not added: lead L0002 (visited) is open for the "
                              "same firm and product"]


def test_a_dataset_imported_again_names_only_the_rows_another_lead_holds(srun, tmp_path):
    # the sample again, its leads.csv with one more row: L0002's firm and product, at an
    # open stage, from another source; the sample's own 12 rows are its leads: silent
    import shutil

    folder = tmp_path / "again"
    shutil.copytree(chainmap.sample_path(), folder)
    with (folder / "leads.csv").open("a", encoding="utf-8") as leads:
        leads.write("yuhuan-valve,four-way-valve,contacted,,,event,2026-06-01,\n")
    result = srun("import", folder)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "Warning: leads.csv:14: not added: lead L0002 (visited) is open for the same firm "
        "and product")
    assert "13 leads (0 new)" in result.stderr and result.stderr.count("Warning:") == 1


def test_import_xlsx(srun, tmp_path, db):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("线索")
    sheet.append(["企业", "产品", "阶段", "投资额", "日期"])
    sheet.append(["gree", "compressor", "signed", 20, __import__("datetime").date(2026, 6, 3)])
    path = tmp_path / "leads.xlsx"
    book.save(path)
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\n"
    card = chainmap.lead_details(chainmap.open(db), "L13")
    assert card.lead["contract_date"] == "2026-06-03" and card.lead["investment"] == 20.0


def test_export_xlsx(srun, tmp_path):
    out = tmp_path / "out.xlsx"
    assert srun("leads", "export", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["leads"]
    rows = list(sheet.values)
    assert rows[0][:3] == ("id", "company", "company_name") and len(rows) == 13
    assert srun("leads", "import", out).stderr == (
        "imported out.xlsx: 12 leads (0 new, 12 already in the workspace)\n")


def test_leads_import_refusals(srun, tmp_path, db):
    bad = write_files(tmp_path / "in", {"bad.csv": BAD_LEADS})
    result = srun("leads", "import", bad / "bad.csv")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 11 problem(s) found; nothing was imported"  # no shcomp here
    assert lines[1] == ("  bad.csv:2: column 'company': value 'nosuch': unknown firm: not an id, "
                        "USCC or registered name in this dataset or the workspace")
    assert len(lead_rows(db)) == 12
    missing = srun("leads", "import", tmp_path / "nope.csv")
    assert missing.stderr.splitlines()[1].endswith("nope.csv: no such file")
    (tmp_path / "leads.txt").write_text("x")
    assert srun("leads", "import", tmp_path / "leads.txt").stderr.splitlines()[1] == \
        "  leads.txt: leads are read from a .csv, .xlsx or .xls file"
    (tmp_path / "utf16.csv").write_bytes("企业\n".encode("utf-16"))
    assert "looks like a binary file" in srun("leads", "import", tmp_path / "utf16.csv").stderr
    book = openpyxl.Workbook()
    book.create_sheet("other")
    book.save(tmp_path / "two.xlsx")
    assert srun("leads", "import", tmp_path / "two.xlsx").stderr.splitlines()[1] == \
        "  two.xlsx: no sheet named 'leads' or '线索' or '招商线索'"


def test_import_by_name_that_names_two_firms(srun, tmp_path):
    path = write_files(tmp_path / "in", {"l.csv": """\
        company
        凯越电子（宁波）有限公司
        """}) / "l.csv"
    assert srun("leads", "import", path).exit_code == 0  # kaiyue: exact registered name
    ws_path = write_files(tmp_path / "two", {**TINY, "companies.csv": f"""\
        id,name,uscc,province
        a,同名有限公司,,上海
        b,同名有限公司,{USCC_B},上海
        """, "capabilities.csv": "company,product\n", "supplies.csv": "supplier,customer\n"})
    srun("import", ws_path)
    path = write_files(tmp_path / "in2", {"l.csv": "company\n同名有限公司\n"}) / "l.csv"
    assert srun("leads", "import", path).stderr.splitlines()[1] == (
        "  l.csv:2: column 'company': value '同名有限公司': the firm names several: a, b; "
        "give the id")


def test_export_refusal(srun, tmp_path):
    result = srun("leads", "export", tmp_path / "leads.txt")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: cannot export leads to {tmp_path / 'leads.txt'}: give a "
                             ".csv or .xlsx file\n")


# -- dates as Excel writes them, reasons, investments, the shared CSV reader ----------------
def test_import_dates_as_excel_writes_them(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"dates.csv": """\
        企业,产品,阶段,日期
        gree,compressor,接洽,2026/3/18
        midea,compressor,lead,2026-3-8
        yuemei,,signed,2026年3月18日
        jinda,,lead,2026-03-09
        """}, encoding="gbk") / "dates.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\nL0014\nL0015\nL0016\n"
    ws = chainmap.open(db)
    assert [chainmap.lead_details(ws, f"L{n}").history["date"].tolist() for n in
            range(13, 17)] == [["2026-03-18"], ["2026-03-08"], ["2026-03-18"], ["2026-03-09"]]
    assert chainmap.lead_details(ws, "L15").lead["contract_date"] == "2026-03-18"


def test_import_refuses_impossible_and_other_dates(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"d.csv": """\
        company,date
        gree,2026/2/30
        midea,2026年13月1日
        jinda,18/03/2026
        """}) / "d.csv"
    assert srun("leads", "import", path).stderr.splitlines() == [
        "Error: 3 problem(s) found; nothing was imported",
        "  d.csv:2: column 'date': value '2026/2/30': not a date: "
        "use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日",
        "  d.csv:3: column 'date': value '2026年13月1日': not a date: "
        "use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日",
        "  d.csv:4: column 'date': value '18/03/2026': not a date: "
        "use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日",
    ]
    assert len(lead_rows(db)) == 12


def test_import_refuses_a_reason_unless_lost(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"r.csv": """\
        企业,阶段,终止原因,备注
        gree,接洽,价格太高,
        midea,,too far,
        yuemei,终止,chose 江西,
        jinda,lost,,moved away
        """}) / "r.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 2 problem(s) found; nothing was imported",
        "  r.csv:2: column '终止原因': value '价格太高': a reason (终止原因) is only for a lost "
        "lead (终止), not for stage contacted; put it in the note",
        "  r.csv:3: column '终止原因': value 'too far': a reason (终止原因) is only for a lost "
        "lead (终止), not for stage lead; put it in the note",
    ]
    assert len(lead_rows(db)) == 12
    fixed = path.read_text(encoding="utf-8").replace("价格太高", "").replace("too far", "")
    path.write_text(fixed, encoding="utf-8")
    assert srun("leads", "import", path).stdout == "L0013\nL0014\nL0015\nL0016\n"
    assert [r[7] for r in lead_rows(db)[12:]] == [None, None, "chose 江西", "moved away"]


def test_import_refuses_non_finite_investment(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"i.csv": """\
        company,product,investment
        gree,compressor,inf
        midea,compressor,NaN
        yuemei,,-Infinity
        jinda,,1e999
        """}) / "i.csv"
    assert srun("leads", "import", path).stderr.splitlines() == [
        "Error: 4 problem(s) found; nothing was imported",
        "  i.csv:2: column 'investment': value 'inf': not a finite number (亿元)",
        "  i.csv:3: column 'investment': value 'NaN': not a finite number (亿元)",
        "  i.csv:4: column 'investment': value '-Infinity': not a finite number (亿元)",
        "  i.csv:5: column 'investment': value '1e999': not a finite number (亿元)",
    ]
    assert len(lead_rows(db)) == 12


def test_import_reads_an_investment_written_with_its_unit(srun, tmp_path, db):
    """投资额 as an office types it: 3.5亿, 12亿元, 5000万 (0.5 亿元), full-width digits."""
    path = write_files(tmp_path / "in", {"u.csv": """\
        企业,产品,投资额
        gree,压缩机,3.5亿
        midea,压缩机,12亿元
        yuemei,,"5,000万"
        jinda,,１５
        """}, encoding="gbk") / "u.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert [row[5] for row in lead_rows(db)[12:]] == [3.5, 12.0, 0.5, 15.0]
    bad = write_files(tmp_path / "bad", {"b.csv": "company,investment\ngree,12美元\n"})
    assert "b.csv:2: column 'investment': value '12美元'" in srun(
        "leads", "import", bad / "b.csv").stderr


def test_leads_csv_is_read_like_a_dataset_table(srun, tmp_path, db):
    """Through chainmap.io.read: a row wider than the header is named as such, and line
    numbers count the lines of quoted multi-line notes."""
    wide = write_files(tmp_path / "in", {"w.csv": """\
        company,note
        gree,"fine"
        midea,a, b
        """}) / "w.csv"
    assert srun("leads", "import", wide).stderr.splitlines() == [
        "Error: 1 problem(s) found; nothing was imported",
        "  w.csv:3: 3 cells but the header has 2; is a comma missing its quotes?",
    ]
    multi = write_files(tmp_path / "in", {"m.csv": (
        'company,note,stage\r\ngree,"line one\r\nline two",lead\r\nnosuch,,lead\r\n')}) / "m.csv"
    assert srun("leads", "import", multi).stderr.splitlines()[1] == (
        "  m.csv:4: column 'company': value 'nosuch': unknown firm: not an id, USCC or "
        "registered name in this dataset or the workspace")


def test_export_xlsx_writes_text_not_formulas(srun, tmp_path):
    formula = '=HYPERLINK("http://x","y")'
    assert srun("leads", "add", "gree", "--owner", "=1+2", "--note", formula).exit_code == 0
    assert srun("leads", "update", "L0001", "--note", "奥克斯\x0b配套").exit_code == 0
    out = tmp_path / "out.xlsx"
    result = srun("leads", "export", out)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out, data_only=False)["leads"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[14])}
    assert (row["owner"].value, row["owner"].data_type) == ("=1+2", "s")
    assert (row["note"].value, row["note"].data_type) == (formula, "s")
    # kept, the OOXML way (Excel and chainmap's reader show the character again)
    assert dict(zip(header, sheet[2]))["note"].value == "奥克斯_x000B_配套"
    from chainmap.crm.leads_io import read_leads

    assert read_leads(out).frame["note"].iloc[0] == "奥克斯\x0b配套"


def test_leads_import_skips_a_title_row_with_a_warning(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"new.csv": """\
        2026年招商线索台账,,
        企业,产品,负责人
        gree,压缩机,王磊
        """}) / "new.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\n"
    assert result.stderr.splitlines() == [
        "Warning: new.csv: the header is on line 2; the 1 line(s) above it were skipped",
        "imported new.csv: 1 lead (1 new, 0 already in the workspace)"]


def test_leads_import_reads_a_firm_name_written_another_way(srun, tmp_path, db):
    # the sample has kaiyue 凯越电子（宁波）有限公司 and kaiyue-2 凯越电子(宁波)有限公司:
    # each exact name names its own firm; written a third way the name is ambiguous
    path = write_files(tmp_path / "in", {"l.csv": """\
        企业,产品,来源
        奥克斯空调(马鞍山) 有限公司,控制器(主控板),referral
        凯越电子（宁波）有限公司,,referral
        凯越电子(宁波)有限公司,,referral
        凯越电子 (宁波) 有限公司,,event
        """}) / "l.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 1 and len(lead_rows(db)) == 12
    assert result.stderr.splitlines()[1:] == [
        "  l.csv:5: column '企业': value '凯越电子 (宁波) 有限公司': no firm has exactly this "
        "registered name, and written another way (brackets, spaces) it names several: "
        "凯越电子（宁波）有限公司 (kaiyue), 凯越电子(宁波)有限公司 (kaiyue-2); give the id or the "
        "exact name"]
    path.write_text("\n".join(path.read_text().splitlines()[:4]) + "\n")
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Warning: l.csv:2: column '企业': value '奥克斯空调(马鞍山) 有限公司' was read as "
        "奥克斯空调（马鞍山）有限公司 (aux), its registered name written another way",
        "Warning: l.csv:2: column '产品': value '控制器(主控板)' was read as 控制器（主控板） "
        "(controller), its name written another way",
        "imported l.csv: 3 leads (3 new, 0 already in the workspace)"]
    assert [r[1:3] for r in lead_rows(db)[12:]] == [
        ("aux", "controller"), ("kaiyue", None), ("kaiyue-2", None)]


def test_leads_import_refuses_a_firm_name_of_another_legal_form(srun, tmp_path, db):
    # hengnian is 上海恒粘新材料股份有限公司: the 集团有限公司 and the 有限公司 of that name
    # are other legal entities, never read as it; without a legal form the name is it
    path = write_files(tmp_path / "in", {"l.csv": """\
        企业,产品,来源
        上海恒粘新材料集团有限公司,,referral
        上海恒粘新材料有限公司,,event
        上海恒粘新材料,,other
        """}) / "l.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 1 and len(lead_rows(db)) == 12
    assert result.stderr.splitlines()[1:] == [
        "  l.csv:2: column '企业': value '上海恒粘新材料集团有限公司': unknown firm: "
        "上海恒粘新材料股份有限公司 (hengnian) has this name with another legal form "
        "(股份有限公司, not 集团有限公司), a different firm; give its id or its exact name if "
        "you mean it",
        "  l.csv:3: column '企业': value '上海恒粘新材料有限公司': unknown firm: "
        "上海恒粘新材料股份有限公司 (hengnian) has this name with another legal form "
        "(股份有限公司, not 有限公司), a different firm; give its id or its exact name if you "
        "mean it"]
    zh = srun("leads", "import", path, "--lang", "zh")
    assert zh.exit_code == 1
    assert zh.stderr.splitlines()[1] == (
        "  l.csv:2: 列“企业”: 值“上海恒粘新材料集团有限公司”: 没有这家企业："
        "上海恒粘新材料股份有限公司（hengnian）与之名称相同但组织形式不同（股份有限公司，"
        "而非集团有限公司），是另一家企业；如确指该企业，请给出其编号或完整登记名称")
    path.write_text("企业,产品,来源\n上海恒粘新材料,,other\n")
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert [r[1] for r in lead_rows(db)[12:]] == ["hengnian"]


def test_leads_import_takes_a_row_pasted_twice_once(srun, tmp_path, db):
    path = write_files(tmp_path / "in", {"l.csv": """\
        企业,产品,负责人,来源
        gree,压缩机,王磊,referral
        midea,,李娜,referral
        gree,压缩机,王磊,referral
        """}) / "l.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\nL0014\n"
    assert result.stderr.splitlines() == [
        "Warning: l.csv: line 4 repeats line 2 exactly (every cell); the row was taken once",
        "imported l.csv: 2 leads (2 new, 0 already in the workspace)"]
    # the same firm, product and source with another cell is still refused
    path = write_files(tmp_path / "in2", {"l.csv": """\
        企业,产品,负责人,来源
        aux,压缩机,王磊,referral
        aux,压缩机,李娜,referral
        """}) / "l.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 1 and len(lead_rows(db)) == 14
    assert result.stderr.splitlines()[1] == (
        "  l.csv:3: column '企业': value 'aux': duplicate lead: same firm, product and "
        "source as line 2")


# -- a file of leads some of which the workspace holds already ---------------------------
def test_a_file_of_known_and_new_leads_adds_the_new_ones(srun, tmp_path, db):
    """The leads file a team exported, with a row added in Excel, imports the new row.

    The rows naming a lead of the workspace (by id) are skipped; the others were skipped
    too when the frame of checked rows held its missing ids as NaN (pandas' ``str``
    columns), which is not ``None``: "13 already in the workspace", the new lead lost.
    """
    exported = tmp_path / "leads.csv"
    assert srun("leads", "export", exported).exit_code == 0
    with exported.open("a", encoding="utf-8") as f:
        f.write(",yuyao-cap,,capacitor,lead,李娜,3,other,2026-11-01,新加的一条,\n")
    done = srun("leads", "import", exported)
    assert done.exit_code == 0, done.output
    assert "13 leads (1 new, 12 already in the workspace)" in done.stderr
    rows = lead_rows(db)
    assert len(rows) == 13
    assert rows[-1] == ("L0013", "yuyao-cap", "capacitor", "lead", "李娜", 3.0, "other", None)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT note FROM leads WHERE id = 'L0013'").fetchone() \
            == ("新加的一条",)


def test_a_dataset_of_known_and_new_leads_adds_the_new_ones(srun, tmp_path, db):
    """The same through ``chainmap import`` of a whole dataset with its leads.csv."""
    folder = tmp_path / "again"
    assert srun("export", folder).exit_code == 0
    with (folder / "leads.csv").open("a", encoding="utf-8") as f:
        f.write(",yuyao-cap,,capacitor,lead,李娜,3,other,2026-11-01,新加的一条,\n")
    done = srun("import", folder)
    assert done.exit_code == 0, done.output
    assert "13 leads (1 new)" in done.stderr
    assert lead_rows(db)[-1][:5] == ("L0013", "yuyao-cap", "capacitor", "lead", "李娜")


def test_a_sheet_naming_its_firms_only_under_qiye_mingcheng_imports(srun, tmp_path, db):
    """A team's own sheet heads its firm column 企业名称 (a registered name), with a title
    row above: read as the firm column, not "required column is missing"."""
    sheet = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["招商线索台账"])
    book.active.append(["企业名称", "产品", "阶段", "负责人", "投资额", "日期"])
    book.active.append(["上海松江回转支承有限公司", "回转支承", "洽谈", "王磊", "5000万", 46086])
    book.save(sheet)
    done = srun("leads", "import", sheet)
    assert done.exit_code == 0, done.output
    assert "1 lead (1 new, 0 already in the workspace)" in done.stderr
    assert lead_rows(db)[-1] == ("L0013", "songjiang-bearing", "slewing-bearing",
                                 "negotiating", "王磊", 0.5, "other", None)


def test_with_both_firm_columns_the_company_column_is_the_one_matched(srun, tmp_path, db):
    path = tmp_path / "leads.csv"
    path.write_text("企业,企业名称,产品\nsongjiang-bearing,某个别的名字,回转支承\n", encoding="gbk")
    done = srun("leads", "import", path)
    assert done.exit_code == 0, done.output
    assert lead_rows(db)[-1][:3] == ("L0013", "songjiang-bearing", "slewing-bearing")


def test_a_sheet_with_neither_firm_column_names_both_in_its_error(srun, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("产品,阶段\n回转支承,洽谈\n", encoding="utf-8")
    done = srun("leads", "import", path)
    assert done.exit_code == 1
    assert "leads.csv:1: column 'company': required column is missing" in done.stderr


def test_leads_export_does_not_overwrite_a_file_unless_forced(srun, tmp_path):
    """A team's own ledger (线索台账.xlsx, with columns chainmap does not keep) is not
    written over by an export to its name: refused, the file as it was; --force writes."""
    ledger = tmp_path / "线索台账.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["企业名称", "产品", "对接人电话"])
    book.save(ledger)
    before = ledger.read_bytes()
    refused = srun("leads", "export", ledger)
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: {ledger} exists; give another file, or --force to "
                              "overwrite it\n")
    assert ledger.read_bytes() == before
    zh = srun("leads", "export", ledger, "--lang", "zh")
    assert zh.exit_code == 1 and zh.stderr.startswith(f"错误：{ledger} ")
    forced = srun("leads", "export", ledger, "--force")
    assert forced.exit_code == 0, forced.output
    assert openpyxl.load_workbook(ledger).active["A1"].value == "id"
    with pytest.raises(chainmap.errors.ArgumentError, match="force=True"):
        chainmap.export_leads(chainmap.open(tmp_path / "ws.db"), ledger)
