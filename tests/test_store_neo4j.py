"""The Neo4j store against a real Neo4j 5.26 server: push, pull, safety, refusals.

That Neo4j gives the same answers as SQLite is tested by running the analysis and
pipeline-report tests on both stores (``make_ws``, tests/stores.py); here only what is
Neo4j's own, and the differential tests on synthetic data, larger than any fixture.
"""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.errors import WorkspaceError
from chainmap.store.neo4j import Neo4jStore
from tests.conftest import TINY, write_files

HOME = "安徽省/马鞍山市/当涂县"


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.sort_values(list(frame.columns[:3])).reset_index(drop=True)


@pytest.fixture
def pushed(neo4j_store, sample_ws):
    chainmap.push(sample_ws, neo4j_store)
    return neo4j_store


def test_make_ws_gives_a_workspace_on_each_store(make_ws, store):
    ws = make_ws(TINY)
    assert ws.location.startswith("bolt://") == (store == "neo4j")
    assert ws.counts()["companies"] == 3
    assert chainmap.gaps(ws, "ac", home=HOME)["product"].tolist() == [
        "compressor", "capacitor", "ac-unit"]


def test_gap_report_is_computed_by_cypher(pushed, neo4j_uri, monkeypatch):
    graph_ws = chainmap.open(neo4j_uri)

    def no_firm_tables(name):
        if name in ("companies", "capabilities", "supplies"):
            raise AssertionError(f"gaps pulled the {name} table into Python")
        return Neo4jStore.table(graph_ws.store, name)

    monkeypatch.setattr(graph_ws.store, "table", no_firm_tables)
    assert len(chainmap.gaps(graph_ws, "smart-appliances", home=HOME)) == 32


def test_push_pull_round_trip_and_idempotence(pushed, sample_ws, tmp_path, neo4j_uri):
    again = chainmap.push(sample_ws, pushed)
    assert set(again.values()) == {0}
    back = chainmap.open(tmp_path / "back.db")
    chainmap.pull(back, pushed)
    for name in ("chains", "products", "product_chains", "inputs", "companies",
                 "capabilities", "supplies"):
        pd.testing.assert_frame_equal(normalised(back.table(name)),
                                      normalised(sample_ws.table(name)), check_dtype=False)
    assert pushed.push_state() == "complete"


def test_interrupted_push_is_repaired_and_said(neo4j_store, sample_ws, db, neo4j_uri):
    neo4j_store.run("meta_set", key="push_state", value="incomplete")
    chainmap.export_dataset(sample_ws, db.parent / "out")
    runner = CliRunner()
    runner.invoke(main, ["--db", str(db), "import", str(db.parent / "out")])
    r = runner.invoke(main, ["--db", str(db), "--neo4j-uri", neo4j_uri, "neo4j", "push"])
    assert r.exit_code == 0, r.output
    assert "stopped midway; this push repairs it" in r.stderr
    assert neo4j_store.push_state() == "complete"
    assert neo4j_store.run("count_companies")[0]["n"] == len(sample_ws.table("companies"))


HOSTILE = ["O'Brien \"quoted\"", "back`tick`", "brace } {", "// comment", "') DETACH DELETE n //",
           "<img src=x onerror=alert(1)>", "$param", "line\nbreak"]


def test_hostile_names_stored_verbatim(neo4j_store, tmp_path, neo4j_uri):
    rows = "\n".join(f'h{i},"{n.replace(chr(34), chr(34) * 2)}",,安徽省,,,,,'
                     for i, n in enumerate(HOSTILE))
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"] + rows + "\n"
    files["products.csv"] = TINY["products.csv"] + '"x\') DETACH DELETE n //","}` //",,ac,\n'
    ws = chainmap.open(tmp_path / "h.db")
    chainmap.import_dataset(ws, write_files(tmp_path / "h", files))
    chainmap.push(ws, neo4j_store)
    names = dict(zip(*[neo4j_store.table("companies")[c] for c in ("id", "name")]))
    assert [names[f"h{i}"] for i in range(len(HOSTILE))] == HOSTILE
    products = neo4j_store.table("products").set_index("id")
    assert products.loc["x') DETACH DELETE n //", "name"] == "}` //"
    assert neo4j_store.run("count_products")[0]["n"] == 4


def test_unreachable_server_is_a_clear_error_and_hides_the_password(monkeypatch, run):
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    with pytest.raises(WorkspaceError, match="cannot reach Neo4j at bolt://127.0.0.1:1"):
        Neo4jStore("bolt://127.0.0.1:1")
    r = run("--neo4j-uri", "bolt://127.0.0.1:1", "neo4j", "push")
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot reach Neo4j at bolt://")
    assert "s3cret-pw" not in r.output


def test_store_option_needs_a_uri(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    r = CliRunner().invoke(main, ["--store", "neo4j", "check"])
    assert r.exit_code == 2 and "--store neo4j needs --neo4j-uri or NEO4J_URI" in r.output


@pytest.fixture
def busy_ws(sample_ws):
    """The sample with more pipeline history: moves, an activity, a follow-up."""
    lead = chainmap.add_lead(sample_ws, "wujiang-valve", product="eev", owner="李娜",
                             investment=3.5, source="gap", date="2026-03-20")
    chainmap.move_lead(sample_ws, lead, "contacted", date="2026-04-01")
    chainmap.move_lead(sample_ws, lead, "visited", date="2026-05-02", note="考察 \"工厂\"")
    chainmap.move_lead(sample_ws, lead, "signed", date="2026-07-15")
    chainmap.log_activity(sample_ws, lead, "visit", "') DETACH DELETE n //", date="2026-05-02")
    chainmap.add_followup(sample_ws, lead, "2026-08-01", "开工准备")
    return sample_ws


def test_leads_round_trip_through_neo4j(neo4j_store, busy_ws, tmp_path):
    chainmap.push(busy_ws, neo4j_store)
    back = chainmap.open(tmp_path / "back.db")
    chainmap.pull(back, neo4j_store)
    for name in ("leads", "lead_events", "activities", "followups", "audit"):
        pd.testing.assert_frame_equal(normalised(back.table(name)),
                                      normalised(busy_ws.table(name)), check_dtype=False,
                                      obj=name)
    assert back.table("activities")["note"].tolist()[-1] == "') DETACH DELETE n //"


@pytest.mark.parametrize("command", [["leads", "add", "aux-hq"],
                                     ["leads", "move", "L0001", "visited"],
                                     ["leads", "log", "L0001", "--kind", "call", "--note", "x"]])
def test_lead_writes_need_the_embedded_store(pushed, neo4j_uri, command):
    r = CliRunner().invoke(main, ["--db", neo4j_uri, *command])
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: the lead pipeline needs the embedded SQLite workspace")


def test_gap_report_equals_sqlite_on_synthetic_data(neo4j_store, tmp_path, neo4j_uri):
    from chainmap.synth import synth

    synth(tmp_path / "synth", firms=3000, products=120, seed=7)
    ws = chainmap.open(tmp_path / "synth.db")
    chainmap.import_dataset(ws, tmp_path / "synth")
    chainmap.push(ws, neo4j_store)
    graph_ws = chainmap.open(neo4j_uri)
    chains = sorted(set(ws.table("product_chains")["chain_id"]))
    assert len(chains) >= 2
    for chain in chains:
        for home, targets in ((HOME, None), ("安徽省", "苏浙沪"), ("上海市", "江苏省,杭州市")):
            expected = chainmap.gaps(ws, chain, home=home, targets=targets)
            got = chainmap.gaps(graph_ws, chain, home=home, targets=targets)
            pd.testing.assert_frame_equal(got, expected, obj=f"{chain} at {home}")
        gap = expected[expected["n_candidates"] > 0].iloc[0]["product"]
        pd.testing.assert_frame_equal(
            chainmap.targets(graph_ws, chain, gap, home=HOME),
            chainmap.targets(ws, chain, gap, home=HOME), check_dtype=False, obj=chain)


def test_pipeline_report_equals_sqlite_on_synthetic_data(neo4j_store, tmp_path, neo4j_uri):
    from chainmap.synth import synth

    synth(tmp_path / "synth", firms=3000, products=120, seed=11)
    ws = chainmap.open(tmp_path / "synth.db")
    chainmap.import_dataset(ws, tmp_path / "synth")
    chain = sorted(set(ws.table("product_chains")["chain_id"]))[0]
    import time_machine

    # found on 2026-02-01: the moves below come after (an event before its lead is refused)
    with time_machine.travel("2026-02-01 09:00", tick=False):
        added = chainmap.leads_from_gaps(ws, chain, home=HOME, top=2, owner="王磊").added
    assert len(added) >= 4
    for i, lead in enumerate(added):
        for stage in ("contacted", "visited", "negotiating", "signed")[: i % 5]:
            chainmap.move_lead(ws, lead, stage, date=f"2026-0{i % 5 + 3}-1{i % 9}")
    chainmap.push(ws, neo4j_store)
    graph_ws = chainmap.open(neo4j_uri)
    expected = chainmap.pipeline(ws, today="2026-12-31").sheets()
    got = chainmap.pipeline(graph_ws, today="2026-12-31").sheets()
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], check_dtype=False, obj=name)


@pytest.mark.parametrize("uri,message", [
    ("bolt://alice:s3cret-pw@127.0.0.1:1", "give the Neo4j user and password in "
     "NEO4J_USERNAME and NEO4J_PASSWORD, not in the URI (bolt://127.0.0.1:1)"),
    ("bolt://127.0.0.1:1?token=s3cret-pw", "the Neo4j URI bolt://127.0.0.1:1 with its query "
     "part (not shown) is not one the driver accepts"),
    ("bolt+x://127.0.0.1:1", "the Neo4j URI bolt+x://127.0.0.1:1 is not one the driver"),
])
def test_uri_secrets_never_shown(run, uri, message):
    r = run("--neo4j-uri", uri, "neo4j", "push")
    assert r.exit_code == 1 and message in r.stderr, r.stderr
    assert "s3cret-pw" not in r.output


def test_import_goes_through_the_sqlite_workspace(pushed, neo4j_uri, tiny):
    r = CliRunner().invoke(main, ["--db", neo4j_uri, "import", str(tiny)])
    assert r.exit_code == 1
    assert r.stderr == (f"Error: import into the SQLite workspace, then send it to "
                        f"{neo4j_uri} with 'chainmap neo4j push' (an import updates records "
                        "field by field, which the Neo4j store does not)\n")


def test_pull_refuses_to_mix_two_pipelines(neo4j_store, busy_ws, tmp_path):
    chainmap.push(busy_ws, neo4j_store)
    other = chainmap.open(tmp_path / "other.db")
    chainmap.import_dataset(other, chainmap.sample_path())  # its own L0001 ... L0012
    chainmap.add_lead(other, "aux-hq", product="ac-unit")   # L0013, another firm
    before = other.table("leads").copy()
    with pytest.raises(WorkspaceError, match="uses the same ids for other records"):
        chainmap.pull(other, neo4j_store)
    pd.testing.assert_frame_equal(other.table("leads"), before)


def test_refused_login_is_a_clear_error(neo4j_uri, tmp_path, run, monkeypatch):
    """A second, short-lived test server with auth on: a wrong password is refused."""
    import socket
    import subprocess
    import time
    from pathlib import Path

    target = Path(__file__).resolve().parent / "neo4j_server" / "target"
    assert (target / "classes").is_dir(), "scripts/test.sh builds the launcher"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            ["java", "-Xmx512m", "-Dneo4j.test.auth=true", "-Dneo4j.test.pagecacheMb=32",
             "-cp", f"{target}/classes:{target}/lib/*", "chainmap.testserver.Neo4jTestServer",
             str(port), str(tmp_path / "data")], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "READY" not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "READY" in log.read_text(), "the auth test server did not start"
        monkeypatch.setenv("NEO4J_PASSWORD", "wrong-s3cret-pw")
        r = run("--neo4j-uri", f"bolt://127.0.0.1:{port}", "neo4j", "push")
        assert r.exit_code == 1
        assert r.stderr == (f"Error: Neo4j at bolt://127.0.0.1:{port} refused the login for "
                            "user 'neo4j' (check NEO4J_USERNAME / NEO4J_PASSWORD)\n")
        assert "wrong-s3cret-pw" not in r.output
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_a_first_push_creates_what_merging_would(neo4j_store, sample_ws, monkeypatch):
    """Into an empty database the big tables are CREATEd: the same graph as MERGE gives."""
    import chainmap.store.neo4j as neo4j_module

    names = ("companies", "capabilities", "supplies")
    assert chainmap.push(sample_ws, neo4j_store)["companies"] == len(sample_ws.table("companies"))
    created = {name: normalised(neo4j_store.table(name)) for name in names}
    neo4j_store.clear()
    monkeypatch.setattr(neo4j_module, "_CREATE", {})  # every table by MERGE, as before
    chainmap.push(sample_ws, neo4j_store)
    for name in names:
        pd.testing.assert_frame_equal(created[name], normalised(neo4j_store.table(name)))


def test_push_rows_become_parameter_maps():
    from chainmap.store.neo4j import _records

    frame = pd.DataFrame({"id": ["a", "b"], "in_park": pd.array([True, None], dtype="boolean"),
                          "employees": pd.array([3, None], dtype="Int64"),
                          "revenue": [1.5, float("nan")]})
    assert _records(frame) == [{"id": "a", "in_park": 1, "employees": 3, "revenue": 1.5},
                               {"id": "b", "in_park": None, "employees": None,
                                "revenue": None}]
    assert _records(frame, drop_nulls=True)[1] == {"id": "b"}
    assert type(_records(frame)[0]["employees"]) is int
