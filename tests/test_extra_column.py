"""Extra attributes sit in a column called ``extra`` (``attrs`` is pandas'
``DataFrame.attrs``); workspaces and Neo4j databases made with ``attrs`` still read."""

from __future__ import annotations

import json
import re
import sqlite3
import textwrap

import pytest

import chainmap
from chainmap.store import TABLE_COLUMNS, SQLiteStore
from chainmap.store.base import CRM_COLUMNS
from chainmap.store.sqlite.migrations import MIGRATIONS
from tests.conftest import TINY, write_files


def test_the_column_is_extra_everywhere():
    for columns in (*TABLE_COLUMNS.values(), *CRM_COLUMNS.values()):
        assert "attrs" not in columns
    assert {n for n, c in {**TABLE_COLUMNS, **CRM_COLUMNS}.items() if "extra" in c} == {
        "chains", "products", "companies", "leads"}


def test_a_workspace_at_schema_2_is_upgraded_in_place(tmp_path):
    db = tmp_path / "old.db"
    SQLiteStore(db, migrations=MIGRATIONS[:2]).close()  # as the previous chainmap made it
    with sqlite3.connect(db) as conn:
        assert "attrs" in {r[1] for r in conn.execute("PRAGMA table_info(companies)")}
        conn.execute("INSERT INTO chains (id, name, attrs) VALUES ('c', '链', ?)",
                     (json.dumps({"备注": "旧"}, ensure_ascii=False),))
        conn.execute("INSERT INTO companies (id, name, province, region_code, province_code, "
                     "attrs) VALUES ('f', '厂', '安徽省', '340000', '340000', ?)",
                     (json.dumps({"联系人": "张超"}, ensure_ascii=False),))
        conn.execute("INSERT INTO leads (id, seq, company_id, stage, source, attrs, created, "
                     "created_by, updated) VALUES ('L0001', 1, 'f', 'lead', 'other', ?, "
                     "'2026-01-01', 't', '2026-01-01')", ('{"拜访次数": "3"}',))
    with chainmap.open(db) as ws:
        assert ws.store.schema_version() == len(MIGRATIONS) >= 3
        companies = ws.table("companies").set_index("id")
        assert json.loads(companies.loc["f", "extra"]) == {"联系人": "张超"}
        assert companies.attrs == {}  # pandas' own metadata, no longer shadowed
        assert json.loads(ws.table("chains").set_index("id").loc["c", "extra"]) == {"备注": "旧"}
        assert chainmap.lead_details(ws, "L1").lead["extra"] == {"拜访次数": "3"}
        for table in ("chains", "products", "companies", "leads"):
            columns = {r[1] for r in ws.store.conn.execute(f"PRAGMA table_info({table})")}
            assert "extra" in columns and "attrs" not in columns


def test_extra_columns_of_a_file_round_trip(tmp_path):
    files = dict(TINY)
    header, *rows = textwrap.dedent(files["companies.csv"]).strip("\n").splitlines()
    files["companies.csv"] = "\n".join([header + ",联系人", *(r + ",张超" for r in rows)]) + "\n"
    folder = write_files(tmp_path / "in", files)
    with chainmap.open(tmp_path / "ws.db") as ws:
        chainmap.import_dataset(ws, folder)
        assert ws.table("companies")["extra"].map(json.loads).map(
            lambda d: d["联系人"]).eq("张超").all()
        chainmap.export_dataset(ws, tmp_path / "out")
    text = (tmp_path / "out" / "companies.csv").read_text("utf-8-sig")
    assert "联系人" in text.splitlines()[0] and "extra" not in text.splitlines()[0]


def test_a_neo4j_database_pushed_with_attrs_still_reads(neo4j_store, sample_ws):
    chainmap.push(sample_ws, neo4j_store)
    # as an older chainmap left it: the property attrs, no extra (and no row hash, no
    # digests: a push compares such a database row by row)
    neo4j_store._run("MATCH (c:Company {id: 'aux'}) SET c.attrs = $a REMOVE c.extra, c._h",
                     a='{"备注": "旧"}')
    neo4j_store._run("MATCH (m:ChainmapMeta) WHERE m.key STARTS WITH 'digest' DELETE m")
    neo4j_store.run("revision_bump")  # as the older chainmap's push did
    companies = neo4j_store.table("companies").set_index("id")
    assert companies.loc["aux", "extra"] == '{"备注": "旧"}'
    chainmap.push(sample_ws, neo4j_store)  # a push writes extra and removes attrs
    left = neo4j_store._run("MATCH (n) WHERE n.attrs IS NOT NULL RETURN count(n) AS n")
    assert left[0]["n"] == 0
    assert neo4j_store.table("companies").set_index("id").loc["aux", "extra"] == \
        sample_ws.table("companies").set_index("id").loc["aux", "extra"]


@pytest.mark.parametrize("name", ["chains", "products", "companies", "leads"])
def test_the_cypher_reads_and_pushes_extra(name):
    from chainmap.store.neo4j import query

    read = query(f"read_{name}")
    # a row's extra attributes, from a database that named them attrs too; the chain
    # tables come back as one record of rows (each the table's columns, extra last)
    assert re.search(r"coalesce\(\w\.extra, \w\.attrs\)(\]\) AS rows| AS extra)", read)
    assert "attrs AS" not in read
    assert ".extra = r.extra" in query(f"push_{name}")
    assert "REMOVE" in query(f"push_{name}")
