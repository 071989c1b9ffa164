"""One frozen Finding record: import problems and check findings carry stable codes."""

from __future__ import annotations

import dataclasses

import pytest

import chainmap
from chainmap import quality
from chainmap.errors import CODES, DatasetError, Finding, Problem
from tests.conftest import TINY, write_files


def _problems(path) -> list[Finding]:
    ws = chainmap.open(":memory:")
    with pytest.raises(DatasetError) as info:
        chainmap.import_dataset(ws, path)
    return info.value.problems


def _broken(tmp_path, name: str, **edits: tuple[str, str]):
    """TINY with text replaced in some files (file stem -> (old, new))."""
    files = dict(TINY)
    for stem, (old, new) in edits.items():
        assert old in files[f"{stem}.csv"]
        files[f"{stem}.csv"] = files[f"{stem}.csv"].replace(old, new)
    return write_files(tmp_path / name, files)


def test_a_bad_uscc_is_code_bad_uscc_and_reads_as_before(tmp_path):
    path = _broken(tmp_path, "uscc", companies=(",,安徽省", ",91340521MA2N0X0A1X,安徽省"))
    [problem] = _problems(path)
    assert (problem.code, problem.severity, problem.table) == ("bad-uscc", "error", "companies")
    assert (problem.source, problem.line, problem.column) == ("companies.csv", 3, "uscc")
    assert str(problem) == ("companies.csv:3: column 'uscc': value '91340521MA2N0X0A1X': "
                            "not a valid USCC: the check digit is wrong")
    assert problem.reason == problem.message


@pytest.mark.parametrize(("name", "edits", "codes"), [
    ("region", {"companies": ("上海市,上海市,浦东新区", "上海市,上海市,火星区")},
     ["unknown-region"]),
    ("tier", {"products": ("ac,midstream", "ac,sideways")}, ["bad-tier"]),
    ("number", {"companies": ("1,3000,500000", "1,many,500000")}, ["bad-number"]),
    ("bool", {"companies": ("当涂县,是,120", "当涂县,maybe,120")}, ["bad-bool"]),
    ("dup-id", {"products": ("ac,upstream\n", "ac,upstream\n        capacitor,x,,ac\n")},
     ["duplicate-id"]),
    ("unknown", {"capabilities": ("aux,ac-unit", "aux,fridge")}, ["unknown-id"]),
    ("self", {"supplies": ("haoyue,aux,capacitor", "haoyue,haoyue,capacitor")},
     ["self-supply"]),
    ("blank", {"companies": ("安徽省,马鞍山市,当涂县,是", ",马鞍山市,当涂县,是")},
     ["missing-value"]),
    ("column", {"capabilities": ("company,product", "company,item")}, ["missing-column"]),
    ("dup-col", {"inputs": ("upstream,downstream", "upstream,downstream,上游")},
     ["duplicate-column"]),
])
def test_every_import_problem_has_its_code(tmp_path, name, edits, codes):
    problems = _problems(_broken(tmp_path, name, **edits))
    assert [p.code for p in problems] == codes
    assert all(p.severity == "error" and p.source for p in problems)


def test_file_problems_have_codes(tmp_path):
    assert [p.code for p in _problems(tmp_path / "nowhere")] == ["no-such-file"]
    (tmp_path / "old.xls").write_bytes(b"x")  # no workbook at all, whatever its name
    assert [p.code for p in _problems(tmp_path / "old.xls")] == ["unreadable"]
    (tmp_path / "wps.et").write_bytes(b"x")
    assert [p.code for p in _problems(tmp_path / "wps.et")] == ["bad-file-type"]
    folder = write_files(tmp_path / "partial", {"products.csv": TINY["products.csv"]})
    assert {p.code for p in _problems(folder)} == {"missing-table"}
    folder = write_files(tmp_path / "binary", dict(TINY))
    (folder / "inputs.csv").write_bytes(b"\x00\x01upstream")
    assert [p.code for p in _problems(folder)] == ["bad-encoding"]
    (folder / "inputs.csv").write_bytes(b"")
    assert [p.code for p in _problems(folder)] == ["empty-file"]


def test_lead_import_problems_have_codes(sample_ws, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("company,product,stage,investment,source,date,reason\n"
                    "nobody,eev,lead,1,gap,2026-01-01,\n"
                    "aux,eev,flying,1,gap,2026-01-01,\n"
                    "aux,eev,lead,-1,gap,2026-01-01,\n"
                    "aux,eev,lead,1,cold-call,2026-01-01,\n"
                    "aux,eev,lead,1,gap,someday,\n"
                    "aux,eev,lead,1,gap,2026-01-01,too dear\n"
                    "aux,eev,lost,1,gap,2026-01-01,\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        chainmap.import_leads(sample_ws, path)
    assert [(p.line, p.code) for p in info.value.problems] == [
        (2, "unknown-id"), (3, "bad-stage"), (4, "bad-number"), (5, "bad-source"),
        (6, "bad-date"), (7, "misplaced-reason"), (8, "missing-reason")]
    assert {p.table for p in info.value.problems} == {"leads"}


def test_check_registry_order_and_codes(sample_ws):
    ws = sample_ws
    assert [c.__name__ for c in quality.CHECKS] == [
        "cycle", "unmade_product", "unchained_product", "empty_chain", "idle_firm",
        "missing_uscc", "duplicate_uscc", "duplicate_name", "supply_not_made"]
    tables = ws.tables()
    for run in quality.CHECKS:
        code = run.__name__.replace("_", "-")
        assert code in CODES
        assert {f.code for f in run(tables)} <= {code}
    found = quality.findings(ws)
    report = chainmap.check(ws)
    assert [(f.severity, f.code, f.table, f.id, f.message) for f in found] == \
        list(report.itertuples(index=False, name=None))
    assert {f.code for f in found} >= {"cycle", "duplicate-name", "idle-firm"}


def test_finding_is_frozen_and_keyword_after_the_message():
    finding = Finding("idle-firm", "x makes no product", severity="warning",
                      table="companies", id="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "other"  # type: ignore[misc]
    assert str(finding) == "x makes no product"
    assert Problem is Finding
    with pytest.raises(TypeError):  # the old positional form fails loudly, not silently
        Problem("a.csv", 2, "id", "x", "why")  # type: ignore[misc]


def test_codes_are_stable():
    # a code, once published, keeps its name: callers branch on it
    assert set(CODES) == {
        "no-such-file", "unreadable", "bad-file-type", "bad-encoding", "bad-csv",
        "empty-file", "bad-header", "duplicate-column", "missing-column", "missing-sheet",
        "missing-table", "duplicate-table", "missing-value", "duplicate-id", "bad-uscc",
        "unknown-region", "bad-number", "bad-bool", "bad-tier", "unknown-id",
        "ambiguous-name", "self-supply", "bad-status", "bad-evidence", "bad-stage",
        "bad-source", "bad-date",
        "misplaced-reason", "missing-reason", "duplicate-lead", "cycle", "unmade-product",
        "unchained-product", "empty-chain", "idle-firm", "missing-uscc", "duplicate-uscc",
        "duplicate-name", "supply-not-made",
        "sheet-too-large", "bad-id", "bad-text", "integrity", "foreign-key",
        "table-too-large", "cell-too-long"}
