"""The layering, read from the source with ``ast``: click only in ``chainmap/cli/``, and
no import cycle among chainmap's modules.

Every ``import`` and ``from ... import`` counts, at module level or inside a function,
except those under ``if TYPE_CHECKING:`` (never run). ``from package import name`` is an
edge to ``package.name`` when that is a module, else to ``package``. Importing
``a.b.c`` also runs ``a/__init__`` and ``a/b/__init__``, but those implicit edges are
left out: every package would otherwise be in a cycle with its own modules.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "chainmap"


def _modules() -> dict[str, Path]:
    """Every module of the chainmap package by dotted name (``chainmap.cli.errors``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that can run: everywhere but under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_in(child))
        else:
            yield from _imports(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _imports(node)


def _imported(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """Dotted names of the modules (or other names) that ``node`` in module ``name``
    imports, relative imports resolved."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1])
        base = f"{base}.{node.module}" if node.module else base
    else:
        base = node.module or ""
    for alias in node.names:
        yield f"{base}.{alias.name}"
        yield base


def import_graph() -> dict[str, set[str]]:
    """Module -> the chainmap modules it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges = set()
        for node in _imports(tree):
            names = list(_imported(name, path, node))
            if isinstance(node, ast.ImportFrom):
                # pairs: (base.alias, base); the submodule if there is one, else the base
                for sub, base in zip(names[::2], names[1::2]):
                    edges.add(sub if sub in modules else base)
            else:
                edges.update(names)
        graph[name] = {m for m in edges if m in modules and m != name}
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each given as
    one cycle through it, ``a -> b -> ... -> a``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(graph, c) for c in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """One cycle through the first module of ``component`` (breadth-first: the shortest)."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & component):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError(f"no cycle in {component}")  # pragma: no cover


def test_only_the_cli_imports_click():
    offenders = []
    for name, path in _modules().items():
        if name == "chainmap.cli" or name.startswith("chainmap.cli."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom)
                     and not node.level else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"click imported outside chainmap/cli/: {offenders}"


def test_the_import_graph_has_no_cycle():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert "chainmap.cli.root" in graph["chainmap.cli"]          # from .root import main
    assert "chainmap.errors" in graph["chainmap.output"]         # module level
    assert "chainmap._lazy" in graph["chainmap"]                 # (re-exports are lazy)
    assert "chainmap.viz" in graph["chainmap.cli.pictures"]      # inside a function


# -- where queries live --------------------------------------------------------------

_SQL = re.compile(r"\b(SELECT\s+\S|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                  r"CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)|ALTER\s+TABLE|PRAGMA\s+\w|BEGIN\b|"
                  r"COMMIT\b|ROLLBACK\b)")
_CYPHER = re.compile(r"\b(MATCH\s*\(|MERGE\s*\(|UNWIND\s+\$|DETACH\s+DELETE|"
                     r"RETURN\s+\w+(\.\w+)?\s+AS\b)")


def _code_strings(path: Path) -> Iterator[tuple[int, str]]:
    """String constants of ``path`` that are code, not documentation (docstrings left out)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            yield node.lineno, node.value


def _places(pattern: re.Pattern[str], allowed: tuple[str, ...]) -> list[str]:
    found = []
    for name, path in _modules().items():
        if name.startswith(allowed):
            continue
        for line, text in _code_strings(path):
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}")
    return found


def test_sql_lives_only_in_the_sqlite_store() -> None:
    # and chainmap.peek: one read of a workspace setting before any workspace is opened
    # (the language of a --help), without importing the store and pandas with it
    assert _places(_SQL, ("chainmap.store.sqlite", "chainmap.peek")) == []


def test_cypher_lives_only_in_cypher_files_and_the_neo4j_store() -> None:
    assert _places(_CYPHER, ("chainmap.store.neo4j",)) == []
    # and the Neo4j store itself keeps its queries in cypher/*.cypher, run by name
    assert [t for _, t in _code_strings(PACKAGE / "store" / "neo4j.py")
            if _CYPHER.search(t)] == []


def test_the_query_checks_can_fail() -> None:
    """The patterns do find SQL and Cypher where they are (the checks are not vacuous)."""
    assert _places(_SQL, ("chainmap.store.neo4j",))  # finds the SQLite store's SQL
    assert [t for t in (ROOT / "cypher").glob("*.cypher")
            if _CYPHER.search(t.read_text("utf-8"))]
