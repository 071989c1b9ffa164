"""Events of a lead dated before the lead was created are refused (issue 14, item 2)."""

from __future__ import annotations

import pytest

import chainmap
from chainmap.errors import ArgumentError


@pytest.fixture
def lead(sample_ws):
    """L0013, created 2026-06-01, signed on 2026-06-20."""
    chainmap.add_lead(sample_ws, "gree", product="compressor", date="2026-06-01")
    chainmap.move_lead(sample_ws, "L13", "signed", date="2026-06-20")
    return sample_ws


def _writes(ws) -> tuple[int, int]:
    return ws.store.revision(), len(ws.table("audit"))


@pytest.mark.parametrize(("call", "parameter"), [
    (lambda ws: chainmap.move_lead(ws, "L13", "started", date="2026-05-31"), "date"),
    (lambda ws: chainmap.log_activity(ws, "L13", "call", "x", date="2026-05-31"), "date"),
    (lambda ws: chainmap.add_followup(ws, "L13", "2026-05-31", "x"), "due"),
    (lambda ws: chainmap.record_actual(ws, "L13", "2026-05-31", output=1), "date"),
    (lambda ws: chainmap.update_lead(ws, "L13", contract_date="2026-05-31"), "contract_date"),
], ids=["move", "activity", "follow-up", "actual", "contract-date"])
def test_an_event_before_the_lead_is_refused(lead, call, parameter):
    before = _writes(lead)
    with pytest.raises(ArgumentError) as err:
        call(lead)
    assert str(err.value) == (f"{parameter}= 2026-05-31 is before lead L0013 was created "
                              "(2026-06-01); a lead with earlier history is added with its "
                              "first date")
    assert err.value.parameter == parameter
    assert _writes(lead) == before  # nothing written


def test_the_day_it_was_created_and_later_are_fine(lead):
    chainmap.log_activity(lead, "L13", "call", "x", date="2026-06-01")
    chainmap.add_followup(lead, "L13", "2026-06-01", "x")
    chainmap.update_lead(lead, "L13", contract_date="2026-06-01")
    chainmap.record_actual(lead, "L13", "2026-06-02", output=1)
    # a move: its lead's last move's day or later (moves are kept in the order they
    # happened; the lead was signed on 2026-06-20)
    assert chainmap.move_lead(lead, "L13", "started", date="2026-06-20") == "started"


def test_backfilled_history_starts_with_the_lead(sample_ws):
    """A user backfilling history adds the lead with its first date, then the moves."""
    lid = chainmap.add_lead(sample_ws, "gree", product="compressor", date="2025-11-03")
    chainmap.move_lead(sample_ws, lid, "contacted", date="2025-11-10")
    chainmap.move_lead(sample_ws, lid, "visited", date="2026-01-05")
    events = chainmap.lead_details(sample_ws, lid).history
    assert events["date"].tolist() == ["2025-11-03", "2025-11-10", "2026-01-05"]


def test_command_line_names_the_option(run, tmp_path):
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("leads", "add", "gree", "--date", "2026-06-01").stdout == "L0013\n"
    r = run("leads", "move", "L13", "contacted", "--date", "2026-05-01")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr == ("Error: --date 2026-05-01 is before lead L0013 was created "
                        "(2026-06-01); a lead with earlier history is added with its first "
                        "date\n")
    r = run("leads", "follow-up", "L13", "--due", "2026-05-01", "--note", "x", "--lang", "zh")
    assert r.exit_code == 1
    assert r.stderr == ("错误：--due 2026-05-01 早于线索 L0013 的创建日期（2026-06-01）；"
                        "有更早经过的线索，请在添加时填写最早的日期\n")
