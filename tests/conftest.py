"""Shared fixtures: tiny datasets written as real files, real SQLite workspaces."""

from __future__ import annotations

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
