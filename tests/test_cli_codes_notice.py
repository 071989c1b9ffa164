"""A big workspace's first report after a change of its firms says that it builds the
reports' index (``chainmap.analysis.gaps.codes_to_build``; standard error, once per
change; an import into a workspace without firms and the lead pipeline's writes leave
the index as it is; after a write that names its firms, a merge, it is patched quickly
and nothing is said)."""

from __future__ import annotations

import importlib

import pytest

import chainmap

gaps_module = importlib.import_module("chainmap.analysis.gaps")
NOTICE = "Preparing the reports' index of 130 firms"


@pytest.fixture
def big(run, tmp_path, monkeypatch):
    """The sample as if it were big: the thresholds lowered to its 131 firms, 214 links."""
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(gaps_module, "ANNOUNCE_MIN_FIRMS", 100)
    monkeypatch.setattr(gaps_module, "PERSIST_MIN_LINKS", 100)
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    return run


def merge_two_firms(run) -> None:
    """A change of the firms: two firms without USCC merged (131 firms become 130)."""
    assert run("firms", "merge", "yonggu", "liancang", "--apply").exit_code == 0


def close_a_firm(db) -> None:
    """A change of the firms that does not say which (a statement of its own)."""
    with chainmap.open(db) as ws, ws.store.transaction():
        ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = 'yonggu'")


def test_the_first_report_after_a_change_says_it_builds_the_index(big, db):
    first = big("gaps", "--chain", "智能家电", "--format", "json")
    assert first.exit_code == 0 and first.stderr == ""  # the import left the index
    merge_two_firms(big)  # names its two firms: the index is patched, quickly, unannounced
    merged = big("gaps", "--chain", "智能家电", "--format", "json")
    assert merged.exit_code == 0 and merged.stderr == ""
    close_a_firm(db)
    changed = big("gaps", "--chain", "智能家电", "--format", "json")
    assert changed.exit_code == 0 and changed.stderr.startswith(NOTICE), changed.stderr
    again = big("metrics", "--chain", "智能家电")
    assert again.exit_code == 0 and again.stderr == ""  # the index is on disk now
    anchor = big("anchor", "haoyue")  # its summary is on standard error, no notice
    assert anchor.exit_code == 0 and "本地配套率" in anchor.stderr
    assert "index" not in anchor.stderr
    assert big("leads", "add", "haoyue", "--owner", "张三").exit_code == 0  # firms unchanged
    impact = big("impact", "haoyue")  # its summary is on standard error, no notice
    assert impact.exit_code == 0 and "haoyue" in impact.stderr and "index" not in impact.stderr
    zh = big("targets", "--chain", "智能家电", "--product", "capacitor", "--lang", "zh")
    assert zh.exit_code == 0 and "索引" not in zh.stderr


def test_a_small_workspace_is_not_told(run, tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "cache"))
    assert run("import", chainmap.sample_path()).exit_code == 0
    r = run("gaps", "--chain", "智能家电", "--home", "当涂县")
    assert r.exit_code == 0 and r.stderr == ""
    with chainmap.open(":memory:") as ws:
        assert gaps_module.codes_to_build(ws) == 0


def test_the_notice_in_chinese(big, db):
    close_a_firm(db)
    r = big("gaps", "--chain", "智能家电", "--lang", "zh")
    assert r.exit_code == 0
    assert r.stderr.startswith("正在为 131 家企业建立报告索引"), r.stderr
