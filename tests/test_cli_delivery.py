"""``leads update`` commitments, ``leads actual``, ``projects delivery``, ``supervise`` and
``config stage-limit`` on the command line."""

from __future__ import annotations

import json

import openpyxl
import pytest

import chainmap
from tests.conftest import TINY, write_files


@pytest.fixture
def trun(run, tmp_path, monkeypatch):
    """``run`` against a workspace holding ``TINY`` and one signed project, L0001."""
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", write_files(tmp_path / "tiny", TINY)).exit_code == 0
    for args in (["leads", "add", "shcomp", "--product", "压缩机", "--owner", "王磊",
                  "--investment", "10", "--date", "2025-01-01"],
                 ["leads", "move", "L1", "signed", "--date", "2025-02-01"],
                 ["leads", "move", "L1", "started", "--date", "2025-04-01"],
                 ["leads", "move", "L1", "producing", "--date", "2025-12-01"],
                 ["leads", "add", "haoyue", "--product", "电容器", "--owner", "李娜",
                  "--date", "2026-01-01"],
                 ["leads", "move", "L2", "contacted", "--date", "2026-01-10"],
                 ["service", "assign", "haoyue", "--officer", "李娜", "--leader", "陈主任"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
    return run


def error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr.strip()


def ok(result) -> tuple[str, str]:
    assert result.exit_code == 0, result.output
    return result.stdout.strip(), result.stderr.strip()


def test_commitments_and_actuals(trun):
    _, err = ok(trun("leads", "update", "L1", "--land", "100", "--output", "20", "--tax",
                     "3000", "--jobs", "300", "--start-by", "2025-06-30", "--produce-by",
                     "2026-01-31"))
    assert err.splitlines() == ["land: (none) → 100", "output: (none) → 20",
                                "tax: (none) → 3000", "jobs: (none) → 300",
                                "start_by: (none) → 2025-06-30", "produce_by: (none) → 2026-01-31"]
    assert ok(trun("leads", "update", "L1", "--land", "100")) == ("", "nothing changed")
    assert ok(trun("leads", "update", "L1", "--produce-by", ""))[1] == \
        "produce_by: 2026-01-31 → (none)"
    _, err = ok(trun("leads", "actual", "L1", "--date", "2026-12-31", "--invested", "10.5",
                     "--output", "14", "--tax", "2800", "--jobs", "320"))
    assert err.splitlines() == ["invested: (none) → 10.5", "output: (none) → 14",
                                "tax: (none) → 2800", "jobs: (none) → 320"]
    out, err = ok(trun("projects", "delivery", "--as-of", "2027-03-01", "--format", "json"))
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["L0001"] and list(rows[0]) == chainmap.DELIVERY_COLUMNS
    assert {k: rows[0][k] for k in ("investment", "invested", "invested_share", "intensity",
                                    "output_per_mu", "actual_output_per_mu", "tax_per_mu",
                                    "actual_tax_per_mu", "jobs", "actual_jobs", "flags")} == {
        "investment": 10.0, "invested": 10.5, "invested_share": 1.05, "intensity": 1000.0,
        "output_per_mu": 2000.0, "actual_output_per_mu": 1400.0, "tax_per_mu": 30.0,
        "actual_tax_per_mu": 28.0, "jobs": 300, "actual_jobs": 320,
        "flags": ["below_output"]}
    assert err == "1 signed project(s), 1 flagged"
    out, _ = ok(trun("projects", "delivery", "--as-of", "2027-03-01", "--lang", "zh"))
    head, _, row = out.splitlines()
    assert head.split()[:3] == ["编号", "企业编号", "企业名称"] and "履约预警" in head
    assert row.endswith("未达产")


@pytest.mark.parametrize("args, message", [
    (["leads", "update", "L1", "--land", "-5"],
     "Error: --land must be a number ≥ 0 (亩), not '-5'"),
    (["leads", "update", "L1", "--output", "inf"],
     "Error: --output must be a number ≥ 0 (亿元), not 'inf'"),
    (["leads", "update", "L1", "--jobs", "12.5"],
     "Error: --jobs must be a whole number ≥ 0, not '12.5'"),
    (["leads", "update", "L1", "--start-by", "2026-01-01", "--produce-by", "2025-01-01"],
     "Error: --produce-by 2025-01-01 is before --start-by 2026-01-01: a project starts "
     "construction before it produces"),
    (["leads", "actual", "L1", "--date", "2026-12-31"],
     "Error: no figure to record: give --invested, --output, --tax or --jobs"),
    (["leads", "actual", "L1", "--date", "2026-12-31", "--tax", "nan"],
     "Error: --tax must be a number ≥ 0 (万元), not 'nan'"),
    (["leads", "actual", "L2", "--date", "2026-12-31", "--invested", "1"],
     "Error: lead L0002 is at stage contacted: actuals are for signed projects (signed, "
     "started, producing)"),
    (["leads", "actual", "L9", "--date", "2026-12-31", "--invested", "1"],
     "Error: unknown lead 'L9'"),
    (["projects", "delivery", "--as-of", "2027-02-30"],
     "Error: invalid date '2027-02-30' for --as-of: there is no such day;"),
])
def test_refusals(trun, db, args, message):
    assert error(trun(*args)).startswith(message)
    ws = chainmap.open(db)
    assert ws.table("commitments").empty and ws.table("actuals").empty
    ws.close()


def test_actual_needs_its_date(trun):
    result = trun("leads", "actual", "L1", "--invested", "1")
    assert result.exit_code == 2 and "Missing option '--date'" in result.stderr


def test_supervise(trun, tmp_path):
    assert ok(trun("service", "request", "haoyue", "扩建用地", "--kind", "土地", "--date",
                   "2026-02-01", "--due", "2026-03-01"))[0] == "R0001"
    out, err = ok(trun("supervise", "--as-of", "2026-03-10", "--format", "json"))
    rows = json.loads(out)
    assert list(rows[0]) == chainmap.SUPERVISE_COLUMNS
    assert [{k: r[k] for k in ("kind", "id", "light", "days", "limit", "escalate_to")}
            for r in rows] == [
        {"kind": "lead", "id": "L0002", "light": "red", "days": 59, "limit": 45,
         "escalate_to": "陈主任"},
        {"kind": "request", "id": "R0001", "light": "red", "days": 37, "limit": 28,
         "escalate_to": "陈主任"}]
    assert err == "2 red, 0 yellow"
    out, _ = ok(trun("supervise", "--as-of", "2026-03-10", "--lang", "zh"))
    assert out.splitlines()[0].split()[:4] == ["督办类型", "编号", "企业编号", "企业名称"]
    assert out.splitlines()[2].startswith("线索 ") and "红灯" in out.splitlines()[2]
    path = tmp_path / "督办单.xlsx"
    ok(trun("supervise", "--as-of", "2026-02-20", "--format", "xlsx", "-o", path, "--lang",
            "zh"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["李娜"]  # L2 (42 days of 45) yellow: to its owner
    sheet = book["李娜"]
    assert [c.value for c in sheet[1]][:2] == ["督办类型", "编号"]
    assert [c.value for c in sheet[2]][:2] == ["线索", "L0002"]
    ok(trun("supervise", "--as-of", "2025-01-01", "--format", "xlsx", "-o", path))
    assert openpyxl.load_workbook(path).sheetnames == ["supervise"]  # nothing to supervise
    assert error(trun("supervise", "--format", "xlsx")) == "Error: --format xlsx needs -o FILE.xlsx"


def test_stage_limits(trun):
    out, _ = ok(trun("config", "stage-limit", "--format", "csv"))
    assert out.splitlines() == ["stage,limit,default", "lead,30,30", "contacted,45,45",
                                "visited,60,60", "negotiating,90,90", "signed,180,180",
                                "started,365,365"]
    assert ok(trun("config", "stage-limit", "接洽", "60")) == ("60", "")
    assert ok(trun("config", "stage-limit", "contacted")) == ("60", "")
    out, _ = ok(trun("supervise", "--as-of", "2026-03-10", "--format", "json"))
    assert json.loads(out)[0]["light"] == "yellow"  # 59 days of 60
    assert ok(trun("config", "stage-limit", "contacted", "--unset")) == ("45", "")
    assert error(trun("config", "stage-limit", "producing", "30")).startswith(
        "Error: stage producing (投产) has no time limit")
    assert error(trun("config", "stage-limit", "married", "30")).startswith(
        "Error: unknown stage 'married'; stages:")
    assert error(trun("config", "stage-limit", "lead", "0")) == (
        "Error: DAYS must be a whole number of days ≥ 1, not '0'")
    assert error(trun("config", "stage-limit", "lead", "ten")) == (
        "Error: DAYS must be a whole number of days ≥ 1, not 'ten'")
    result = trun("config", "stage-limit", "lead", "10", "--unset")
    assert result.exit_code == 2 and "give DAYS or --unset, not both" in result.stderr
    log = json.loads(ok(trun("log", "--format", "json"))[0])
    assert [e["detail"] for e in log if e["entity"] == "stage"] == [
        "contacted: 45 → 60 days", "contacted: 60 → 45 days (default)"]
