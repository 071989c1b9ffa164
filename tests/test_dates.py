"""One date parser (issue 11): every form on the command line, in a leads file, in a
companies file and in a firm list, and the refusals with their exact messages."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import chainmap
from chainmap.dates import DATE_FORMS, parse_cell_date, parse_date
from chainmap.errors import ArgumentError
from chainmap.intake.firmlist import read_firm_list

from .conftest import write_files

#: Every written form, and the day it means.
FORMS = {
    "2026-11-25": "2026-11-25",
    "2026-1-5": "2026-01-05",
    "2026/11/25": "2026-11-25",
    "2026.11.25": "2026-11-25",
    "2026年11月25日": "2026-11-25",
    "2026年1月5日": "2026-01-05",
    "２０２６－１１－２５": "2026-11-25",
    "２０２６年１月５日": "2026-01-05",
}
FORMS_TEXT = "use 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日"


def test_the_library_parser():
    assert {k: parse_date(k) for k in FORMS} == FORMS
    assert parse_date(dt.date(2026, 1, 5)) == "2026-01-05"
    assert parse_date(dt.datetime(2026, 1, 5, 23, 59)) == "2026-01-05"
    assert parse_date(None) is None
    assert DATE_FORMS in str(pytest.raises(ArgumentError, parse_date, "x").value)
    with pytest.raises(ArgumentError) as bad:
        parse_date("2026-02-30", "due")
    assert str(bad.value) == \
        f"invalid date '2026-02-30' for due=: there is no such day; {FORMS_TEXT}"
    assert bad.value.parameter == "due"
    with pytest.raises(ArgumentError, match="for date=: not a date;"):
        parse_date("45000")  # an Excel number is a mistake on the command line
    assert parse_date("2026年1月5号") == parse_date("２０２６年１月５号") == "2026-01-05"
    assert parse_cell_date("2026年11月25号") == "2026-11-25"
    for mixed in ("2026-11/25", "2026/11-25", "2026-11-25日", "25.11.2026", "2026年11月",
                  "2026-11-25号"):
        with pytest.raises(ArgumentError):
            parse_date(mixed)
    assert parse_cell_date("45000") == "2023-03-15"
    assert parse_cell_date(45000) == "2023-03-15"
    assert parse_cell_date("45000.0") == "2023-03-15"
    assert [parse_cell_date(v) for v in ("", " ", "-", "无", None, float("nan"))] == [None] * 6


@pytest.fixture
def srun(run, monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "tester")
    assert run("import", chainmap.sample_path()).exit_code == 0
    return run


@pytest.mark.parametrize("given", list(FORMS))
def test_every_form_on_the_command_line(srun, db, given):
    day = FORMS[given]
    assert srun("leads", "add", "gree", "--date", given).stdout == "L0013\n"
    assert srun("leads", "move", "L0013", "contacted", "--date", given).exit_code == 0
    assert srun("leads", "log", "L0013", "--kind", "call", "--note", "x",
                "--date", given).exit_code == 0
    assert srun("leads", "follow-up", "L0013", "--due", given, "--note", "y").exit_code == 0
    assert srun("leads", "update", "L0013", "--contract-date", given).exit_code == 0
    assert srun("log", "--since", given).exit_code == 0
    card = chainmap.lead_details(chainmap.open(db), "L0013")
    assert card.history["date"].tolist() == [day, day]
    assert card.activities["date"].tolist() == [day]
    assert card.followups["due"].tolist() == [day]
    assert card.lead["contract_date"] == day


@pytest.mark.parametrize(("option", "args"), [
    ("--date", ("leads", "add", "gree")),
    ("--date", ("leads", "move", "L0001", "contacted")),
    ("--date", ("leads", "log", "L0001", "--kind", "call", "--note", "x")),
    ("--due", ("leads", "follow-up", "L0001", "--note", "x")),
    ("--contract-date", ("leads", "update", "L0001")),
    ("--since", ("log",)),
])
def test_refusals_on_the_command_line(srun, option, args):
    for value, why in (("2026-02-30", "there is no such day"),
                       ("2026/13/1", "there is no such day"),
                       ("45000", "not a date"), ("next week", "not a date")):
        result = srun(*args, option, value)
        assert result.exit_code == 1, result.output
        assert result.stderr == f"Error: invalid date '{value}' for {option}: {why}; {FORMS_TEXT}\n"


def test_as_of_of_a_firm_list(run, tmp_path):
    path = write_files(tmp_path, {"f.csv": "企业名称,所在地区\n某厂,安徽省马鞍山市当涂县\n"})
    path = path / "f.csv"
    result = run("firms", "import", path, "--as-of", "2026年1月5日")
    assert result.exit_code == 0, result.output
    bad = run("firms", "import", path, "--as-of", "2026.2.30")
    assert bad.stderr == ("Error: invalid date '2026.2.30' for --as-of: there is no such day; "
                          f"{FORMS_TEXT}\n")


def test_every_form_in_a_leads_file(srun, tmp_path, db):
    values = [*FORMS, "46351"]  # and an Excel date number: 2026-11-25
    firms = ["aux", "yuemei", "haoyue", "jinda", "hansi", "zhongshang", "hongding", "guoxing",
             "jingwei"]
    text = "企业,日期\n" + "".join(f"{f},{v}\n" for f, v in zip(firms, values))
    path = write_files(tmp_path / "in", {"d.csv": text}) / "d.csv"
    result = srun("leads", "import", path)
    assert result.exit_code == 0, result.output
    ws = chainmap.open(db)
    days = [chainmap.lead_details(ws, lead).history["date"].tolist()[0]
            for lead in result.stdout.split()]
    assert days == [*FORMS.values(), "2026-11-25"]
    bad = write_files(tmp_path / "bad", {"d.csv": "企业,日期\naux,2026.2.30\n"}) / "d.csv"
    assert srun("leads", "import", bad).stderr.splitlines() == [
        "Error: 1 problem(s) found; nothing was imported",
        f"  d.csv:2: column '日期': value '2026.2.30': not a date: {FORMS_TEXT}"]


def test_every_form_in_a_companies_file_and_a_firm_list(tmp_path):
    rows = [*FORMS, "46351", ""]
    firms = "企业名称,所在地区,成立日期\n" + "".join(
        f"厂{k},安徽省马鞍山市当涂县,{v}\n" for k, v in enumerate(rows))
    path = write_files(tmp_path, {"f.csv": firms}) / "f.csv"
    listed = read_firm_list(path)
    assert listed.problems == []
    assert listed.frame["founded"].tolist() == [*FORMS.values(), "2026-11-25", None]
    bad = read_firm_list(write_files(tmp_path / "b", {"f.csv": (
        "企业名称,所在地区,成立日期\n甲厂,安徽省马鞍山市当涂县,2026年2月30日\n")}) / "f.csv")
    assert [(p.column, p.value, p.message) for p in bad.problems] == [
        ("成立日期", "2026年2月30日", f"not a date ({DATE_FORMS})")]


def test_every_form_in_a_companies_file(tmp_path):
    values = [*FORMS, "46351", ""]
    companies = "id,name,province,成立日期\n" + "".join(
        f"c{k},厂{k},安徽省,{v}\n" for k, v in enumerate(values))
    folder = write_files(tmp_path / "data", {"products.csv": "id,name\narm,工业机器人\n",
                                             "companies.csv": companies})
    ws = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(ws, folder)
    founded = ws.table("companies").set_index("id")["founded"]
    assert [founded[f"c{k}"] for k in range(len(values) - 1)] == [*FORMS.values(), "2026-11-25"]
    assert pd.isna(founded[f"c{len(values) - 1}"])
    bad = write_files(tmp_path / "bad", {"products.csv": "id,name\narm,工业机器人\n",
                                         "companies.csv": "id,name,province,成立日期\n"
                                                          "x,某厂,安徽省,2026/2/30\n"})
    with pytest.raises(chainmap.DatasetError) as info:
        chainmap.import_dataset(ws, bad)
    assert [(p.code, p.value, p.message) for p in info.value.problems] == [
        ("bad-date", "2026/2/30", f"not a date ({DATE_FORMS})")]
