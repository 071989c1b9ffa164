"""The public API: what ``chainmap`` re-exports, where each name comes from, and what
``import chainmap`` and ``chainmap --version`` cost.

Each module's ``__all__`` is the one list of its public names; ``chainmap/__init__.py``
and ``chainmap/crm/__init__.py`` name them per module (``_EXPORTS``) so that they can be
imported lazily, and these tests keep those tables equal to the modules' ``__all__``.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import chainmap
import chainmap.analysis
import chainmap.crm

ROOT = Path(__file__).resolve().parents[1]

#: Every name ``chainmap`` exported before ``__all__`` drove the re-exports (0.1.0).
PUBLIC_BEFORE = [
    "ANCHOR_INPUT_COLUMNS", "ANCHOR_SUMMARY_COLUMNS", "ANCHOR_SUPPLIER_COLUMNS",
    "IMPACT_CUSTOMER_COLUMNS", "IMPACT_PRODUCT_COLUMNS", "METRIC_COLUMNS", "TARGET_COLUMNS",
    "AnchorReport", "ImpactReport", "anchor", "graph", "impact", "metrics", "targets",
    "write_graph",
    "CHECK_COLUMNS", "GAP_COLUMNS", "SAMPLE_CHAIN", "SAMPLE_HOME", "ChainmapError", "DatasetError",
    "Finding", "ImportResult", "NotFoundError", "Problem", "Region", "RegionError", "Workspace",
    "WorkspaceError", "check", "demo", "export_dataset", "gaps", "import_dataset", "open",
    "open_workspace", "pull", "push", "sample", "sample_path",
    "AUDIT_COLUMNS", "DUE_COLUMNS", "DUPE_COLUMNS", "LEAD_COLUMNS", "PROJECT_COLUMNS", "STAGES",
    "STALE_COLUMNS", "FromGapsResult", "LeadDetails", "LeadsImport", "MergePlan", "Pipeline",
    "add_followup", "add_lead", "audit_log", "complete_followup", "duplicate_firms",
    "export_leads", "followups_due", "import_leads", "lead_details", "leads_from_gaps",
    "list_leads", "log_activity", "merge_firms", "move_lead", "overdue_projects", "pipeline",
    "signed_projects", "stale_leads", "update_lead",
]
#: Every name ``chainmap.crm`` exported before.
CRM_BEFORE = [
    "AUDIT_COLUMNS", "CLOSED_STAGES", "DEFAULT_OVERDUE_DAYS", "DUE_COLUMNS", "DUPE_COLUMNS",
    "LEAD_COLUMNS", "OPEN_STAGES", "PROJECT_COLUMNS", "STAGES", "STAGE_ZH", "STALE_COLUMNS",
    "FromGapsResult", "LeadDetails", "LeadsImport", "MergePlan", "Pipeline", "add_followup",
    "add_lead", "audit_log", "complete_followup", "current_user", "duplicate_firms",
    "export_leads", "followups_due", "import_leads", "lead_details", "leads_from_gaps",
    "list_leads", "log_activity", "merge_firms", "move_lead", "overdue_days",
    "overdue_projects", "signed_projects", "stale_leads", "update_lead",
]


def _check_exports(package, partial=()):
    """Each ``_EXPORTS`` entry of ``package`` equals its module's ``__all__`` (a subset
    for the modules in ``partial``, minus a name that is a submodule of ``package``)."""
    submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
    wrong = []
    for module, names in package._EXPORTS.items():
        declared = importlib.import_module(f"{package.__name__}.{module}").__all__
        expected = sorted(set(declared) - submodules)
        if module in partial:
            assert set(names) <= set(expected), (module, set(names) - set(expected))
        elif sorted(names) != expected:
            wrong.append(f'    "{module}": {tuple(expected)!r},')
    assert not wrong, "paste into _EXPORTS:\n" + "\n".join(wrong)
    counts = Counter(name for names in package._EXPORTS.values() for name in names)
    assert not [name for name, n in counts.items() if n > 1], "a name exported twice"
    assert not set(counts) & submodules, "a re-exported name hides a submodule"


def test_each_module_all_drives_the_reexports():
    _check_exports(chainmap, partial={"regions"})  # chainmap.regions.resolve(...)
    _check_exports(chainmap.crm, partial={"common"})


def test_the_package_all_is_the_index():
    index = {n for names in chainmap._EXPORTS.values() for n in names} | {"open"}
    assert chainmap.__all__ == sorted(index)
    assert set(chainmap.__all__) <= set(dir(chainmap))
    assert chainmap.crm.__all__ == sorted(
        n for names in chainmap.crm._EXPORTS.values() for n in names)
    assert set(chainmap.crm.__all__) <= set(dir(chainmap.crm))


def test_every_public_name_is_importable():
    for name in PUBLIC_BEFORE:
        assert name in chainmap.__all__, name
        assert getattr(chainmap, name) is not None, name
    for name in chainmap.__all__:
        getattr(chainmap, name)
    for name in CRM_BEFORE:
        assert name in chainmap.crm.__all__, name
        getattr(chainmap.crm, name)
    for name in chainmap.analysis.__all__:
        getattr(chainmap.analysis, name)
    assert chainmap.open is chainmap.open_workspace
    assert chainmap.pipeline is importlib.import_module("chainmap.crm.pipeline").pipeline
    assert chainmap.crm.pipeline is sys.modules["chainmap.crm.pipeline"]  # the module
    assert callable(chainmap.analysis.gaps)  # the function, not the module


def test_an_unknown_name_is_an_attribute_error():
    try:
        chainmap.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("no AttributeError")
    assert not hasattr(chainmap.crm, "no_such_name")


def test_analysis_all_is_its_modules_all():
    modules = ("anchor", "gaps", "graph", "impact", "metrics", "opportunities", "related",
               "targets")
    union = {n for m in modules
             for n in importlib.import_module(f"chainmap.analysis.{m}").__all__}
    assert chainmap.analysis.__all__ == sorted(union | {"open_lead_firms"})


def _type_checking_sources(path: Path) -> set[str]:
    """The modules ``path`` imports under ``if TYPE_CHECKING:``, relative (``.crm.leads``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            found |= {"." * n.level + (n.module or "") for n in node.body
                      if isinstance(n, ast.ImportFrom)}
    return found


def test_type_checkers_see_the_same_names():
    assert _type_checking_sources(ROOT / "chainmap" / "__init__.py") == {
        f".{m}" for m in chainmap._EXPORTS}
    assert _type_checking_sources(ROOT / "chainmap" / "crm" / "__init__.py") == {
        f".{m}" for m in chainmap.crm._EXPORTS}


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\n"
                          "print('\\n'.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def test_the_command_line_starts_without_pandas():
    for code in ("import chainmap", "import chainmap.cli",
                 "import contextlib, io\nfrom chainmap.cli import main\n"
                 "with contextlib.redirect_stdout(io.StringIO()):\n"
                 "    main(['--version'], standalone_mode=False)"):
        loaded = _modules_after(code)
        heavy = loaded & {"pandas", "numpy", "networkx", "neo4j", "openpyxl", "matplotlib",
                          "chainmap.workspace"}
        assert not heavy, (code, heavy)
    assert "pandas" in _modules_after("import chainmap\nchainmap.Workspace")


def test_submodules_are_reachable_as_attributes_in_a_fresh_interpreter():
    """``chainmap.regions.resolve`` works after a plain ``import chainmap``."""
    import subprocess
    import sys

    code = ("import chainmap; print(chainmap.regions.resolve('皖').code, "
            "chainmap.quality.__name__); chainmap.nosuch")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.split() == ["340000", "chainmap.quality"]
    assert "has no attribute 'nosuch'" in proc.stderr
