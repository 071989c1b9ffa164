"""The CLI's one error handler: ``Error: ...`` lines, exit codes, and the library's
``parameter=`` words turned into the options of the command being run."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from chainmap.cli.errors import ChainmapGroup, option_words, parameter_name
from chainmap.errors import ArgumentError, ChainmapError


def _group(error: Exception) -> click.Group:
    """A tiny command line whose commands all raise ``error``."""

    @click.group(cls=ChainmapGroup)
    def cli() -> None:
        pass

    @cli.command("move")
    @click.argument("lead")
    @click.option("--reason", help="Why.")
    @click.option("--apply", "apply_", is_flag=True)
    @click.option("-w", "--weak-threshold", "weak", type=int)
    def move(lead: str, reason: str | None, apply_: bool, weak: int | None) -> None:
        raise error

    @cli.group("leads", cls=ChainmapGroup)
    def leads() -> None:
        pass

    @leads.command("drop")
    @click.option("--why", "reason")
    def drop(reason: str | None) -> None:
        raise error

    return cli


def _run(error: Exception, *args: str) -> click.testing.Result:
    return CliRunner().invoke(_group(error), list(args))


def test_a_parameter_is_named_by_the_option_of_the_command():
    r = _run(ArgumentError("moving to lost needs reason=", parameter="reason"),
             "move", "L1")
    assert (r.exit_code, r.stderr, r.stdout) == (1, "Error: moving to lost needs --reason\n", "")


def test_the_option_of_the_command_being_run_in_a_nested_group():
    r = _run(ArgumentError("moving to lost needs reason=", parameter="reason"),
             "leads", "drop")
    assert (r.exit_code, r.stderr) == (1, "Error: moving to lost needs --why\n")


@pytest.mark.parametrize(("parameter", "words"), [
    ("apply", "--apply"),                    # the Python name apply_ of a keyword
    ("lead", "LEAD"),                        # an argument: its metavar
    ("weak", "--weak-threshold"),            # the long option, not -w
    ("min_score", "--min-score"),            # not an option of this command
])
def test_how_each_parameter_is_named(parameter, words):
    r = _run(ArgumentError(f"give {parameter}= a value", parameter=parameter), "move", "L1")
    assert r.stderr == f"Error: give {words} a value\n"


def test_only_the_named_parameter_is_reworded():
    exc = ArgumentError("reason= is empty; treason= and reasons= stay", parameter="reason")
    move = click.Command("move", params=[click.Option(["--reason"])])
    assert option_words(exc, move) == "--reason is empty; treason= and reasons= stay"
    assert option_words(ChainmapError("reason= stays"), move) == "reason= stays"
    assert parameter_name(move, "reason") == "--reason"


def test_an_error_from_a_group_with_no_subcommand_is_still_reported():
    @click.group(cls=ChainmapGroup, invoke_without_command=True)
    def cli() -> None:
        raise ArgumentError("bad top_n= value", parameter="top_n")

    r = CliRunner().invoke(cli, [])
    assert (r.exit_code, r.stderr) == (1, "Error: bad --top-n value\n")


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch):
    monkeypatch.delenv("CHAINMAP_DEBUG", raising=False)
    r = _run(ZeroDivisionError("division by zero"), "move", "L1")
    assert r.exit_code == 1
    assert r.stderr == ("Error: internal error (ZeroDivisionError: division by zero); "
                        "set CHAINMAP_DEBUG=1 to see the traceback and please report it\n")


def test_interrupted_exits_130():
    r = _run(KeyboardInterrupt(), "leads", "drop")
    assert r.exit_code == 130 and r.stderr.startswith("Interrupted.")


def test_neo4j_push_without_a_server_names_the_uri_option(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from chainmap.cli import main

    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "w.db"), "neo4j", "push"])
    assert result.exit_code == 1
    assert "--neo4j-uri" in result.output and "--db" not in result.output


@pytest.mark.parametrize("command", [
    ("export", "{long}"),
    ("backup", "{long}.db"),
    ("gaps", "--chain", "{chain}", "--home", "当涂县", "-o", "{long}.csv"),
])
def test_a_path_the_system_refuses_is_a_clean_error(run, tmp_path, command):
    """An export to a 300-character file name (issue 14): an ``Error:`` line, not an
    internal error, in English and in Chinese, and nothing written."""
    import chainmap

    assert run("import", chainmap.sample_path()).exit_code == 0
    chain = chainmap.open(tmp_path / "ws.db").table("chains")["id"].iloc[0]
    long = str(tmp_path / ("a" * 300))
    args = [a.format(long=long, chain=chain) for a in command]
    def written() -> list[str]:
        return sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ws.db"))

    before = written()
    english = run(*args)
    assert english.exit_code == 1
    assert english.output.startswith(("Error: cannot use ", "Error: cannot write "))
    assert "File name too long" in english.output
    assert "internal error" not in english.output
    chinese = run(args[0], "--lang", "zh", *args[1:])
    assert chinese.exit_code == 1
    assert chinese.output.startswith("错误：无法")
    assert "名称太长" in chinese.output
    assert written() == before
