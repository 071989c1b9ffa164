"""chainmap log: the audit log of every change to leads and firms."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import chainmap


@pytest.fixture
def srun(run, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


def test_every_change_is_logged(srun, monkeypatch):
    srun("leads", "add", "gree", "--product", "compressor", "--owner", "王磊",
         "--investment", "15", "--by", "王磊", "--date", "2026-06-01")           # L0013
    srun("leads", "move", "L13", "contacted", "--date", "2026-06-10", "--note", "call")
    srun("leads", "update", "L13", "--owner", "李娜")
    srun("leads", "log", "L13", "--kind", "visit", "--note", "plant tour")
    srun("leads", "follow-up", "L13", "--due", "2026-07-01", "--note", "offer")
    srun("leads", "done", "F1")
    monkeypatch.delenv("CHAINMAP_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "osuser")
    srun("leads", "move", "L13", "lost", "--reason", "chose 江西")
    rows = json.loads(srun("log", "--lead", "L0013", "--format", "json").stdout)
    assert [(r["action"], r["by"]) for r in rows] == [
        ("add", "王磊"), ("move", "tester"), ("update", "tester"), ("activity", "tester"),
        ("follow-up", "tester"), ("done", "tester"), ("move", "osuser")]
    assert rows[0]["detail"] == ("gree / compressor at stage lead, source other, owner 王磊, "
                                 "15 亿元")
    assert rows[1]["detail"] == "lead → contacted on 2026-06-10; note: call"
    assert rows[2]["detail"] == "owner: 王磊 → 李娜"
    assert rows[6]["detail"].endswith("contacted → lost on "
                                      f"{dt.date.today().isoformat()}; reason: chose 江西")
    assert all(r["lead_id"] == "L0013" for r in rows)


def test_imports_are_logged(srun):
    rows = json.loads(srun("log", "--format", "json").stdout)
    assert rows[0]["entity"] == "firm" and rows[0]["action"] == "import"
    assert rows[0]["detail"] == "imported dataset sample: 131 firm record(s) upserted"
    assert sum(r["action"] == "import" and r["entity_id"].startswith("L") for r in rows) == 12
    assert rows[-1]["detail"] == "imported leads.csv: 12 row(s), 12 new lead(s), 0 skipped"


def test_since_and_formats(srun):
    today = dt.date.today().isoformat()
    assert len(json.loads(srun("log", "--since", today, "--format", "json").stdout)) == 14
    assert json.loads(srun("log", "--since", "2999-01-01", "--format", "json").stdout) == []
    table = srun("log")
    assert table.stdout.startswith("at ") and "import" in table.stdout
    assert srun("log", "--format", "csv").stdout.startswith(
        "at,by,entity,entity_id,lead_id,action,detail")


def test_log_refusals(srun):
    result = srun("log", "--since", "yesterday")
    assert result.exit_code == 1 and result.stderr == (
        "Error: invalid date 'yesterday' for --since: not a date;"
        " use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日\n")
    result = srun("log", "--lead", "LX")
    assert result.exit_code == 1 and result.stderr == (
        "Error: 'LX' is not a lead id (like L0001 or L1)\n")
    assert json.loads(srun("log", "--lead", "L0999", "--format", "json").stdout) == []
