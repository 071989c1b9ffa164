"""1+1+1, requests (诉求), visits and the service report, on fixtures with known dates.

The reads run on both stores (``make_ws``: the data is written in the SQLite workspace
and pushed to Neo4j); the writes and their refusals on SQLite.

Requests of the fixture (firms of ``TINY``: aux and haoyue in 当涂县, shcomp in 上海):

====  ======  ==========  ==========  ==========  ==========  ===========================
id    firm    kind        made        due         closed      on 2026-03-10
====  ======  ==========  ==========  ==========  ==========  ===========================
R1    aux     labour      2026-01-05  2026-01-31  2026-01-20  closed on time, 15 days
R2    aux     land        2026-01-10  2026-02-10  2026-02-20  closed late, 41 days
R3    aux     funding     2026-02-01  2026-03-01  -           open, past due (red)
R4    haoyue  labour      2026-03-01  2026-03-12  -           open, due in 2 days (yellow)
R5    aux     technology  2026-03-05  -           -           open, no due date
R6    haoyue  policy      2026-03-02  2026-04-30  -           open (green)
====  ======  ==========  ==========  ==========  ==========  ===========================

aux: officer 张超, leader 陈主任; haoyue: officer 李娜, no leader; shcomp: none.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import chainmap
from chainmap.errors import ArgumentError, NotFoundError, WorkspaceError
from tests.conftest import TINY, write_files

AS_OF = "2026-03-10"


def setup_service(ws: chainmap.Workspace) -> None:
    """The requests, notes and visits of the module's table (a ``make_ws`` setup)."""
    chainmap.assign_service(ws, "aux", contact="王经理:0555-1234567", officer="张超",
                            leader="陈主任", by="t")
    chainmap.assign_service(ws, "haoyue", officer="李娜", by="t")
    add = chainmap.add_request
    add(ws, "aux", "招工 200 人", kind="用工", date="2026-01-05", due="2026-01-31", by="t")
    add(ws, "aux", "扩建用地 50 亩", kind="土地", date="2026-01-10", due="2026-02-10", by="t")
    add(ws, "aux", "技改贷款", kind="funding", date="2026-02-01", due="2026-03-01", by="t")
    add(ws, "haoyue", "熟练工 20 人", kind="labour", date="2026-03-01", due="2026-03-12",
        by="t")
    add(ws, "aux", "产学研对接", kind="科技", date="2026-03-05", by="t")
    add(ws, "haoyue", "高新技术企业认定", kind="政策", date="2026-03-02", due="2026-04-30",
        by="t")
    chainmap.close_request(ws, "R1", "体验式招工，招到 200 人", date="2026-01-20", by="t")
    chainmap.record_progress(ws, "R2", "国土部门已受理", date="2026-02-05", by="t")
    chainmap.close_request(ws, "R2", "用地指标落实", date="2026-02-20", by="t")
    chainmap.record_progress(ws, "R3", "已对接两家银行", date="2026-02-15", by="t")
    chainmap.record_progress(ws, "R3", "一家银行在审批", date="2026-03-15", by="t")
    chainmap.log_visit(ws, "aux", "送政策", "惠企政策宣讲", date="2026-01-15", by="t")
    chainmap.log_visit(ws, "haoyue", "送要素", "对接用工", date="2026-02-20", by="t")
    chainmap.log_visit(ws, "aux", "服务", "回访", date="2026-03-20", by="t")


@pytest.fixture
def ws(tmp_path):
    w = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(w, write_files(tmp_path / "data", TINY))
    yield w
    w.close()


# -- reads, on both stores -------------------------------------------------------------
def test_requests_as_they_stood(make_ws):
    ws = make_ws(TINY, setup_service)
    frame = chainmap.list_requests(ws, as_of=AS_OF).set_index("id")
    assert list(frame.reset_index().columns) == chainmap.REQUEST_COLUMNS
    assert list(frame.index) == ["R0001", "R0002", "R0003", "R0004", "R0005", "R0006"]
    assert frame["kind"].tolist() == ["labour", "land", "funding", "labour", "technology",
                                      "policy"]
    assert frame["officer"].tolist() == ["张超", "张超", "张超", "李娜", "张超", "李娜"]
    assert frame["days"].tolist() == [15, 41, 37, 9, 5, 8]
    assert frame["past_due"].tolist() == [False, False, True, False, False, False]
    assert frame["on_time"].tolist() == [True, False, None, None, None, None]
    assert frame["closed_date"].tolist() == ["2026-01-20", "2026-02-20", None, None, None,
                                             None]
    # the note of 2026-03-15 is after as_of
    assert frame.loc["R0003", ["notes", "last_note"]].tolist() == [1, "已对接两家银行"]
    assert frame.loc["R0001", "company_name"] == "奥克斯空调（马鞍山）有限公司"


def test_requests_on_an_earlier_day(make_ws):
    ws = make_ws(TINY, setup_service)
    frame = chainmap.list_requests(ws, as_of="2026-02-15").set_index("id")
    assert list(frame.index) == ["R0001", "R0002", "R0003"]  # R4.. not made yet
    # R2 was closed on 2026-02-20: open then, and past its due date of 2026-02-10
    assert frame.loc["R0002", ["closed_date", "past_due", "on_time", "days"]].tolist() == \
        [None, True, None, 36]


def test_request_filters(make_ws):
    ws = make_ws(TINY, setup_service)
    ids = lambda **kw: chainmap.list_requests(ws, as_of=AS_OF, **kw)["id"].tolist()  # noqa: E731
    assert ids(open_only=True) == ["R0003", "R0004", "R0005", "R0006"]
    assert ids(past_due=True) == ["R0003"]
    assert ids(officer="李娜") == ["R0004", "R0006"]
    assert ids(kind="用工") == ["R0001", "R0004"]
    assert ids(firm="安徽皓月电气有限公司", open_only=True) == ["R0004", "R0006"]


def test_service_report_in_total_per_kind_and_per_officer(make_ws):
    ws = make_ws(TINY, setup_service)
    report = chainmap.service_report(ws, as_of=AS_OF)
    total = report.total.iloc[0]
    assert (total["start"], total["end"], total["as_of"]) == (None, AS_OF, AS_OF)
    assert total[chainmap.SERVICE_MEASURES].tolist() == [6, 2, 1, 4, 1, 0.333, 0.167, 28.0]
    kinds = report.by_kind.set_index("kind")
    assert list(kinds.index) == list(chainmap.REQUEST_KINDS)
    assert kinds.loc["labour"].tolist() == [2, 1, 1, 1, 0, 0.5, 0.5, 15.0]
    assert kinds.loc["land"].tolist() == [1, 1, 0, 0, 0, 1.0, 0.0, 41.0]
    assert kinds.loc["funding", ["total", "still_open", "past_due", "close_rate"]].tolist() \
        == [1, 1, 1, 0.0]
    assert math.isnan(kinds.loc["funding", "median_days_to_close"])
    assert kinds.loc["approval", "total"] == 0 and math.isnan(kinds.loc["approval",
                                                                        "close_rate"])
    officers = report.by_officer.set_index("officer")
    assert list(officers.index) == ["张超", "李娜"]
    assert officers.loc["张超"].tolist() == [4, 2, 1, 2, 1, 0.5, 0.25, 28.0]
    assert officers.loc["李娜", ["total", "closed", "still_open", "close_rate"]].tolist() == \
        [2, 0, 2, 0.0]
    visits = report.visits.set_index("kind")
    assert visits["visits"].tolist() == [1, 1, 0, 0]  # the visit of 2026-03-20 is later
    assert visits["firms"].tolist() == [1, 1, 0, 0]


def test_service_report_of_a_period(make_ws):
    ws = make_ws(TINY, setup_service)
    report = chainmap.service_report(ws, start="2026-02-01", end="2026-03-31", as_of=AS_OF)
    assert report.total.iloc[0][["start", "end", "total", "closed", "past_due"]].tolist() \
        == ["2026-02-01", "2026-03-31", 4, 0, 1]
    later = chainmap.service_report(ws, start="2026-01-01", end="2026-01-31", as_of="2026-12-31")
    assert later.total.iloc[0][["total", "closed", "closed_on_time", "on_time_rate"]].tolist() \
        == [2, 2, 1, 0.5]
    assert later.visits["visits"].tolist() == [1, 0, 0, 0]


def test_service_firms_and_an_officers_workload(make_ws):
    ws = make_ws(TINY, setup_service)
    firms = chainmap.service_firms(ws, home="当涂县", as_of=AS_OF)
    assert list(firms.columns) == chainmap.SERVICE_FIRM_COLUMNS
    assert firms["company"].tolist() == ["aux", "haoyue"]  # shcomp is not local
    aux = firms.iloc[0]
    assert aux[["contact", "phone", "officer", "leader", "open_requests", "past_due",
                "visits", "last_visit", "in_park"]].tolist() == \
        ["王经理", "0555-1234567", "张超", "陈主任", 2, 1, 1, "2026-01-15", True]
    assert firms.iloc[1][["officer", "leader", "open_requests", "past_due", "visits"]] \
        .tolist() == ["李娜", None, 2, 0, 1]
    assert chainmap.service_firms(ws, home="当涂县", officer="李娜")["company"].tolist() == \
        ["haoyue"]
    assert chainmap.service_firms(ws, home="当涂县", unassigned=True).empty
    # a firm outside home with 1+1+1 people is listed too; one without is not
    everyone = chainmap.service_firms(ws, home="上海市", as_of=AS_OF)
    assert everyone["company"].tolist() == ["aux", "haoyue", "shcomp"]
    assert chainmap.service_firms(ws, home="上海市", unassigned=True)["company"].tolist() == \
        ["shcomp"]


def test_the_tables_agree_on_both_stores(make_ws, tmp_path):
    ws = make_ws(TINY, setup_service)
    local = chainmap.open(tmp_path / "local.db")
    chainmap.import_dataset(local, write_files(tmp_path / "d", TINY))
    setup_service(local)
    for name in ("liaisons", "requests", "request_events", "visits"):
        stamps = ["at", "updated"] if name == "requests" else ["at"]
        ours = local.table(name).drop(columns=stamps)
        theirs = ws.table(name).drop(columns=stamps)
        pd.testing.assert_frame_equal(ours.astype(str), theirs.astype(str), check_dtype=False)
    local.close()


# -- writes and refusals (SQLite) --------------------------------------------------------
def test_assign_changes_only_what_is_given_and_is_audited(ws):
    assert chainmap.assign_service(ws, "aux", officer="张超", by="t") == \
        ["officer: (none) → 张超"]
    assert chainmap.assign_service(ws, "aux", contact="顾鹏：138", by="t") == \
        ["contact: (none) → 顾鹏", "phone: (none) → 138"]
    assert chainmap.assign_service(ws, "aux", officer="张超", by="t") == []
    assert chainmap.assign_service(ws, "aux", phone="", leader="陈主任", by="t") == \
        ["phone: 138 → (none)", "leader: (none) → 陈主任"]
    row = ws.table("liaisons").set_index("id").loc["aux"]
    assert row[["contact", "phone", "officer", "leader"]].tolist() == ["顾鹏", None, "张超",
                                                                       "陈主任"]
    log = chainmap.audit_log(ws)
    assert log[log["entity_id"] == "aux"]["detail"].tolist() == [
        "1+1+1: officer: (none) → 张超", "1+1+1: contact: (none) → 顾鹏; phone: (none) → 138",
        "1+1+1: phone: 138 → (none); leader: (none) → 陈主任"]


def test_assign_refusals(ws):
    with pytest.raises(NotFoundError, match="^unknown firm 'nobody'"):
        chainmap.assign_service(ws, "nobody", officer="张超")
    with pytest.raises(ArgumentError, match="^nothing to assign: give contact=, phone=, "
                                            "officer= or leader=$"):
        chainmap.assign_service(ws, "aux")
    assert ws.table("liaisons").empty


def test_a_request_is_owned_by_the_firms_officer_unless_given(ws):
    chainmap.assign_service(ws, "aux", officer="张超")
    assert chainmap.add_request(ws, "aux", "缺工", kind="labour", date="2026-01-01") == "R0001"
    assert chainmap.add_request(ws, "aux", "缺地", kind="土地", date="2026-01-01",
                                officer="李娜") == "R0002"
    rows = ws.table("requests").set_index("id")
    assert rows["officer"].tolist() == ["张超", "李娜"]
    assert rows.loc["R0002", "kind"] == "land"
    detail = chainmap.audit_log(ws)["detail"].iloc[-1]
    assert detail == "aux land on 2026-01-01: 缺地; officer 李娜"


@pytest.mark.parametrize("args, kwargs, error, message", [
    (("nobody", "x"), {"kind": "用工"}, NotFoundError, "unknown firm 'nobody'"),
    (("aux", "x"), {"kind": "飞行"}, ArgumentError,
     "unknown request kind '飞行'; kinds: labour/用工, land/土地, funding/资金, "
     "technology/科技, policy/政策, approval/审批, other/其他"),
    (("aux", "  "), {"kind": "用工"}, ArgumentError, "a request needs its text (text=)"),
    (("aux", "x"), {"kind": "用工", "date": "2026-03-02", "due": "2026-03-01"},
     ArgumentError, "due= 2026-03-01 is before the request was made (2026-03-02)"),
    (("haoyue", "x"), {"kind": "用工"}, ArgumentError,
     "firm '安徽皓月电气有限公司 (haoyue)' has no service officer (1+1+1): give officer=, "
     "or assign one to the "
     "firm first (service assign)"),
    (("aux", "x"), {"kind": "用工", "due": "soon"}, ArgumentError,
     "invalid date 'soon' for due=: not a date; "),
])
def test_request_refusals_write_nothing(ws, args, kwargs, error, message):
    chainmap.assign_service(ws, "aux", officer="张超")
    audited = len(chainmap.audit_log(ws))
    with pytest.raises(error) as caught:
        chainmap.add_request(ws, *args, **kwargs)
    assert str(caught.value).startswith(message)
    assert ws.table("requests").empty and len(chainmap.audit_log(ws)) == audited


def test_progress_and_close_refusals(ws):
    chainmap.assign_service(ws, "aux", officer="张超")
    chainmap.add_request(ws, "aux", "缺工", kind="labour", date="2026-01-10")
    with pytest.raises(ArgumentError, match=r"^closing a request needs a note on how it "
                                            r"was solved \(note=\)$"):
        chainmap.close_request(ws, "R1", "")
    with pytest.raises(ArgumentError, match=r"^date= 2026-01-09 is before request R0001 was "
                                            r"made \(2026-01-10\)$"):
        chainmap.close_request(ws, "R1", "done", date="2026-01-09")
    with pytest.raises(ArgumentError, match=r"^date= 2026-01-01 is before request R0001"):
        chainmap.record_progress(ws, "R1", "called", date="2026-01-01")
    with pytest.raises(ArgumentError, match=r"^a progress note needs its text \(note=\)$"):
        chainmap.record_progress(ws, "R1", " ")
    with pytest.raises(NotFoundError, match="^unknown request 'R9'$"):
        chainmap.close_request(ws, "R9", "done")
    with pytest.raises(ArgumentError, match="^'Q1' is not a request id"):
        chainmap.close_request(ws, "Q1", "done")
    assert ws.table("request_events").empty
    assert ws.table("requests")["closed_date"].isna().all()
    assert chainmap.close_request(ws, "r1", "done", date="2026-01-10") == "R0001"
    with pytest.raises(ArgumentError, match=r"^request R0001 is already closed \(2026-01-10\)"):
        chainmap.close_request(ws, "R1", "again")
    with pytest.raises(ArgumentError, match="^request R0001 is already closed"):
        chainmap.record_progress(ws, "R1", "more")
    events = ws.table("request_events")
    assert events[["request_id", "action", "date", "note"]].values.tolist() == [
        ["R0001", "close", "2026-01-10", "done"]]
    assert chainmap.audit_log(ws)["detail"].iloc[-1] == "closed on 2026-01-10: done"


def test_visits(ws):
    chainmap.assign_service(ws, "aux", officer="张超")
    assert chainmap.log_visit(ws, "aux", "送项目", "对接研发平台", date="2026-05-01") == "V0001"
    assert chainmap.log_visit(ws, "haoyue", "send_policy", "宣讲", date="2026-05-02",
                              by="李娜") == "V0002"
    visits = ws.table("visits")
    assert visits[["company_id", "kind", "officer"]].values.tolist() == [
        ["aux", "send_projects", "张超"], ["haoyue", "send_policy", "李娜"]]
    with pytest.raises(ArgumentError, match="^unknown visit kind '参观'; kinds: "
                                            "send_policy/送政策, send_factors/送要素"):
        chainmap.log_visit(ws, "aux", "参观", "x")
    with pytest.raises(ArgumentError, match=r"^a visit needs a note \(note=\)$"):
        chainmap.log_visit(ws, "aux", "服务", "")
    assert len(ws.table("visits")) == 2


def test_report_refuses_a_period_that_ends_before_it_starts(ws):
    with pytest.raises(ArgumentError, match="^start= 2026-03-01 is after end= 2026-02-01$"):
        chainmap.service_report(ws, start="2026-03-01", end="2026-02-01")
    with pytest.raises(ArgumentError, match="^invalid date 'x' for as_of="):
        chainmap.list_requests(ws, as_of="x")


def test_the_neo4j_store_refuses_service_writes():
    from chainmap.store.neo4j import Neo4jStore

    store = Neo4jStore.__new__(Neo4jStore)
    store.location = "bolt://db:7687"
    for write in (lambda: store.set_liaison({}), lambda: store.add_request({}),
                  lambda: store.close_request("R1", "d", "n", "t"),
                  lambda: store.set_stage_limit("lead", 3, "t", "b"),
                  lambda: store.set_actual({}), lambda: store.set_commitment({})):
        with pytest.raises(WorkspaceError, match="needs the embedded SQLite workspace"):
            write()


def test_a_merge_moves_requests_visits_and_1_1_1_people(ws):
    chainmap.assign_service(ws, "haoyue", contact="周工:139", officer="李娜", leader="陈主任")
    chainmap.assign_service(ws, "aux", officer="张超")
    chainmap.add_request(ws, "haoyue", "缺工", kind="labour", date="2026-01-10")
    chainmap.log_visit(ws, "haoyue", "服务", "回访", date="2026-01-11")
    plan = chainmap.merge_firms(ws, "aux", "haoyue", apply=True, by="t")
    assert plan.moves["requests"] == 1 and plan.moves["visits"] == 1
    assert ws.table("requests")["company_id"].tolist() == ["aux"]
    assert ws.table("visits")["company_id"].tolist() == ["aux"]
    people = ws.table("liaisons").set_index("id")
    assert list(people.index) == ["aux"]  # aux keeps its officer, gains the rest
    assert people.loc["aux", ["contact", "phone", "officer", "leader"]].tolist() == \
        ["周工", "139", "张超", "陈主任"]


def test_sample_service_gives_the_articles_facts(sample_ws):
    ids = chainmap.sample_service(sample_ws)
    assert ids == ["R0001", "R0002", "V0001", "V0002", "V0003"]
    aux = chainmap.list_requests(sample_ws, firm="aux").iloc[0]
    assert (aux["kind"], aux["officer"], aux["closed_date"]) == ("labour", "张超", "2019-08-20")
    assert "200余人" in aux["close_note"] and "示意" in aux["close_note"]
    assert "体验式" in aux["close_note"]


def test_errors_and_labels_in_chinese(ws):
    chainmap.assign_service(ws, "aux", officer="张超")
    chainmap.add_request(ws, "aux", "缺工", kind="labour", date="2026-01-10")
    with chainmap.use_language("zh"):
        with pytest.raises(ArgumentError) as caught:
            chainmap.close_request(ws, "R1", " ")
        assert str(caught.value) == "销号须写明办结情况（note=）"
        with pytest.raises(ArgumentError) as caught:
            chainmap.close_request(ws, "R1", "ok", date="2026-01-01")
        assert str(caught.value) == "date= 2026-01-01 早于诉求 R0001 的提出日期（2026-01-10）"
        with pytest.raises(ArgumentError) as caught:
            chainmap.add_request(ws, "haoyue", "x", kind="用工")
        assert str(caught.value) == ("企业 '安徽皓月电气有限公司（haoyue）' 没有服务专员"
                                     "（1+1+1）：请给出 officer=，"
                                     "或先为该企业指定服务专员（service assign）")
        with pytest.raises(NotFoundError) as caught:
            chainmap.record_progress(ws, "R5", "x")
        assert str(caught.value) == "没有诉求 'R5'"
        with pytest.raises(ArgumentError) as caught:
            chainmap.add_request(ws, "aux", "x", kind="飞行")
        assert str(caught.value) == ("没有诉求类型 '飞行'；可用类型：labour/用工、land/土地、"
                                     "funding/资金、technology/科技、policy/政策、approval/审批、"
                                     "other/其他")
        with pytest.raises(ArgumentError) as caught:
            chainmap.update_lead(ws, "L1", land="-1")  # no such lead: the figure fails first
        assert str(caught.value) == "land= 须为不小于 0 的数（亩），不是 '-1'"
        with pytest.raises(ArgumentError) as caught:
            chainmap.set_stage_limit(ws, "投产", 30)
        assert str(caught.value).startswith("阶段 producing（投产）不设时限：线索到此已结束；")
        assert chainmap.assign_service(ws, "aux", leader="陈主任") == ["联系领导：（无） → 陈主任"]
    from chainmap.i18n import label

    assert [label("value", k, "zh") for k in chainmap.REQUEST_KINDS] == [
        "用工", "土地", "资金", "科技", "政策", "审批", "其他"]
    assert [label("value", k, "zh") for k in chainmap.VISIT_KINDS] == [
        "送政策", "送要素", "送项目", "服务"]
    assert [label("value", k, "zh") for k in (*chainmap.DELIVERY_FLAGS, *chainmap.LIGHTS)] == [
        "签而未动", "开工未投产", "未达产", "红灯", "黄灯", "绿灯"]
    assert [label("column", c, "zh") for c in chainmap.SERVICE_MEASURES] == [
        "诉求总数", "已办结", "按时办结数", "未办结", "逾期未办结", "办结率", "按时办结率",
        "办结天数中位数"]


def test_the_demo_workspace_has_the_articles_service_facts(tmp_path):
    path = tmp_path / "demo.db"
    chainmap.demo(path)
    with chainmap.open(path) as demo:
        requests = chainmap.list_requests(demo, as_of="2020-12-31")
        assert requests[["id", "company", "kind", "officer"]].values.tolist() == [
            ["R0001", "aux", "labour", "张超"], ["R0002", "fuma", "funding", "李侃"]]
        assert requests["on_time"].tolist() == [True, True]
        assert len(demo.table("visits")) == 3
