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


def _dead_pid() -> int:
    """The id of a process that has ended."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_an_export_removes_what_an_interrupted_one_left_but_not_a_live_writers(tmp_path):
    """A killed export leaves .NAME.PID.XXXXXXXX files; the next write there removes them."""
    import os
    import subprocess
    import sys
    import time

    ws = tmp_path / "ws.db"
    with chainmap.open(ws) as w:
        chainmap.import_dataset(w, chainmap.sample_path())
    out = tmp_path / "out"
    out.mkdir()
    dead, live = _dead_pid(), os.getpid()
    stale = [out / f".companies.csv.{dead}.abcd_123", out / f".leads.csv.{dead}.zz99yy88"]
    old = out / ".products.csv.k3j4h5g6"  # an older chainmap's name: no process id
    kept = [out / f".companies.csv.{live}.qwer5678",  # a running process's write
            out / ".chains.csv.n3w4f1l3",  # no process id, but recent
            out / f".notes.txt.{dead}.abcd1234"]  # another target's
    for path in [*stale, old, *kept]:
        path.write_text("half a file", encoding="utf-8")
    long_ago = time.time() - 2 * files.STALE_AGE
    os.utime(old, (long_ago, long_ago))
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", "from chainmap.cli import main; main()",
                           "--db", str(ws), "export", str(out)], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(root)))
    assert done.returncode == 0, done.stderr
    left = {p.name for p in out.iterdir() if p.name.startswith(".")}
    assert left == {p.name for p in kept}
    assert (out / "companies.csv").is_file()


def test_a_write_atomic_temporary_name_holds_the_process_id(tmp_path):
    import os

    seen = []
    files.write_atomic(tmp_path / "r.txt", lambda tmp: seen.append(Path(tmp).name)
                       or Path(tmp).write_text("x"))
    assert seen[0].startswith(f".r.txt.{os.getpid()}.")
    assert files.remove_stale(tmp_path, "r.txt") == []
