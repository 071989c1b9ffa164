"""``chainmap service ...``: 1+1+1, requests, visits and the service report on the command
line: ids on stdout, messages on stderr, one ``Error:`` line and exit 1 on bad input."""

from __future__ import annotations

import json

import pytest

import chainmap
from tests.conftest import TINY, write_files


@pytest.fixture
def trun(run, tmp_path, monkeypatch):
    """``run`` against a workspace holding ``TINY`` with home 当涂县."""
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", write_files(tmp_path / "tiny", TINY)).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    return run


def error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr.strip()


def ok(result) -> tuple[str, str]:
    assert result.exit_code == 0, result.output
    return result.stdout.strip(), result.stderr.strip()


def _requests(trun) -> None:
    ok(trun("service", "assign", "aux", "--contact", "王经理:0555-1", "--officer", "张超",
            "--leader", "陈主任"))
    ok(trun("service", "assign", "haoyue", "--officer", "李娜"))
    assert ok(trun("service", "request", "aux", "招工 200 人", "--kind", "用工", "--date",
                   "2026-01-05", "--due", "2026-01-31"))[0] == "R0001"
    assert ok(trun("service", "request", "haoyue", "扩建用地", "--kind", "land", "--date",
                   "2026-02-01", "--due", "2026-03-01"))[0] == "R0002"
    assert ok(trun("service", "close", "R1", "--note", "体验式招工", "--date",
                   "2026-01-20")) == ("", "R0001 closed")


def test_assign_prints_the_changes(trun):
    out, err = ok(trun("service", "assign", "aux", "--contact", "王经理:0555-1", "--officer",
                       "张超"))
    assert out == "" and err.splitlines() == ["contact: (none) → 王经理",
                                              "phone: (none) → 0555-1",
                                              "officer: (none) → 张超"]
    assert ok(trun("service", "assign", "aux", "--officer", "张超")) == ("", "nothing changed")
    assert error(trun("service", "assign", "aux")) == (
        "Error: nothing to assign: give --contact, --phone, --officer or --leader")
    assert error(trun("service", "assign", "nobody", "--officer", "x")).startswith(
        "Error: unknown firm 'nobody'")


def test_assign_a_phone_typed_full_width(trun, db):
    """A phone typed with full-width digits (IME on) is stored half-width."""
    out, err = ok(trun("service", "assign", "aux", "--contact", "周工：１３９０５５５００００"))
    assert err.splitlines() == ["contact: (none) → 周工", "phone: (none) → 13905550000"]
    ok(trun("service", "assign", "haoyue", "--phone", "（０５５５）－６７１００００ "))
    firms = chainmap.service_firms(chainmap.open(db), home="当涂县").set_index("company")
    assert firms.loc["aux", "phone"] == "13905550000"
    assert firms.loc["haoyue", "phone"] == "(0555)-6710000"


def test_requests_progress_close_and_list(trun):
    _requests(trun)
    assert ok(trun("service", "progress", "R2", "--note", "已受理", "--date",
                   "2026-02-10")) == ("", "R0002: progress noted")
    out, _ = ok(trun("service", "list", "--as-of", "2026-03-10", "--format", "json"))
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["R0001", "R0002"]
    assert list(rows[0]) == chainmap.REQUEST_COLUMNS
    assert rows[1] | {"company_name": None} == {
        "id": "R0002", "company": "haoyue", "company_name": None, "kind": "land",
        "text": "扩建用地", "officer": "李娜", "date": "2026-02-01", "due": "2026-03-01",
        "closed_date": None, "close_note": None, "days": 37, "past_due": True,
        "on_time": None, "notes": 1, "last_note": "已受理"}
    out, _ = ok(trun("service", "list", "--overdue", "--as-of", "2026-03-10", "--format",
                     "csv"))
    assert out.splitlines()[1].startswith("R0002,haoyue,")
    out, _ = ok(trun("service", "list", "--open", "--kind", "用工", "--as-of", "2026-03-10"))
    assert out == "(no rows)"
    out, _ = ok(trun("service", "list", "--officer", "张超", "--lang", "zh"))
    assert out.splitlines()[0].split()[:5] == ["编号", "企业编号", "企业名称", "诉求类型",
                                               "诉求内容"]
    assert "用工" in out.splitlines()[2]


@pytest.mark.parametrize("args, message", [
    (["service", "request", "nobody", "x", "--kind", "用工"], "Error: unknown firm 'nobody'"),
    (["service", "request", "aux", "x", "--kind", "飞行"],
     "Error: unknown request kind '飞行'; kinds: labour/用工, land/土地, funding/资金, "
     "technology/科技, policy/政策, approval/审批, other/其他"),
    (["service", "request", "aux", "x", "--kind", "用工", "--date", "2026-03-02", "--due",
      "2026-03-01"], "Error: --due 2026-03-01 is before the request was made (2026-03-02)"),
    (["service", "request", "shcomp", "x", "--kind", "用工"],
     "Error: firm '上海某压缩机有限公司 (shcomp)' has no service officer (1+1+1): give "
     "--officer, or assign one "
     "to the firm first (service assign)"),
    (["service", "close", "R2", "--note", " "],
     "Error: closing a request needs a note on how it was solved (--note)"),
    (["service", "close", "R2", "--note", "done", "--date", "2026-01-31"],
     "Error: --date 2026-01-31 is before request R0002 was made (2026-02-01)"),
    (["service", "close", "R1", "--note", "again"],
     "Error: request R0001 is already closed (2026-01-20)"),
    (["service", "progress", "R7", "--note", "x"], "Error: unknown request 'R7'"),
    (["service", "list", "--as-of", "someday"],
     "Error: invalid date 'someday' for --as-of: not a date;"),
    (["service", "visit", "aux", "--kind", "参观", "--note", "x"],
     "Error: unknown visit kind '参观'; kinds: send_policy/送政策"),
    (["service", "report", "--from", "2026-03-01", "--to", "2026-02-01"],
     "Error: --from 2026-03-01 is after --to 2026-02-01"),
])
def test_refusals(trun, args, message):
    _requests(trun)
    assert error(trun(*args)).startswith(message)


def test_a_refused_request_writes_nothing(trun, db):
    _requests(trun)
    error(trun("service", "request", "aux", "x", "--kind", "用工", "--due", "2020-01-01"))
    ws = chainmap.open(db)
    assert ws.table("requests")["id"].tolist() == ["R0001", "R0002"]
    assert not ws.table("audit")["detail"].str.contains(" x;").any()
    ws.close()


def test_close_needs_a_note_option(trun):
    _requests(trun)
    result = trun("service", "close", "R2")
    assert result.exit_code == 2 and "Missing option '--note'" in result.stderr


def test_visit_prints_its_id(trun):
    _requests(trun)
    assert ok(trun("service", "visit", "aux", "--kind", "送政策", "--note", "宣讲", "--date",
                   "2026-02-01")) == ("V0001", "")
    ws_visit = ok(trun("service", "visit", "haoyue", "--kind", "send_factors", "--note", "用工",
                       "--officer", "曾强"))
    assert ws_visit == ("V0002", "")


def test_firms_and_a_workload(trun):
    _requests(trun)
    out, err = ok(trun("service", "firms", "--as-of", "2026-03-10", "--format", "json"))
    rows = json.loads(out)
    assert [r["company"] for r in rows] == ["aux", "haoyue"]
    assert rows[1] | {"company_name": None} == {
        "company": "haoyue", "company_name": None, "in_park": True, "contact": None,
        "phone": None, "officer": "李娜", "leader": None, "open_requests": 1, "past_due": 1,
        "visits": 0, "last_visit": None}
    assert err == "2 firm(s), 1 open request(s), 1 past due"
    out, err = ok(trun("service", "firms", "--officer", "张超", "--as-of", "2026-03-10"))
    assert len(out.splitlines()) == 3 and err == "1 firm(s), 0 open request(s), 0 past due"
    assert ok(trun("service", "firms", "--unassigned"))[0] == "(no rows)"


def test_report_in_every_format(trun, tmp_path):
    _requests(trun)
    out, err = ok(trun("service", "report", "--as-of", "2026-03-10", "--format", "json"))
    report = json.loads(out)
    assert list(report) == ["total", "by_kind", "by_officer", "visits"]
    assert report["total"] == [{"start": None, "end": "2026-03-10", "as_of": "2026-03-10",
                                "total": 2, "closed": 1, "closed_on_time": 1,
                                "still_open": 1, "past_due": 1, "close_rate": 0.5,
                                "on_time_rate": 0.5, "median_days_to_close": 15.0}]
    assert [r["kind"] for r in report["by_kind"]] == list(chainmap.REQUEST_KINDS)
    assert report["by_kind"][1] == {"kind": "land", "total": 1, "closed": 0,
                                    "closed_on_time": 0, "still_open": 1, "past_due": 1,
                                    "close_rate": 0.0, "on_time_rate": 0.0,
                                    "median_days_to_close": None}
    assert report["by_kind"][2]["close_rate"] is None  # no funding request: no rate
    assert [r["officer"] for r in report["by_officer"]] == ["张超", "李娜"]
    assert err == "Requests made up to 2026-03-10, counted on 2026-03-10"
    out, err = ok(trun("service", "report", "--from", "2026-02-01", "--to", "2026-02-28",
                       "--as-of", "2026-03-10", "--lang", "zh"))
    assert out.startswith("[诉求办理汇总]\n开始日期    结束日期    截至日期    诉求总数  已办结")
    assert "[按诉求类型]\n诉求类型" in out and "[按服务专员]\n服务专员" in out
    assert "[四送一服走访]\n走访方式" in out and "\n土地 " in out
    assert err == "统计 2026-02-01 至 2026-02-28 提出的诉求，办结情况截至 2026-03-10"
    path = tmp_path / "服务.xlsx"
    assert ok(trun("service", "report", "--as-of", "2026-03-10", "--format", "xlsx", "-o",
                   path, "--lang", "zh"))[1].startswith(f"已写入 {path}")
    import openpyxl

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["诉求办理汇总", "按诉求类型", "按服务专员", "四送一服走访"]
    sheet = book["诉求办理汇总"]
    header = [c.value for c in sheet[1]]
    rate = sheet.cell(2, header.index("办结率") + 1)
    assert rate.value == 0.5 and rate.number_format == "0.0%"
    assert book["按诉求类型"].cell(2, 1).value == "用工"


def test_messages_in_chinese(trun, monkeypatch):
    _requests(trun)
    monkeypatch.setenv("CHAINMAP_LANG", "zh")
    assert error(trun("service", "close", "R2", "--note", "")) == \
        "错误：销号须写明办结情况（--note）"
    assert error(trun("service", "request", "aux", "x", "--kind", "飞行")).startswith(
        "错误：没有诉求类型 '飞行'；可用类型：labour/用工")
    assert ok(trun("service", "close", "R2", "--note", "ok", "--date", "2026-02-20"))[1] == \
        "R0002 已销号"
    assert ok(trun("service", "firms"))[1] == "2 家企业，未办结诉求 0 件，其中逾期 0 件"


def test_officers_and_leaders_are_one_person_however_spaced(trun, db):
    import sqlite3

    ok(trun("service", "assign", "aux", "--officer", "张 超", "--leader", " 陈　主任 ",
            "--contact", "王 经理:0555-1"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT contact, officer, leader FROM liaisons WHERE id = 'aux'"
                            ).fetchone() == ("王经理", "张超", "陈主任")
    ok(trun("service", "request", "haoyue", "扩建用地", "--kind", "land", "--officer", "李  娜",
            "--date", "2026-02-01"))
    out, _ = ok(trun("service", "list", "--officer", "李娜", "--format", "json"))
    assert [(r["id"], r["officer"]) for r in json.loads(out)] == [("R0001", "李娜")]
    out, err = ok(trun("service", "firms", "--officer", "张　超", "--format", "json"))
    assert [r["company"] for r in json.loads(out)] == ["aux"]
