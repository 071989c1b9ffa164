"""``--help`` in Chinese, and click's usage errors; English help unchanged.

Every command's help page under ``--lang zh`` (before or after ``--help``), under
``CHAINMAP_LANG=zh`` and in a workspace whose ``chainmap config lang`` is ``zh`` has no
English word left beyond what is typed as it is (option and command names, metavars,
choices, ids and codes, environment variables, file names and examples), with the same
word check as ``tests/test_cli_lang_zh.py``; every line fits the page. The English help
is click's own to the byte (``tests/golden/000-help.txt``, ``docs/cli.md`` through
``tests/test_cli_docs.py``, and here against the same page with ``--lang en``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.cli.helptext import ChainmapCommand, display_width, help_texts, shorten, wrap
from chainmap.cli.helptext import command_contexts as contexts
from chainmap.crm.common import ACTIVITY_KINDS, SOURCES
from chainmap.crm.kinds import REQUEST_KINDS, VISIT_KINDS
from chainmap.regions import GROUPS
from tests.test_cli_lang_zh import WORD, english_words

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "catalogue.py"
WIDTH = 80


def _catalogue():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import catalogue
    finally:
        sys.path.remove(str(SCRIPT.parent))
    return catalogue


def _commands() -> list[tuple[list[str], click.Command]]:
    """``(path, command)`` of the main group and every command below it."""
    found: list[tuple[list[str], click.Command]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                walk(sub, [*path, name])

    walk(main, [])
    return found


COMMANDS = _commands()


def _typed_words() -> set[str]:
    """What a help page shows as it is typed: each option's metavar and choices (``TEXT``,
    ``INTEGER RANGE``, ``[table|csv]``), its environment variable, click's usage words."""
    found = {"OPTIONS", "COMMAND", "ARGS"}
    for _path, ctx in contexts(main, "chainmap"):  # contexts as click makes them (-h)
        for param in ctx.command.get_params(ctx):
            found.update(WORD.findall(param.make_metavar(ctx)))
            if isinstance(param.type, click.Choice):
                found.update(str(c) for c in param.type.choices)
            if isinstance(param, click.Option) and isinstance(param.envvar, str):
                found.add(param.envvar)
    return found


def _codes() -> set[str]:
    """Codes a help text may name: every key with a label in the catalogue (columns,
    flags, measures: ``close_rate``, ``not_started``) and every key of the JSON the golden
    steps print (``bands``, ``period``)."""
    from chainmap.i18n import labels

    found = {key for kind in _catalogue().LABEL_KINDS for key in labels(kind)}
    for path in (REPO / "tests" / "golden").glob("*.txt"):
        found.update(re.findall(r'"(\w+)": ', path.read_text(encoding="utf-8")))
    return found


#: Words a Chinese help page may show besides those of tests/test_cli_lang_zh.py: the
#: typed words, codes (labelled keys, JSON keys, kinds and sources people type, 是/yes),
#: the region groups people type (sh-js-zj, yrd), the names of other programs and
#: products, file extensions (.xls).
HELP_WORDS = (_typed_words() | _codes() | set(REQUEST_KINDS) | set(VISIT_KINDS)
              | set(ACTIVITY_KINDS) | set(SOURCES) | set(GROUPS)
              | {"bolt", "Desktop", "Aura", "Gephi", "yEd", "Cytoscape", "GraphML", "GEXF",
                 "yes", "no", "xls"})
#: A word in capitals is a placeholder (``CHAIN``, ``DATASET``), an environment variable
#: (``NEO4J_PASSWORD``) or an acronym, never English prose.
CAPITALS = re.compile(r"[A-Z][A-Z0-9_]+")


def english_in_help(text: str) -> list[str]:
    """The English words of a help page a Chinese reader should not see."""
    return [w for w in english_words(text) if w not in HELP_WORDS and not CAPITALS.fullmatch(w)]


def _run(args: list[str], env: dict | None = None):
    runner = CliRunner()
    env = {"CHAINMAP_LANG": None, "CHAINMAP_DB": None, **(env or {})}
    return runner.invoke(main, args, env=env, prog_name="chainmap", terminal_width=WIDTH)


def _has_lang(command: click.Command) -> bool:
    return any(p.name == "lang" for p in command.params)


def _ids(path: list[str]) -> str:
    return " ".join(path) or "chainmap"


@pytest.fixture(scope="module")
def zh_workspace(tmp_path_factory) -> Path:
    """A workspace whose ``chainmap config lang`` is zh."""
    path = tmp_path_factory.mktemp("help") / "ws.db"
    done = _run(["--db", str(path), "config", "lang", "zh"])
    assert done.exit_code == 0, done.output
    return path


def _check_page(output: str) -> None:
    assert output.startswith("用法：chainmap"), output
    assert "\n选项：\n" in output and "显示本帮助并退出。" in output
    assert english_in_help(output) == [], output
    too_wide = [line for line in output.splitlines() if display_width(line) > WIDTH]
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[_ids(p) for p, _ in COMMANDS])
def test_help_is_chinese_under_chainmap_lang(path, command):
    done = _run([*path, "--help"], env={"CHAINMAP_LANG": "zh"})
    assert done.exit_code == 0, done.output
    _check_page(done.output)
    if isinstance(command, click.Group):
        assert "\n命令：\n" in done.output


LANG_COMMANDS = [(p, c) for p, c in COMMANDS if _has_lang(c)]


@pytest.mark.parametrize(("path", "command"), LANG_COMMANDS,
                         ids=[_ids(p) for p, _ in LANG_COMMANDS])
def test_help_is_chinese_under_lang_zh_wherever_it_stands(path, command):
    before = _run([*path, "--lang", "zh", "--help"])
    after = _run([*path, "--help", "--lang", "zh"])
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    _check_page(before.output)
    assert after.output == before.output
    # the command's own --lang outranks CHAINMAP_LANG, in both directions
    assert _run([*path, "--lang", "zh", "--help"], env={"CHAINMAP_LANG": "en"}).output \
        == before.output
    english = _run([*path, "--help"]).output
    assert _run([*path, "--help", "--lang", "en"], env={"CHAINMAP_LANG": "zh"}).output \
        == english


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[_ids(p) for p, _ in COMMANDS])
def test_help_follows_the_workspace_config_lang(zh_workspace, path, command):
    by_option = _run(["--db", str(zh_workspace), *path, "--help"])
    assert by_option.exit_code == 0, by_option.output
    _check_page(by_option.output)
    by_env = _run([*path, "--help"], env={"CHAINMAP_DB": str(zh_workspace)})
    assert by_env.output == by_option.output.replace(f" --db {zh_workspace}", "")
    # CHAINMAP_LANG comes before the workspace's config
    english = _run(["--db", str(zh_workspace), *path, "--help"], env={"CHAINMAP_LANG": "en"})
    assert english.output.startswith("Usage: chainmap")


def test_english_help_is_clicks_own():
    """Without --lang, CHAINMAP_LANG or config lang the help is English; --lang en gives the
    same page; the main group's page is the golden one."""
    golden = (REPO / "tests" / "golden" / "000-help.txt").read_text(encoding="utf-8")
    page = golden.split("--- stdout\n", 1)[1].split("\n--- stderr", 1)[0]
    runner = CliRunner()
    done = runner.invoke(main, ["--help"], env={"CHAINMAP_LANG": None, "COLUMNS": "80"})
    assert done.output == page
    for path, _command in LANG_COMMANDS:
        plain = _run([*path, "--help"]).output
        assert plain.startswith("Usage: chainmap")
        assert _run([*path, "--lang", "en", "--help"]).output == plain
    assert english_words(_run(["gaps", "--help"]).output)  # the check sees English


def test_the_chart_lang_both_keeps_the_language_in_force():
    assert _run(["chart", "funnel", "--lang", "both", "--help"],
                env={"CHAINMAP_LANG": "zh"}).output.startswith("用法：")
    assert _run(["chart", "funnel", "--lang", "zh", "--help"]).output.startswith("用法：")
    assert _run(["chart", "funnel", "--lang", "both", "--help"]).output.startswith("Usage:")


def test_no_args_shows_the_group_help_in_chinese(zh_workspace):
    done = _run(["--db", str(zh_workspace), "leads"])
    assert done.output.startswith("用法：chainmap leads")
    done = _run([], env={"CHAINMAP_DB": str(zh_workspace)})
    assert done.output.startswith("用法：chainmap [OPTIONS]")


def test_every_command_is_a_chainmap_command():
    assert all(isinstance(c, ChainmapCommand) for _, c in COMMANDS), \
        [_ids(p) for p, c in COMMANDS if not isinstance(c, ChainmapCommand)]


def test_the_page_keeps_paragraphs_and_notes():
    done = _run(["leads", "--help"], env={"CHAINMAP_LANG": "zh"})
    # the \b paragraph keeps its lines
    assert "  阶段：lead 线索 → contacted 接洽 → visited 考察 → negotiating 洽谈\n" \
           "        → signed 签约" in done.output
    done = _run(["gaps", "--help"], env={"CHAINMAP_LANG": "zh"})
    assert "[必填]" in done.output and "[默认：table]" in done.output
    assert "[默认：2；x>=1]" in done.output
    done = _run(["--help"], env={"CHAINMAP_LANG": "zh"})
    assert "[环境变量：" in done.output and "-h, --help" in done.output
    assert re.search(r"\n  gaps +缺口报告：CHAIN 在本地的缺链和弱链", done.output)


# --- usage errors ------------------------------------------------------------------------

#: (arguments, English error line, Chinese error line): the English is click's own.
USAGE_ERRORS = [
    (["gaps"], "Error: Missing option '--chain'.", "错误：缺少选项 '--chain'。"),
    (["leads", "show"], "Error: Missing argument 'LEAD'.", "错误：缺少参数 'LEAD'。"),
    (["gaps", "--chian", "x"],
     "Error: No such option '--chian'. (Did you mean one of: '--chain', '--lang'?)",
     "错误：没有选项 '--chian'。您是否要找以下之一：'--chain'、'--lang'？"),
    (["gaps", "--chain", "x", "--weak-treshold", "3"],
     "Error: No such option '--weak-treshold'. Did you mean '--weak-threshold'?",
     "错误：没有选项 '--weak-treshold'。您是否要找 '--weak-threshold'？"),
    (["gaps", "--chain", "x", "--format", "pdf"],
     "Error: Invalid value for '--format': 'pdf' is not one of 'table', 'json', 'csv', 'md', "
     "'xlsx'.",
     "错误：'--format' 的值无效：'pdf' 不是可选值之一：'table'、'json'、'csv'、'md'、'xlsx'。"),
    (["leads", "show", "L1", "L2"], "Error: Got unexpected extra argument (L2)",
     "错误：多余的参数（L2）"),
    (["gapz"], "Error: No such command 'gapz'. (Did you mean one of: 'gaps', 'graph'?)",
     "错误：没有命令 'gapz'。您是否要找以下之一：'gaps'、'graph'？"),
    (["lead"], "Error: No such command 'lead'. Did you mean 'leads'?",
     "错误：没有命令 'lead'。您是否要找 'leads'？"),
    # click's own reasons for a bad number (session 10: they stayed English)
    (["gaps", "--chain", "x", "--weak-threshold", "abc"],
     "Error: Invalid value for '--weak-threshold': 'abc' is not a valid integer range.",
     "错误：'--weak-threshold' 的值无效：'abc' 不是整数。"),
    (["gaps", "--chain", "x", "--weak-threshold", "0"],
     "Error: Invalid value for '--weak-threshold': 0 is not in the range x>=1.",
     "错误：'--weak-threshold' 的值无效：0 不在范围 x>=1 内。"),
    (["firms", "dupes", "--min-score", "high"],
     "Error: Invalid value for '--min-score': 'high' is not a valid float range.",
     "错误：'--min-score' 的值无效：'high' 不是数。"),
    (["synth", "--firms", "1e3", "out"],
     "Error: Invalid value for '--firms': '1e3' is not a valid integer.",
     "错误：'--firms' 的值无效：'1e3' 不是整数。"),
    (["leads", "add", "x", "--investment", "abc"],
     "Error: Invalid value for '--investment': 'abc' is not a number of 亿元",
     "错误：'--investment' 的值无效：'abc' 不是数（亿元）"),
]


@pytest.mark.parametrize(("args", "english", "chinese"), USAGE_ERRORS,
                         ids=[" ".join(a) for a, _e, _c in USAGE_ERRORS])
def test_usage_errors_speak_the_language(args, english, chinese, zh_workspace):
    done = _run(args)
    assert done.exit_code == 2
    assert done.output.splitlines()[-1] == english
    assert done.output.startswith("Usage: chainmap")
    assert "for help." in done.output
    for env, extra in (({"CHAINMAP_LANG": "zh"}, []), ({}, ["--db", str(zh_workspace)])):
        done = _run([*extra, *args], env=env)
        assert done.exit_code == 2, done.output
        lines = done.output.splitlines()
        if not hasattr(click.exceptions, "NoSuchCommand") and args in (["gapz"], ["lead"]):
            continue  # pragma: no cover - before click 8.4 an unknown command is plain text
        assert lines[-1] == chinese, done.output
        assert lines[0].startswith("用法：chainmap")
        assert re.fullmatch(r"用 'chainmap[ a-z-]*--help' 查看帮助。", lines[1]), lines[1]


def test_a_usage_error_under_lang_en_is_english_whatever_chainmap_lang():
    done = _run(["gaps", "--lang", "en"], env={"CHAINMAP_LANG": "zh"})
    assert done.output.startswith("Usage: chainmap gaps [OPTIONS]\nTry 'chainmap gaps --help'")
    assert done.output.splitlines()[-1] == "Error: Missing option '--chain'."


def test_a_usage_error_a_command_raises_is_framed_in_its_language(zh_workspace):
    english = _run(["--db", str(zh_workspace), "config", "stage-limit", "--unset"],
                   env={"CHAINMAP_LANG": "en"})
    assert english.exit_code == 2
    assert english.output.startswith("Usage: chainmap config stage-limit")
    assert english.output.splitlines()[-1] == "Error: --unset needs STAGE"
    chinese = _run(["--db", str(zh_workspace), "config", "stage-limit", "--unset"])
    assert chinese.exit_code == 2
    assert chinese.output.startswith("用法：chainmap config stage-limit")
    assert chinese.output.splitlines()[-1].startswith("错误：--unset ")


def test_a_usage_error_after_lang_zh_is_chinese():
    done = _run(["gaps", "--lang", "zh"])
    assert done.output.splitlines()[-1] == "错误：缺少选项 '--chain'。"
    done = _run(["gaps", "--bogus", "--lang", "zh"])
    assert done.output.splitlines()[-1] == "错误：没有选项 '--bogus'。"
    done = _run(["leads", "move", "L1", "--lang", "zh"])
    assert done.output.splitlines()[-1] == "错误：缺少参数 'STAGE'。"


# --- the catalogue -----------------------------------------------------------------------

def test_the_catalogue_holds_every_help_text():
    catalogue = _catalogue()
    wanted = catalogue.extracted()
    texts = help_texts(main)
    for msgid in ("Options:", "Usage:", "Show this message and exit.", "default: {default}",
                  "Chain id or name (e.g. 智能家电).", "Workspace settings."):
        assert (msgid, "help") in wanted, msgid
    # the \b of click is written \\b in the catalogue
    assert any(msgid.startswith("The lead pipeline (招商线索)") and "\\b\n" in msgid
               for msgid in texts)
    old = catalogue.read()
    assert all(old.get(msgid, "help") is not None and old.get(msgid, "help").string
               for msgid in texts)


def test_the_check_fails_on_a_help_text_without_chinese():
    catalogue = _catalogue()
    wanted = catalogue.extracted()
    old = catalogue.read()
    assert catalogue.problems(old, wanted) == [] and catalogue.stale(old, wanted) == []
    old.get("Workspace settings.", "help").string = ""
    old.get("Output format; xlsx needs -o FILE.", "help").string = "输出格式。"
    old.add("Help of an option that is gone.", "已删除的选项的说明。", context="help")
    wanted[("A new option help.", "help")] = []
    found = "\n".join(catalogue.problems(old, wanted) + catalogue.stale(old, wanted))
    assert "'Workspace settings.' (msgctxt 'help'): no Chinese translation" in found
    assert "the translation lost the option '-o'" in found
    assert "'Help of an option that is gone.' (msgctxt 'help') is no longer in the source" \
        in found
    assert "'A new option help.' (msgctxt 'help') is not in the catalogue" in found


# --- text by display width ---------------------------------------------------------------

def test_wrap_counts_chinese_characters_twice():
    text = "缺链和弱链：本地没有或不足 --weak-threshold 家生产企业的产品，逐一列出。"
    for width in (20, 30, 44):
        lines = wrap(text, width).splitlines()
        assert all(display_width(line) <= width for line in lines), lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.startswith(("，", "。", "：")) for line in lines)
        assert all("--weak-threshold" in line for line in lines if "--weak" in line)


def test_shorten():
    assert shorten("工作区设置。", 40) == "工作区设置。"
    text = "缺口报告：CHAIN 在本地的缺链和弱链、本地需求，以及目标地区内排好序的候选企业。"
    short = shorten(text, 30)
    assert short.endswith("...") and display_width(short) <= 30


# --- --lang before the command (session 10) ------------------------------------------------

def test_lang_before_the_command_is_the_language_of_the_command(zh_workspace, tmp_path):
    """``chainmap --lang zh CMD`` is ``chainmap CMD --lang zh``: help, usage errors, output."""
    page = _run(["--lang", "zh", "gaps", "--help"])
    assert page.exit_code == 0 and page.output.startswith("用法：chainmap gaps")
    assert _run(["--lang", "zh", "gaps"]).output.splitlines()[-1] == "错误：缺少选项 '--chain'。"
    assert _run(["--lang", "zh", "--help"]).output.startswith("用法：chainmap [OPTIONS]")
    empty = tmp_path / "empty.db"
    chainmap.open(empty).close()
    done = _run(["--lang", "zh", "--db", str(empty), "gaps", "--chain", "智能家电"])
    assert done.exit_code == 1 and done.output.startswith("错误：没有产业链 '智能家电'"), \
        done.output
    # it outranks the workspace's config lang and CHAINMAP_LANG, as the command's own does
    done = _run(["--lang", "en", "--db", str(zh_workspace), "gaps"],
                env={"CHAINMAP_LANG": "zh"})
    assert done.output.splitlines()[-1] == "Error: Missing option '--chain'."


def test_the_commands_own_lang_comes_after_the_one_before_it():
    done = _run(["--lang", "zh", "gaps", "--lang", "en", "--chain", "x",
                 "--weak-threshold", "0"])
    assert done.output.startswith("Usage: chainmap gaps")
    assert done.output.splitlines()[-1] == \
        "Error: Invalid value for '--weak-threshold': 0 is not in the range x>=1."
    done = _run(["--lang", "en", "gaps", "--lang", "zh"])
    assert done.output.splitlines()[-1] == "错误：缺少选项 '--chain'。"


def test_the_main_groups_lang_ends_with_the_command_line():
    """Many command lines run in one process (a notebook, these tests): the language of one
    that ended in the main group's own --help or usage error is not left in force."""
    assert _run(["--lang", "zh", "--help"]).output.startswith("用法：")
    assert _run(["--lang", "zh", "--bogus"]).output.startswith("用法：")
    assert _run(["gaps"]).output.splitlines()[-1] == "Error: Missing option '--chain'."
    assert _run(["--lang", "zh", "gaps"]).exit_code == 2
    assert _run(["gaps"]).output.splitlines()[-1] == "Error: Missing option '--chain'."


def test_an_option_without_its_value_is_said_in_the_language():
    """click says it without a usage line, in either language."""
    assert _run(["gaps", "--chain"]).output == "Error: Option '--chain' requires an argument.\n"
    done = _run(["gaps", "--chain"], env={"CHAINMAP_LANG": "zh"})
    assert done.exit_code == 2 and done.output == "错误：选项 '--chain' 后面需要写一个值。\n"


@pytest.mark.parametrize("hold", ["rollback journal", "exclusive locking mode"])
def test_help_beside_a_workspace_being_written_does_not_wait(tmp_path, hold):
    """``chainmap --help`` reads the ``config lang`` of ./chainmap.db; while another
    process writes it and SQLite cannot read meanwhile (a workspace without its
    write-ahead log, as on a share where SQLite cannot keep one, or held in exclusive
    locking mode) the help waited SQLite's default 5 s. It now shows at once, in the
    default language (a functional guard, not a benchmark: well under 5 s)."""
    import os
    import sqlite3
    import subprocess
    import time

    db = tmp_path / "chainmap.db"
    assert _run(["--db", str(db), "config", "lang", "zh"]).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k not in ("CHAINMAP_LANG", "CHAINMAP_DB")}
    env["PYTHONPATH"] = str(REPO)

    def help_page() -> tuple[float, subprocess.CompletedProcess]:
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "chainmap", "--help"], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=60)
        return time.monotonic() - start, done

    _, free = help_page()
    assert free.returncode == 0 and free.stdout.startswith("用法：chainmap")  # read when free
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        if hold == "rollback journal":
            writer.execute("PRAGMA journal_mode = DELETE")
        else:
            writer.execute("PRAGMA locking_mode = EXCLUSIVE")
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("UPDATE meta SET value = 'en' WHERE key = 'config.lang'")
        seconds, locked = help_page()
    finally:
        writer.rollback()
        writer.close()
    assert locked.returncode == 0, locked.stderr
    assert locked.stdout.startswith("Usage: chainmap [OPTIONS] COMMAND") and locked.stderr == ""
    assert seconds < 2.5, seconds


def _page(args: list[str], lang: str) -> str:
    """A help page with its wrapping undone (a Chinese line breaks inside a word)."""
    done = _run([*args, "--help", "--lang", lang])
    assert done.exit_code == 0, done.output
    return re.sub(r"\s+", "", done.output)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kind_help_lists_every_word_leads_log_takes(lang, tmp_path):
    """Every Chinese word ``parse_kind`` takes is in ``leads log --kind``'s help (走访,
    推介会 ...; it listed 拜访, 电话, 会谈, 邮件, 活动 only), and each is taken."""
    from chainmap.crm.common import _KIND_ALIASES, parse_kind

    page = _page(["leads", "log"], lang)
    words = [w for w in _KIND_ALIASES if not w.isascii()]
    assert {"走访", "推介会", "座谈会", "电联"} <= set(words)
    assert [w for w in [*ACTIVITY_KINDS, *words] if w not in page] == []
    assert {parse_kind(w) for w in words} == set(ACTIVITY_KINDS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_targets_help_lists_the_groups_and_separators(lang):
    """``--targets`` names every group (长三角, 江浙沪, yrd ...) and separator it takes; it
    said "Target regions or groups (default 苏浙沪)" only."""
    from chainmap import regions

    page = _page(["gaps"], lang)
    assert [g for g in regions.GROUPS if g not in page] == []
    assert [s for s in ",，、;；" if s not in page] == []
    assert regions.LIST_SEPARATORS.pattern == "[,，、;；]"  # what the help lists
    names = [r.name for r in regions.resolve_many("长三角；江浙沪、yrd")]
    assert names[:4] == ["上海市", "江苏省", "浙江省", "安徽省"]


@pytest.mark.parametrize(("lang", "says"), [("en", "atleast1"), ("zh", "至少1")])
def test_overdue_days_help_says_what_days_it_takes(lang, says, tmp_path):
    """``config overdue-days`` says DAYS is whole days ≥ 1, full-width too, default 180;
    it said nothing of DAYS."""
    page = _page(["config", "overdue-days"], lang)
    assert says in page and "１２０" in page and "180" in page
    db = str(tmp_path / "ws.db")
    assert _run(["--db", db, "config", "overdue-days", "１２０"]).output == "120\n"
    assert _run(["--db", db, "config", "overdue-days", "0"]).exit_code == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("command", "aliases", "parse"), [
    (["service", "request"], "_REQUEST_ALIASES", "parse_request_kind"),
    (["service", "visit"], "_VISIT_ALIASES", "parse_visit_kind")])
def test_service_kind_help_lists_every_word_it_takes(lang, command, aliases, parse):
    """``service request --kind`` names 招工, 人才, 用地, 融资, 手续 ... and ``service visit
    --kind`` 送生产要素, 一服 ...: every Chinese word its parser takes (it named one)."""
    from chainmap.crm import kinds

    page = _page(command, lang)
    words = [w for w in getattr(kinds, aliases) if not w.isascii()]
    assert [w for w in words if w not in page] == []
    codes = kinds.REQUEST_KINDS if "request" in command else kinds.VISIT_KINDS
    assert [k for k in codes if k not in page] == []
    assert {getattr(kinds, parse)(w) for w in words} == set(codes)
