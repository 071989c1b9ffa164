"""The library speaks Python: errors subclass the built-in a caller expects and name the
parameter (``reason=``), never a command-line option; the CLI turns them into options."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.cli.errors import option_words
from chainmap.errors import ArgumentError, NotFoundError, RegionError, WorkspaceError

HOME = "安徽省/马鞍山市/当涂县"
PACKAGE = Path(chainmap.__file__).parent


def test_a_missing_reason_is_a_value_error_naming_the_parameter(sample_ws):
    with pytest.raises(ValueError, match="give reason=$") as err:
        chainmap.move_lead(sample_ws, "L0001", "lost")
    assert isinstance(err.value, ArgumentError)
    assert err.value.parameter == "reason" and err.value.parameters == ("reason",)


def test_a_message_naming_several_parameters_lists_them_all(sample_ws):
    with pytest.raises(ValueError) as err:
        chainmap.move_lead(sample_ws, "L0001", "signed", reason="why")
    assert err.value.parameters == ("reason", "note")
    assert str(err.value).startswith("reason= is only for a move to lost")
    with pytest.raises(ValueError) as err:
        chainmap.update_lead(sample_ws, "L0001")
    assert str(err.value) == ("nothing to update: give owner=, investment=, product=, "
                              "contract_date=, note=, land=, output=, tax=, jobs=, start_by= "
                              "or produce_by=")


@pytest.mark.parametrize(("call", "parameter"), [
    (lambda ws: chainmap.leads_from_gaps(ws, "智能家电", home=HOME, top=0), "top"),
    (lambda ws: chainmap.stale_leads(ws, days=-1), "days"),
    (lambda ws: chainmap.duplicate_firms(ws, min_score=120), "min_score"),
    (lambda ws: chainmap.gaps(ws, "智能家电", home=HOME, weak_threshold=0), "weak_threshold"),
    (lambda ws: chainmap.gaps(ws, "智能家电"), "home"),
    (lambda ws: chainmap.add_lead(ws, "gree", date="2026-02-30"), "date"),
    (lambda ws: chainmap.add_lead(ws, "gree", investment=-1), "investment"),
    (lambda ws: chainmap.add_followup(ws, "L1", due="2026-13-01", note="x"), "due"),
    (lambda ws: chainmap.log_activity(ws, "L1", "call", " "), "note"),
    (lambda ws: chainmap.add_lead(ws, "xinchang-valve", product="eev"), "force"),
])
def test_bad_arguments_are_value_errors(sample_ws, call, parameter):
    with pytest.raises(ValueError) as err:
        call(sample_ws)
    assert isinstance(err.value, ArgumentError) and err.value.parameter == parameter
    assert f"{parameter}=" in str(err.value) or parameter == "investment"
    assert "--" not in str(err.value)


@pytest.mark.parametrize(("call", "kind"), [
    (lambda ws: ws.chain_id("no such chain"), NotFoundError),
    (lambda ws: ws.product_id("no such product"), NotFoundError),
    (lambda ws: ws.company_id("no such firm"), NotFoundError),
    (lambda ws: chainmap.lead_details(ws, "L9999"), NotFoundError),
    (lambda ws: chainmap.complete_followup(ws, "F9999"), NotFoundError),
    (lambda ws: ws.table("no such table"), NotFoundError),
    (lambda ws: chainmap.gaps(ws, "智能家电", home="火星省"), RegionError),
])
def test_unknown_names_are_lookup_errors(sample_ws, call, kind):
    with pytest.raises(LookupError) as err:
        call(sample_ws)
    assert isinstance(err.value, kind)


def test_chainmap_error_still_catches_them_all(sample_ws, tmp_path):
    calls = [lambda: chainmap.move_lead(sample_ws, "L0001", "lost"),
             lambda: sample_ws.chain_id("nope"),
             lambda: chainmap.gaps(sample_ws, "智能家电", home="火星省"),
             lambda: chainmap.import_dataset(sample_ws, tmp_path / "missing")]
    for call in calls:
        with pytest.raises(chainmap.ChainmapError):
            call()


def test_workspace_state_is_a_workspace_error(tmp_path):
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(WorkspaceError):
        chainmap.open(tmp_path / "folder.db")


def test_the_cli_turns_every_parameter_into_its_option():
    update = click.Command("update", params=[
        click.Option([f"--{n.replace('_', '-')}"]) for n in
        ("owner", "investment", "product", "contract_date", "note")])
    exc = ArgumentError("nothing to update: give owner=, investment=, product=, "
                        "contract_date= or note=",
                        parameter=("owner", "investment", "product", "contract_date", "note"))
    assert option_words(exc, update) == ("nothing to update: give --owner, --investment, "
                                         "--product, --contract-date or --note")
    impact = click.Command("impact", params=[click.Option(["--add"], is_flag=True)])
    exc = ArgumentError("use add=True to see; drop add=True", parameter="add")
    assert option_words(exc, impact) == "use --add to see; drop --add"


@pytest.mark.parametrize(("command", "parameter", "words"), [
    ("demo", "path", "--out"),       # chainmap.demo(path=) is demo --out
    ("push", "uri", "--neo4j-uri"),  # Neo4jStore(uri=) is the main group's --neo4j-uri
    ("other", "path", "--path"),
])
def test_options_named_differently_from_the_parameter(command, parameter, words):
    exc = ArgumentError(f"give {parameter}= here", parameter=parameter)
    assert option_words(exc, click.Command(command)) == f"give {words} here"


def test_the_cli_words_of_a_translated_neo4j_error(monkeypatch, tmp_path):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    r = CliRunner().invoke(main, ["--db", str(tmp_path / "ws.db"), "neo4j", "push"])
    assert (r.exit_code, r.stderr) == (
        1, "Error: no Neo4j server: give --neo4j-uri bolt://HOST:7687 or set NEO4J_URI\n")


def test_no_home_says_how_to_set_it_in_python_and_the_cli_its_command(sample_ws):
    """A notebook user is told ``ws.set_home(...)``; the command line keeps saying
    ``chainmap config home`` (and ``--home`` for ``home=``), in both languages."""
    with pytest.raises(ArgumentError) as err:
        chainmap.gaps(sample_ws, "智能家电")
    assert str(err.value) == ('no home region: give home=, or set one with '
                              'ws.set_home("安徽省/马鞍山市/当涂县")')
    assert "chainmap config" not in str(err.value) and err.value.topic == "no-home"
    with chainmap.use_language("zh"), pytest.raises(ArgumentError) as err:
        chainmap.metrics(sample_ws, "智能家电")
    assert "ws.set_home(" in str(err.value) and "chainmap config" not in str(err.value)
    sample_ws.set_home("当涂县")  # the method the message names works as written
    assert sample_ws.home.path == HOME
    sample_ws.set_home(None)
    cli = CliRunner()
    r = cli.invoke(main, ["--db", sample_ws.location, "gaps", "--chain", "智能家电"])
    assert (r.exit_code, r.stderr) == (1, "Error: no home region: give --home, or set one "
                                          "with 'chainmap config home 安徽省/马鞍山市/当涂县'\n")
    r = cli.invoke(main, ["--db", sample_ws.location, "metrics", "--lang", "zh"])
    assert (r.exit_code, r.stderr) == (1, "错误：未设本地园区：请给出 --home，或用 "
                                          "'chainmap config home 安徽省/马鞍山市/当涂县' 设置\n")


def _raised_strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield node.lineno, part.value


def test_no_library_message_names_a_command_line_option():
    option = re.compile(r"(?<![\w-])--[a-z]")
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text}"
             for path in sorted(PACKAGE.rglob("*.py")) if "cli" not in path.parts
             for line, text in _raised_strings(ast.parse(path.read_text("utf-8")))
             if option.search(text)]
    assert found == []


def test_jupyter_shows_the_callers_line_and_the_message_not_chainmaps_frames(sample_ws,
                                                                              monkeypatch):
    """IPython displays ``_render_traceback_()`` for an error: a planner's cell shows the
    line that failed and the message, as ``Error: ...`` on the command line, not some
    twenty lines through snapshot.py, targets.py and workspace.py."""
    monkeypatch.delenv("CHAINMAP_DEBUG", raising=False)
    with pytest.raises(NotFoundError) as err:
        chainmap.targets(sample_ws, "智能家电", "控制器", home=HOME)  # the failing line
    shown = err.value._render_traceback_()
    assert shown == [f"line {err.value.__traceback__.tb_lineno}: "
                     'chainmap.targets(sample_ws, "智能家电", "控制器", home=HOME)  '
                     "# the failing line",
                     "NotFoundError: unknown product '控制器'; did you mean: "
                     "控制器（主控板） (controller)?"]
    with chainmap.use_language("zh"):
        with pytest.raises(ArgumentError) as err:
            chainmap.move_lead(sample_ws, "L0001", "lost")
        shown = err.value._render_traceback_()  # as Jupyter shows it, in the session's words
    assert shown[0].startswith("第 ") and "行：chainmap.move_lead(" in shown[0]
    assert shown[1].startswith("ArgumentError: ") and len(shown) == 2
    # CHAINMAP_DEBUG=1: the whole traceback, chainmap's frames included
    monkeypatch.setenv("CHAINMAP_DEBUG", "1")
    assert any("snapshot.py" in line or "leads.py" in line
               for line in err.value._render_traceback_())


def test_a_lone_firm_list_names_import_firms_in_python_and_the_command_in_the_cli(
        tmp_path, run):
    """``import_dataset`` of a firm list says ``chainmap.import_firms(ws, "...")`` (it said
    ``'chainmap firms import ...'``); ``chainmap import`` keeps the command, en and zh."""
    from chainmap.errors import DatasetError
    from tests.test_intake import OFFICE, write_csv

    path = write_csv(tmp_path / "企业.csv", OFFICE, "gbk")
    ws = chainmap.open(tmp_path / "py.db")
    with pytest.raises(DatasetError) as err:
        chainmap.import_dataset(ws, path)
    assert 'import it with chainmap.import_firms(ws, "企业.csv")' in str(err.value)
    assert "chainmap firms" not in str(err.value) and err.value.topic == "firm-list"
    with chainmap.use_language("zh"), pytest.raises(DatasetError) as err:
        chainmap.import_dataset(ws, path)
    assert '请用 chainmap.import_firms(ws, "企业.csv") 导入' in str(err.value)
    ws.close()
    r = run("import", path)
    assert r.exit_code == 1 and r.stderr.startswith("Error: 1 problem(s) found")
    assert "import it with 'chainmap firms import 企业.csv'\n" in r.stderr, r.stderr
    assert "chainmap.import_firms" not in r.stderr
    r = run("import", path, "--lang", "zh")
    assert "请用 'chainmap firms import 企业.csv' 导入\n" in r.stderr, r.stderr
    assert "chainmap.import_firms" not in r.stderr


def test_the_demos_next_steps_are_python_in_python_and_commands_in_the_cli(tmp_path):
    """``chainmap.demo()`` ends with Python to try next (``chainmap.findings(ws)``); the
    command ``demo`` with the commands (``chainmap --db ... check``), en and zh."""
    path = tmp_path / "demo.db"
    text = chainmap.demo(path)
    assert "chainmap --db" not in text
    assert "see chainmap.findings(ws)\n" in text
    assert text.splitlines()[-5:] == [
        "Next:", f"  ws = chainmap.open({str(path)!r})", "  chainmap.gaps(ws, '智能家电')",
        "  chainmap.findings(ws)", "  chainmap.export_dataset(ws, 'dangtu.xlsx')"]
    ws = chainmap.open(path)  # what it says to do works
    assert len(chainmap.gaps(ws, "智能家电")) and len(chainmap.findings(ws))
    ws.close()
    with chainmap.use_language("zh"):
        assert "详见 chainmap.findings(ws)" in chainmap.demo(path)
    r = CliRunner().invoke(main, ["demo", "--out", str(path)])
    assert r.exit_code == 0, r.output
    assert f"see 'chainmap --db {path} check'" in r.stdout
    assert r.stdout.splitlines()[-4:] == [
        "Next:", f"  chainmap --db {path} gaps --chain 智能家电 --format json",
        f"  chainmap --db {path} check", f"  chainmap --db {path} export dangtu.xlsx"]
    assert "chainmap.findings" not in r.stdout and "chainmap.open" not in r.stdout
    r = CliRunner().invoke(main, ["demo", "--out", str(path), "--lang", "zh"])
    assert f"详见 'chainmap --db {path} check'" in r.stdout
    assert r.stdout.splitlines()[-3] == \
        f"  chainmap --db {path} gaps --chain 智能家电 --format json"


@pytest.mark.parametrize("topic", ["push-import", "push-firms", "push-review", "push-chains"])
def test_a_write_the_neo4j_store_refuses_names_chainmap_push_and_the_cli_its_command(topic):
    """The library says ``chainmap.push(ws, "...")``, the command line ``'chainmap neo4j
    push'`` (topics of ``CLI_MESSAGES``), in both languages."""
    from chainmap.store.base import push_first_error

    command = click.Command("import")
    error = push_first_error(topic, "bolt://db:7687")
    assert str(error).endswith('then push it with chainmap.push(ws, "bolt://db:7687")') \
        or '(ws, "bolt://db:7687") (an import updates' in str(error)
    assert "chainmap neo4j" not in str(error) and error.topic == topic
    assert "with 'chainmap neo4j push'" in option_words(error, command)
    assert "bolt://db:7687" in option_words(error, command)
    assert "chainmap.push" not in option_words(error, command)
    with chainmap.use_language("zh"):
        error = push_first_error(topic, "bolt://db:7687")
        assert 'chainmap.push(ws, "bolt://db:7687") 推送' in str(error)
        said = option_words(error, command)
    assert "再用 'chainmap neo4j push'" in said and "chainmap.push" not in said


def test_a_partial_push_names_chainmap_push_and_the_cli_its_command(capsys):
    """A report of a database being pushed to warns ``chainmap.push finishes a stopped
    one`` in Python; the command line's ``Warning:`` line names ``chainmap neo4j push``."""
    import warnings

    from chainmap.cli.errors import near_match_notes

    warning = chainmap.PartialPushWarning("bolt://db:7687")
    assert str(warning).endswith("(chainmap.push finishes a stopped one)")
    assert "chainmap neo4j" not in str(warning)
    with chainmap.use_language("zh"):
        assert "（chainmap.push 可补完" in str(chainmap.PartialPushWarning("bolt://db:7687"))
    with near_match_notes():
        warnings.warn(warning, stacklevel=1)
    said = capsys.readouterr().err
    assert said.startswith("Warning: a push into bolt://db:7687 is under way")
    assert said.endswith("('chainmap neo4j push' finishes a stopped one)\n")
    with chainmap.use_language("zh"), near_match_notes():
        warnings.warn(chainmap.PartialPushWarning("bolt://db:7687"), stacklevel=1)
    assert "（'chainmap neo4j push' 可补完" in capsys.readouterr().err


@pytest.mark.parametrize("warning", [
    chainmap.PartialPushWarning("bolt://db:7687"),
    chainmap.NearMatchWarning("控制器主控板", "控制器（主控板）", "controller", "product")])
def test_a_warning_made_again_from_its_args_says_the_same(warning):
    """pytest-xdist and pickle make a warning again in another process as
    ``cls(*args)``: the sentence is the same, once (it was doubled: args held it)."""
    import pickle

    again = type(warning)(*warning.args)
    assert again.args == warning.args and str(again) == str(warning)
    assert str(pickle.loads(pickle.dumps(warning))) == str(warning)
    assert str(warning) in warnings_text(warning)


def warnings_text(warning: Warning) -> str:
    """What :func:`warnings.formatwarning` prints for ``warning``."""
    import warnings

    return warnings.formatwarning(warning, type(warning), "f.py", 1)
