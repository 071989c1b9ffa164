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
    assert _loaded("--help") & commands == commands  # the list shows every command


def test_main_commands_holds_every_command():
    from chainmap.cli import main

    assert set(main.commands) == set(MODULES)
    assert main.commands["chart"].commands["funnel"].name == "funnel"
