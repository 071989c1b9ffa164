"""Schema v4: products know their words, firms their status, links theirs
(``write_links``), and the reports' view of live data (``Workspace._live``)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

import chainmap
from chainmap.errors import ArgumentError, NotFoundError
from chainmap.store import SQLiteStore
from chainmap.store.base import LINK_COLUMNS, TABLE_COLUMNS
from chainmap.store.sqlite.migrations import MIGRATIONS
from tests.conftest import TINY, write_files


def _links(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))


@pytest.fixture
def ws(tmp_path):
    w = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(w, write_files(tmp_path / "data", TINY))
    yield w
    w.close()


def test_v3_workspace_upgrades_in_place(tmp_path):
    db = tmp_path / "old.db"
    old = SQLiteStore(db, migrations=MIGRATIONS[:3])  # as the previous chainmap made it
    old.conn.execute("INSERT INTO products (id, name) VALUES ('p', 'P')")
    old.conn.execute("INSERT INTO companies (id, name, province, region_code, province_code) "
                     "VALUES ('f', 'F', '安徽省', '340000', '340000')")
    old.conn.execute("INSERT INTO capabilities VALUES ('f', 'p')")
    old.close()
    store = SQLiteStore(db)
    assert store.schema_version() == 4
    caps = store.table("capabilities")
    assert list(caps.columns) == list(TABLE_COLUMNS["capabilities"])
    assert caps.iloc[0]["status"] == "confirmed" and caps.iloc[0]["evidence"] is None
    firms = store.table("companies")
    assert list(firms.columns) == list(TABLE_COLUMNS["companies"])
    assert firms.iloc[0]["status"] == "active"
    assert list(store.table("products").columns) == list(TABLE_COLUMNS["products"])
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE capabilities SET status = 'maybe'")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE companies SET status = 'gone'")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE capabilities SET evidence = 'some'")
    store.close()


def test_imported_links_are_confirmed(ws):
    caps = ws.table("capabilities")
    assert set(caps["status"]) == {"confirmed"}
    assert set(ws.table("companies")["status"]) == {"active"}


def test_write_links_suggest_never_touches_decided(ws):
    store = ws.store
    rev = store.revision()
    n = store.write_links(_links(
        ("aux", "compressor", None, "strong", "classify", "main_products", "压缩机"),
        ("haoyue", "capacitor", None, "weak", "classify", "scope", "电容器销售"),  # confirmed
    ), mode="suggest")
    assert n == 1 and store.revision() > rev
    caps = ws.table("capabilities").set_index(["company_id", "product_id"])
    assert caps.loc[("aux", "compressor"), "status"] == "suggested"
    assert caps.loc[("aux", "compressor"), "text"] == "压缩机"
    assert caps.loc[("haoyue", "capacitor"), "status"] == "confirmed"
    assert pd.isna(caps.loc[("haoyue", "capacitor"), "evidence"])
    # a suggestion still open is refreshed; nothing new is inserted
    assert store.write_links(_links(
        ("aux", "compressor", None, "medium", "classify", "scope", "压缩机制造")),
        mode="suggest") == 0
    row = ws.table("capabilities").set_index(["company_id", "product_id"]).loc[
        ("aux", "compressor")]
    assert (row["status"], row["evidence"], row["text"]) == ("suggested", "medium", "压缩机制造")
    # rejected: not suggested again, not refreshed
    assert store.write_links(_links(("aux", "compressor", "rejected", None, "person", None,
                                     None)), mode="decide") == 1
    assert store.write_links(_links(
        ("aux", "compressor", None, "strong", "classify", "scope", "x")), mode="suggest") == 0
    row = ws.table("capabilities").set_index(["company_id", "product_id"]).loc[
        ("aux", "compressor")]
    assert (row["status"], row["evidence"], row["text"]) == ("rejected", "medium", "压缩机制造")


def test_write_links_decide(ws):
    store = ws.store
    store.write_links(_links(("aux", "compressor", None, "strong", "classify", "scope",
                              "压缩机制造")), mode="suggest")
    # confirm a suggestion and insert a new confirmed pair; a repeat changes nothing
    decisions = _links(("aux", "compressor", "confirmed", None, "accept", None, None),
                       ("aux", "capacitor", "confirmed", None, "accept", None, None))
    assert store.write_links(decisions, mode="decide") == 2
    assert store.write_links(decisions, mode="decide") == 0
    row = ws.table("capabilities").set_index(["company_id", "product_id"]).loc[
        ("aux", "compressor")]
    assert (row["status"], row["source"], row["evidence"]) == ("confirmed", "accept", "strong")
    with pytest.raises(ArgumentError):  # a decision never sets a link back to suggested
        store.write_links(_links(("aux", "compressor", "suggested", None, "x", None, None)),
                          mode="decide")
    with pytest.raises(ArgumentError):
        store.write_links(decisions, mode="maybe")
    with pytest.raises(NotFoundError):
        store.write_links(_links(("nobody", "compressor", "confirmed", None, "x", None, None)),
                          mode="decide")
    # a person's reject turns a confirmed link rejected
    assert store.write_links(_links(("aux", "capacitor", "rejected", None, "person", None,
                                     None)), mode="decide") == 1


def test_write_links_joins_outer_transaction(ws):
    store = ws.store
    with pytest.raises(RuntimeError), store.transaction():
        store.write_links(_links(("aux", "compressor", None, "strong", "c", None, None)),
                          mode="suggest")
        raise RuntimeError
    assert ("aux", "compressor") not in set(zip(ws.table("capabilities")["company_id"],
                                                ws.table("capabilities")["product_id"]))


def test_neo4j_refuses_write_links():
    from chainmap.store.base import RefusesPipeline

    refuser = RefusesPipeline()
    refuser.location = "bolt://x"
    with pytest.raises(chainmap.WorkspaceError):
        refuser.write_links(_links(), mode="suggest")


def test_live_views(ws):
    # nothing closed or unconfirmed: the cached tables themselves
    for name in ("companies", "capabilities", "supplies"):
        assert ws._live(name) is ws._table(name)
    ws.store.write_links(_links(("aux", "compressor", None, "strong", "c", None, None)),
                         mode="suggest")
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = 'haoyue'")
    live = ws._live("capabilities")
    assert live is ws._live("capabilities")  # stable per revision
    assert set(zip(live["company_id"], live["product_id"])) == {("aux", "ac-unit"),
                                                                ("shcomp", "compressor")}
    assert "haoyue" not in set(ws._live("companies")["id"])
    assert len(ws._live("companies")) == 2
    assert ws._live("supplies").empty  # haoyue supplied aux
    with pytest.raises(NotFoundError):
        ws._live("products")
