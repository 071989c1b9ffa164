"""The real Neo4j test server: ``scripts/test.sh`` starts it and exports NEO4J_URI.

Without NEO4J_URI the Neo4j tests skip with the reason, except under CI (``CI`` set),
where a missing server is a failure.
"""

from __future__ import annotations

import os

import pytest


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


@pytest.fixture
def neo4j_store(neo4j_uri):
    """A Neo4jStore on an empty database (cleared before each test)."""
    from chainmap.store.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    store.clear()
    yield store
    store.close()
