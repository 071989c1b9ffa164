"""Issue 13: ``chainmap.push`` sends only what changed since the last push to the same
database (the workspace's change log and the database's push mark), on the real server.

Each test ends with the database pulled back and compared with the workspace table by
table, and says whether the push was incremental or the full mirror.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from tests.test_store_neo4j import CuttingProxy, _every_table_equal, _pulled


@pytest.fixture
def synth_db(tmp_path):
    from chainmap.synth import synth

    synth(tmp_path / "synth", firms=2000, products=80, seed=7)
    db = tmp_path / "synth.db"
    ws = chainmap.open(db)
    chainmap.import_dataset(ws, tmp_path / "synth")
    ws.close()
    return db


def _change_one_percent(ws, step=100, factor=1.1):
    """Every ``step``-th firm's revenue times ``factor`` and one capability of each of
    them deleted (by SQL, in one write); the firms changed."""
    firms = ws.table("companies").sort_values("id").iloc[::step]
    with ws.store.transaction():
        conn = ws.store.conn
        for firm in firms["id"]:
            conn.execute("UPDATE companies SET revenue = coalesce(revenue, 1) * ? WHERE id = ?",
                         (factor, firm))
            conn.execute("DELETE FROM capabilities WHERE company_id = ? AND product_id = "
                         "(SELECT min(product_id) FROM capabilities WHERE company_id = ?)",
                         (firm, firm))
    return list(firms["id"])


def test_a_push_after_one_percent_changed_sends_only_the_changes(neo4j_store, synth_db,
                                                                  tmp_path):
    ws = chainmap.open(synth_db)
    first = chainmap.push(ws, neo4j_store)
    assert not first.incremental and first["companies"] == 2000
    idle = chainmap.push(ws, neo4j_store)
    assert idle.incremental and idle.changes == 0 and set(idle.changed.values()) == {0}
    changed = _change_one_percent(ws)
    again = chainmap.push(ws, neo4j_store)
    assert again.incremental
    assert again.changed["companies"] == len(changed) == 20
    assert again["companies"] == 0 and again.deleted["companies"] == 0
    assert again.deleted["capabilities"] == len(changed)
    assert again.changes == 2 * len(changed)  # one update, one deletion per firm
    _every_table_equal(_pulled(neo4j_store, tmp_path), ws)


def test_digests_kept_by_an_incremental_push_let_a_full_push_find_nothing(neo4j_store,
                                                                         synth_db):
    """The per-bucket digests an incremental push updates are those a full push computes:
    with the mark gone, the full mirror compares digests and sends nothing."""
    ws = chainmap.open(synth_db)
    chainmap.push(ws, neo4j_store)
    _change_one_percent(ws)
    assert chainmap.push(ws, neo4j_store).incremental
    neo4j_store.run("meta_delete", key="push_mark")
    full = chainmap.push(ws, neo4j_store)
    assert not full.incremental
    assert set(full.changed.values()) == {0} and set(full.deleted.values()) == {0}
    assert set(full.values()) == {0}


def test_new_and_deleted_firms_and_links_propagate(neo4j_store, synth_db, tmp_path):
    ws = chainmap.open(synth_db)
    chainmap.push(ws, neo4j_store)
    gone = ws.table("companies").sort_values("id")["id"].iloc[5]
    some = ws.table("companies").sort_values("id").iloc[10]
    with ws.store.transaction():
        conn = ws.store.conn
        conn.execute("DELETE FROM capabilities WHERE company_id = ?", (gone,))
        conn.execute("DELETE FROM supplies WHERE supplier_id = ? OR customer_id = ?",
                     (gone, gone))
        conn.execute("DELETE FROM companies WHERE id = ?", (gone,))
        conn.execute("INSERT INTO companies (id, name, province, region_code, province_code) "
                     "VALUES ('new-firm', '新企业', ?, ?, ?)",
                     (some["province"], some["region_code"], some["province_code"]))
        product = conn.execute("SELECT id FROM products ORDER BY id LIMIT 1").one()[0]
        conn.execute("INSERT INTO capabilities (company_id, product_id) VALUES "
                     "('new-firm', ?)", (product,))
        conn.execute("INSERT INTO supplies (supplier_id, customer_id) VALUES (?, 'new-firm')",
                     (some["id"],))
    again = chainmap.push(ws, neo4j_store)
    assert again.incremental
    assert again["companies"] == 1 and again.deleted["companies"] == 1
    assert again["capabilities"] == 1 and again["supplies"] == 1
    held = set(neo4j_store.table("companies")["id"])
    assert gone not in held and "new-firm" in held
    _every_table_equal(_pulled(neo4j_store, tmp_path), ws)


def test_a_database_another_workspace_pushed_to_gets_the_full_mirror(neo4j_store, synth_db,
                                                                     sample_ws, tmp_path):
    ws = chainmap.open(synth_db)
    chainmap.push(ws, neo4j_store)
    other = chainmap.push(sample_ws, neo4j_store)  # someone else's workspace
    assert not other.incremental and other.deleted["companies"] == 2000
    _change_one_percent(ws)
    back = chainmap.push(ws, neo4j_store)
    assert not back.incremental and back["companies"] == 2000
    _every_table_equal(_pulled(neo4j_store, tmp_path), ws)
    neo4j_store.clear()  # an emptied database: the full mirror again
    assert not chainmap.push(ws, neo4j_store).incremental
    assert chainmap.push(ws, neo4j_store).incremental


def test_a_copy_that_went_its_own_way_is_not_taken_for_the_original(neo4j_store, synth_db,
                                                                    tmp_path):
    ws = chainmap.open(synth_db)
    chainmap.push(ws, neo4j_store)
    ws.close()
    copy = tmp_path / "copy.db"
    shutil.copy(synth_db, copy)
    mine, theirs = chainmap.open(synth_db), chainmap.open(copy)
    _change_one_percent(theirs, step=50, factor=2.0)
    _change_one_percent(mine, step=70, factor=3.0)
    assert chainmap.push(theirs, neo4j_store).incremental  # the copy carries the mark
    pushed = chainmap.push(mine, neo4j_store)
    assert not pushed.incremental  # its log row at the copy's mark is another one
    _every_table_equal(_pulled(neo4j_store, tmp_path), mine)


def test_an_interrupted_incremental_push_leaves_no_mark_and_the_next_repairs(
        neo4j_store, synth_db, tmp_path, neo4j_uri, monkeypatch):
    ws = chainmap.open(synth_db)
    chainmap.push(ws, neo4j_store)
    _change_one_percent(ws, step=4)  # 500 firms: enough traffic to be cut midway
    ws.close()
    proxy = CuttingProxy(neo4j_uri, cut_after=40_000)
    monkeypatch.setenv("CHAINMAP_NEO4J_TIMEOUT", "2")
    r = CliRunner().invoke(main, ["--db", str(synth_db), "--neo4j-uri", proxy.uri, "neo4j",
                                  "push"])
    assert proxy.cut.is_set()
    assert r.exit_code == 1 and "was interrupted" in r.stderr, r.output
    assert neo4j_store.push_mark() is None and neo4j_store.push_state() == "incomplete"
    r = CliRunner().invoke(main, ["--db", str(synth_db), "--neo4j-uri", neo4j_uri, "neo4j",
                                  "push"])
    assert r.exit_code == 0, r.output
    assert "stopped midway; this push repairs it" in r.stderr
    assert "compared the whole workspace" in r.stderr
    ws = chainmap.open(synth_db)
    _every_table_equal(_pulled(neo4j_store, tmp_path), ws)
    r = CliRunner().invoke(main, ["--db", str(synth_db), "--neo4j-uri", neo4j_uri, "neo4j",
                                  "push"])
    assert "compared what 0 writes logged since the last push touched" in r.stderr, \
        r.stderr


def test_a_report_of_a_database_a_push_left_half_written_warns(
        neo4j_store, synth_db, tmp_path, neo4j_uri, monkeypatch):
    """A push is many transactions: a report of what one stopped midway left (or of one
    still running) says its figures may be partial, in the library and on the command
    line, in English and Chinese, and says nothing once a push has finished."""
    import warnings

    ws = chainmap.open(synth_db)
    chain = ws.table("chains")["id"].iloc[0]
    home = "安徽省/马鞍山市/当涂县"
    ws.close()
    proxy = CuttingProxy(neo4j_uri, cut_after=200_000)  # the first push, cut midway
    monkeypatch.setenv("CHAINMAP_NEO4J_TIMEOUT", "2")
    r = CliRunner().invoke(main, ["--db", str(synth_db), "--neo4j-uri", proxy.uri, "neo4j",
                                  "push"])
    assert proxy.cut.is_set() and r.exit_code == 1, r.output
    assert neo4j_store.push_state() == "incomplete"
    graph = chainmap.open(neo4j_uri)
    with pytest.warns(chainmap.PartialPushWarning, match="under way or stopped midway") as seen:
        chainmap.gaps(graph, chain, home=home)
    assert seen[0].filename == __file__  # the caller's line, not chainmap's
    assert str(seen[0].message).endswith("(chainmap.push finishes a stopped one)")

    def report(*extra: str):
        return CliRunner().invoke(main, ["--db", neo4j_uri, "gaps", "--chain", chain,
                                         "--home", home, "--format", "json", *extra])

    r = report()
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith(f"Warning: a push into {neo4j_store.uri} is under way or "
                               "stopped midway"), r.stderr
    assert "('chainmap neo4j push' finishes a stopped one)" in r.stderr
    r = report("--lang", "zh")
    assert r.exit_code == 0 and "警告：" in r.stderr and "推送" in r.stderr, r.stderr
    r = CliRunner().invoke(main, ["--db", str(synth_db), "--neo4j-uri", neo4j_uri, "neo4j",
                                  "push"])
    assert r.exit_code == 0, r.output
    with warnings.catch_warnings():
        warnings.simplefilter("error", chainmap.PartialPushWarning)
        full = chainmap.gaps(graph, chain, home=home)  # the push finished: no warning
    r = report()
    assert r.exit_code == 0 and "Warning" not in r.stderr, r.stderr
    ws = chainmap.open(synth_db)
    assert full.equals(chainmap.gaps(ws, chain, home=home))
    graph.close()


def test_the_cli_says_which_push_it_made(neo4j_store, synth_db, neo4j_uri):
    def push():
        r = CliRunner().invoke(main, ["--db", str(synth_db), "--neo4j-uri", neo4j_uri,
                                      "neo4j", "push"])
        assert r.exit_code == 0, r.output
        return r.stderr

    assert "compared the whole workspace" in push()
    ws = chainmap.open(synth_db)
    _change_one_percent(ws)
    ws.close()
    said = push()
    assert "writes logged since the last push touched" in said, said
    assert "20 rows changed" in said, said


def test_pandas_frames_of_a_few_rows_hash_as_in_the_whole_table():
    """A firm's row read on its own (no missing number: integer columns) hashes as it
    does inside the whole table (a missing number made the column float)."""
    from chainmap.store.neo4j import _row_hashes

    whole = pd.DataFrame({"id": ["a", "b"], "name": ["A", None],
                          "employees": [3.0, float("nan")], "revenue": [1.5, None]})
    alone = pd.DataFrame({"id": ["a"], "name": ["A"], "employees": [3], "revenue": [1.5]})
    nothing = pd.DataFrame({"id": ["b"], "name": [None], "employees": [None],
                            "revenue": [None]})
    both = _row_hashes("companies", whole)
    assert _row_hashes("companies", alone)[0] == both[0]
    assert _row_hashes("companies", nothing)[0] == both[1]
    assert both[0] != both[1]
