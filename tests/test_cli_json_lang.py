"""JSON is for programs: keys and code values are English whatever the language says
(``--lang zh``, ``CHAINMAP_LANG=zh`` or ``chainmap config lang zh``), for every command
with ``--format json``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.output import PROSE_COLUMNS

OFFICE = Path(__file__).resolve().parents[1] / "examples" / "dangtu-office-list.csv"

#: Every command with --format json, with arguments for the sample; ``mutates``: it changes
#: the workspace, so each language runs it on a workspace of its own.
COMMANDS = [
    ["gaps", "--chain", "智能家电"],
    ["targets", "--chain", "智能家电", "--product", "电容器"],
    ["anchor", "aux"],
    ["metrics"],
    ["impact", "haoyue"],
    ["opportunities", "--chain", "智能家电"],
    ["related", "--product", "压缩机"],
    ["pipeline"],
    ["report", "weekly", "--from", "2026-01-01", "--to", "2026-03-31"],
    ["check"],
    ["region", "当涂", "苏浙沪"],
    ["leads", "from-gaps", "--chain", "智能家电", "--top", "1", "--dry-run"],
    ["leads", "show", "L0004"],
    ["leads", "show", "L0007"],  # a project: commitments, actuals, its firm's requests
    ["leads", "list"],
    ["leads", "due"],
    ["leads", "stale"],
    ["leads", "projects"],
    ["leads", "overdue"],
    ["log"],
    ["firms", "dupes"],
    ["chains", "list"],
    ["classify"],
    ["classify", "accept", "--min", "strong"],
    ["report", "signed", "--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "2026-07-15"],
    ["service", "firms"],
    ["service", "list"],
    ["service", "report", "--from", "2026-07-01"],
    ["projects", "delivery"],
    ["supervise"],
    ["config", "stage-limit"],
    ["check", "--integrity"],
    ["backup", "--force", str(Path(tempfile.gettempdir()) / "chainmap-json-lang-backup.db")],
]
MUTATES = {("classify", "accept")}
#: Commands whose JSON names the workspace (its file, its revision): compared in the
#: languages of one workspace only.
ONE_WORKSPACE = {("backup",)}
#: Commands with --format json whose JSON is checked in both languages by their own
#: tests (a restore replaces the workspace and names the files it kept).
ELSEWHERE = {("restore",)}  # tests/test_cli_backup.py


def _path(args: list[str]) -> tuple[str, ...]:
    """The command's names in ``args`` (``leads list``)."""
    group: click.Command = main
    path: list[str] = []
    for word in args:
        if not isinstance(group, click.Group) or word not in group.commands:
            break
        group = group.commands[word]
        path.append(word)
    return tuple(path)


def test_the_list_has_every_command_with_json():
    found = set()

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            for p in command.params:
                if isinstance(p, click.Option) and "--format" in p.opts \
                        and "json" in getattr(p.type, "choices", ()):
                    found.add((*path, name))

    walk(main, ())
    assert found == {_path(a) for a in COMMANDS} | ELSEWHERE


def _workspace(tmp_path, name: str, lang: str | None = None):
    """A workspace with the sample, a home, the office list, a lead with history, the
    1+1+1 people, requests and a visit of two firms, and a project's commitments and
    actuals."""
    db = tmp_path / f"{name}.db"
    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        return runner.invoke(main, ["--db", str(db), *map(str, args)], env=env,
                             catch_exceptions=False)

    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    assert run("firms", "import", OFFICE, "--as-of", "2026-11-01").exit_code == 0
    assert run("leads", "log", "L0004", "--kind", "visit", "--note", "走访",
               "--date", "2026-11-10").exit_code == 0
    assert run("leads", "follow-up", "L0004", "--due", "2026-11-20", "--note",
               "回访").exit_code == 0
    for args in (  # after signing (issue 12): rows for service, delivery and supervise
            ["service", "assign", "aux", "--contact", "人事部王经理:0555-6710000",
             "--officer", "张超", "--leader", "陈主任"],
            ["service", "assign", "fuma", "--contact", "顾鹏", "--officer", "李侃"],
            ["service", "request", "aux", "投产之初出现用工荒", "--kind", "用工",
             "--date", "2026-07-01", "--due", "2026-08-31"],
            ["service", "progress", "R1", "--note", "联系县人社局", "--date", "2026-07-10"],
            ["service", "close", "R1", "--note", "体验式招工", "--date", "2026-08-20"],
            ["service", "request", "fuma", "申报技改项目资金", "--kind", "资金",
             "--date", "2026-10-08", "--due", "2026-11-15"],
            ["service", "request", "aux", "扩建用地50亩", "--kind", "land",
             "--date", "2026-11-20", "--due", "2026-12-01"],
            ["service", "visit", "aux", "--kind", "送政策", "--note", "惠企政策宣讲",
             "--date", "2026-11-10"],
            ["leads", "update", "L0007", "--land", "50", "--output", "5", "--tax", "1500",
             "--jobs", "200", "--start-by", "2025-06-30", "--produce-by", "2026-03-31"],
            ["leads", "actual", "L0007", "--date", "2026-06-30", "--invested", "1.5",
             "--output", "2", "--jobs", "150"],
            ["service", "request", "lishui-comp", "扩建用地", "--kind", "土地", "--officer", "张超",
             "--date", "2026-07-01", "--due", "2026-08-31"]):
        assert run(*args).exit_code == 0, args
    if lang:
        assert run("config", "lang", lang).exit_code == 0
    return run


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two workspaces made alike at one frozen moment: English, and config lang zh."""
    import time_machine

    from tests.test_golden import FROZEN

    tmp = tmp_path_factory.mktemp("json-lang")
    with time_machine.travel(FROZEN, tick=False):
        yield {"en": _workspace(tmp, "en"), "zh-config": _workspace(tmp, "zh", "zh")}


def _rows(data) -> list[dict]:
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    rows = [data]
    for value in data.values():
        if isinstance(value, (dict, list)):
            rows += _rows(value)
    return rows


#: Columns of sentences for people (a gap's explanation, a target's reasons, a finding's
#: message ...): made in the language of the command, in JSON too; everything else is the
#: same whatever the language.
PROSE = frozenset({*PROSE_COLUMNS, "message", "detail", "sentence", "note"})


def _codes(value):
    """``value`` without its sentences for people (:data:`PROSE`)."""
    if isinstance(value, dict):
        return {k: _codes(v) for k, v in value.items() if k not in PROSE}
    if isinstance(value, list):
        return [_codes(v) for v in value]
    return value


def test_prose_follows_the_language_in_json(runs):
    en = json.loads(runs["en"]("gaps", "--chain", "智能家电", "--format", "json").stdout)
    zh = json.loads(runs["en"]("gaps", "--chain", "智能家电", "--format", "json",
                               "--lang", "zh").stdout)
    assert en[0]["explanation"].startswith("no firm in 当涂县 makes it")
    assert zh[0]["explanation"].startswith("当涂县尚无企业生产")
    assert _codes(en) == _codes(zh) and en != zh


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(_path(a)))
def test_json_is_the_same_in_every_language(runs, tmp_path, args):
    if _path(args) in MUTATES:
        outs = []
        for lang in ("en", "zh"):
            run = _workspace(tmp_path, lang)
            assert run("classify").exit_code == 0  # the suggestions to accept
            outs.append(run(*args, "--format", "json", "--lang", lang))
    else:
        outs = [runs["en"](*args, "--format", "json", "--lang", "en"),
                runs["en"](*args, "--format", "json", "--lang", "zh"),
                runs["en"](*args, "--format", "json", env={"CHAINMAP_LANG": "zh"})]
        if _path(args) not in ONE_WORKSPACE:
            outs.append(runs["zh-config"](*args, "--format", "json"))
    assert all(r.exit_code == 0 for r in outs), [r.stderr for r in outs]
    first = json.loads(outs[0].stdout)
    for r in outs[1:]:
        assert _codes(json.loads(r.stdout)) == _codes(first)
    # no Chinese key anywhere: every key is ASCII (values may be Chinese names)
    rows = _rows(first)
    assert rows and all(k.isascii() for row in rows for k in row)


def test_tables_still_speak_chinese(runs):
    assert "状态" in runs["en"]("gaps", "--chain", "智能家电", "--lang", "zh").stdout
    assert "状态" in runs["zh-config"]("gaps", "--chain", "智能家电").stdout
