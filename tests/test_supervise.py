"""Traffic lights (红黄绿灯): stage limits, lights, escalation and 督办单, on both stores.

The fixture is :mod:`tests.test_service`'s requests (R3 past due: red; R4 due in 2 days:
yellow; R6 green; R5 has no due date) and these leads, on 2026-03-10 with the default
limits (lead 30, contacted 45, visited 60, negotiating 90, signed 180, started 365):

=====  =======  ==========================  ====  =====  ======  ======================
lead   firm     stage since                 days  limit  light   escalate to
=====  =======  ==========================  ====  =====  ======  ======================
L1     shcomp   lead 2026-02-20             18    30     green   (24 days: yellow)
L2     shcomp   negotiating 2025-12-20      80    90     yellow  王磊 (owner)
L3     aux      signed 2025-08-01           221   180    red     陈主任 (aux's leader)
L4     haoyue   contacted 2026-01-10        59    45     red     李娜 (no leader: owner)
L5     shcomp   visited 2026-01-09          60    60     yellow  nobody (no owner)
L6     haoyue   started 2025-02-01          402   365    red     李娜
L7     shcomp   lost                        -     -      -       (not supervised)
=====  =======  ==========================  ====  =====  ======  ======================
"""

from __future__ import annotations

import pandas as pd
import pytest

import chainmap
from chainmap.errors import ArgumentError
from tests.conftest import TINY, write_files
from tests.test_service import setup_service

AS_OF = "2026-03-10"


def _lead(ws, firm, product, owner, created, *moves):
    lid = chainmap.add_lead(ws, firm, product=product, owner=owner, date=created, by="t",
                            force=True)
    for stage, date in moves:
        chainmap.move_lead(ws, lid, stage, date=date, by="t",
                           reason="chose 江西" if stage == "lost" else None)
    return lid


def setup_supervise(ws: chainmap.Workspace) -> None:
    """The requests of test_service and the leads of the module's table."""
    setup_service(ws)
    _lead(ws, "shcomp", "compressor", "王磊", "2026-02-20")
    _lead(ws, "shcomp", "capacitor", "王磊", "2025-12-01", ("negotiating", "2025-12-20"))
    _lead(ws, "aux", "ac-unit", "张超", "2025-06-01", ("signed", "2025-08-01"))
    _lead(ws, "haoyue", "compressor", "李娜", "2026-01-01", ("contacted", "2026-01-10"))
    _lead(ws, "shcomp", "ac-unit", None, "2025-01-01", ("visited", "2026-01-09"))
    _lead(ws, "haoyue", "ac-unit", "李娜", "2025-01-01", ("started", "2025-02-01"))
    _lead(ws, "shcomp", "capacitor", "王磊", "2025-01-01", ("lost", "2025-02-01"))


def setup_limits(ws: chainmap.Workspace) -> None:
    """The same, with the lead stage limited to 20 days and signed to 250."""
    setup_supervise(ws)
    chainmap.set_stage_limit(ws, "线索", 20, by="t")
    chainmap.set_stage_limit(ws, "signed", "250", by="t")


@pytest.fixture
def ws(tmp_path):
    w = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(w, write_files(tmp_path / "data", TINY))
    setup_supervise(w)
    yield w
    w.close()


def test_every_yellow_and_red_item_with_whom_it_goes_to(make_ws):
    ws = make_ws(TINY, setup_supervise)
    items = chainmap.supervise(ws, as_of=AS_OF)
    assert list(items.columns) == chainmap.SUPERVISE_COLUMNS
    shown = items[["kind", "id", "light", "days", "limit", "escalate_to"]].values.tolist()
    assert shown == [
        ["project", "L0003", "red", 221, 180, "陈主任"],
        ["project", "L0006", "red", 402, 365, "李娜"],
        ["lead", "L0004", "red", 59, 45, "李娜"],
        ["request", "R0003", "red", 37, 28, "陈主任"],
        ["lead", "L0005", "yellow", 60, 60, None],
        ["request", "R0004", "yellow", 9, 11, "李娜"],
        ["lead", "L0002", "yellow", 80, 90, "王磊"],
    ]
    l3 = items.set_index("id").loc["L0003"]
    assert l3[["company", "stage", "since", "due", "owner", "leader"]].tolist() == \
        ["aux", "signed", "2025-08-01", "2026-01-28", "张超", "陈主任"]
    r4 = items.set_index("id").loc["R0004"]
    assert r4[["company_name", "request_kind", "text", "since", "due", "owner", "leader"]] \
        .tolist() == ["安徽皓月电气有限公司", "labour", "熟练工 20 人", "2026-03-01", "2026-03-12",
                      "李娜", None]
    assert r4["stage"] is None


@pytest.mark.parametrize("day, lights", [
    ("2026-03-15", {}),                      # L1: 23 days of 30, green
    ("2026-03-16", {"L0001": "yellow"}),     # 24 days: 80% of the limit
    ("2026-03-22", {"L0001": "yellow"}),     # 30 days: at the limit, still yellow
    ("2026-03-23", {"L0001": "red"}),        # 31 days: past it
])
def test_the_light_edges_of_a_stage(make_ws, day, lights):
    ws = make_ws(TINY, setup_supervise)
    items = chainmap.supervise(ws, as_of=day).set_index("id")
    assert {i: items.loc[i, "light"] for i in items.index if i == "L0001"} == lights


@pytest.mark.parametrize("day, light", [
    ("2026-03-08", None),       # 4 days before due
    ("2026-03-09", "yellow"),   # 3 days before
    ("2026-03-12", "yellow"),   # the due date
    ("2026-03-13", "red"),      # past it
])
def test_the_light_edges_of_a_request(make_ws, day, light):
    ws = make_ws(TINY, setup_supervise)
    items = chainmap.supervise(ws, as_of=day).set_index("id")
    assert (items.loc["R0004", "light"] if "R0004" in items.index else None) == light


def test_a_closed_request_and_an_earlier_day(make_ws):
    ws = make_ws(TINY, setup_supervise)
    # on 2026-02-15 R2 (due 2026-02-10, closed 2026-02-20) was open and red; L4 had 36 days
    items = chainmap.supervise(ws, as_of="2026-02-15").set_index("id")
    assert items.loc["R0002", ["light", "escalate_to"]].tolist() == ["red", "陈主任"]
    assert items.loc["L0004", ["light", "days"]].tolist() == ["yellow", 36]
    assert "R0002" not in chainmap.supervise(ws, as_of=AS_OF)["id"].tolist()
    # leads created later are not there yet
    assert "L0001" not in items.index


def test_stage_limits_set_and_pushed(make_ws):
    ws = make_ws(TINY, setup_limits)
    limits = chainmap.stage_limits(ws).set_index("stage")
    assert limits["limit"].tolist() == [20, 45, 60, 90, 250, 365]
    assert limits["default"].tolist() == [30, 45, 60, 90, 180, 365]
    items = chainmap.supervise(ws, as_of=AS_OF).set_index("id")
    assert items.loc["L0001", ["light", "days", "limit"]].tolist() == ["yellow", 18, 20]
    assert items.loc["L0003", ["light", "limit", "escalate_to"]].tolist() == \
        ["yellow", 250, "张超"]  # yellow goes to the owner, not the leader


def test_supervision_orders_one_per_person(make_ws):
    ws = make_ws(TINY, setup_supervise)
    orders = chainmap.supervision_orders(chainmap.supervise(ws, as_of=AS_OF))
    assert list(orders) == ["李娜", "王磊", "陈主任", "(unassigned)"]
    assert orders["李娜"]["id"].tolist() == ["L0006", "L0004", "R0004"]
    assert orders["陈主任"]["id"].tolist() == ["L0003", "R0003"]
    assert orders["(unassigned)"]["id"].tolist() == ["L0005"]
    with chainmap.use_language("zh"):
        assert list(chainmap.supervision_orders(chainmap.supervise(ws, as_of=AS_OF)))[-1] \
            == "未指定"


def test_set_stage_limit_is_audited_and_can_be_unset(ws):
    assert chainmap.set_stage_limit(ws, "洽谈", 60, by="t") == 60
    assert chainmap.set_stage_limit(ws, "negotiating", None, by="t") == 90
    log = chainmap.audit_log(ws)
    assert log[log["entity"] == "stage"]["detail"].tolist() == [
        "negotiating: 90 → 60 days", "negotiating: 60 → 90 days (default)"]
    assert ws.table("stage_limits").empty


def test_the_signed_limit_follows_overdue_days_until_set(ws):
    chainmap.set_overdue_days(ws, 250)
    assert chainmap.stage_limits(ws).set_index("stage").loc["signed"].tolist() == [250, 250]
    assert chainmap.supervise(ws, as_of=AS_OF).set_index("id").loc["L0003", "light"] == \
        "yellow"
    chainmap.set_stage_limit(ws, "signed", 200)
    assert chainmap.supervise(ws, as_of=AS_OF).set_index("id").loc["L0003", "light"] == "red"


@pytest.mark.parametrize("stage, days, message", [
    ("married", 3, "unknown stage 'married'; stages: lead/线索"),
    ("producing", 3, "stage producing (投产) has no time limit: a lead there is done; "
                     "stages with one: lead/线索, contacted/接洽, visited/考察, negotiating/洽谈, "
                     "signed/签约, started/开工"),
    ("终止", 3, "stage lost (终止) has no time limit"),
    ("lead", 0, "days= must be a whole number of days ≥ 1, not '0'"),
    ("lead", "2.5", "days= must be a whole number of days ≥ 1, not '2.5'"),
    ("lead", "soon", "days= must be a whole number of days ≥ 1, not 'soon'"),
])
def test_bad_stage_limits_write_nothing(ws, stage, days, message):
    audited = len(chainmap.audit_log(ws))
    with pytest.raises(ArgumentError) as caught:
        chainmap.set_stage_limit(ws, stage, days)
    assert str(caught.value).startswith(message)
    assert ws.table("stage_limits").empty and len(chainmap.audit_log(ws)) == audited


def test_nothing_to_supervise(tmp_path):
    empty = chainmap.open(tmp_path / "empty.db")
    items = chainmap.supervise(empty, as_of=AS_OF)
    assert items.empty and list(items.columns) == chainmap.SUPERVISE_COLUMNS
    assert chainmap.supervision_orders(items) == {}
    pd.testing.assert_frame_equal(chainmap.stage_limits(empty),
                                  pd.DataFrame({"stage": list(chainmap.DEFAULT_STAGE_LIMITS),
                                                "limit": list(chainmap.DEFAULT_STAGE_LIMITS
                                                              .values()),
                                                "default": list(chainmap.DEFAULT_STAGE_LIMITS
                                                                .values())}))


def test_stages_with_a_limit_listed_in_chinese(ws):
    """Under zh the stages that have a limit are listed as Chinese lists them (、), as an
    unknown stage's are."""
    from chainmap.i18n import use_language

    with use_language("zh"), pytest.raises(ArgumentError) as caught:
        chainmap.set_stage_limit(ws, "投产", 3)
    assert str(caught.value).endswith(
        "lead/线索、contacted/接洽、visited/考察、negotiating/洽谈、signed/签约、started/开工")


# -- the 督办单 workbook: a public function, the command a wrapper (the sample) -------------


def _book(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()]
            for sheet in book}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_supervision_workbook_is_what_the_command_writes(sample_ws, tmp_path, lang):
    from click.testing import CliRunner

    from chainmap.cli import main

    chainmap.sample_service(sample_ws)
    mine = chainmap.supervision_workbook(sample_ws, tmp_path / "mine.xlsx",
                                         as_of="2026-11-27", lang=lang)
    assert mine == tmp_path / "mine.xlsx"
    r = CliRunner().invoke(main, ["--db", sample_ws.location, "supervise", "--as-of",
                                  "2026-11-27", "-o", str(tmp_path / "cli.xlsx"),
                                  "--lang", lang], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    book = _book(mine)
    assert book == _book(tmp_path / "cli.xlsx")
    assert list(book) == ["张超", "李娜", "王磊"]  # one sheet per person, by name
    header, first = book["王磊"][0], book["王磊"][1]
    row = dict(zip(header, first, strict=True))
    if lang == "zh":
        assert header[:4] == ["督办类型", "编号", "企业编号", "企业名称"]
        assert row["灯色"] == "红灯" and row["企业名称"] == "凯越电子（宁波）有限公司"
    else:
        assert header[:4] == ["kind", "id", "company", "company_name"]
        assert row["light"] == "red" and row["escalate_to"] == "王磊"
    # the items given are those written; nothing to supervise: one empty sheet
    items = chainmap.supervise(sample_ws, as_of="2026-11-27")
    given = chainmap.supervision_workbook(sample_ws, tmp_path / "given.xlsx", items,
                                          lang=lang)
    assert _book(given) == book
    empty = chainmap.supervision_workbook(sample_ws, tmp_path / "empty.xlsx",
                                          items.iloc[:0], lang="en")
    assert list(_book(empty)) == ["supervise"] and len(_book(empty)["supervise"]) == 1


def test_a_person_with_a_control_character_gets_a_workbook_excel_opens(sample_ws, tmp_path):
    # an owner typed with a stray control character (pasted from a terminal or a form)
    # names a sheet: the workbook must stay well-formed XML, the sheet name readable
    chainmap.sample_service(sample_ws)
    lead = chainmap.list_leads(sample_ws)["id"].iloc[0]
    chainmap.update_lead(sample_ws, lead, owner="王\x01磊\u202e")
    items = chainmap.supervise(sample_ws, as_of="2026-11-27")
    assert "王\x01磊\u202e" in set(items["escalate_to"])
    book = _book(chainmap.supervision_workbook(sample_ws, tmp_path / "督办单.xlsx", items,
                                               lang="zh"))
    assert "王＼x01磊＼u202e" in book  # the characters written as escapes, none dropped
    assert all(ch.isprintable() for title in book for ch in title)


def test_an_owner_stored_with_a_space_before_gets_one_sheet(tmp_path):
    """王 磊 stored by an older import is 王磊 (names.person_name): one 督办单, not two
    (session 10 review)."""
    import sqlite3

    path = tmp_path / "w.db"
    ws = chainmap.open(path)
    chainmap.import_dataset(ws, chainmap.sample_path())
    chainmap.sample_service(ws)
    items = chainmap.supervise(ws, as_of="2026-11-27")
    mine = items.loc[items["escalate_to"] == "王磊", "id"].tolist()
    lead = next(i for i in mine if str(i).startswith("L"))
    ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE leads SET owner = '王 磊' WHERE id = ?", (lead,))
    ws = chainmap.open(path)
    items = chainmap.supervise(ws, as_of="2026-11-27")
    assert items.loc[items["escalate_to"] == "王磊", "id"].tolist() == mine
    assert list(chainmap.supervision_orders(items)) == ["张超", "李娜", "王磊"]
    ws.close()
