"""docs/json.md documents the JSON of every command: each key of the golden JSON outputs
(tests/golden/*.txt) is in its command's section."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from chainmap.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "json.md"
GOLDEN = ROOT / "tests" / "golden"

SECTION = re.compile(r"^## `chainmap ([^`]*)`", re.M)
KEY_ROW = re.compile(r"^\| `([^`]+)` \|", re.M)


def command_path(words: list[str]) -> tuple[str, ...]:
    """The command names at the start of ``words`` (``leads list --format json``)."""
    group: click.Command = main
    path: list[str] = []
    for word in words:
        if not isinstance(group, click.Group) or word not in group.commands:
            break
        group = group.commands[word]
        path.append(word)
    return tuple(path)


def documented(text: str) -> dict[tuple[str, ...], set[str]]:
    """The keys of each command's section of the page, by command path."""
    found: dict[tuple[str, ...], set[str]] = {}
    parts = SECTION.split(text)
    for title, body in zip(parts[1::2], parts[2::2]):
        found[command_path(title.split())] = set(KEY_ROW.findall(body))
    return found


def keys(data: object) -> set[str]:
    """Every key of every object in ``data``, at any depth."""
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys(v)}
    return set()


def golden_json() -> dict[str, tuple[tuple[str, ...], object]]:
    """The golden outputs that are JSON: step -> (command path, data)."""
    found = {}
    for path in sorted(GOLDEN.glob("*.txt")):
        text = path.read_text("utf-8")
        command = text.splitlines()[0].removeprefix("$ chainmap ").split()
        stdout = text.split("--- stdout\n", 1)[1].split("\n--- stderr", 1)[0]
        try:  # JSON, not a table (whose sheets start "[summary]")
            data = json.loads(stdout)
        except ValueError:
            continue
        if isinstance(data, (list, dict)):
            found[path.stem] = (command_path(command), data)
    return found


def undocumented(text: str, outputs: dict[str, tuple[tuple[str, ...], object]]) -> list[str]:
    """``step: command: key`` for each key of ``outputs`` missing from the page ``text``."""
    sections = documented(text)
    out = []
    for step, (command, data) in outputs.items():
        known = sections.get(command)
        if known is None:
            out.append(f"{step}: no section for chainmap {' '.join(command)}")
            continue
        out += [f"{step}: {' '.join(command)}: {k}" for k in sorted(keys(data) - known)]
    return out


def test_every_key_of_the_golden_json_is_documented():
    outputs = golden_json()
    assert len(outputs) >= 20  # the JSON steps are found
    assert not undocumented(DOC.read_text("utf-8"), outputs)


def test_the_check_can_fail():
    outputs = {"x": (("leads", "list"), [{"id": "L1", "mystery": 1}]),
               "y": (("report", "weekly"), {"summary": []})}
    text = "## `chainmap leads list`\n\n| key | type | meaning |\n|---|---|---|\n" \
           "| `id` | string | lead id |\n"
    assert undocumented(text, outputs) == ["x: leads list: mystery",
                                           "y: no section for chainmap report weekly"]


def test_every_command_with_json_has_a_section():
    wanted = set()

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            if any(isinstance(p, click.Option) and "--format" in p.opts
                   and "json" in getattr(p.type, "choices", ()) for p in command.params):
                wanted.add((*path, name))

    walk(main, ())
    assert wanted <= set(documented(DOC.read_text("utf-8")))


def test_the_page_is_linked():
    assert "docs/json.md" in (ROOT / "README.md").read_text("utf-8")
    assert "json.md" in (ROOT / "docs" / "cli.md").read_text("utf-8")
