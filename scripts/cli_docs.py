"""Write docs/cli.md, the CLI reference, from ``chainmap ... --help``.

Run ``python scripts/cli_docs.py`` after changing a command; ``tests/test_cli_docs.py``
fails while docs/cli.md differs from what this prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from chainmap.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _commands(group: click.Group, path: list[str]):
    for name in sorted(group.commands):
        command = group.commands[name]
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from _commands(command, [*path, name])


def reference() -> str:
    """The Markdown reference: every command's ``--help``, in command order."""
    runner = CliRunner()
    parts = ["# chainmap command reference", "",
             "Generated from `--help` by `scripts/cli_docs.py`; do not edit by hand.", "",
             "The JSON each command prints with `--format json` (every key, its type and "
             "meaning) is in [json.md](json.md). Every command that prints takes "
             "`--lang en|zh`; `CHAINMAP_LANG` and `chainmap config lang` set the default.",
             ""]
    for path in [[], *_commands(main, [])]:
        # the English help, whatever the shell's CHAINMAP_LANG or a workspace's config lang
        result = runner.invoke(main, [*path, "--help"], prog_name="chainmap",
                               terminal_width=88, env={"CHAINMAP_LANG": "en"})
        title = " ".join(["chainmap", *path])
        parts += [f"## {title}", "", "```", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(reference(), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)
