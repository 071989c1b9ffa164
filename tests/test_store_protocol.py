"""The store seam: both stores implement the whole Store protocol, every table of the
column registry exists in each store, and transactions nest."""

from __future__ import annotations

from pathlib import Path

import pytest

import chainmap
from chainmap.errors import WorkspaceError
from chainmap.store import SQLiteStore, Store
from chainmap.store.base import CRM_COLUMNS, TABLE_COLUMNS
from chainmap.store.neo4j import Neo4jStore

CYPHER = Path(__file__).resolve().parents[1] / "cypher"
#: Every method and attribute the protocol declares (``location`` is set per instance).
MEMBERS = sorted(({n for n in vars(Store) if not n.startswith("_")}
                  | set(Store.__annotations__)) - {"location"})


@pytest.mark.parametrize("cls", [SQLiteStore, Neo4jStore])
def test_both_stores_implement_the_protocol(cls):
    assert len(MEMBERS) > 25 and "write_pipeline" in MEMBERS
    missing = [n for n in MEMBERS if not hasattr(cls, n)]
    assert not missing
    for flag in ("writable", "keeps_leads", "computes_gaps"):
        assert isinstance(getattr(cls, flag), bool)


def test_what_each_store_can_do():
    assert (SQLiteStore.writable, SQLiteStore.keeps_leads, SQLiteStore.computes_gaps) == \
        (True, True, False)
    assert (Neo4jStore.writable, Neo4jStore.keeps_leads, Neo4jStore.computes_gaps) == \
        (False, True, True)


@pytest.mark.parametrize("name", [*TABLE_COLUMNS, *CRM_COLUMNS])
def test_every_registered_table_is_in_both_stores(name, tmp_path):
    columns = TABLE_COLUMNS.get(name) or CRM_COLUMNS[name]
    store = SQLiteStore(tmp_path / "w.db")
    stored = tuple(r[1] for r in store.conn.execute(f"PRAGMA table_info({name})"))
    store.close()
    assert set(columns) <= set(stored)
    for query in ("read", "push", "keys", "delete") + (
            ("count", "create") if name in TABLE_COLUMNS else ()):
        assert (CYPHER / f"{query}_{name}.cypher").is_file(), f"{query}_{name}.cypher"


def test_neo4j_pipeline_writes_are_refused_with_todays_message():
    store = Neo4jStore.__new__(Neo4jStore)  # no server needed: refused before any query
    store.location = "bolt://db:7687"
    for write in (store.transaction, lambda: store.add_lead({}, {}),
                  lambda: store.audit({}), lambda: store.merge_firms("a", "b", {}, None, "t")):
        with pytest.raises(WorkspaceError) as err:
            write()
        assert str(err.value) == (
            "the lead pipeline needs the embedded SQLite workspace; bolt://db:7687 holds a "
            "pushed copy that only reports read: change leads in the SQLite workspace, then "
            'push it with chainmap.push(ws, "bolt://db:7687")')
        assert err.value.topic == "pushed-pipeline"


@pytest.mark.parametrize("location", ['bolt://db:7687/a"b', "C:\\neo4j\\zone", "it's", "\"'\\"])
def test_the_push_snippet_is_python_whatever_the_location_holds(location):
    """The refusal ends with ``chainmap.push(ws, ...)``: a location with a quote or a
    backslash in it was put between double quotes as it was, and the snippet did not
    parse (or named another location)."""
    import ast

    store = Neo4jStore.__new__(Neo4jStore)
    store.location = location
    with pytest.raises(WorkspaceError) as err:
        store.audit({})
    message = str(err.value)
    snippet = message[message.index("chainmap.push("):]
    call = ast.parse(snippet, mode="eval").body
    assert isinstance(call, ast.Call) and ast.literal_eval(call.args[1]) == location
    assert message.startswith(f"the lead pipeline needs the embedded SQLite workspace; "
                              f"{location} holds")
    assert err.value.values == {"location": location}


def test_transactions_nest_and_roll_back_as_one(tmp_path):
    ws = chainmap.open(tmp_path / "w.db")
    chainmap.import_dataset(ws, chainmap.sample_path())
    store, rev = ws.store, ws.store.revision()
    with pytest.raises(RuntimeError), store.transaction():
        store.audit({"at": "t", "by": "me", "entity": "lead", "entity_id": "L0001",
                     "lead_id": "L0001", "action": "x", "detail": "y"})
        with store.transaction():  # joins the outer one
            store.set_config("home", "340521")
        raise RuntimeError("boom")
    assert store.revision() == rev and store.get_config("home") is None
    assert not (ws.table("audit")["action"] == "x").any()
    with store.transaction(), store.transaction():
        store.set_config("home", "340521")
    assert store.revision() == rev + 1 and store.get_config("home") == "340521"


def test_demo_check_reads_a_file_without_opening_it_as_a_workspace(tmp_path):
    assert SQLiteStore.peek_config(tmp_path / "none.db", "demo") is None
    (tmp_path / "text.db").write_text("not a database")
    assert SQLiteStore.peek_config(tmp_path / "text.db", "demo") is None
    ws = chainmap.open(tmp_path / "w.db")
    ws.store.set_config("demo", "1")
    ws.close()
    assert SQLiteStore.peek_config(tmp_path / "w.db", "demo") == "1"


def test_a_setting_is_read_from_a_path_a_uri_would_cut(tmp_path):
    """``#``, ``?`` and ``%`` in a folder or file name (招商#2 资料, 100%) are part of the
    path, not a URI's fragment or query: the setting is still read."""
    folder = tmp_path / "招商#2 资料 100%"
    folder.mkdir()
    ws = chainmap.open(folder / "ws?v=1.db")
    ws.store.set_config("lang", "zh")
    ws.close()
    assert SQLiteStore.peek_config(folder / "ws?v=1.db", "lang") == "zh"


@pytest.mark.parametrize("topic", ["push-import", "push-firms", "push-review", "push-chains"])
@pytest.mark.parametrize("location", ["bolt://db:7687", 'bolt://a"b', "bolt://a\\b"])
def test_every_push_first_snippet_is_python_whatever_the_location(topic, location):
    """The snippet ``chainmap.push(ws, ...)`` of each refusal parses and names the location
    (as the pipeline's does), whatever quote or backslash the location holds."""
    import ast

    from chainmap.store.base import push_first_error

    message = str(push_first_error(topic, location))
    start = message.index("chainmap.push(")
    call = ast.parse(message[start:message.index(")", start) + 1], mode="eval").body
    assert isinstance(call, ast.Call) and ast.literal_eval(call.args[1]) == location
