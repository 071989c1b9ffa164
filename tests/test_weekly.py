"""chainmap.weekly_report (招商周报): counts and totals of a period, by owner and by chain.

The fixture writes the pipeline through the library at explicit dates around the period
2026-11-02 .. 2026-11-08: the day before (11-01), the first day, the last day and the day
after (11-09). It runs on SQLite and on Neo4j (``make_ws``: tests/stores.py).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import chainmap

SAMPLE = chainmap.sample_path()
PERIOD = {"start": "2026-11-02", "end": "2026-11-08"}


def week_of_november(ws: chainmap.Workspace) -> None:
    """Leads, moves, activities and follow-ups inside and outside 2026-11-02 .. 11-08."""
    by = {"by": "tester"}
    # new leads: before, first day, last day, after
    chainmap.add_lead(ws, "gree", product="compressor", owner="王磊", investment=15,
                      date="2026-11-01", **by)  # L0013, outside
    chainmap.add_lead(ws, "midea", product="eev", owner="李娜", investment=6,
                      date="2026-11-02", **by)  # L0014
    chainmap.add_lead(ws, "aux", product="wms-software", owner="张超", investment=3,
                      date="2026-11-08", **by)  # L0015
    chainmap.add_lead(ws, "yuemei", date="2026-11-09", **by)  # L0016, outside, no owner
    # moves
    chainmap.move_lead(ws, "L0013", "contacted", date="2026-11-01", **by)  # outside
    chainmap.move_lead(ws, "L0013", "visited", date="2026-11-02", **by)
    chainmap.move_lead(ws, "L0003", "started", date="2026-11-02", **by)  # 张超, 28 亿元
    chainmap.move_lead(ws, "L0002", "lost", date="2026-11-05", reason="went to 滁州", **by)
    chainmap.move_lead(ws, "L0001", "signed", date="2026-11-08", **by)  # 王磊, 12 亿元
    chainmap.move_lead(ws, "L0012", "signed", date="2026-11-01", **by)  # outside; 李娜
    chainmap.move_lead(ws, "L0005", "producing", date="2026-11-09", **by)  # outside
    # activities
    chainmap.log_activity(ws, "L0013", "visit", "走访总部", date="2026-11-01", **by)  # outside
    chainmap.log_activity(ws, "L0013", "visit", "看厂房", date="2026-11-02", **by)
    chainmap.log_activity(ws, "L0001", "meeting", "谈条件", date="2026-11-05", **by)
    chainmap.log_activity(ws, "L0014", "call", "约考察", date="2026-11-08", **by)
    chainmap.log_activity(ws, "L0014", "visit", "考察", date="2026-11-09", **by)  # outside
    # follow-ups: overdue at the end when due before it and not done
    chainmap.add_followup(ws, "L0013", "2026-11-07", "send the brochure", **by)  # overdue
    chainmap.add_followup(ws, "L0014", "2026-11-08", "call back", **by)  # due on the end
    chainmap.add_followup(ws, "L0009", "2026-10-01", "visit again", **by)  # overdue
    done = chainmap.add_followup(ws, "L0001", "2026-11-01", "draft the contract", **by)
    chainmap.complete_followup(ws, done, **by)


@pytest.fixture
def ws(make_ws):
    return make_ws(SAMPLE, setup=week_of_november)


def _summary(report: chainmap.WeeklyReport) -> dict:
    return dict(zip(report.summary["measure"], report.summary["value"], strict=True))


def test_summary_counts_and_totals(ws):
    report = chainmap.weekly_report(ws, days=5, **PERIOD)
    assert (report.start, report.end) == ("2026-11-02", "2026-11-08")
    assert list(report.sheets()) == [
        "summary", "by_owner", "by_chain", "new_leads", "stage_moves", "activities",
        "activity_kinds", "deals", "overdue_followups", "signed_not_started"]
    assert list(report.summary.columns) == ["measure", "measure_zh", "value", "start", "end"]
    assert report.summary["measure_zh"].tolist() == [
        "新增线索", "阶段推进", "走访活动", "签约项目数", "开工项目数", "投产项目数",
        "签约金额(亿元)", "逾期跟进", "签而未动"]
    assert _summary(report) == {
        "new_leads": 2, "stage_moves": 4, "activities": 3, "signed": 1, "started": 1,
        "producing": 0, "signed_investment": 12.0, "overdue_followups": 2,
        "signed_not_started": 1}
    assert set(report.summary["start"]) == {"2026-11-02"}
    assert set(report.summary["end"]) == {"2026-11-08"}


def test_the_rows_behind_the_counts(ws):
    report = chainmap.weekly_report(ws, days=5, **PERIOD)
    assert report.new_leads[["id", "owner", "chain_name", "created"]].values.tolist() == [
        ["L0014", "李娜", "智能家电", "2026-11-02"], ["L0015", "张超", "智慧物流", "2026-11-08"]]
    assert report.stage_moves[["lead", "from_stage", "to_stage", "date"]].values.tolist() == [
        ["L0013", "contacted", "visited", "2026-11-02"],
        ["L0003", "signed", "started", "2026-11-02"],
        ["L0002", "visited", "lost", "2026-11-05"],
        ["L0001", "negotiating", "signed", "2026-11-08"]]
    assert report.activities[["id", "lead", "kind", "date"]].values.tolist() == [
        ["A0002", "L0013", "visit", "2026-11-02"], ["A0003", "L0001", "meeting", "2026-11-05"],
        ["A0004", "L0014", "call", "2026-11-08"]]
    assert report.activity_kinds.values.tolist() == [
        ["visit", 1], ["call", 1], ["meeting", 1], ["email", 0], ["event", 0]]
    assert report.deals[["lead", "owner", "stage", "date", "investment"]].values.tolist() == [
        ["L0001", "王磊", "signed", "2026-11-08", 12.0],
        ["L0003", "张超", "started", "2026-11-02", 28.0]]
    assert report.overdue_followups[["id", "lead", "owner", "due", "days_overdue"]] \
        .values.tolist() == [["F0003", "L0009", "李娜", "2026-10-01", 38],
                             ["F0001", "L0013", "王磊", "2026-11-07", 1]]
    assert report.signed_not_started[["id", "owner", "contract_date", "days_to_start"]] \
        .values.tolist() == [["L0012", "李娜", "2026-11-01", 7.0]]


def test_by_owner(ws):
    by_owner = chainmap.weekly_report(ws, days=5, **PERIOD).by_owner
    assert list(by_owner.columns) == [
        "owner", "new_leads", "stage_moves", "activities", "signed", "started", "producing",
        "signed_investment", "started_investment", "producing_investment",
        "overdue_followups", "signed_not_started"]
    assert by_owner.values.tolist() == [  # by name; L0016 (no owner) is outside the period
        ["张超", 1, 1, 0, 0, 1, 0, 0.0, 28.0, 0.0, 0, 0],
        ["李娜", 1, 1, 1, 0, 0, 0, 0.0, 0.0, 0.0, 1, 1],
        ["王磊", 0, 2, 2, 1, 0, 0, 12.0, 0.0, 0.0, 1, 0]]


def test_by_chain(ws):
    by_chain = chainmap.weekly_report(ws, days=5, **PERIOD).by_chain
    assert by_chain.values.tolist() == [
        ["smart-appliances", "智能家电", 1, 4, 3, 1, 1, 0, 12.0, 28.0, 0.0, 2, 0],
        ["smart-logistics", "智慧物流", 1, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0, 1]]


def test_the_days_around_the_period_count_in_theirs(ws):
    before = _summary(chainmap.weekly_report(ws, start="2026-11-01", end="2026-11-01"))
    assert (before["new_leads"], before["stage_moves"], before["activities"],
            before["signed"], before["signed_investment"]) == (1, 2, 1, 1, 0.5)
    after = chainmap.weekly_report(ws, start="2026-11-09", end="2026-11-09")
    assert after.new_leads["id"].tolist() == ["L0016"]
    assert _summary(after)["producing"] == 1 and _summary(after)["activities"] == 1
    assert after.by_owner["owner"].tolist() == ["李娜", "王磊", "(none)"]  # none last
    assert after.by_chain["chain"].tolist() == ["smart-appliances", "(none)"]


def test_signed_not_started_follows_the_setting(ws):
    # default 180 days: L0003 was 签而未动 but started in the period; L0012 signed 7 days ago
    assert _summary(chainmap.weekly_report(ws, **PERIOD))["signed_not_started"] == 0
    assert _summary(chainmap.weekly_report(ws, days=6, **PERIOD))["signed_not_started"] == 1


def test_default_period_is_the_last_seven_days(ws):
    import time_machine

    with time_machine.travel("2026-11-08 18:00", tick=False):
        report = chainmap.weekly_report(ws, days=5)
    assert (report.start, report.end) == ("2026-11-02", "2026-11-08")
    assert _summary(report) == _summary(chainmap.weekly_report(ws, days=5, **PERIOD))
    assert (chainmap.weekly_report(ws, as_of="2026-11-08").start,
            chainmap.weekly_report(ws, end="2026-11-08").start) == ("2026-11-02", "2026-11-02")
    assert chainmap.weekly_report(ws, start="2026-11-02", as_of="2026-11-08").end == \
        "2026-11-08"


def test_refusals(sample_ws):
    with pytest.raises(chainmap.ArgumentError, match=r"^start= \(2026-11-09\) is after end="):
        chainmap.weekly_report(sample_ws, start="2026-11-09", end="2026-11-08")
    with pytest.raises(chainmap.ArgumentError, match="^invalid date '11/08' for end=") as e:
        chainmap.weekly_report(sample_ws, end="11/08")
    assert e.value.parameter == "end"


def test_an_empty_pipeline(tmp_path):
    ws = chainmap.open(tmp_path / "empty.db")
    report = chainmap.weekly_report(ws, **PERIOD)
    assert set(_summary(report).values()) == {0}
    assert report.by_owner.empty and list(report.by_chain.columns)[:2] == ["chain", "chain_name"]
    assert "Weekly report (招商周报) 2026-11-02 – 2026-11-08" in str(report)
    assert "<h4>Summary</h4>" in report._repr_html_()


def test_the_period_s_rows_read_alone_give_the_report_of_the_whole_tables(tmp_path):
    """On SQLite the moves and activities of the period are read alone (``rows_between``);
    the report is the one made from the whole tables (a workspace that holds them), and
    its files are the same bytes."""
    path = tmp_path / "w.db"
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, SAMPLE)
        week_of_november(ws)
    read_alone, whole = chainmap.open(path), chainmap.open(path)
    for name in ("lead_events", "activities"):
        whole._table(name)  # held: the report filters these frames
    queries: list[str] = []
    read_alone.store.conn.raw.set_trace_callback(queries.append)
    for period in (PERIOD, {"start": "2026-11-08", "end": "2026-11-08"},
                   {"start": "2030-01-01", "end": "2030-01-07"}):
        alone, from_whole = (chainmap.weekly_report(w, **period) for w in (read_alone, whole))
        for field in dataclasses.fields(alone):
            mine, theirs = getattr(alone, field.name), getattr(from_whole, field.name)
            if isinstance(mine, pd.DataFrame):  # a text column's dtype follows the rows
                # read (no note at all: object with None, else text with NaN), both ways
                pd.testing.assert_frame_equal(_missing_as_none(mine), _missing_as_none(theirs),
                                              check_dtype=False, obj=f"{field.name} {period}")
            else:
                assert mine == theirs
    assert _summary(chainmap.weekly_report(read_alone, start="2026-11-08", end="2026-11-08"))[
        "activities"] == 1
    read_alone.store.conn.raw.set_trace_callback(None)
    assert any("FROM lead_events WHERE date IS NOT NULL" in q for q in queries)
    assert not [q for q in queries if q.rstrip().endswith(("FROM lead_events",
                                                           "FROM activities"))], queries
    read_alone.close()
    whole.close()


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def test_an_owner_stored_with_a_space_before_is_one_row(tmp_path):
    """王 磊 stored by an older import is 王磊 (names.person_name), as the pipeline's owners
    count them: one row, not two (session 10 review)."""
    import sqlite3

    path = tmp_path / "w.db"
    ws = chainmap.open(path)
    chainmap.import_dataset(ws, SAMPLE)
    week_of_november(ws)
    ws.close()
    with sqlite3.connect(path) as conn:  # L0001 (signed in the week, 12 亿元) as stored before
        conn.execute("UPDATE leads SET owner = '王 磊' WHERE id = 'L0001'")
    ws = chainmap.open(path)
    by_owner = chainmap.weekly_report(ws, days=5, **PERIOD).by_owner
    assert by_owner["owner"].tolist() == ["张超", "李娜", "王磊"]
    assert by_owner.values.tolist()[-1] == ["王磊", 0, 2, 2, 1, 0, 0, 12.0, 0.0, 0.0, 1, 0]
    ws.close()
