"""The main group imports a command's module only when the command runs (issue 13)."""

from __future__ import annotations

import importlib
import subprocess
import sys

from chainmap.cli.root import MODULES


def test_the_index_names_every_command_of_every_module():
    modules = set(MODULES.values())
    found = {}
    for module in modules:
        for command in importlib.import_module(f"chainmap.cli.{module}").COMMANDS:
            found[command.name] = module
    assert found == MODULES


def _loaded(*args: str) -> set[str]:
    code = ("import sys, contextlib, io\nfrom chainmap.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            f"        main({list(args)!r}, standalone_mode=False)\n"
            "    except BaseException:\n"
            "        pass\n"
            "print(' '.join(m for m in sys.modules if m.startswith('chainmap.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


def test_version_and_a_command_load_only_their_modules():
    commands = {f"chainmap.cli.{m}" for m in MODULES.values()}
    assert not _loaded("--version") & commands
    assert _loaded("gaps", "--help") & commands == {"chainmap.cli.analysis"}
    assert not _loaded("--help") & commands  # the list comes from SHORT_HELP


def test_main_commands_holds_every_command():
    from chainmap.cli import main

    assert set(main.commands) == set(MODULES)
    assert main.commands["chart"].commands["funnel"].name == "funnel"


def test_a_group_loaded_alone_has_every_subcommand():
    """A fresh process asking for one group gets the subcommands other modules add to it
    (``config stage-limit`` and ``leads actual`` live in ``delivery``)."""
    import json
    import subprocess
    import sys

    import click

    from chainmap.cli import main

    full = {name: sorted(command.commands) for name, command in main.commands.items()
            if isinstance(command, click.Group)}
    code = ("import json, sys; from chainmap.cli.root import main; "
            "g = main.get_command(None, sys.argv[1]); print(json.dumps(sorted(g.commands)))")
    for name, expected in full.items():
        done = subprocess.run([sys.executable, "-c", code, name], capture_output=True,
                              text=True, check=True)
        assert json.loads(done.stdout) == expected, name


def test_a_group_loaded_after_a_sibling_has_every_subcommand():
    """``check`` loads ``data``, which holds ``config``: asking for ``config`` after it
    still brings ``config stage-limit`` (from ``delivery``)."""
    import subprocess
    import sys

    code = ("from chainmap.cli.root import main; main.get_command(None, 'check'); "
            "print(sorted(main.get_command(None, 'config').commands))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "stage-limit" in done.stdout


def test_the_static_short_help_is_each_commands_own():
    """``SHORT_HELP`` (what ``chainmap --help`` lists without importing) cannot drift
    from the commands' own short help, in English or through the catalogue's Chinese."""
    from chainmap.cli import main
    from chainmap.cli.helptext import translated
    from chainmap.cli.root import SHORT_HELP
    from chainmap.i18n import use_language

    own = {name: command.get_short_help_str(sys.maxsize)
           for name, command in main.commands.items() if not command.hidden}
    assert SHORT_HELP == own
    with use_language("zh"):
        assert all(translated(text) != text for text in SHORT_HELP.values())


def _listing(lang: str, width: int, loaded: bool) -> str:
    import click

    from chainmap.cli import root
    from chainmap.i18n import use_language

    group = root.LazyGroup(name="chainmap", callback=root.main.callback,
                           params=root.main.params)
    if loaded:
        group.commands  # noqa: B018 - imports every module: the commands' own texts
    with use_language(lang):
        ctx = group.make_context("chainmap", ["--help"], resilient_parsing=True)
        formatter = ctx.make_formatter()
        formatter.width = width
        group.format_commands(ctx, formatter)
        assert isinstance(formatter, click.HelpFormatter)
        return formatter.getvalue()


def test_the_listing_from_short_help_equals_the_commands_own_listing():
    for lang in ("en", "zh"):
        for width in (40, 80, 200):
            fast = _listing(lang, width, loaded=False)
            assert fast == _listing(lang, width, loaded=True), (lang, width)
            assert "anchor" in fast and "viz" in fast


def test_help_in_a_folder_holding_a_workspace_imports_no_pandas(tmp_path):
    """``chainmap --help`` reads the workspace's config lang without opening it, and stays
    quick: no pandas (0.35 s of a process) for a help page (session 10)."""
    import chainmap

    ws = chainmap.open(tmp_path / "chainmap.db")
    ws.store.set_config("lang", "zh")
    ws.close()
    code = ("import sys, contextlib, io\nfrom chainmap.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            "    try:\n"
            "        main(['--help'], prog_name='chainmap', standalone_mode=False)\n"
            "    except BaseException:\n"
            "        pass\n"
            "print('pandas' in sys.modules, out.getvalue().splitlines()[0])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=tmp_path, env={**__import__("os").environ,
                                                         "CHAINMAP_LANG": ""})
    assert done.stdout.split(None, 1) == ["False", "用法：chainmap [OPTIONS] COMMAND [ARGS]...\n"]


def test_version_alone_starts_without_click_and_says_what_click_says():
    """``chainmap --version`` (issue 13: ≤ 0.15 s as a whole process) is answered before
    click is imported, in the words of click's own version option."""
    from click.testing import CliRunner

    from chainmap.cli import main

    code = ("import atexit, os, sys\n"
            "atexit.register(lambda: os.write(2, b'click' if 'click' in sys.modules "
            "else b'no click'))\n"
            "from chainmap.cli import run\nrun()")
    fast = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True,
                          text=True, timeout=120)
    assert fast.returncode == 0 and fast.stderr == "no click"
    assert fast.stdout == CliRunner().invoke(main, ["--version"]).output == \
        "chainmap, version 0.1.0\n"
    slow = subprocess.run([sys.executable, "-c", code, "--version", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert slow.returncode == 0 and slow.stderr == "click"
