"""The region x product matrix kept on disk (chainmap.cache): used only for the same data.

A new process must find it without reading the firms, and never use it for other data:
after a change (new revision), or for another file at the same path with the same
revision.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import chainmap
from chainmap import cache
from chainmap.analysis import matrix as mx
from tests.conftest import write_files
from tests.test_analysis_opportunities import HAND, HOME

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """Cache files in a temporary folder, kept for any workspace size."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(folder))
    monkeypatch.setattr(mx, "PERSIST_MIN_LINKS", 0)
    return folder


def workspace(path: Path, data: dict) -> chainmap.Workspace:
    ws = chainmap.open(path)
    chainmap.import_dataset(ws, write_files(path.parent / f"{path.stem}-data", data))
    return ws


def no_build(workspace):
    raise AssertionError("the matrix was built again instead of read from the cache")


def test_a_new_workspace_object_reads_the_saved_matrix(cached, tmp_path, monkeypatch):
    ws = workspace(tmp_path / "w.db", HAND)
    built = mx.capability_matrix(ws)
    files = list(cached.iterdir())
    assert len(files) == 1 and files[0].name.startswith(mx.CACHE_KIND)
    ws.close()
    monkeypatch.setattr(mx, "_build", no_build)
    again = chainmap.open(tmp_path / "w.db")  # as a new process would
    read = mx.capability_matrix(again)
    for name, value in built.arrays().items():
        assert np.array_equal(np.asarray(getattr(read, name)), value), name
    assert mx.capability_matrix(again) is read  # then kept in memory for the revision
    again.close()


def test_a_change_or_another_file_is_never_served_stale(cached, tmp_path, monkeypatch):
    path = tmp_path / "w.db"
    ws = workspace(path, HAND)
    before = mx.capability_matrix(ws)
    ws.set_home(HOME)  # any write is a new revision
    after = mx.capability_matrix(ws)
    assert after is not before and np.array_equal(after.firms, before.firms)
    revision = ws.store.revision()
    ws.close()
    # the same path, a different workspace made the same way: same revision, other data
    path.unlink()
    changed = dict(HAND, **{"capabilities.csv": HAND["capabilities.csv"].replace(
        "f9,A,confirmed", "f9,B,confirmed")})
    ws = workspace(path, changed)
    ws.set_home(HOME)
    assert ws.store.revision() == revision
    fresh = mx.capability_matrix(ws)
    assert not np.array_equal(fresh.firms, before.firms)
    ws.close()


def test_off_memory_and_broken_files(tmp_path, monkeypatch):
    monkeypatch.setattr(mx, "PERSIST_MIN_LINKS", 0)
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")
    ws = workspace(tmp_path / "w.db", HAND)
    mx.capability_matrix(ws)
    assert cache.cache_dir() is None
    folder = tmp_path / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(folder))
    memory = chainmap.open(":memory:")
    chainmap.import_dataset(memory, write_files(tmp_path / "m", HAND))
    assert memory.store.cache_key() is None
    mx.capability_matrix(memory)
    assert not folder.exists()
    ws.set_home(HOME)
    mx.capability_matrix(ws)
    (saved,) = folder.iterdir()
    assert cache.holds(mx.CACHE_KIND, ws.store.cache_key())
    saved.write_bytes(saved.read_bytes()[:100])  # cut short
    assert cache.load(mx.CACHE_KIND, ws.store.cache_key()) is None
    assert not cache.holds(mx.CACHE_KIND, ws.store.cache_key())
    saved.write_bytes(b"not a cache")
    assert cache.load(mx.CACHE_KIND, ws.store.cache_key()) is None
    assert not cache.holds(mx.CACHE_KIND, ws.store.cache_key())
    ws.close()


def test_save_and_load_keep_every_array(cached):
    arrays = {"text": np.array([["340521", "", "340000"]]), "ints": np.arange(5, dtype=np.int16),
              "empty": np.zeros((0, 3)), "floats": np.linspace(0, 1, 7)}
    key = ("/some/where.db", "3:1:2:3:4")
    assert cache.save("test", key, arrays) is not None
    read = cache.load("test", key)
    assert read is not None and set(read) == set(arrays)
    for name, value in arrays.items():
        assert read[name].dtype == value.dtype and np.array_equal(read[name], value), name
    assert cache.load("test", ("/some/where.db", "4:1:2:3:4")) is None
    assert cache.holds("test", key)  # the header alone says what load would find
    assert not cache.holds("test", ("/some/where.db", "4:1:2:3:4"))
    assert not cache.holds("test", ("/else/where.db", "3:1:2:3:4"))


def test_a_second_process_uses_the_first_ones_matrix(tmp_path):
    """At PERSIST_MIN_LINKS (20,000) links and above the matrix is kept for the next run."""
    from chainmap.synth import synth

    folder = tmp_path / "cache"
    db = tmp_path / "w.db"
    ws = chainmap.open(db)
    chainmap.import_dataset(ws, synth(tmp_path / "synth", firms=8000, products=40, seed=1)
                            and tmp_path / "synth")
    assert ws.counts()["capabilities"] >= mx.PERSIST_MIN_LINKS
    ws.close()
    command = [sys.executable, "-c", "from chainmap.cli import main; main()", "--db", str(db),
               "opportunities", "--chain", "chain-001", "--home", "当涂县", "--format", "json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), CHAINMAP_CACHE_DIR=str(folder))
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    (saved,) = folder.iterdir()
    stamp = saved.stat().st_mtime_ns
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert saved.stat().st_mtime_ns == stamp  # read, not written again
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert len(json.loads(second.stdout)) == 40


def test_neo4j_gives_no_key():
    from chainmap.store.neo4j import Neo4jStore

    store = Neo4jStore.__new__(Neo4jStore)  # no server needed
    assert store.cache_key() is None


def test_the_cache_folder_is_its_owners_alone(tmp_path, monkeypatch):
    """Cache files hold what the workspace holds (leads' owners, amounts): a folder the
    cache makes is 0700; the default folder made by an older chainmap is made 0700 too."""
    made = tmp_path / "new" / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(made))
    assert cache.save("kind", ("place", "state"), {"a": np.arange(3)}) is not None
    assert made.stat().st_mode & 0o777 == 0o700
    home = tmp_path / "xdg"
    (home / "chainmap").mkdir(parents=True, mode=0o755)
    (home / "chainmap").chmod(0o755)
    monkeypatch.delenv("CHAINMAP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert cache.save("kind", ("place", "state"), {"a": np.arange(3)}) is not None
    assert (home / "chainmap").stat().st_mode & 0o777 == 0o700
    chosen = tmp_path / "shared"  # a folder named on purpose keeps its mode
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(chosen))
    assert cache.save("kind", ("place", "state"), {"a": np.arange(3)}) is not None
    assert chosen.stat().st_mode & 0o777 == 0o755


def test_a_frame_the_cache_cannot_hold_writes_no_file(cached, tmp_path):
    """``frame_arrays`` gives ``None`` for cells it cannot keep (a list): nothing is saved,
    and the value is built again by the next process instead of read from a useless file."""
    import pandas as pd

    frames = {"texts": pd.DataFrame({"a": ["x", None, "y"], "n": [1, 2, None]}, dtype=object),
              "lists": pd.DataFrame({"a": [["x"], ["y"]]}, dtype=object)}
    with chainmap.open(tmp_path / "w.db") as ws:
        for kind, frame in frames.items():
            got = cache.derived(ws, kind, build=lambda frame=frame: frame,
                                restore=cache.arrays_frame, arrays=cache.frame_arrays,
                                persist=lambda f: True)
            assert got is frame
    assert sorted(p.name.split("-")[0] for p in cached.iterdir()) == ["texts"]
