"""JSON is for programs: keys and code values are English whatever ``--lang`` says."""

from __future__ import annotations

import json

import pytest

import chainmap

COMMANDS = [
    ["gaps", "--chain", "智能家电"],
    ["targets", "--chain", "智能家电", "--product", "电容器"],
    ["anchor", "aux"],
    ["metrics"],
    ["impact", "haoyue"],
    ["pipeline"],
    ["report", "weekly", "--from", "2026-01-01", "--to", "2026-03-31"],
]


@pytest.fixture
def srun(run):
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    return run


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_json_is_the_same_in_both_languages(srun, args):
    en = srun(*args, "--format", "json", "--lang", "en")
    zh = srun(*args, "--format", "json", "--lang", "zh")
    assert en.exit_code == zh.exit_code == 0, zh.output
    assert json.loads(zh.stdout) == json.loads(en.stdout)
    # no Chinese key: every key is ASCII (values may be Chinese names)
    data = json.loads(en.stdout)
    rows = data if isinstance(data, list) else [r for v in data.values()
                                                 for r in (v if isinstance(v, list) else [v])]
    assert rows and all(k.isascii() for row in rows if isinstance(row, dict) for k in row)


def test_tables_still_speak_chinese(srun):
    assert "状态" in srun("gaps", "--chain", "智能家电", "--lang", "zh").stdout
