"""chainmap.files writes every file; output renders only; no import cycle among them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import chainmap
from chainmap import files, output
from chainmap.errors import ChainmapError

PACKAGE = Path(chainmap.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Module -> the chainmap modules it imports (anywhere in it, lazily too)."""
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["chainmap", *path.relative_to(PACKAGE).with_suffix("").parts]
        mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        out = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                subs = {f"{base}.{a.name}" for a in node.names} & mods.keys()
                out |= subs if len(subs) == len(node.names) else {base, *subs} & mods.keys()
            elif isinstance(node, ast.Import):
                out |= {a.name for a in node.names} & mods.keys()
        out.discard(name)
    return graph


@pytest.mark.parametrize("module", ["chainmap.files", "chainmap.output", "chainmap.labels",
                                    "chainmap.errors", "chainmap.io.write", "chainmap.quality",
                                    "chainmap.charts", "chainmap.viz"])
def test_no_import_cycle_through(module):
    graph = _imports()
    seen, todo = set(), list(graph[module])
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(graph.get(m, ()))
    assert module not in seen


def test_the_low_modules_import_little():
    graph = _imports()
    words = {"chainmap.i18n", "chainmap._gettext"}  # the message catalogue
    assert graph["chainmap.labels"] <= words
    assert graph["chainmap.files"] <= {"chainmap.errors", *words}
    assert graph["chainmap.output"] <= {"chainmap.errors", "chainmap.files", "chainmap.labels",
                                        *words}


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")

    def fail(tmp: str) -> None:
        Path(tmp).write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(ChainmapError, match="cannot write .*report.txt: No space left"):
        files.write_atomic(target, fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_write_all_writes_none_when_one_fails(tmp_path):
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")

    def fail(tmp: str) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(ChainmapError, match="cannot write to"):
        files.write_all(tmp_path, {"a.txt": lambda tmp: Path(tmp).write_text("new a"),
                                   "b.txt": fail})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"


def test_files_are_written_only_by_chainmap_files():
    """No module keeps a private writer of its own beside chainmap.files."""
    from chainmap.io import write

    assert not hasattr(write, "_atomic")
    assert not hasattr(output, "write_xlsx")
