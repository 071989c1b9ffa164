"""chainmap.crm as a library: schema upgrade, the leads table, stores without leads,
transactions, who made a change, the notebook views, and identity at scale."""

from __future__ import annotations

import sqlite3
import time

import pandas as pd
import pytest

import chainmap
from chainmap.crm.common import current_user, followup_id, lead_id, parse_stage
from chainmap.store import SQLiteStore
from chainmap.store.sqlite.migrations import MIGRATIONS


def test_a_version_1_workspace_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    old = SQLiteStore(path, migrations=MIGRATIONS[:1])
    assert old.schema_version() == 1
    old.close()
    ws = chainmap.open(path)
    assert ws.store.schema_version() == len(MIGRATIONS)
    tables = {r[0] for r in ws.store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"leads", "lead_events", "activities", "followups", "merges", "audit"} <= tables
    chainmap.import_dataset(ws, chainmap.sample_path())
    assert len(ws.table("leads")) == 12


def test_foreign_keys_hold(sample_ws):
    with pytest.raises(sqlite3.IntegrityError):
        sample_ws.store.conn.execute(
            "INSERT INTO activities (lead_id, kind, date, note, at, by) "
            "VALUES ('L9999', 'call', '2026-01-01', 'x', 'now', 'me')")


def lose_the_first_lead(ws):
    chainmap.move_lead(ws, "L0001", "lost", reason="gone")


def test_leads_table_feeds_the_is_lead_hook(make_ws):
    sample_ws = make_ws(chainmap.sample_path())
    leads = sample_ws.table("leads")
    assert {"company_id", "stage"} <= set(leads.columns)
    found = chainmap.targets(sample_ws, "智能家电", "eev", home=chainmap.SAMPLE_HOME)
    assert found.set_index("company").loc["xinchang-valve", "is_lead"]
    lost = make_ws(chainmap.sample_path(), setup=lose_the_first_lead)
    found = chainmap.targets(lost, "智能家电", "eev", home=chainmap.SAMPLE_HOME)
    assert not found["is_lead"].any()


class _NoLeadsStore:
    """A store that keeps datasets but not the lead pipeline."""

    keeps_leads = False

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner
        self.location = inner.location

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def write_dataset(self, dataset, progress=None, then=None):
        assert then is None  # no leads to write
        return self.inner.write_dataset(dataset, progress=progress)


def test_a_store_without_leads(tmp_path):
    ws = chainmap.Workspace(_NoLeadsStore(SQLiteStore(tmp_path / "x.db")))
    result = chainmap.import_dataset(ws, chainmap.sample_path())
    assert result.warnings == ["ignored leads.csv: this workspace does not keep leads"]
    assert "leads" not in result.rows
    with pytest.raises(chainmap.ChainmapError, match="^no table 'leads': .* does not keep"):
        ws.table("leads")
    with pytest.raises(chainmap.ChainmapError, match="^the lead pipeline needs the embedded"):
        chainmap.add_lead(ws, "gree")
    assert not chainmap.targets(ws, "智能家电", "eev", home=chainmap.SAMPLE_HOME)["is_lead"].any()


def test_dataset_and_leads_share_one_transaction(tmp_path, monkeypatch):
    from chainmap.crm import leads_io

    def broken(self, store):
        store.lead("L0001")
        raise RuntimeError("disk full")

    monkeypatch.setattr(leads_io.PendingLeads, "write", broken)
    ws = chainmap.open(tmp_path / "t.db")
    with pytest.raises(RuntimeError):
        chainmap.import_dataset(ws, chainmap.sample_path())
    assert ws.counts()["companies"] == 0 and len(ws.table("audit")) == 0


def test_from_gaps_is_one_transaction(sample_ws, monkeypatch):
    from chainmap.crm import leads as leads_module

    calls = []
    real = leads_module.insert_lead

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(leads_module, "insert_lead", flaky)
    with pytest.raises(RuntimeError):
        chainmap.leads_from_gaps(sample_ws, "智能家电", home="当涂县")
    assert len(sample_ws.table("leads")) == 12


def test_who(monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "env-user")
    assert current_user("given") == "given" and current_user(None) == "env-user"
    monkeypatch.delenv("CHAINMAP_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "os-user")
    assert current_user("  ") == "os-user"


def test_parsers():
    chinese = ("线索", "接洽", "考察", "洽谈", "签约", "开工", "投产", "终止")
    assert [parse_stage(s) for s in chinese] == list(chainmap.STAGES)
    assert lead_id(12345) == "L12345" and followup_id("f0012") == 12
    with pytest.raises(chainmap.ChainmapError, match="'L0' is not a lead id"):
        lead_id("L0")


def test_library_refusals(sample_ws):
    with pytest.raises(chainmap.ChainmapError, match="^investment must be a number ≥ 0"):
        chainmap.add_lead(sample_ws, "gree", investment=-1)
    with pytest.raises(chainmap.ChainmapError, match="^unknown source 'tv'"):
        chainmap.add_lead(sample_ws, "gree", source="tv")
    with pytest.raises(chainmap.ChainmapError, match="^top= must be at least 1"):
        chainmap.leads_from_gaps(sample_ws, "智能家电", home="当涂县", top=0)
    with pytest.raises(chainmap.ChainmapError, match="^days= must be 0 or more"):
        chainmap.stale_leads(sample_ws, days=-1)
    with pytest.raises(chainmap.ChainmapError, match="^min_score= must be between 0 and 100"):
        chainmap.duplicate_firms(sample_ws, min_score=120)


def test_notebook_views(make_ws):
    sample_ws = make_ws(chainmap.sample_path())
    report = chainmap.pipeline(sample_ws, today="2026-06-01")
    assert isinstance(report, chainmap.Pipeline)
    assert all(isinstance(f, pd.DataFrame) for f in report.sheets().values())
    html = report._repr_html_()
    assert "<h4>Stages</h4>" in html and "<table" in html
    assert str(report).startswith("[stages]")
    card = chainmap.lead_details(sample_ws, "L8")
    assert "上海恒粘新材料股份有限公司" in card._repr_html_()
    assert card.lead["lost_reason"].startswith("lost: chose to expand")
    assert "[history]" in str(card)


def test_dupes_scale_by_blocking():
    chars = "华冷恒凯越电子科技新材料机械制造精密化工环保能源智能汽车零部件光电信息生物医药物流仓储"
    import random

    rng = random.Random(7)
    names = ["苏州" + "".join(rng.choice(chars) for _ in range(rng.randint(4, 7))) + "有限公司"
             for _ in range(30_000)]
    names[10] = "苏州恒冷换热器有限公司"
    names[20] = "苏州恒冷换热器股份有限公司"
    companies = pd.DataFrame({"id": [f"c{i}" for i in range(len(names))], "name": names,
                              "uscc": None, "province": "江苏省"})

    class Fake:
        def _table(self, name):
            return companies if name == "companies" else pd.DataFrame({"company_id": []})

    start = time.perf_counter()
    out = chainmap.duplicate_firms(Fake())
    assert time.perf_counter() - start < 20
    assert ("c10", "c20") in set(zip(out["keep"], out["drop"]))


def test_investment_must_be_finite(sample_ws):
    for value in (float("inf"), float("-inf"), float("nan"), "inf"):
        with pytest.raises(chainmap.ChainmapError,
                           match=r"^investment must be a finite number of 亿元, not '"):
            chainmap.add_lead(sample_ws, "gree", investment=value)
        with pytest.raises(chainmap.ChainmapError, match="finite number"):
            chainmap.update_lead(sample_ws, "L0001", investment=value)
    assert len(sample_ws.table("leads")) == 12
    assert chainmap.lead_details(sample_ws, "L1").lead["investment"] == 12.0


def test_ids_have_at_most_nine_digits():
    assert lead_id("L999999999") == "L999999999" and followup_id("F000000000042") == 42
    for text in ("L1234567890", "99999999999999999999999"):
        with pytest.raises(chainmap.NotFoundError, match=f"^unknown lead '{text}'$"):
            lead_id(text)
    with pytest.raises(chainmap.NotFoundError, match="^unknown follow-up 'F99999999999'$"):
        followup_id("F99999999999")


def test_import_dates_as_excel_writes_them():
    from chainmap.dates import parse_cell_date

    assert [parse_cell_date(v) for v in ("2026-03-18", "2026/3/18", "2026-3-8",
                                         "2026年3月18日", " 2026 年 3 月 8 日 ", "2026.3.18",
                                         "20260318", "46099")] == [
        "2026-03-18", "2026-03-18", "2026-03-08", "2026-03-18", "2026-03-08", "2026-03-18",
        "2026-03-18", "2026-03-18"]
    for bad in ("2026-02-30", "2026/13/1", "18/03/2026", "2026-3/18", "2026年3月"):
        with pytest.raises(ValueError):
            parse_cell_date(bad)


def test_lead_import_names_resolve_like_the_workspace(sample_ws):
    """The import's vectorised lookup (leads_io._Names) agrees with Workspace.company_id
    and Workspace.product_id on every firm and product of the sample."""
    from chainmap.crm.leads_io import _Names

    companies = sample_ws.table("companies")
    firms = _Names(companies, ("id", "uscc", "name"), fold=False)
    for ident, uscc, name in zip(companies["id"], companies["uscc"].fillna(""),
                                 companies["name"]):
        for text in filter(None, (ident, uscc, uscc.lower(), name, f" {name} ")):
            assert firms.resolve(text) == (sample_ws.company_id(text), None)
    assert firms.resolve("Gree") == (None, "unknown")  # ids are not case-folded
    products = sample_ws.table("products")
    names = _Names(products, ("id", "name", "name_en"), fold=True)
    for row in products.itertuples():
        for text in filter(None, (row.id, row.name, row.name_en, row.name_en.upper())):
            assert names.resolve(text) == (sample_ws.product_id(text), None)
    # one record held twice (the workspace's and a dataset's newer row) is not ambiguous
    twice = pd.concat([products, products.assign(name=products["name"] + "（新）")])
    assert _Names(twice, ("id", "name", "name_en"), fold=True).resolve("compressor") == (
        "compressor", None)


# -- the pipeline reports, on SQLite and on Neo4j (make_ws: tests/stores.py) -------------
# The pipeline is written on SQLite (``setup``), then pushed: the reports read either store.
SAMPLE = chainmap.sample_path()


def test_pipeline_report(make_ws):
    data = chainmap.pipeline(make_ws(SAMPLE), today="2026-09-01").sheets()
    assert list(data) == ["stages", "regions", "chains", "owners", "signed_by_year",
                          "conversion", "stage_days", "projects"]
    assert data["stages"][["stage", "count", "investment"]].values.tolist() == [
        ["lead", 2, 7.5], ["contacted", 2, 5.5], ["visited", 2, 5.8], ["negotiating", 2, 12.5],
        ["signed", 1, 28.0], ["started", 1, 8.0], ["producing", 1, 2.0], ["lost", 1, 1.2]]
    assert data["regions"].values.tolist() == [  # the lost lead's 1.2 亿元 is not counted
        ["上海", 3, 2, 1, 34.0, 28.0], ["江苏", 5, 4, 2, 14.8, 10.0], ["浙江", 4, 4, 0, 20.5, 0.0]]
    assert data["chains"].values.tolist() == [
        ["smart-appliances", "智能家电", 11, 9, 3, 68.8, 38.0],
        ["smart-logistics", "智慧物流", 1, 1, 0, 0.5, 0.0]]
    assert data["owners"].set_index("owner")["leads"].to_dict() == {
        "张超": 4, "王磊": 4, "李娜": 4}
    assert data["signed_by_year"].values.tolist() == [["2026", 1, 28.0], ["unknown", 2, 10.0]]
    assert data["conversion"].iloc[0].tolist() == ["lead", "contacted", 11, 9, 0.818]
    assert data["conversion"]["reached_to"].tolist() == [9, 7, 5, 3, 2, 1]
    projects = data["projects"]
    assert projects[["id", "stage", "contract_date", "overdue"]].values.tolist() == [
        ["L0003", "signed", "2026-01-15", True], ["L0005", "started", None, False],
        ["L0007", "producing", None, False]]
    assert projects["days_to_start"].iloc[0] == 229.0  # days since signing, not yet started
    assert projects["days_to_start"].iloc[1:].isna().all()


def short_history(ws):
    """Two leads with dated moves: stays of 10, 4, 20 and 10 days."""
    chainmap.add_lead(ws, "gree", product="compressor", date="2026-01-01")  # L0013
    chainmap.move_lead(ws, "L13", "contacted", date="2026-01-11")
    chainmap.move_lead(ws, "L13", "visited", date="2026-01-31")
    chainmap.move_lead(ws, "L13", "lost", date="2026-02-10", reason="no land")
    chainmap.add_lead(ws, "midea", date="2026-01-01")  # L0014
    chainmap.move_lead(ws, "L14", "contacted", date="2026-01-05")


def test_conversion_and_stage_days_from_history(make_ws):
    data = chainmap.pipeline(make_ws(SAMPLE, setup=short_history)).sheets()
    days = {s: (n, d) for s, n, d in data["stage_days"].values.tolist()}
    assert days["lead"] == (2, 7.0)  # 10 and 4 days
    assert days["contacted"] == (1, 20.0)
    assert days["visited"] == (1, 10.0)  # then lost
    assert days["signed"][0] == 0 and days["signed"][1] != days["signed"][1]  # NaN
    conv = {c[0]: (c[2], c[3]) for c in data["conversion"].values.tolist()}
    assert conv["lead"] == (13, 11) and conv["contacted"] == (11, 8)  # lost keeps 'visited'


def test_list_leads_filters(make_ws):
    ws = make_ws(SAMPLE)

    def ids(**filters) -> list[str]:
        return chainmap.list_leads(ws, **filters)["id"].tolist()

    assert ids() == [f"L{i:04d}" for i in range(1, 13)]
    assert list(chainmap.list_leads(ws).columns) == chainmap.LEAD_COLUMNS
    assert ids(stage="洽谈") == ["L0001", "L0012"]
    assert ids(stage=["lead", "lost"]) == ["L0006", "L0008", "L0010"]
    assert len(ids(stage="open")) == 10
    assert ids(owner="王磊") == ["L0001", "L0004", "L0008", "L0010"]
    assert ids(region="上海") == ["L0003", "L0008", "L0010"]
    assert ids(region="苏州市") == ["L0011"]
    assert ids(chain="智慧物流") == ["L0012"]
    assert ids(chain="smart-appliances", region="浙江", owner="李娜") == ["L0002"]
    with pytest.raises(chainmap.ChainmapError, match="^unknown stage 'won'"):
        ids(stage="won")


def visit_and_plan(ws):
    chainmap.log_activity(ws, "L0002", "visit", "看厂房", date="2026-03-01", by="tester")
    chainmap.add_followup(ws, "L0002", "2026-07-01", "send the offer", by="tester")
    chainmap.move_lead(ws, "L0002", "negotiating", date="2026-03-10", note='考察 "工厂"',
                       by="tester")


def test_lead_details(make_ws):
    ws = make_ws(SAMPLE, setup=visit_and_plan)
    card = chainmap.lead_details(ws, "L2")
    assert (card.lead["company_name"], card.lead["stage"], card.lead["stage_zh"]) == (
        "台州玉环阀门有限公司", "negotiating", "洽谈")
    assert card.history[["from_stage", "to_stage", "date"]].values.tolist() == [
        [None, "visited", "2026-02-26"], ["visited", "negotiating", "2026-03-10"]]
    assert card.history["note"].tolist()[-1] == '考察 "工厂"'

    assert card.activities.values.tolist() == [
        ["A0001", "2026-03-01", "visit", "看厂房", "tester"]]
    assert card.followups[["id", "due", "note", "done_at"]].values.tolist() == [
        ["F0001", "2026-07-01", "send the offer", None]]
    assert "[history]" in str(card) and "看厂房" in str(card)
    lost = chainmap.lead_details(ws, "L8").lead
    assert lost["lost_reason"].startswith("lost: chose to expand")
    assert chainmap.lead_details(ws, "L1").lead["investment"] == 12.0
    with pytest.raises(chainmap.NotFoundError, match="^unknown lead 'L0042'$"):
        chainmap.lead_details(ws, "L0042")


def serve_a_project(ws):
    """L0007's commitments and two actuals, an open and a closed request of its firm."""
    chainmap.update_lead(ws, "L0007", land=50, output=5, tax=1500, jobs=200,
                         start_by="2025-06-30", produce_by="2026-03-31", by="tester")
    chainmap.record_actual(ws, "L0007", "2026-06-30", invested=1.5, output=2, jobs=150,
                           by="tester")
    chainmap.record_actual(ws, "L0007", "2026-03-31", invested=1.2, tax=300, by="tester")
    chainmap.add_request(ws, "lishui-comp", "扩建用地50亩", kind="land", date="2026-07-01",
                         due="2026-08-31", officer="张超", by="tester")
    chainmap.add_request(ws, "lishui-comp", "招工", kind="labour", date="2026-07-02",
                         officer="李侃", by="tester")
    chainmap.record_progress(ws, "R2", "联系县人社局", date="2026-07-05", by="tester")
    chainmap.close_request(ws, "R2", "招工200人", date="2026-07-20", by="tester")
    chainmap.add_request(ws, "aux", "另一家企业的诉求", kind="other", date="2026-07-03",
                         officer="张超", by="tester")


def test_lead_details_of_a_project(make_ws):
    ws = make_ws(SAMPLE, setup=serve_a_project)
    card = chainmap.lead_details(ws, "L7")
    assert card.commitments == {"land": 50.0, "output": 5.0, "tax": 1500.0, "jobs": 200,
                                "start_by": "2025-06-30", "produce_by": "2026-03-31",
                                "by": "tester", "at": card.commitments["at"]}
    assert list(card.actuals.columns) == chainmap.ACTUAL_COLUMNS
    assert card.actuals[["date", "invested", "tax"]].fillna(-1).values.tolist() == [
        ["2026-03-31", 1.2, 300.0], ["2026-06-30", 1.5, -1]]
    assert card.actuals["jobs"].tolist()[1] == 150 and card.actuals["jobs"].isna().tolist()[0]
    assert list(card.requests.columns) == chainmap.CARD_REQUEST_COLUMNS
    assert card.requests[["id", "kind", "status", "closed_date", "last_note"]].values.tolist() \
        == [["R0001", "land", "past_due", None, None],
            ["R0002", "labour", "closed", "2026-07-20", "联系县人社局"]]
    # the same requests as the service list of the firm says, as they stand today
    listed = chainmap.list_requests(ws, firm="lishui-comp")
    assert card.requests["id"].tolist() == listed["id"].tolist()
    assert card.requests["close_note"].tolist() == listed["close_note"].tolist()
    other = chainmap.lead_details(ws, "L3")  # signed, without any
    assert (other.commitments, len(other.actuals), len(other.requests)) == (None, 0, 0)
    assert list(other.actuals.columns) == chainmap.ACTUAL_COLUMNS
    assert list(other.requests.columns) == chainmap.CARD_REQUEST_COLUMNS


def test_a_lead_card_reads_only_its_lead_and_says_what_the_whole_tables_say(tmp_path):
    """``lead_details`` reads the lead's own rows (by id, by lead_id); the card is the one
    made from the whole tables (a workspace that holds them, as a notebook after a report)."""
    path = tmp_path / "w.db"
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
        visit_and_plan(ws)
        chainmap.add_followup(ws, "L0002", "2026-06-01", "call again", by="tester")
        chainmap.log_activity(ws, "L0002", "call", "电话", date="2026-02-27", by="tester")
        lose_the_first_lead(ws)
        serve_a_project(ws)
        ids = ws.table("leads")["id"].tolist()
    read_by_rows = chainmap.open(path)
    whole = chainmap.open(path)
    for name in ("leads", "lead_events", "activities", "followups", "products", "commitments",
                 "actuals", "requests", "request_events"):
        whole._table(name)  # held: lead_details filters these frames
    queries = []
    read_by_rows.store.conn.raw.set_trace_callback(queries.append)
    for lead in ids:
        by_rows, by_tables = (chainmap.lead_details(w, lead) for w in (read_by_rows, whole))
        assert by_rows.to_dict() == by_tables.to_dict(), lead
        assert str(by_rows) == str(by_tables), lead
    assert len(ids) == 12
    assert chainmap.lead_details(read_by_rows, "L0002").followups["due"].tolist() == [
        "2026-06-01", "2026-07-01"]
    assert not [q for q in queries if " WHERE " not in q and " FROM lead" in q], queries
    card = chainmap.lead_details(read_by_rows, "L0007")
    assert (card.commitments or {})["land"] == 50.0 and len(card.actuals) == 2
    assert card.requests["id"].tolist() == ["R0001", "R0002"]
    for table in ("commitments", "actuals", "requests", "request_events"):
        assert [q for q in queries if f" FROM {table}" in q], table  # read, by rows:
        assert not [q for q in queries if " WHERE " not in q and f" FROM {table}" in q], table
    read_by_rows.store.conn.raw.set_trace_callback(None)
    read_by_rows.close()
    whole.close()


def test_signed_and_overdue_projects(make_ws):
    ws = make_ws(SAMPLE)
    projects = chainmap.signed_projects(ws, today="2026-09-01")
    assert list(projects.columns) == chainmap.PROJECT_COLUMNS
    assert projects[["id", "stage", "contract_date", "start_date", "production_date",
                     "overdue"]].values.tolist() == [
        ["L0003", "signed", "2026-01-15", None, None, True],
        ["L0005", "started", None, "2026-02-10", None, False],
        ["L0007", "producing", None, None, "2026-01-08", False]]
    assert chainmap.overdue_projects(ws, today="2026-09-01")["id"].tolist() == ["L0003"]
    assert chainmap.overdue_projects(ws, days=100000, today="2026-09-01").empty
    assert chainmap.overdue_projects(ws, today="2026-07-13").empty  # 179 days after signing


def two_followups(ws):
    chainmap.add_followup(ws, "L0001", "2026-03-20", "old")       # F0001
    chainmap.add_followup(ws, "L0002", "2999-01-01", "later")     # F0002
    chainmap.add_followup(ws, "L0003", "2026-02-01", "done one")  # F0003
    chainmap.complete_followup(ws, "F3", note="called")


def test_followups_due(make_ws):
    ws = make_ws(SAMPLE, setup=two_followups)
    due = chainmap.followups_due(ws, today="2026-09-01")
    assert list(due.columns) == chainmap.DUE_COLUMNS
    assert due[["id", "lead", "owner", "due", "days_overdue"]].values.tolist() == [
        ["F0001", "L0001", "王磊", "2026-03-20", 165],
        ["F0002", "L0002", "李娜", "2999-01-01", -355138]]
    assert chainmap.followups_due(ws, overdue=True, today="2026-09-01")["id"].tolist() == [
        "F0001"]
    assert chainmap.followups_due(ws, owner="李娜", today="2026-09-01")["id"].tolist() == [
        "F0002"]


def test_stale_leads(make_ws):
    ws = make_ws(SAMPLE)
    stale = chainmap.stale_leads(ws, today="2026-09-01")
    assert list(stale.columns) == chainmap.STALE_COLUMNS
    # producing (L0007) and lost (L0008) are not open; the oldest touch first
    assert stale[["id", "last_touch", "days_idle"]].values.tolist() == [
        ["L0003", "2026-01-15", 229], ["L0005", "2026-02-10", 203], ["L0002", "2026-02-26", 187],
        ["L0001", "2026-03-18", 167], ["L0004", "2026-04-02", 152], ["L0009", "2026-04-20", 134],
        ["L0011", "2026-04-28", 126], ["L0006", "2026-05-06", 118], ["L0010", "2026-05-12", 112],
        ["L0012", "2026-05-20", 104]]
    assert chainmap.stale_leads(ws, days=110, today="2026-09-01")["id"].tolist()[-1] == "L0010"
    assert chainmap.stale_leads(ws, days=100000, today="2026-09-01").empty


def one_lead_story(ws):
    """L0013 from first contact to lost, each change by a named person."""
    chainmap.add_lead(ws, "gree", product="compressor", owner="王磊", investment=15, by="王磊",
                      date="2026-06-01")
    chainmap.move_lead(ws, "L13", "contacted", date="2026-06-10", note="call", by="tester")
    chainmap.update_lead(ws, "L13", owner="李娜", by="tester")
    chainmap.log_activity(ws, "L13", "visit", "') DETACH DELETE n //", by="tester")
    chainmap.add_followup(ws, "L13", "2026-07-01", "offer", by="tester")
    chainmap.complete_followup(ws, "F1", by="tester")
    chainmap.move_lead(ws, "L13", "lost", date="2026-06-20", reason="chose 江西", by="osuser")


def test_audit_log(make_ws):
    ws = make_ws(SAMPLE, setup=one_lead_story)
    rows = chainmap.audit_log(ws, lead="L0013")
    assert list(rows.columns) == chainmap.AUDIT_COLUMNS
    assert rows[["action", "by"]].values.tolist() == [
        ["add", "王磊"], ["move", "tester"], ["update", "tester"], ["activity", "tester"],
        ["follow-up", "tester"], ["done", "tester"], ["move", "osuser"]]
    assert rows["detail"].tolist()[:3] == [
        "gree / compressor at stage lead, source other, owner 王磊, 15 亿元",
        "lead → contacted on 2026-06-10; note: call", "owner: 王磊 → 李娜"]
    assert rows["detail"].iloc[-1] == "contacted → lost on 2026-06-20; reason: chose 江西"
    assert set(rows["lead_id"]) == {"L0013"}
    everything = chainmap.audit_log(ws)
    assert everything.iloc[0]["detail"] == ("imported dataset sample: 131 firm record(s) "
                                            "upserted")
    assert len(everything) == 14 + 7
    assert chainmap.audit_log(ws, since="2999-01-01").empty
    assert chainmap.lead_details(ws, "L13").activities["note"].tolist() == [
        "') DETACH DELETE n //"]
