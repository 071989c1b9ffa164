"""Every store under one suite: the same tests run on SQLite and on the Neo4j test server.

A test that asks for ``make_ws`` runs twice, as ``test_x[sqlite]`` and ``test_x[neo4j]``
(as networkx reruns its suite per backend)::

    def test_gap(make_ws):
        ws = make_ws(GAPS)  # a dict of files (name -> text), or a dataset folder
        assert chainmap.gaps(ws, "ac", home=HOME)[...] == ...

- ``sqlite``: a real SQLite file in ``tmp_path`` with the data imported.
- ``neo4j``: the same SQLite workspace is built, the Neo4j test database cleared, the
  workspace pushed with :func:`chainmap.push`, and ``chainmap.open(NEO4J_URI)`` returned.

``make_ws(data, setup=fn)`` calls ``fn(ws)`` on the SQLite workspace after the import,
before the push: lead-pipeline data is written there (the Neo4j store is read-only for
the pipeline by design), so pipeline *reports* run on both stores. ``setup`` must be a
named module-level function: its name is part of what identifies the pushed data.

The Neo4j database is one per server and its tests run one after another (under
``pytest -n 2 --dist loadgroup``, as ``scripts/test.sh`` runs the suite, every test that
reaches it is in the group ``neo4j``, run by one worker: ``group_of`` in
``tests/conftest.py``; a test that reaches it outside that group fails): it is cleared
before every push, and a push is reused by the next test that asks for the same data and
setup (read-only tests of one module push once). A test that writes to the Neo4j workspace
asks for ``make_ws(data, fresh=True)``: pushed anew, and not reused after it.

Without ``NEO4J_URI`` the Neo4j tests skip with the reason, except under CI (``CI``
set), where a missing server is a failure. ``scripts/test.sh`` starts the server.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import chainmap
from tests.conftest import write_files

STORES = ("sqlite", "neo4j")


def _build_sqlite(folder: Path, data, setup) -> chainmap.Workspace:
    """A SQLite workspace in ``folder`` holding ``data``, after ``setup`` ran on it."""
    folder.mkdir(parents=True, exist_ok=True)
    source = write_files(folder / "data", data) if isinstance(data, dict) else Path(data)
    ws = chainmap.open(folder / "ws.db")
    chainmap.import_dataset(ws, source)
    if setup is not None:
        setup(ws)
    return ws


def _key(data, setup) -> tuple:
    if setup is not None:
        assert "<" not in setup.__qualname__, "setup must be a named module-level function"
    files = tuple(sorted(data.items())) if isinstance(data, dict) else str(Path(data).resolve())
    return files, setup and f"{setup.__module__}.{setup.__qualname__}"


class Neo4jDatabase:
    """The Neo4j test database, and which pushed data it holds now (``None``: unknown)."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.holds: tuple | None = None

    def clear(self) -> None:
        from chainmap.store.neo4j import Neo4jStore

        self.holds = None
        store = Neo4jStore(self.uri)
        try:
            store.clear()
        finally:
            store.close()

    def push(self, ws: chainmap.Workspace, key: tuple | None) -> None:
        """Clear the database, push ``ws`` and remember it as ``key`` (None: do not reuse)."""
        self.clear()
        chainmap.push(ws, self.uri)
        self.holds = key


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        reason = ("no Neo4j test server: NEO4J_URI is not set (scripts/test.sh starts one "
                  "with tests/neo4j_server/neo4j-test-server.sh; it needs Java 17 and Maven)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return uri


@pytest.fixture(scope="session")
def neo4j_db(neo4j_uri) -> Neo4jDatabase:
    return Neo4jDatabase(neo4j_uri)


@pytest.fixture
def neo4j_store(neo4j_db):
    """A Neo4jStore on an empty database (cleared before each test), for Neo4j-only tests."""
    from chainmap.store.neo4j import Neo4jStore

    neo4j_db.clear()
    store = Neo4jStore(neo4j_db.uri)
    yield store
    store.close()
    neo4j_db.holds = None  # the test may have written anything


@pytest.fixture(params=STORES)
def store(request) -> str:
    """The store a test runs on: ``"sqlite"`` or ``"neo4j"``."""
    return request.param


@pytest.fixture
def make_ws(store, request, tmp_path):
    """``make_ws(data, setup=None, fresh=False)`` -> a workspace on this test's store."""
    opened: list[chainmap.Workspace] = []
    made = [0]

    def make(data, setup=None, *, fresh: bool = False) -> chainmap.Workspace:
        made[0] += 1
        folder = tmp_path / f"ws{made[0]}"
        if store == "sqlite":
            ws = _build_sqlite(folder, data, setup)
        else:
            db: Neo4jDatabase = request.getfixturevalue("neo4j_db")
            key = _key(data, setup)
            if fresh or db.holds != key:
                local = _build_sqlite(folder, data, setup)
                try:
                    db.push(local, None if fresh else key)
                finally:
                    local.close()
            ws = chainmap.open(db.uri)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()
