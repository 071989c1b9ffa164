"""Shared fixtures: tiny datasets written as real files, real SQLite workspaces."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

# A valid USCC (check digit included) for tests: 91340521MA2N0X0A1? is computed below.
from stdnum.cn import uscc as _uscc

import chainmap
from chainmap.cli import main


def make_uscc(body17: str) -> str:
    """A valid 18-character USCC from its first 17 characters."""
    return body17 + _uscc.calc_check_digit(body17)


USCC_A = make_uscc("91340521MA2N0X0A1")
USCC_B = make_uscc("91310115MA1K3Y4B2")

TINY = {
    "products.csv": """\
        id,name,name_en,chains,tier
        compressor,压缩机,compressor,ac,midstream
        capacitor,电容器,capacitor,ac,upstream
        ac-unit,空调整机,AC unit,ac,downstream
        """,
    "inputs.csv": """\
        upstream,downstream
        compressor,ac-unit
        capacitor,ac-unit
        """,
    "companies.csv": f"""\
        id,name,uscc,province,city,district,in_park,employees,revenue
        aux,奥克斯空调（马鞍山）有限公司,{USCC_A},安徽省,马鞍山市,当涂县,1,3000,500000
        haoyue,安徽皓月电气有限公司,,安徽省,马鞍山市,当涂县,是,120,4200
        shcomp,上海某压缩机有限公司,{USCC_B},上海市,上海市,浦东新区,0,800,90000
        """,
    "capabilities.csv": """\
        company,product
        aux,ac-unit
        haoyue,capacitor
        shcomp,compressor
        """,
    "supplies.csv": """\
        supplier,customer,product
        haoyue,aux,capacitor
        """,
}


def write_files(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write ``files`` (name -> dedented text) into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(textwrap.dedent(text).encode(encoding))
    return folder


def uses_neo4j(item: pytest.Item) -> bool:
    """Whether the test ``item`` reaches the Neo4j test server.

    Every test that does asks for ``neo4j_uri`` (``neo4j_db`` and ``neo4j_store`` depend on
    it), or runs on the ``store`` ``"neo4j"`` (``make_ws`` then reaches ``neo4j_db``).
    """
    callspec = getattr(item, "callspec", None)
    return "neo4j_uri" in getattr(item, "fixturenames", ()) or (
        callspec is not None and callspec.params.get("store") == "neo4j")


#: Tests that reach the Neo4j test server without running on the ``store`` "neo4j": a
#: module (all its tests) or ``module::function``. :func:`_neo4j_in_its_group` fails a
#: test missing here, so the list cannot fall behind.
NEO4J_TESTS = frozenset({
    "tests/test_store_neo4j.py", "tests/test_sync.py",
    "tests/test_backup.py::test_neo4j_backup_and_integrity_are_refused",
    "tests/test_extra_column.py::test_a_neo4j_database_pushed_with_attrs_still_reads",
    "tests/test_notebooks.py::test_03_neo4j"})
#: A test id run on the store "neo4j": ``[neo4j]``, ``[neo4j-安徽省]``, ``[x-neo4j-y]``.
_ON_NEO4J = re.compile(r"\[(?:[^\]]*-)?neo4j(?:-[^\]]*)?\]$")


def group_of(nodeid: str) -> str:
    """The group pytest-xdist runs the test ``nodeid`` in: ``neo4j``, else its module.

    The Neo4j test database is one per server, cleared and pushed by the tests that use
    it (``tests/stores.py``), so the tests that reach it are one group, run one after
    another by one worker. Each other test runs with its module: a module's fixtures
    (some take seconds) are made by one worker only.
    """
    module, _, name = nodeid.partition("::")
    function = name.split("[", 1)[0]
    if module in NEO4J_TESTS or f"{module}::{function}" in NEO4J_TESTS \
            or _ON_NEO4J.search(name):
        return "neo4j"
    return module


def grouped(config: pytest.Config) -> bool:
    """Whether pytest-xdist runs the tests by :func:`group_of` (``--dist loadgroup``).

    The controller has ``dist``; a worker has ``dist`` "no" and ``loadgroup`` set.
    """
    return config.getoption("dist", "no") == "loadgroup" \
        or bool(getattr(config.option, "loadgroup", False))


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` (``scripts/test.sh``): the tests sent by :func:`group_of`.

    pytest-xdist's own ``loadgroup`` (3.8) puts an ``xdist_group`` mark's name on
    ``item._nodeid``, which pytest 9's ``nodeid`` no longer reads (it reads ``item._id``),
    so its marks group nothing here; this scheduler groups by the node id itself.
    """
    if not grouped(config):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return ByGroup(config, log)


@pytest.fixture(autouse=True)
def _neo4j_in_its_group(request: pytest.FixtureRequest) -> None:
    """Fail a test that reaches the Neo4j test server (:func:`uses_neo4j`) in parallel with
    another worker's tests: outside the group ``neo4j``, or not grouped at all."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or not uses_neo4j(request.node):
        return
    if not grouped(request.config):
        pytest.fail("the Neo4j tests need one worker: run pytest -n N with --dist loadgroup")
    if group_of(request.node.nodeid) != "neo4j":
        pytest.fail(f"{request.node.nodeid} reaches the Neo4j test server: add it to "
                    "NEO4J_TESTS in tests/conftest.py")


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory):
    """Cache files (chainmap.cache) of the suite's workspaces in a temporary folder.

    Tests that look at the cache point ``CHAINMAP_CACHE_DIR`` elsewhere themselves.
    """
    import os

    before = os.environ.get("CHAINMAP_CACHE_DIR")
    os.environ["CHAINMAP_CACHE_DIR"] = str(tmp_path_factory.mktemp("chainmap-cache"))
    yield
    if before is None:
        os.environ.pop("CHAINMAP_CACHE_DIR", None)
    else:
        os.environ["CHAINMAP_CACHE_DIR"] = before


@pytest.fixture
def codes_kept(tmp_path: Path, monkeypatch) -> Path:
    """Cache files in ``tmp_path / "cache"``, the reports' codes kept on disk for any size.

    (``chainmap.analysis.gaps.PERSIST_MIN_LINKS`` lowered to 0.) Returns the folder.
    """
    import importlib

    folder = tmp_path / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(folder))
    monkeypatch.setattr(importlib.import_module("chainmap.analysis.gaps"),
                        "PERSIST_MIN_LINKS", 0)
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_files(tmp_path / "tiny", TINY)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ws.db"


@pytest.fixture
def run(db: Path):
    """Run the CLI against the test workspace: ``run('import', path)`` -> Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, ["--db", str(db), *map(str, args)], input=input,
                             catch_exceptions=False)

    return invoke


@pytest.fixture
def sample_ws(tmp_path: Path):
    ws = chainmap.open(tmp_path / "sample.db")
    chainmap.import_dataset(ws, chainmap.sample_path())
    yield ws
    ws.close()


from tests.stores import make_ws, neo4j_db, neo4j_store, neo4j_uri, store  # noqa: E402,F401
