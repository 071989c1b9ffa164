"""chainmap leads ...: add, from-gaps, move, update, show, list, log, follow-up, due, done,
stale, projects, overdue, and every refusal with its exact message."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import chainmap


@pytest.fixture
def srun(run, monkeypatch):
    """``run`` against a workspace holding the bundled sample (and its 12 leads)."""
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    result = run("import", chainmap.sample_path())
    assert result.exit_code == 0, result.output
    return run


def error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr.strip()


TODAY = dt.date.today().isoformat()


# -- add -----------------------------------------------------------------------------
def test_add_prints_only_the_new_id(srun, db):
    result = srun("leads", "add", "gree", "--product", "压缩机", "--owner", "王磊",
                  "--investment", "15", "--source", "referral", "--note", "via 奥克斯")
    assert result.exit_code == 0, result.output
    assert result.stdout == "L0013\n"
    lead = chainmap.list_leads(chainmap.open(db)).set_index("id").loc["L0013"]
    assert (lead["company"], lead["product"], lead["stage"], lead["owner"], lead["investment"],
            lead["source"], lead["created"]) == ("gree", "compressor", "lead", "王磊", 15.0,
                                                 "referral", TODAY)


def test_add_by_uscc_and_registered_name(srun):
    assert srun("leads", "add", "台州玉环阀门有限公司").stdout == "L0013\n"
    assert srun("leads", "add", "91340521MAEGEXXF67", "--product", "pcb").stdout == "L0014\n"


def test_add_unknown_firm(srun):
    assert error(srun("leads", "add", "nosuch")) == "Error: unknown firm 'nosuch'"


def test_add_refuses_a_firm_name_of_another_legal_form(srun, db):
    # hengnian is 上海恒粘新材料股份有限公司: its 集团有限公司 is another legal entity,
    # never given the lead; without a legal form the name is hengnian (with a warning)
    assert error(srun("leads", "add", "上海恒粘新材料集团有限公司")) == (
        "Error: unknown firm '上海恒粘新材料集团有限公司': 上海恒粘新材料股份有限公司 (hengnian) "
        "has this name with another legal form (股份有限公司, not 集团有限公司), a different "
        "firm; give its id or its exact name if you mean it")
    assert error(srun("leads", "add", "上海恒粘新材料有限公司", "--lang", "zh")) == (
        "错误：没有企业 '上海恒粘新材料有限公司'：上海恒粘新材料股份有限公司（hengnian）与之名称"
        "相同但组织形式不同（股份有限公司，而非有限公司），是另一家企业；如确指该企业，请给出其编号"
        "或完整登记名称")
    assert len(chainmap.list_leads(chainmap.open(db))) == 12
    result = srun("leads", "add", "上海恒粘新材料")
    assert result.exit_code == 0 and result.stdout == "L0013\n"
    assert chainmap.list_leads(chainmap.open(db)).set_index("id").loc["L0013", "company"] \
        == "hengnian"


def test_add_unknown_product(srun):
    assert error(srun("leads", "add", "gree", "--product", "widget")) == \
        "Error: unknown product 'widget'"


def test_add_refuses_second_open_lead_unless_forced(srun):
    assert error(srun("leads", "add", "xinchang-valve", "--product", "eev")) == (
        "Error: firm 'xinchang-valve' already has an open lead for product 'eev': "
        "L0001 (negotiating); use --force to add another")
    assert srun("leads", "add", "xinchang-valve", "--product", "eev", "--force").stdout == \
        "L0013\n"


def test_add_allowed_when_the_lead_is_closed(srun):
    # L0007 lishui-comp is producing, L0008 hengnian is lost: neither is open
    assert srun("leads", "add", "lishui-comp", "--product", "compressor-parts").stdout == \
        "L0013\n"
    assert srun("leads", "add", "hengnian", "--product", "adhesive").stdout == "L0014\n"


def test_add_same_firm_without_product_twice(srun):
    assert srun("leads", "add", "gree").stdout == "L0013\n"
    assert error(srun("leads", "add", "gree")) == (
        "Error: firm 'gree' already has an open lead for no product: L0013 (lead); "
        "use --force to add another")


def test_add_bad_source_and_investment_are_usage_errors(srun):
    assert srun("leads", "add", "gree", "--source", "cold-call").exit_code == 2
    assert srun("leads", "add", "gree", "--investment", "-1").exit_code == 2


def test_add_source_in_chinese(srun, db):
    """--source takes the Chinese words a lead file's 来源 column takes (以商招商 ...)."""
    assert srun("leads", "add", "gree", "--source", "以商招商").stdout == "L0013\n"
    assert srun("leads", "add", "lishui-comp", "--source", "活动").stdout == "L0014\n"
    leads = chainmap.list_leads(chainmap.open(db)).set_index("id")
    assert leads.loc["L0013", "source"] == "referral"
    assert leads.loc["L0014", "source"] == "event"
    # the word the lead card and the Chinese reports show for gap is read back too
    assert srun("leads", "add", "midea", "--source", "缺链分析").stdout == "L0015\n"
    assert chainmap.list_leads(chainmap.open(db)).set_index("id").loc["L0015", "source"] \
        == "gap"
    bad = srun("leads", "add", "gree", "--source", "朋友", "--lang", "zh")
    assert bad.exit_code == 2 and "'朋友' 不是线索来源" in bad.stderr


def test_add_investment_with_its_unit(srun, db):
    """--investment 3.5亿 (or 亿元, 万, full-width digits) is read as 亿元."""
    assert srun("leads", "add", "gree", "--investment", "3.5亿").stdout == "L0013\n"
    assert srun("leads", "add", "midea", "--investment", "５０００万元").stdout == "L0014\n"
    leads = chainmap.list_leads(chainmap.open(db)).set_index("id")
    assert leads.loc[["L0013", "L0014"], "investment"].tolist() == [3.5, 0.5]
    assert srun("leads", "add", "gree", "--investment", "12美元").exit_code == 2


def test_stages_as_a_progress_sheet_writes_them(srun, db):
    """已签约, 已开工, 洽谈中, 在谈: the stage names a 招商 progress sheet uses."""
    assert srun("leads", "move", "L1", "已签约", "--date", "2026-04-01").exit_code == 0
    assert srun("leads", "move", "L1", "已开工", "--date", "2026-05-01").exit_code == 0
    assert srun("leads", "move", "L2", "洽谈中", "--date", "2026-04-01").exit_code == 0
    leads = chainmap.list_leads(chainmap.open(db)).set_index("id")
    assert leads.loc[["L0001", "L0002"], "stage"].tolist() == ["started", "negotiating"]
    rows = json.loads(srun("leads", "list", "--stage", "在谈", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["L0002", "L0012"]


def test_add_bad_date(srun):
    assert error(srun("leads", "add", "gree", "--date", "2026-13-01")) == (
        "Error: invalid date '2026-13-01' for --date: there is no such day;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")
    assert error(srun("leads", "add", "gree", "--date", "18/03/2026")) == (
        "Error: invalid date '18/03/2026' for --date: not a date;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")


# -- from-gaps -------------------------------------------------------------------------
def test_from_gaps_adds_and_never_duplicates(srun, db):
    result = srun("leads", "from-gaps", "--chain", "智能家电", "--home", "当涂县", "--top", "2",
                  "--owner", "张超")
    assert result.exit_code == 0, result.output
    ids = result.stdout.split()
    assert ids[0] == "L0013" and len(ids) == 35
    assert result.stderr == ("Added 35 lead(s), skipped 7 (an open lead exists for the firm "
                             "and product)\n")
    frame = chainmap.list_leads(chainmap.open(db)).set_index("id").loc[ids]
    assert set(frame["source"]) == {"gap"} and set(frame["owner"]) == {"张超"}
    again = srun("leads", "from-gaps", "--chain", "智能家电", "--home", "当涂县", "--top", "2")
    assert again.stdout == ""
    assert again.stderr == ("Added 0 lead(s), skipped 42 (an open lead exists for the firm "
                            "and product)\n")


def test_from_gaps_dry_run_writes_nothing_and_shows_the_same_leads(srun, db):
    args = ("leads", "from-gaps", "--chain", "智能家电", "--home", "当涂县", "--top", "2")
    before = chainmap.audit_log(chainmap.open(db))
    preview = srun(*args, "--dry-run", "--format", "json")
    assert preview.exit_code == 0, preview.output
    assert preview.stderr == ("Dry run: would add 35 lead(s), skip 7 (an open lead exists for "
                              "the firm and product)\n")
    plan = json.loads(preview.stdout)
    assert len(plan) == 35
    assert list(plan[0]) == ["company", "company_name", "product", "product_name", "chain",
                             "status", "why"]
    assert {p["chain"] for p in plan} == {"智能家电"}
    assert all(p["company_name"] and p["company_name"] != p["company"] for p in plan)
    assert len(chainmap.list_leads(chainmap.open(db))) == 12  # nothing written
    assert len(chainmap.audit_log(chainmap.open(db))) == len(before)
    table = srun(*args, "--dry-run")
    assert table.stdout.splitlines()[0].split() == ["company", "company_name", "product",
                                                    "product_name", "chain", "status", "why"]
    assert len(table.stdout.splitlines()) == 2 + 35
    done = srun(*args)
    assert done.stderr == ("Added 35 lead(s), skipped 7 (an open lead exists for the firm "
                           "and product)\n")
    made = chainmap.list_leads(chainmap.open(db)).set_index("id").loc[done.stdout.split()]
    assert list(zip(made["company"], made["product"])) == [
        (p["company"], p["product"]) for p in plan]


def test_from_gaps_library_dry_run():
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, chainmap.sample_path())
    preview = chainmap.leads_from_gaps(ws, "智能家电", home="当涂县", top=1, dry_run=True)
    assert preview.dry_run and preview.added == []
    assert list(preview.plan.columns) == chainmap.FROM_GAPS_COLUMNS
    assert set(preview.plan["lead"]) == {""} and len(preview.plan) == 17
    assert len(chainmap.list_leads(ws)) == 12
    done = chainmap.leads_from_gaps(ws, "智能家电", home="当涂县", top=1, by="王磊")
    assert not done.dry_run and done.plan["lead"].tolist() == done.added
    assert done.plan[["company", "product", "why"]].equals(preview.plan[["company", "product",
                                                                         "why"]])


def test_from_gaps_default_top_is_three(srun, db):
    ws = chainmap.open(db)
    report = chainmap.gaps(ws, "smart-logistics", home="当涂县")
    slots = sum(min(3, len(c)) for s, c in zip(report["status"], report["candidates"])
                if s in ("missing", "weak"))
    ws.close()
    result = srun("leads", "from-gaps", "--chain", "smart-logistics", "--home", "当涂县")
    assert result.exit_code == 0, result.output
    added = len(result.stdout.split())
    assert added + 1 == slots  # L0012 (yuhang-cloud, wms-software) is already open
    assert result.stderr == (f"Added {added} lead(s), skipped 1 (an open lead exists for the "
                             "firm and product)\n")


def test_from_gaps_unknown_chain_and_no_home(srun):
    assert error(srun("leads", "from-gaps", "--chain", "钢铁", "--home", "当涂县")).startswith(
        "Error: unknown chain '钢铁'; chains: ")
    assert error(srun("leads", "from-gaps", "--chain", "智能家电")) == (
        "Error: no home region: give --home, or set one with "
        "'chainmap config home 安徽省/马鞍山市/当涂县'")


# -- move --------------------------------------------------------------------------------
def test_move_records_history(srun, db):
    result = srun("leads", "move", "L1", "签约", "--date", "2026-06-01", "--note", "签了",
                  "--by", "王磊")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "L0001 moved to signed (签约)\n"
    assert srun("leads", "move", "l0001", "negotiating", "--note", "back to talks").exit_code == 0
    card = chainmap.lead_details(chainmap.open(db), "L0001")
    assert card.history[["from_stage", "to_stage", "date", "by", "note"]].values.tolist() == [
        [None, "negotiating", "2026-03-18", "tester", "already supplies 奥克斯 from 绍兴"],
        ["negotiating", "signed", "2026-06-01", "王磊", "签了"],
        ["signed", "negotiating", TODAY, "tester", "back to talks"],
    ]


def test_move_to_lost_needs_a_reason(srun, db):
    assert error(srun("leads", "move", "L0001", "lost")) == \
        "Error: a move to lost (终止) needs a reason: give --reason"
    assert error(srun("leads", "move", "L0001", "终止", "--reason", " ")) == \
        "Error: a move to lost (终止) needs a reason: give --reason"
    assert srun("leads", "move", "L0001", "终止", "--reason", "went to 江西").exit_code == 0
    card = chainmap.lead_details(chainmap.open(db), "L0001")
    assert card.lead["stage"] == "lost" and card.lead["lost_reason"] == "went to 江西"
    assert card.history["reason"].tolist()[-1] == "went to 江西"
    # reopening clears the reason on the lead, keeps it in the history
    assert srun("leads", "move", "L0001", "contacted").exit_code == 0
    card = chainmap.lead_details(chainmap.open(db), "L0001")
    assert card.lead["lost_reason"] is None and card.history["reason"].tolist()[-2] == \
        "went to 江西"


def test_move_refusals(srun):
    assert error(srun("leads", "move", "L0001", "signed", "--reason", "x")) == \
        "Error: --reason is only for a move to lost (终止), not to signed; use --note"
    assert error(srun("leads", "move", "L0001", "洽谈")) == \
        "Error: lead L0001 is already at stage negotiating (洽谈)"
    assert error(srun("leads", "move", "L0001", "won")) == (
        "Error: unknown stage 'won'; stages: lead/线索, contacted/接洽, visited/考察, "
        "negotiating/洽谈, signed/签约, started/开工, producing/投产, lost/终止")
    assert error(srun("leads", "move", "L0099", "signed")) == "Error: unknown lead 'L0099'"
    assert error(srun("leads", "move", "X12", "signed")) == \
        "Error: 'X12' is not a lead id (like L0001 or L1)"
    assert error(srun("leads", "move", "L0001", "signed", "--date", "2026-02-30")) == (
        "Error: invalid date '2026-02-30' for --date: there is no such day;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")


# -- update --------------------------------------------------------------------------------
def test_update_and_its_refusal(srun, db):
    result = srun("leads", "update", "L0003", "--owner", "李娜", "--investment", "30",
                  "--contract-date", "2026-01-20")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("owner: 张超 → 李娜\ninvestment: 28 → 30\n"
                             "contract_date: (none) → 2026-01-20\n")
    assert chainmap.lead_details(chainmap.open(db), "L3").lead["contract_date"] == "2026-01-20"
    assert srun("leads", "update", "L0003", "--owner", "李娜").stderr == "nothing changed\n"
    assert error(srun("leads", "update", "L0003")) == (
        "Error: nothing to update: give --owner, --investment, --product, --contract-date, "
        "--note, --land, --output, --tax, --jobs, --start-by or --produce-by")
    assert error(srun("leads", "update", "L0003", "--contract-date", "soon")) == (
        "Error: invalid date 'soon' for --contract-date: not a date;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")


# -- show -----------------------------------------------------------------------------------
def test_show_table_and_json(srun):
    srun("leads", "log", "L0002", "--kind", "visit", "--note", "看厂房", "--date", "2026-03-01")
    srun("leads", "follow-up", "L0002", "--due", "2026-07-01", "--note", "send the offer")
    srun("leads", "move", "L0002", "negotiating", "--date", "2026-03-10")
    table = srun("leads", "show", "L2")
    assert table.exit_code == 0, table.output
    assert "company_name     台州玉环阀门有限公司" in table.stdout
    assert "[history]" in table.stdout and "看厂房" in table.stdout
    data = json.loads(srun("leads", "show", "L2", "--format", "json").stdout)
    assert data["lead"]["stage"] == "negotiating" and data["lead"]["stage_zh"] == "洽谈"
    assert [h["to_stage"] for h in data["history"]] == ["visited", "negotiating"]
    assert data["activities"] == [{"id": "A0001", "date": "2026-03-01", "kind": "visit",
                                   "note": "看厂房", "by": "tester"}]
    assert data["followups"][0]["id"] == "F0001" and data["followups"][0]["done_at"] is None


def test_show_unknown(srun):
    assert error(srun("leads", "show", "L0042")) == "Error: unknown lead 'L0042'"


EVIL_REQUEST = '=HYPERLINK("x") <script>alert(1)</script>'


def sign_and_serve(srun) -> None:
    """L0007 (producing, firm lishui-comp): its commitments, two actuals, an open and a
    closed request of its firm; and a request of another firm, not on its card."""
    for args in (
            ["leads", "update", "L0007", "--land", "50", "--output", "5", "--tax", "1500",
             "--jobs", "200", "--start-by", "2025-06-30", "--produce-by", "2026-03-31"],
            ["leads", "actual", "L0007", "--date", "2026-06-30", "--invested", "1.5",
             "--output", "2", "--jobs", "150"],
            ["leads", "actual", "L0007", "--date", "2026-03-31", "--invested", "1.2",
             "--tax", "300"],
            ["service", "request", "lishui-comp", "扩建用地50亩", "--kind", "土地",
             "--date", "2026-07-01", "--due", "2026-08-31", "--officer", "张超"],
            ["service", "request", "lishui-comp", EVIL_REQUEST, "--kind", "用工",
             "--date", "2026-07-02", "--officer", "李侃"],
            ["service", "progress", "R2", "--note", "联系县人社局", "--date", "2026-07-05"],
            ["service", "close", "R2", "--note", "招工200人", "--date", "2026-07-20"],
            ["service", "request", "aux", "另一家企业的诉求", "--kind", "其他",
             "--date", "2026-07-03", "--officer", "张超"]):
        result = srun(*args)
        assert result.exit_code == 0, (args, result.output)


def sections(text: str) -> dict[str, str]:
    """The card's tables by heading (``[history]`` -> its table)."""
    parts = text.split("\n\n[")[1:]
    return {p.split("]", 1)[0]: p.split("]\n", 1)[1].rstrip("\n") for p in parts}


def test_show_a_project_with_commitments_actuals_and_requests(srun, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 10, 0, 0), tick=False)
    sign_and_serve(srun)
    shown = srun("leads", "show", "L7", "--lang", "en")
    assert shown.exit_code == 0, shown.output
    card = sections(shown.stdout)
    assert list(card) == ["history", "activities", "followups", "commitments", "actuals",
                          "requests"]
    assert card["commitments"] == (
        "land  output  tax   jobs  start_by    produce_by  by      at\n"
        "----  ------  ----  ----  ----------  ----------  ------  -------------------\n"
        "50    5       1500  200   2025-06-30  2026-03-31  tester  2026-11-29 10:00:00")
    assert card["actuals"] == (  # oldest first, a figure not reported blank
        "date        invested  output  tax  jobs  by      at\n"
        "----------  --------  ------  ---  ----  ------  -------------------\n"
        "2026-03-31  1.2               300        tester  2026-11-29 10:00:00\n"
        "2026-06-30  1.5       2            150   tester  2026-11-29 10:00:00")
    lines = card["requests"].splitlines()
    assert lines[0].split() == ["id", "date", "kind", "text", "officer", "due", "status",
                                "closed_date", "close_note", "last_note"]
    assert lines[2].split() == ["R0001", "2026-07-01", "land", "扩建用地50亩", "张超",
                                "2026-08-31", "past_due"]
    assert lines[3].split() == ["R0002", "2026-07-02", "labour", *EVIL_REQUEST.split(),
                                "李侃", "closed", "2026-07-20", "招工200人", "联系县人社局"]
    assert len(lines) == 4 and "另一家企业" not in shown.stdout  # only the lead's firm's

    zh = sections(srun("leads", "show", "L7", "--lang", "zh").stdout)
    assert list(zh) == ["阶段记录", "走访活动", "跟进事项", "履约承诺", "履约实绩", "企业诉求"]
    assert zh["履约承诺"].splitlines()[0].split() == [
        "用地(亩)", "承诺产值(亿元)", "承诺税收(万元)", "承诺就业(人)", "承诺开工日期",
        "承诺投产日期", "操作人", "时间"]
    assert zh["履约实绩"].splitlines()[0].split() == [
        "日期", "累计投资(亿元)", "实际产值(亿元)", "实际税收(万元)", "实际就业(人)", "操作人",
        "时间"]
    requests = zh["企业诉求"].splitlines()
    assert requests[0].split() == ["编号", "日期", "诉求类型", "诉求内容", "服务专员", "到期日",
                                   "状态", "销号日期", "办结情况", "最新进展"]
    assert requests[2].split() == ["R0001", "2026-07-01", "土地", "扩建用地50亩", "张超",
                                   "2026-08-31", "逾期未办结"]
    assert requests[3].split() == ["R0002", "2026-07-02", "用工", *EVIL_REQUEST.split(),
                                   "李侃", "已办结", "2026-07-20", "招工200人", "联系县人社局"]

    data = json.loads(srun("leads", "show", "L7", "--format", "json", "--lang", "zh").stdout)
    assert list(data) == ["lead", "history", "activities", "followups", "commitments",
                          "actuals", "requests"]
    assert data["commitments"] == {"land": 50.0, "output": 5.0, "tax": 1500.0, "jobs": 200,
                                   "start_by": "2025-06-30", "produce_by": "2026-03-31",
                                   "by": "tester", "at": "2026-11-29 10:00:00"}
    assert data["actuals"] == [
        {"date": "2026-03-31", "invested": 1.2, "output": None, "tax": 300.0, "jobs": None,
         "by": "tester", "at": "2026-11-29 10:00:00"},
        {"date": "2026-06-30", "invested": 1.5, "output": 2.0, "tax": None, "jobs": 150,
         "by": "tester", "at": "2026-11-29 10:00:00"}]
    assert [(r["id"], r["kind"], r["status"], r["closed_date"], r["last_note"])
            for r in data["requests"]] == [
        ("R0001", "land", "past_due", None, None),
        ("R0002", "labour", "closed", "2026-07-20", "联系县人社局")]
    assert data["requests"][1]["text"] == EVIL_REQUEST


def test_show_a_lead_without_them_is_the_card_as_before(srun):
    sign_and_serve(srun)  # another lead's and firm's records
    shown = srun("leads", "show", "L4")
    assert list(sections(shown.stdout)) == ["history", "activities", "followups"]
    data = json.loads(srun("leads", "show", "L4", "--format", "json").stdout)
    assert (data["commitments"], data["actuals"], data["requests"]) == (None, [], [])
    # a signed project without any: its commitments and actuals say so; no request section
    signed = sections(srun("leads", "show", "L3", "--lang", "zh").stdout)
    assert list(signed) == ["阶段记录", "走访活动", "跟进事项", "履约承诺", "履约实绩"]
    assert signed["履约承诺"] == signed["履约实绩"] == "（无数据）"


# -- list ------------------------------------------------------------------------------------
def test_list_filters(srun):
    def ids(*args: str) -> list[str]:
        result = srun("leads", "list", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return [r["id"] for r in json.loads(result.stdout)]

    assert len(ids()) == 12
    assert ids("--stage", "洽谈") == ["L0001", "L0012"]
    assert ids("--stage", "lead", "--stage", "lost") == ["L0006", "L0008", "L0010"]
    assert len(ids("--stage", "open")) == 10
    assert ids("--owner", "王磊") == ["L0001", "L0004", "L0008", "L0010"]
    assert ids("--region", "上海") == ["L0003", "L0008", "L0010"]
    assert ids("--region", "苏州市") == ["L0011"]
    assert ids("--chain", "智慧物流") == ["L0012"]
    assert ids("--chain", "smart-appliances", "--region", "浙江", "--owner", "李娜") == ["L0002"]


def test_list_formats_and_refusals(srun):
    csv = srun("leads", "list", "--format", "csv", "--stage", "signed")
    assert csv.stdout.splitlines()[0].startswith("id,company,company_name,province,product")
    assert "L0003,pujiang-comp" in csv.stdout
    assert srun("leads", "list", "--format", "md").stdout.startswith("| id | company |")
    assert error(srun("leads", "list", "--stage", "won")).startswith("Error: unknown stage 'won'")
    assert error(srun("leads", "list", "--chain", "钢铁")).startswith(
        "Error: unknown chain '钢铁'")
    assert error(srun("leads", "list", "--region", "火星")).startswith("Error: ")


def test_list_source_in_chinese(srun):
    """Under --lang zh a lead's 来源 reads as the lead card shows it, in every format."""
    table = srun("leads", "list", "--lang", "zh")
    assert "以商招商" in table.stdout and "缺链分析" in table.stdout
    assert " referral " not in table.stdout and " gap " not in table.stdout
    rows = srun("leads", "list", "--lang", "zh", "--format", "csv").stdout.splitlines()
    assert rows[0].split(",")[10] == "来源"
    assert {r.split(",")[10] for r in rows[1:]} == {"缺链分析", "以商招商", "活动"}
    weekly = srun("report", "weekly", "--from", "2026-01-01", "--to", "2026-12-31",
                  "--lang", "zh", "--format", "csv")
    assert ",以商招商," in weekly.stdout and ",referral," not in weekly.stdout
    english = srun("leads", "list", "--format", "csv").stdout
    assert ",referral," in english  # English CSV keeps the codes


# -- activities and follow-ups ------------------------------------------------------------
def test_log_activity(srun, db):
    result = srun("leads", "log", "L0004", "--kind", "电话", "--note", "约了考察")
    assert result.exit_code == 0, result.output
    assert result.stdout == "A0001\n"
    card = chainmap.lead_details(chainmap.open(db), "L4")
    assert card.activities[["kind", "date", "note"]].values.tolist() == [
        ["call", TODAY, "约了考察"]]


def test_log_refusals(srun):
    assert error(srun("leads", "log", "L0004", "--kind", "fax", "--note", "x")) == \
        "Error: unknown activity kind 'fax'; use one of visit/拜访, call/电话, meeting/会谈, " \
        "email/邮件, event/活动"
    assert error(srun("leads", "log", "L0004", "--kind", "call", "--note", " ")) == \
        "Error: an activity needs a note (--note)"
    assert error(srun("leads", "log", "L0404", "--kind", "call", "--note", "x")) == \
        "Error: unknown lead 'L0404'"
    assert error(srun("leads", "log", "L0004", "--kind", "call", "--note", "x",
                      "--date", "5.1.2026")) == (
        "Error: invalid date '5.1.2026' for --date: not a date;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")
    assert srun("leads", "log", "L0004", "--note", "x").exit_code == 2  # --kind is required


def test_follow_up_due_done(srun):
    # overdue, and not before L0001 was created (2026-03-18): a due date cannot be
    assert srun("leads", "follow-up", "L0001", "--due", "2026-03-20", "--note", "old").stdout \
        == "F0001\n"
    assert srun("leads", "follow-up", "L0002", "--due", "2999-01-01", "--note", "later").stdout \
        == "F0002\n"
    due = json.loads(srun("leads", "due", "--format", "json").stdout)
    assert [d["id"] for d in due] == ["F0001", "F0002"]
    assert due[0]["owner"] == "王磊" and due[0]["days_overdue"] > 200
    assert due[1]["days_overdue"] < 0
    overdue = json.loads(srun("leads", "due", "--overdue", "--format", "json").stdout)
    assert [d["id"] for d in overdue] == ["F0001"]
    mine = json.loads(srun("leads", "due", "--owner", "李娜", "--format", "json").stdout)
    assert [d["id"] for d in mine] == ["F0002"]
    done = srun("leads", "done", "F1", "--note", "called")
    assert done.exit_code == 0 and done.stderr == "F0001 done\n"
    assert [d["id"] for d in json.loads(srun("leads", "due", "--format", "json").stdout)] == [
        "F0002"]
    again = error(srun("leads", "done", "F0001"))
    assert again.startswith("Error: follow-up F0001 is already done (")


def test_follow_up_refusals(srun):
    assert error(srun("leads", "follow-up", "L0001", "--due", "next week", "--note", "x")) == (
        "Error: invalid date 'next week' for --due: not a date;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日")
    assert error(srun("leads", "follow-up", "L0001", "--due", "2026-08-01", "--note", "")) == \
        "Error: a follow-up needs a note (--note)"
    assert error(srun("leads", "follow-up", "L0077", "--due", "2026-08-01", "--note", "x")) == \
        "Error: unknown lead 'L0077'"
    assert error(srun("leads", "done", "F0009")) == "Error: unknown follow-up 'F0009'"
    assert error(srun("leads", "done", "L0001")) == \
        "Error: 'L0001' is not a follow-up id (like F0001 or F1)"


def test_stale(srun):
    fresh = srun("leads", "add", "gree").stdout.strip()
    stale = json.loads(srun("leads", "stale", "--format", "json").stdout)
    ids = [s["id"] for s in stale]
    assert fresh not in ids
    assert "L0007" not in ids and "L0008" not in ids  # producing and lost are not open
    assert set(ids) == {f"L{i:04d}" for i in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)}
    assert stale[0]["id"] == "L0003"  # the oldest touch first
    srun("leads", "log", "L0003", "--kind", "call", "--note", "still on")
    assert "L0003" not in [s["id"] for s in
                           json.loads(srun("leads", "stale", "--format", "json").stdout)]
    assert srun("leads", "stale", "--days", "100000").stdout == "(no rows)\n"
    assert srun("leads", "stale", "--days", "-1").exit_code == 2


# -- signed projects ------------------------------------------------------------------------
def test_projects_and_overdue(srun):
    projects = json.loads(srun("leads", "projects", "--format", "json").stdout)
    assert [(p["id"], p["stage"], p["contract_date"], p["overdue"]) for p in projects] == [
        ("L0003", "signed", "2026-01-15", True), ("L0005", "started", None, False),
        ("L0007", "producing", None, False)]
    result = srun("leads", "overdue", "--format", "json")
    assert [p["id"] for p in json.loads(result.stdout)] == ["L0003"]
    assert result.stderr == "1 overdue project(s)\n"
    assert json.loads(srun("leads", "overdue", "--days", "100000", "--format", "json").stdout) \
        == []
    # the config key
    assert srun("config", "overdue-days").stdout == "180\n"
    assert srun("config", "overdue-days", "100000").stdout == "100000\n"
    assert json.loads(srun("leads", "overdue", "--format", "json").stdout) == []
    assert srun("config", "overdue-days", "--unset").stdout == "180\n"
    assert srun("config", "overdue-days", "-5").exit_code == 2


def test_start_and_production_dates_from_moves(srun):
    srun("leads", "move", "L0003", "started", "--date", "2026-03-01")
    srun("leads", "move", "L0003", "producing", "--date", "2026-10-01")
    p = {r["id"]: r for r in json.loads(srun("leads", "projects", "--format", "json").stdout)}
    assert (p["L0003"]["start_date"], p["L0003"]["production_date"],
            p["L0003"]["days_to_start"], p["L0003"]["overdue"]) == (
        "2026-03-01", "2026-10-01", 45.0, False)


# -- ids too long for a number, investments that are not finite --------------------------
def test_very_long_ids_are_unknown_not_internal_errors(srun):
    long = "99999999999999999999999"
    assert error(srun("leads", "done", f"F{long}")) == f"Error: unknown follow-up 'F{long}'"
    assert error(srun("leads", "done", long)) == f"Error: unknown follow-up '{long}'"
    assert error(srun("leads", "show", f"L{long}")) == f"Error: unknown lead 'L{long}'"
    assert error(srun("leads", "move", f"l{long}", "lost", "--reason", "x")) == \
        f"Error: unknown lead 'l{long}'"
    assert error(srun("leads", "log", f"L{long}", "--kind", "call", "--note", "x")) == \
        f"Error: unknown lead 'L{long}'"
    assert error(srun("leads", "follow-up", "1234567890", "--due", "2026-08-01",
                      "--note", "x")) == "Error: unknown lead '1234567890'"
    # nine digits is still an id (and leading zeros do not count)
    assert error(srun("leads", "show", "L999999999")) == "Error: unknown lead 'L999999999'"
    assert error(srun("leads", "done", "F000000000000001")) == \
        "Error: unknown follow-up 'F000000000000001'"


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", "1e999"])
def test_investment_must_be_finite(srun, db, value):
    for args in (("leads", "add", "gree"), ("leads", "update", "L0001")):
        result = srun(*args, "--investment", value)
        assert result.exit_code == 2, result.output
        assert f"'{value}' is not a finite number of 亿元" in result.stderr
    assert chainmap.list_leads(chainmap.open(db))["investment"].tolist()[0] == 12.0
    assert len(chainmap.list_leads(chainmap.open(db))) == 12


def test_a_move_dated_before_the_last_move_is_refused(srun):
    assert srun("leads", "move", "L0001", "signed", "--date", "2026-05-01").exit_code == 0
    said = error(srun("leads", "move", "L0001", "visited", "--date", "2026-04-01"))
    assert said == ("Error: --date 2026-04-01 is before the last move of lead L0001 "
                    "(2026-05-01: negotiating → signed); moves are kept in the order they "
                    "happened: date this one 2026-05-01 or later")
    said = error(srun("leads", "move", "L0001", "visited", "--date", "2026-04-01",
                      "--lang", "zh"))
    assert said.startswith("错误：--date 2026-04-01 早于线索 L0001 的上一次阶段变更（2026-05-01：")
    done = srun("leads", "move", "L0001", "visited", "--date", "2026-05-01")  # the same day
    assert done.exit_code == 0, done.output


# -- owner names: 王 磊 is 王磊 ------------------------------------------------------------
def test_owner_names_with_a_space_are_one_person(srun, db, tmp_path):
    import sqlite3

    def ids(*args: str) -> list[str]:
        result = srun("leads", "list", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return [r["id"] for r in json.loads(result.stdout)]

    def owner(lead: str) -> str:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT owner FROM leads WHERE id = ?", (lead,)).fetchone()[0]

    assert srun("leads", "add", "gree", "--owner", " 王 磊 ").stdout == "L0013\n"
    assert owner("L0013") == "王磊"
    assert ids("--owner", "王\u3000磊") == ["L0001", "L0004", "L0008", "L0010", "L0013"]
    assert srun("leads", "update", "L13", "--owner", " Li   Na ").exit_code == 0
    assert owner("L0013") == "Li Na"
    assert ids("--owner", "Li Na") == ["L0013"] and ids("--owner", "LiNa") == []
    (tmp_path / "l.csv").write_text("企业,负责人\nmidea,李 娜\n", encoding="utf-8")
    assert srun("leads", "import", tmp_path / "l.csv").stdout == "L0014\n"
    assert owner("L0014") == "李娜"
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert srun("leads", "follow-up", "L14", "--due", later, "--note", "x").exit_code == 0
    due = json.loads(srun("leads", "due", "--owner", "李 娜", "--format", "json").stdout)
    assert [d["lead"] for d in due] == ["L0014"]
    # an owner stored with a space before (an older import) is the same person too
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE leads SET owner = '张 超' WHERE id = 'L0002'")
    assert "L0002" in ids("--owner", "张超")
    owners = json.loads(srun("pipeline", "--format", "json").stdout)["owners"]
    assert [o["owner"] for o in owners if o["owner"].startswith("张")] == ["张超"]


def test_config_limits_take_the_same_days(srun, db):
    """config overdue-days and config stage-limit: whole days, at least 1, alike."""
    for args in (("overdue-days",), ("stage-limit", "signed"), ("stage-limit", "洽谈")):
        for bad in ("0", "x", "1.5"):
            result = srun("config", *args, bad)
            assert result.exit_code == 1, (args, bad)
            assert result.stderr == f"Error: DAYS must be a whole number of days ≥ 1, not '{bad}'\n"
        assert srun("config", *args, "120").stdout == "120\n"
    assert srun("config", "overdue-days").stdout == "120\n"
    with pytest.raises(chainmap.ArgumentError, match="≥ 1, not '0'"):
        chainmap.set_overdue_days(chainmap.open(db), 0)


def test_log_takes_the_words_of_a_work_log(srun, db):
    """走访 (a zone's visit), 推介会, 座谈会, 电话沟通: what a 招商 office writes."""
    for word in ("走访", "上门拜访", "推介会", "座谈会", "电话沟通", "邮件", "Visit"):
        result = srun("leads", "log", "L0004", "--kind", word, "--note", word)
        assert result.exit_code == 0, (word, result.output)
    card = chainmap.lead_details(chainmap.open(db), "L4")
    assert dict(zip(card.activities["note"], card.activities["kind"])) == {
        "走访": "visit", "上门拜访": "visit", "推介会": "event", "座谈会": "meeting",
        "电话沟通": "call", "邮件": "email", "Visit": "visit"}
