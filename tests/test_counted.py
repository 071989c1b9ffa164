"""Counts of a table's rows in words (``chainmap.i18n.counted``): one row in the singular,
every table of a workspace in words of its own, in English and Chinese."""

from __future__ import annotations

import re

import pytest

import chainmap
from chainmap.i18n import counted, use_language
from chainmap.store import SQLiteStore


def _tables(tmp_path) -> list[str]:
    store = SQLiteStore(tmp_path / "ws.db")
    try:
        return [name for (name,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\'").fetchall()]
    finally:
        store.close()


def test_every_table_of_a_workspace_is_counted_in_words_of_its_own(tmp_path):
    tables = _tables(tmp_path)
    assert {"chains", "companies", "lead_events", "audit", "meta"} <= set(tables)
    for table in tables:
        one, many = counted(1, table, "en"), counted(2, table, "en")
        assert one.startswith("1 ") and many.startswith("2 "), table
        assert "_" not in one + many, (table, one, many)  # words, not the table's name
        assert one[2:] != many[2:], (table, one, many)  # a singular of its own
        zh = counted(2, table, "zh")
        assert re.fullmatch(r"[\u4e00-\u9fff]+ 2 [\u4e00-\u9fff]", zh), (table, zh)
        assert counted(1, table, "zh") == zh.replace(" 2 ", " 1 ")


def test_a_table_without_words_is_named_by_its_label():
    assert counted(3, "somewhere_else", "en") == "3 somewhere_else"


@pytest.mark.parametrize(("n", "table", "en", "zh"), [
    (1, "chains", "1 chain", "产业链 1 条"),
    (17, "chains", "17 chains", "产业链 17 条"),
    (1, "companies", "1 company", "企业 1 家"),
    (0, "supplies", "0 supplies", "供货关系 0 条"),
    (1, "followups", "1 follow-up", "跟进事项 1 条"),
])
def test_counted(n, table, en, zh):
    assert counted(n, table, "en") == en
    assert counted(n, table, "zh") == zh
    with use_language("zh"):
        assert counted(n, table) == zh


def test_the_merge_log_counts_one_capability_in_the_singular(sample_ws):
    chainmap.merge_firms(sample_ws, "kaiyue", "kaiyue-2", apply=True, by="王磊")
    log = chainmap.audit_log(sample_ws)
    detail = log["detail"][log["action"] == "merge"].iloc[-1]
    assert "moved 1 capability, 0 supplies" in detail, detail


def test_a_push_summary_counts_one_row_in_the_singular():
    pytest.importorskip("neo4j")
    from chainmap.cli.neo4j import _pushed
    from chainmap.store.neo4j import PushResult

    added = PushResult({"companies": 1, "product_chains": 4, "chains": 1, "products": 0})
    added.changed, added.deleted = {"companies": 1}, {}
    assert _pushed(added) == "added 1 chain, 0 products, 1 company; 1 row changed, 0 removed"
    added.changed = {"companies": 2}
    with use_language("zh"):
        assert _pushed(added) == \
            "新增产业链 1 条、产品 0 个、企业 1 家；另更新记录 2 条、删除 0 条"
