"""The language of a command: --lang, then CHAINMAP_LANG, then chainmap config lang, then
English; errors, notes and messages in it; back to the default after the command."""

from __future__ import annotations

import warnings

import click
import pytest
from click.testing import CliRunner

import chainmap
from chainmap import i18n
from chainmap.cli import main
from chainmap.cli import options as cli_options
from chainmap.cli.errors import ChainmapGroup
from chainmap.errors import ArgumentError

UNKNOWN_EN = "Error: unknown lead 'L9999'\n"


def _zh_error(result) -> bool:
    return result.exit_code == 1 and result.stderr.startswith("错误：") \
        and "L9999" in result.stderr


@pytest.fixture
def srun(run, tiny):
    assert run("import", tiny).exit_code == 0
    return run


@pytest.fixture
def env_run(db):
    """``env_run({"CHAINMAP_LANG": "zh"}, *args)``."""
    runner = CliRunner()

    def invoke(env: dict, *args: str):
        return runner.invoke(main, ["--db", str(db), *map(str, args)], env=env,
                             catch_exceptions=False)

    return invoke


def test_config_lang_shows_sets_and_unsets(srun, db):
    assert srun("config", "lang").stdout == "(not set)\n"
    r = srun("config", "lang", "zh")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "zh\n", "界面语言已设为 zh\n")
    assert srun("config", "lang").stdout == "zh\n"
    with chainmap.open(db) as ws:
        assert ws.lang == "zh"
    r = srun("config", "lang", "--unset")
    assert r.stderr.startswith("已清除界面语言")  # said in the language it had
    assert srun("config", "lang").stdout == "(not set)\n"
    assert srun("config", "lang", "zh-CN").stdout == "zh\n"  # normalised


def test_config_lang_refuses_a_language_chainmap_does_not_speak(srun):
    r = srun("config", "lang", "fr")
    assert (r.exit_code, r.stderr) == (1, "Error: unknown language 'fr'; use en or zh\n")
    r = srun("config", "lang", "fr", "--lang", "zh")
    assert r.stderr == "错误：未知语言 'fr'；请用 en 或 zh\n"


def test_workspace_lang_in_the_library(tmp_path):
    with chainmap.open(tmp_path / "w.db") as ws:
        assert ws.lang is None
        assert ws.set_lang("ZH") == "zh" and ws.lang == "zh"
        with pytest.raises(ArgumentError, match="unknown language 'xx'"):
            ws.set_lang("xx")
        assert ws.lang == "zh"
        assert ws.set_lang(None) is None and ws.lang is None


def test_the_workspace_language_is_every_command_s(srun, tiny):
    assert srun("leads", "show", "L9999").stderr == UNKNOWN_EN
    srun("config", "lang", "zh")
    assert _zh_error(srun("leads", "show", "L9999"))
    # a command that never opens the workspace speaks it too (read without opening it)
    r = srun("region", "当涂", "--format", "table")
    assert "代码" in r.stdout and "区县级" in r.stdout
    assert srun("config", "home").stdout == "（未设置）\n"


def test_chainmap_lang_comes_before_the_workspace(srun, env_run):
    assert _zh_error(env_run({"CHAINMAP_LANG": "zh"}, "leads", "show", "L9999"))
    srun("config", "lang", "zh")
    assert env_run({"CHAINMAP_LANG": "en"}, "leads", "show", "L9999").stderr == UNKNOWN_EN
    srun("config", "lang", "en")
    assert _zh_error(env_run({"CHAINMAP_LANG": "zh"}, "leads", "show", "L9999"))


def test_the_option_comes_first(srun, env_run):
    assert env_run({"CHAINMAP_LANG": "zh"}, "leads", "show", "L9999", "--lang",
                   "en").stderr == UNKNOWN_EN
    srun("config", "lang", "zh")
    assert srun("leads", "show", "L9999", "--lang", "en").stderr == UNKNOWN_EN
    assert env_run({"CHAINMAP_LANG": "en"}, "region", "当涂", "--lang",
                   "zh").stdout.startswith("代码")
    srun("config", "lang", "en")
    assert _zh_error(srun("leads", "show", "L9999", "--lang", "zh"))


def test_the_language_is_back_after_the_command(srun):
    assert _zh_error(srun("leads", "show", "L9999", "--lang", "zh"))
    assert i18n.language() == "en"
    assert srun("leads", "show", "L9999").stderr == UNKNOWN_EN
    # also after an error of click's own and after a command that succeeded
    assert srun("leads", "show", "--lang", "zh").exit_code == 2
    assert srun("config", "home", "--lang", "zh").exit_code == 0
    assert i18n.language() == "en"
    assert srun("leads", "show", "L9999").stderr == UNKNOWN_EN


def test_errors_messages_and_usage_texts_in_chinese(srun, tmp_path):
    r = srun("leads", "show", "L9999", "--lang", "zh")
    assert r.stderr == "错误：没有线索 'L9999'\n"
    r = srun("config", "home", "当涂", "--lang", "zh")
    assert r.stderr == "本地区域已设为 安徽省/马鞍山市/当涂县（340521）\n"
    r = srun("gaps", "--chain", "ac", "--format", "xlsx", "--lang", "zh")
    assert r.stderr == "错误：--format xlsx 须用 -o FILE.xlsx 指定文件\n"
    r = srun("leads", "add", "aux", "--investment", "-3", "--lang", "zh")
    # click's own words stay English; the reason is chainmap's
    assert r.exit_code == 2 and "'-3' 是负数；请给出不小于 0 的数（亿元）" in r.stderr
    r = srun("export", tmp_path / "out", "--lang", "zh")
    assert r.stderr.startswith("已写入 ") and "个文件到" in r.stderr
    r = srun("leads", "overdue", "--lang", "zh")
    assert r.stderr == "签而未动项目 0 个\n"
    r = srun("check", "--lang", "zh", "--format", "csv")
    assert r.stderr.startswith("错误 0 项，警告 ")
    r = CliRunner().invoke(main, ["--store", "neo4j", "leads", "list"],
                           env={"NEO4J_URI": None, "CHAINMAP_LANG": "zh"})
    assert r.exit_code == 2 and "--store neo4j 须给出 --neo4j-uri 或 NEO4J_URI" in r.stderr


def test_the_parameter_words_of_a_chinese_error_become_options(srun):
    srun("leads", "add", "aux")
    r = srun("leads", "move", "L1", "lost", "--lang", "zh")
    assert r.exit_code == 1 and r.stderr.startswith("错误：") and "--reason" in r.stderr
    assert "reason=" not in r.stderr


def _group(error: BaseException | None = None, warn: list[Warning] | None = None):
    """A tiny command line with a --lang command that raises ``error`` or warns."""

    @click.group(cls=ChainmapGroup)
    def cli() -> None:
        pass

    @cli.command("go")
    @cli_options.LANG
    def go() -> None:
        for w in warn or []:
            warnings.warn(w, stacklevel=1)
        if error is not None:
            raise error

    return cli


@pytest.mark.parametrize(("lang", "start"), [("en", "Error: internal error (RuntimeError: "
                                                    "boom); set CHAINMAP_DEBUG=1"),
                                             ("zh", "错误：内部错误（RuntimeError: boom）")])
def test_an_internal_error_in_the_language(lang, start):
    r = CliRunner().invoke(_group(RuntimeError("boom")), ["go", "--lang", lang],
                           env={"CHAINMAP_DEBUG": None})
    assert r.exit_code == 1 and r.stderr.startswith(start)


def test_an_interruption_in_the_language():
    r = CliRunner().invoke(_group(KeyboardInterrupt()), ["go", "--lang", "zh"])
    assert r.exit_code == 130 and r.stderr.startswith("已中断。SQLite 工作区中未完成的写入已回滚")


class NearMatchWarning(UserWarning):
    """Stands in for chainmap.errors.NearMatchWarning (matched by its class name)."""


@pytest.mark.parametrize(("lang", "note"), [("en", "Note: "), ("zh", "提示：")])
def test_a_near_match_is_a_note_line(lang, note):
    seen = [NearMatchWarning("read '控制器主控板' as '控制器（主控板）'"),
            NearMatchWarning("read '控制器主控板' as '控制器（主控板）'"),  # said once
            NearMatchWarning("read '安徽者' as '安徽省'")]
    for _ in range(2):  # and again in the next command
        r = CliRunner().invoke(_group(warn=seen), ["go", "--lang", lang])
        assert r.exit_code == 0
        # on stderr, stdout is left to data
        assert r.stderr == (f"{note}read '控制器主控板' as '控制器（主控板）'\n"
                            f"{note}read '安徽者' as '安徽省'\n")
        assert r.stdout == ""


def test_other_warnings_are_not_notes():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = CliRunner().invoke(_group(warn=[DeprecationWarning("old")]), ["go"])
    assert "Note:" not in r.stderr
    assert [str(w.message) for w in caught] == ["old"]


@pytest.mark.parametrize(("lang", "note"), [
    ("en", "Note: read '控制器主控板' as '控制器（主控板）'"), ("zh", "提示：")])
def test_the_library_near_match_warning_is_a_note(run, lang, note):
    assert run("import", chainmap.sample_path()).exit_code == 0
    r = run("targets", "--chain", "智能家电", "--product", "控制器主控板", "--home", "当涂县",
            "--lang", lang)
    assert r.exit_code == 0, r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith(note)], r.stderr


def test_every_command_that_prints_has_lang():
    """Every command but the groups that only hold commands (and --help)."""
    missing = []

    def walk(group: click.Group, path: list[str]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, [*path, name])
                if not command.invoke_without_command:
                    continue
            if not any("--lang" in p.opts for p in command.params
                       if isinstance(p, click.Option)):
                missing.append(" ".join([*path, name]))

    walk(main, [])
    assert not missing


def test_chart_lang_keeps_both_and_speaks_zh(srun, tmp_path):
    srun("config", "home", "当涂县")
    r = srun("chart", "funnel", "-o", tmp_path / "f.png", "--lang", "zh")
    assert r.exit_code == 0 and r.stderr.startswith("已写入 ")
    r = srun("chart", "funnel", "-o", tmp_path / "f.png")
    assert r.stderr.startswith("Wrote ")
    assert "both" in next(p for p in main.commands["chart"].commands["funnel"].params
                          if p.name == "lang").type.choices


def test_the_workspace_language_on_either_store(make_ws, tiny):
    """SQLite: read from the file before the command runs; Neo4j: when it is opened."""
    ws = make_ws(tiny, fresh=True)
    ws.set_lang("zh")
    r = CliRunner().invoke(main, ["--db", ws.location, "leads", "show", "L9999"],
                           env={"CHAINMAP_LANG": None})
    assert _zh_error(r), r.stderr
    r = CliRunner().invoke(main, ["--db", ws.location, "leads", "show", "L9999", "--lang",
                                  "en"], env={"CHAINMAP_LANG": None})
    assert r.stderr == UNKNOWN_EN
