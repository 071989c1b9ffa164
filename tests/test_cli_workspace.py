"""Which commands make a workspace file, and what the others say when there is none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.errors import WorkspaceError


def _invoke(db: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--db", str(db), *args])


@pytest.mark.parametrize("args", [
    ("pipeline",),
    ("leads", "list"),
    ("gaps", "--chain", "智能家电"),
    ("supervise",),
    ("check",),
    ("config", "lang"),
    ("export", "out"),
])
def test_a_report_on_a_workspace_that_is_not_there_says_so_and_makes_no_file(tmp_path, args):
    db = tmp_path / "当涂.db"
    result = _invoke(db, *args)
    assert result.exit_code == 1
    assert f"Error: no workspace at {db}: import a dataset into it first" in result.output
    assert "--db or CHAINMAP_DB" in result.output
    assert os.listdir(tmp_path) == []  # no empty workspace left behind, no export


def test_the_message_is_in_chinese_too(tmp_path):
    result = _invoke(tmp_path / "ws.db", "--lang", "zh", "pipeline")
    assert result.exit_code == 1
    assert f"错误：{tmp_path / 'ws.db'} 没有工作区：请先导入数据集" in result.output


def test_an_import_makes_the_workspace_and_a_setting_may_too(tmp_path):
    db = tmp_path / "ws.db"
    assert _invoke(db, "import", str(chainmap.sample_path())).exit_code == 0
    assert db.is_file()
    assert "(no rows)" not in _invoke(db, "leads", "list").output
    other = tmp_path / "other.db"
    assert _invoke(other, "config", "lang", "zh").exit_code == 0
    assert other.is_file()
    assert _invoke(other, "config", "lang").output.strip() == "zh"


def test_an_import_that_fails_into_a_new_workspace_leaves_no_file(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "chains.csv").write_text("id,name\nx,X\n", encoding="utf-8")
    db = tmp_path / "ws.db"
    result = _invoke(db, "import", str(bad))
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert sorted(os.listdir(tmp_path)) == ["bad"]


def test_an_import_that_fails_into_an_existing_workspace_keeps_it(tmp_path):
    db = tmp_path / "ws.db"
    assert _invoke(db, "config", "lang", "en").exit_code == 0
    before = db.read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "chains.csv").write_text("id,name\nx,X\n", encoding="utf-8")
    assert _invoke(db, "import", str(bad)).exit_code == 1
    assert db.is_file()
    assert _invoke(db, "config", "lang").output.strip() == "en"
    assert db.stat().st_size == len(before)


def test_the_library_opens_a_new_workspace_unless_asked_not_to(tmp_path):
    with pytest.raises(WorkspaceError, match="no workspace at .*: the file does not exist") \
            as caught:
        chainmap.open(tmp_path / "missing.db", create=False)
    assert caught.value.topic == "no-workspace"
    assert not (tmp_path / "missing.db").exists()
    with chainmap.open(tmp_path / "new.db") as ws:  # the default: made, as before
        assert ws.counts()["companies"] == 0
    assert (tmp_path / "new.db").is_file()
    with chainmap.open(":memory:", create=False) as ws:
        assert ws.location == ":memory:"
