"""Commitments against delivery (履约), on fixtures with known dates, on both stores.

Projects of the fixture (firms of ``TINY``), on 2027-03-01:

=====  =======================  ==========================================  ===============
lead   moves                    commitments / actuals                       flags
=====  =======================  ==========================================  ===============
L1     signed 2025-02-01,       10 亿元, 100 亩, output 20, tax 3000, 300     none: delivered
       started 2025-04-01,      jobs; by 2025-06-30 / 2026-01-31;
       producing 2025-12-01     actual 10.5 亿元 (8 on 2025-12-31), output
                                18, tax 2800, 320 jobs
L2     signed 2025-03-01,       5 亿元, 50 亩, output 8, tax 1000;          below_output
       started 2025-05-01,      actual 2.5 亿元, output 4, tax 300          (partly
       producing 2026-01-15                                                 delivered)
L3     signed 2026-06-01        3 亿元, 20 亩; start by 2026-12-31          not_started
                                                                            (stalled)
L4     signed 2025-10-01,       1.2 亿元; produce by 2026-12-31             not_producing
       started 2025-12-01
L5     signed 2026-10-01        2 亿元, no commitments: 签而未动 after       none (from
                                the contract + 180 days = 2027-03-30        2027-03-31)
L6     negotiating              50 亿元                                     (not a project)
=====  =======================  ==========================================  ===============
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import chainmap
from chainmap.errors import ArgumentError, NotFoundError
from tests.conftest import TINY, write_files

AS_OF = "2027-03-01"


def _project(ws, firm, product, investment, created, *moves, owner="王磊"):
    lid = chainmap.add_lead(ws, firm, product=product, owner=owner, investment=investment,
                            date=created, by="t", force=True)
    for stage, date in moves:
        chainmap.move_lead(ws, lid, stage, date=date, by="t")
    return lid


def setup_delivery(ws: chainmap.Workspace) -> None:
    """The projects of the module's table (a ``make_ws`` setup)."""
    one = _project(ws, "shcomp", "compressor", 10, "2025-01-01", ("signed", "2025-02-01"),
                   ("started", "2025-04-01"), ("producing", "2025-12-01"))
    chainmap.update_lead(ws, one, land=100, output=20, tax=3000, jobs=300,
                         start_by="2025-06-30", produce_by="2026-01-31", by="t")
    chainmap.record_actual(ws, one, "2025-12-31", invested=8, by="t")
    chainmap.record_actual(ws, one, "2026-12-31", invested=10.5, output=18, tax=2800, jobs=320,
                           by="t")
    two = _project(ws, "shcomp", "capacitor", 5, "2025-01-01", ("signed", "2025-03-01"),
                   ("started", "2025-05-01"), ("producing", "2026-01-15"))
    chainmap.update_lead(ws, two, land=50, output=8, tax=1000, jobs=100,
                         start_by="2025-06-30", produce_by="2025-12-31", by="t")
    chainmap.record_actual(ws, two, "2026-12-31", invested=2.5, output=4, tax=300, jobs=60,
                           by="t")
    three = _project(ws, "shcomp", "ac-unit", 3, "2026-05-01", ("signed", "2026-06-01"))
    chainmap.update_lead(ws, three, land=20, start_by="2026-12-31", produce_by="2027-12-31",
                         by="t")
    four = _project(ws, "haoyue", "capacitor", 1.2, "2025-09-01", ("signed", "2025-10-01"),
                    ("started", "2025-12-01"), owner="李娜")
    chainmap.update_lead(ws, four, produce_by="2026-12-31", by="t")
    _project(ws, "haoyue", "compressor", 2, "2026-09-01", ("signed", "2026-10-01"))
    _project(ws, "aux", "ac-unit", 50, "2026-01-01", ("negotiating", "2026-02-01"))


@pytest.fixture
def ws(tmp_path):
    w = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(w, write_files(tmp_path / "data", TINY))
    setup_delivery(w)
    yield w
    w.close()


def test_delivery_of_each_project(make_ws):
    ws = make_ws(TINY, setup_delivery)
    frame = chainmap.project_delivery(ws, as_of=AS_OF)
    assert list(frame.columns) == chainmap.DELIVERY_COLUMNS
    frame = frame.set_index("id")
    assert list(frame.index) == ["L0001", "L0002", "L0003", "L0004", "L0005"]
    assert frame["stage"].tolist() == ["producing", "producing", "signed", "started", "signed"]
    assert frame["flags"].tolist() == [[], ["below_output"], ["not_started"],
                                       ["not_producing"], []]
    one = frame.loc["L0001"]
    assert one[["investment", "invested", "invested_share", "land", "intensity", "output",
                "actual_output", "tax", "actual_tax", "jobs", "actual_jobs",
                "output_per_mu", "actual_output_per_mu", "tax_per_mu",
                "actual_tax_per_mu"]].tolist() == [
        10.0, 10.5, 1.05, 100.0, 1000.0, 20.0, 18.0, 3000.0, 2800.0, 300, 320, 2000.0, 1800.0,
        30.0, 28.0]
    assert one[["contract_date", "start_date", "production_date", "start_by", "produce_by",
                "actual_date"]].tolist() == ["2025-02-01", "2025-04-01", "2025-12-01",
                                             "2025-06-30", "2026-01-31", "2026-12-31"]
    two = frame.loc["L0002"]
    assert two[["invested_share", "intensity", "output_per_mu", "actual_output_per_mu",
                "tax_per_mu", "actual_tax_per_mu"]].tolist() == [0.5, 1000.0, 1600.0, 800.0,
                                                                  20.0, 6.0]
    three = frame.loc["L0003"]
    assert three["intensity"] == 1500.0
    assert math.isnan(three["invested"]) and math.isnan(three["invested_share"])
    assert three["actual_date"] is None and pd.isna(three["jobs"])
    assert math.isnan(frame.loc["L0004", "intensity"])  # no land committed


def test_delivery_as_it_stood_on_earlier_days(make_ws):
    ws = make_ws(TINY, setup_delivery)
    early = chainmap.project_delivery(ws, as_of="2026-01-05").set_index("id")
    assert list(early.index) == ["L0001", "L0002", "L0004"]  # L3, L5 not signed yet
    assert early["stage"].tolist() == ["producing", "started", "started"]
    assert early["flags"].tolist() == [[], ["not_producing"], []]  # L2 had to by 2025-12-31
    assert early.loc["L0001", ["invested", "invested_share", "actual_date"]].tolist() == \
        [8.0, 0.8, "2025-12-31"]
    assert math.isnan(early.loc["L0001", "actual_output"])
    # 签而未动 without a start_by: the contract date plus overdue-days (180)
    assert chainmap.project_delivery(ws, as_of="2027-03-30").set_index("id") \
        .loc["L0005", "flags"] == []
    assert chainmap.project_delivery(ws, as_of="2027-03-31").set_index("id") \
        .loc["L0005", "flags"] == ["not_started"]


def test_below_output_needs_a_year_of_production_and_80_percent(ws):
    # L2 produces from 2026-01-15: a year on 2027-01-15
    at = lambda day: chainmap.project_delivery(ws, as_of=day).set_index("id") \
        .loc["L0002", "flags"]  # noqa: E731
    assert at("2027-01-14") == [] and at("2027-01-15") == ["below_output"]
    chainmap.record_actual(ws, "L2", "2027-01-31", output=6.4, by="t")  # 80% exactly
    assert at("2027-03-01") == []
    chainmap.record_actual(ws, "L2", "2027-02-28", output=6.39, by="t")
    assert at("2027-03-01") == ["below_output"]
    assert at("2027-02-27") == []  # the 6.39 is not known yet
    # the latest figure counts, not an earlier one; the invested so far stays
    row = chainmap.project_delivery(ws, as_of="2027-03-01").set_index("id").loc["L0002"]
    assert row[["invested", "actual_output", "actual_tax", "actual_date"]].tolist() == \
        [2.5, 6.39, 300.0, "2027-02-28"]


def test_overdue_days_move_the_default_start_deadline(ws):
    chainmap.set_overdue_days(ws, 100)
    flags = chainmap.project_delivery(ws, as_of="2027-01-09").set_index("id")["flags"]
    assert flags["L0005"] == []  # 2026-10-01 + 100 days = 2027-01-09
    flags = chainmap.project_delivery(ws, as_of="2027-01-10").set_index("id")["flags"]
    assert flags["L0005"] == ["not_started"]


def test_commitments_are_set_changed_and_cleared_through_update_lead(ws):
    assert chainmap.update_lead(ws, "L3", land=25, jobs="40", by="t") == \
        ["land: 20 → 25", "jobs: (none) → 40"]
    assert chainmap.update_lead(ws, "L3", land=25, by="t") == []
    assert chainmap.update_lead(ws, "L3", owner="李娜", start_by=None, by="t") == \
        ["owner: 王磊 → 李娜", "start_by: 2026-12-31 → (none)"]
    row = ws.table("commitments").set_index("id").astype(object).loc["L0003"]
    assert (row["land"], row["jobs"], row["produce_by"]) == (25.0, 40, "2027-12-31")
    assert pd.isna(row["start_by"])
    assert chainmap.audit_log(ws, lead="L3")["detail"].tolist()[-2:] == [
        "land: 20 → 25; jobs: (none) → 40", "owner: 王磊 → 李娜; start_by: 2026-12-31 → (none)"]


def test_figures_written_with_their_unit(ws):
    """120亩, 500人, 0.8亿 (of 万元), ３０亿元, 2.2亿 and 160名 are read in their units."""
    assert chainmap.update_lead(ws, "L3", land="１２０亩", jobs="500人", tax="0.8亿",
                                output="３０亿元", investment="5,000万", by="t") == [
        "investment: 3 → 0.5", "land: 20 → 120", "output: (none) → 30",
        "tax: (none) → 8000", "jobs: (none) → 500"]
    chainmap.record_actual(ws, "L3", date="2026-10-31", invested="2.2亿", jobs="160名")
    actual = ws.table("actuals").query("lead_id == 'L0003'").iloc[-1]
    assert (actual["invested"], actual["jobs"]) == (2.2, 160)
    with pytest.raises(ArgumentError):
        chainmap.update_lead(ws, "L3", land="120平方米")


@pytest.mark.parametrize("kwargs, message", [
    ({"land": -1}, "land= must be a number ≥ 0 (亩), not '-1'"),
    ({"output": "inf"}, "output= must be a number ≥ 0 (亿元), not 'inf'"),
    ({"tax": float("nan")}, "tax= must be a number ≥ 0 (万元), not 'nan'"),
    ({"tax": "much"}, "tax= must be a number ≥ 0 (万元), not 'much'"),
    ({"jobs": 2.5}, "jobs= must be a whole number ≥ 0, not '2.5'"),
    ({"start_by": "soon"}, "invalid date 'soon' for start_by=: not a date;"),
    ({"produce_by": "2026-01-01"},
     "produce_by= 2026-01-01 is before start_by= 2026-12-31: a project starts construction "
     "before it produces"),
    ({"owner": "李娜", "land": -3}, "land= must be a number ≥ 0 (亩), not '-3'"),
])
def test_bad_commitments_write_nothing(ws, kwargs, message):
    before = ws.table("commitments"), ws.table("leads"), len(chainmap.audit_log(ws))
    with pytest.raises(ArgumentError) as caught:
        chainmap.update_lead(ws, "L3", **kwargs)
    assert str(caught.value).startswith(message)
    pd.testing.assert_frame_equal(ws.table("commitments"), before[0])
    pd.testing.assert_frame_equal(ws.table("leads"), before[1])
    assert len(chainmap.audit_log(ws)) == before[2]


def test_actuals_on_the_same_date_are_corrected_not_added(ws):
    assert chainmap.record_actual(ws, "L1", "2026-12-31", output=19, by="t") == \
        ["output: 18 → 19"]
    assert chainmap.record_actual(ws, "L1", "2026-12-31", output=19, by="t") == []
    rows = ws.table("actuals")
    assert len(rows[rows["lead_id"] == "L0001"]) == 2
    assert chainmap.audit_log(ws, lead="L1")["detail"].iloc[-1] == \
        "actuals on 2026-12-31: output: 18 → 19"


@pytest.mark.parametrize("lead, kwargs, error, message", [
    ("L1", {"invested": -2}, ArgumentError, "invested= must be a number ≥ 0 (亿元), not '-2'"),
    ("L1", {"output": "nan"}, ArgumentError, "output= must be a number ≥ 0 (亿元), not 'nan'"),
    ("L1", {"jobs": "-1"}, ArgumentError, "jobs= must be a whole number ≥ 0, not '-1'"),
    ("L1", {}, ArgumentError, "no figure to record: give invested=, output=, tax= or jobs="),
    ("L6", {"invested": 1}, ArgumentError,
     "lead L0006 is at stage negotiating: actuals are for signed projects"),
    ("L99", {"invested": 1}, NotFoundError, "unknown lead 'L99'"),
])
def test_bad_actuals_write_nothing(ws, lead, kwargs, error, message):
    before = ws.table("actuals")
    with pytest.raises(error) as caught:
        chainmap.record_actual(ws, lead, "2027-01-31", **kwargs)
    assert str(caught.value).startswith(message)
    pd.testing.assert_frame_equal(ws.table("actuals"), before)


def test_actuals_need_a_date(ws):
    with pytest.raises(ArgumentError, match=r"^actuals need the date of their figures"):
        chainmap.record_actual(ws, "L1", None, invested=1)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="^invalid date '2027-02-30' for date="):
        chainmap.record_actual(ws, "L1", "2027-02-30", invested=1)
