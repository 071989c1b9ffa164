"""An import into a workspace without firms leaves the reports' codes on disk.

``chainmap.import_dataset`` makes them from the dataset's own frames
(``chainmap.analysis.gaps.save_codes_of``) instead of the first report reading every
firm back as text. They must be the very arrays a build from the workspace gives, for a
dataset with everything that makes the two differ if one of them gets it wrong.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

import chainmap
from chainmap import cache
from tests.conftest import write_files

gaps_module = importlib.import_module("chainmap.analysis.gaps")

#: Closed firms (their links and supplies not counted), suggested and rejected links,
#: links not in the order of their key, a supply given twice and one naming a closed
#: firm, a supply without product and one of a product no firm makes, no revenue, a
#: firm known only by its province, Chinese ids that sort apart from ASCII ones.
ODD = {
    "chains.csv": """\
        id,name,name_en
        ac,空调,AC
        """,
    "products.csv": """\
        id,name,name_en,chains,tier
        A,铜材,copper,ac,upstream
        B,压缩机,compressor,ac,midstream
        C,空调整机,AC unit,ac,downstream
        D,冷媒,refrigerant,ac,upstream
        E,包装,packaging,ac,upstream
        """,
    "inputs.csv": """\
        upstream,downstream
        A,B
        B,C
        D,C
        E,C
        """,
    "companies.csv": """\
        id,name,province,city,district,revenue,status
        f2,当涂二厂,安徽省,马鞍山市,当涂县,50,存续
        f1,当涂一厂,安徽省,马鞍山市,当涂县,100,存续
        铜9,鸠江铜业,安徽省,芜湖市,鸠江区,40,存续
        f4,浦东铜业,上海市,上海市,浦东新区,300,存续
        f10,当涂旧厂,安徽省,马鞍山市,当涂县,10,注销
        f6,浦东压缩机二厂,上海市,上海市,浦东新区,,存续
        f7,吴江压缩机,江苏省,苏州市,吴江区,90,存续
        f5,浦东压缩机一厂,上海市,上海市,浦东新区,200,存续
        f8,浙江空调,浙江省,,,60,存续
        """,
    "capabilities.csv": """\
        company,product,status
        f5,B,confirmed
        f1,C,confirmed
        f2,C,confirmed
        铜9,A,confirmed
        f4,A,confirmed
        f6,B,confirmed
        f7,B,confirmed
        f8,C,confirmed
        f10,B,confirmed
        f1,D,suggested
        f2,A,rejected
        f1,A,confirmed
        """,
    "supplies.csv": """\
        supplier,customer,product
        f4,f1,A
        f7,f1,B
        f4,f1,A
        f10,f2,B
        f5,f2,
        f8,f1,E
        """,
}


@pytest.fixture
def cached(codes_kept):
    """Cache files in a temporary folder, codes kept on disk for any size."""
    return codes_kept


def saved_codes(ws: chainmap.Workspace) -> dict[str, np.ndarray] | None:
    found = cache.load(gaps_module.CACHE_KIND, ws.store.firms_key())
    return None if found is None else {k: np.array(v) for k, v in found.items()}


def codes_read_back(path: Path) -> dict[str, np.ndarray]:
    """The codes as a report builds them: the workspace's columns read by SQL."""
    with chainmap.open(path) as ws:
        return gaps_module._read_codes(ws).arrays()


def no_build(*args: object) -> None:
    raise AssertionError("the codes were built again instead of read from the cache")


def assert_same(saved: dict[str, np.ndarray], built: dict[str, np.ndarray]) -> None:
    assert saved.keys() == built.keys()
    for name, value in built.items():
        assert saved[name].dtype == value.dtype, name
        assert np.array_equal(saved[name], value, equal_nan=value.dtype.kind == "f"), name


@pytest.mark.parametrize("data", ["odd", "sample"])
def test_the_codes_saved_by_the_import_are_the_ones_read_back(cached, tmp_path, data):
    folder = write_files(tmp_path / "data", ODD) if data == "odd" else chainmap.sample_path()
    path = tmp_path / "w.db"
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, folder)
        saved = saved_codes(ws)
    assert saved is not None  # written by the import, before any report
    assert len(saved["cap_firm"]) == (9 if data == "odd" else 214)
    assert_same(saved, codes_read_back(path))


def test_the_first_report_reads_them_and_answers_as_a_built_one(cached, tmp_path,
                                                                monkeypatch):
    path = tmp_path / "w.db"
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
    with chainmap.open(path) as ws:  # a new process: nothing in memory
        monkeypatch.setattr(gaps_module._Codes, "__init__", no_build)
        found = chainmap.gaps(ws, "智能家电", home="当涂县")
    monkeypatch.undo()
    with chainmap.open(":memory:") as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
        expected = chainmap.gaps(ws, "智能家电", home="当涂县")
    assert found.equals(expected)


def test_an_import_into_a_workspace_with_firms_leaves_the_codes_to_the_report(
        cached, tmp_path):
    path = tmp_path / "w.db"
    folder = write_files(tmp_path / "data", ODD)
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, folder)
        assert saved_codes(ws) is not None
        more = dict(ODD, **{"companies.csv": ODD["companies.csv"].replace(
            "f7,吴江压缩机,江苏省,苏州市,吴江区,90", "f7,吴江压缩机,江苏省,苏州市,吴江区,95")})
        chainmap.import_dataset(ws, write_files(tmp_path / "more", more))
        assert saved_codes(ws) is None  # the workspace is more than the dataset's frames
        assert gaps_module.codes_to_build(ws) == 0  # under ANNOUNCE_MIN_FIRMS
        chainmap.gaps(ws, "ac", home="当涂县")  # the report builds them
        assert_same(saved_codes(ws), codes_read_back(path))


def test_codes_are_saved_only_for_the_revision_the_import_made(cached, tmp_path):
    path = tmp_path / "w.db"
    names = ("companies", "capabilities", "supplies")
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, write_files(tmp_path / "data", ODD))
        tables = {name: ws.table(name) for name in names}
        revision = ws.store.revision()
        ws.set_home("当涂县")  # another write came in after it (the firms as they were)
        assert not gaps_module.save_codes_of(ws, tables, revision)
        assert_same(saved_codes(ws), codes_read_back(path))  # the import's, still right
        with ws.store.transaction():  # a change of the firms
            ws.store.conn.execute("UPDATE companies SET revenue = 7 WHERE id = 'f1'")
        assert not gaps_module.save_codes_of(ws, tables, revision + 1)
        assert saved_codes(ws) is None
        now = {name: ws.table(name) for name in names}
        assert gaps_module.save_codes_of(ws, now, ws.store.revision())
        assert_same(saved_codes(ws), codes_read_back(path))


def test_small_imports_in_memory_or_without_a_cache_write_nothing(tmp_path, monkeypatch):
    folder = write_files(tmp_path / "data", ODD)
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "cache"))
    with chainmap.open(tmp_path / "small.db") as ws:  # 9 links: under PERSIST_MIN_LINKS
        chainmap.import_dataset(ws, folder)
        assert saved_codes(ws) is None
    monkeypatch.setattr(gaps_module, "PERSIST_MIN_LINKS", 0)
    with chainmap.open(":memory:") as ws:
        chainmap.import_dataset(ws, folder)
        assert ws.store.cache_key() is None
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")
    with chainmap.open(tmp_path / "off.db") as ws:
        chainmap.import_dataset(ws, folder)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())
