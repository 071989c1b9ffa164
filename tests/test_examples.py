"""The scripts in examples/: each runs as ``python examples/NAME.py [args]`` in a fresh
working directory, and prints what its docstring promises."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import chainmap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PIPELINE_SHEETS = ["stages", "regions", "chains", "owners", "signed_by_year", "conversion",
                   "stage_days", "projects"]


def example(name: str, *args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)], cwd=cwd,
                            env=env, capture_output=True, text=True, encoding="utf-8",
                            timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("name", ["gaps_from_excel.py", "leads_from_gaps.py",
                                  "pipeline_to_xlsx.py"])
def test_every_example_has_a_docstring_with_usage(name):
    doc = ast.get_docstring(ast.parse((EXAMPLES / name).read_text(encoding="utf-8")))
    assert doc and f"python examples/{name}" in doc


def test_gaps_from_excel_on_the_sample(tmp_path):
    r = example("gaps_from_excel.py", cwd=tmp_path)
    assert r.stderr == ""
    rows = json.loads(r.stdout)
    assert [list(row) for row in rows] == [chainmap.GAP_COLUMNS] * 32
    assert {row["status"] for row in rows} == {"missing", "weak", "covered"}
    assert rows[0]["product"] == "controller" and rows[0]["status"] == "missing"
    assert list(tmp_path.iterdir()) == []  # wrote nothing in its working directory


def test_gaps_from_excel_on_a_given_workbook(tmp_path, sample_ws):
    book = tmp_path / "企业名录.xlsx"
    chainmap.export_dataset(sample_ws, book)
    r = example("gaps_from_excel.py", book, "--chain", "生物医药", "--home", "当涂县",
                cwd=tmp_path)
    rows = json.loads(r.stdout)
    expected = chainmap.gaps(sample_ws, "生物医药", home="当涂县")
    assert [row["product"] for row in rows] == list(expected["product"])
    assert [row["candidates"] for row in rows] == list(expected["candidates"])


def test_gaps_from_excel_errors(tmp_path):
    r = example("gaps_from_excel.py", tmp_path / "missing.xlsx", cwd=tmp_path, check=False)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("gaps_from_excel.py: ")
    assert "Traceback" not in r.stderr


def test_leads_from_gaps(tmp_path, sample_ws):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    r = example("leads_from_gaps.py", "--top", "2", cwd=cwd)
    ids = r.stdout.split()
    assert ids and all(re.fullmatch(r"L\d{4,}", i) for i in ids)
    assert ids[0] == "L0013"  # the sample has L0001..L0012
    assert re.match(r"added \d+ lead\(s\)", r.stderr)
    assert list(cwd.iterdir()) == []

    # on a given workspace: the leads land there, and a second run adds nothing
    db = Path(sample_ws.location)
    sample_ws.close()
    first = example("leads_from_gaps.py", db, "--top", "1", "--owner", "王磊", cwd=tmp_path)
    again = example("leads_from_gaps.py", db, "--top", "1", cwd=tmp_path)
    assert again.stdout == "" and "added 0 lead(s)" in again.stderr
    with chainmap.open(db) as ws:
        leads = ws.table("leads").set_index("id")
        assert set(first.stdout.split()) <= set(leads.index)
        assert set(leads.loc[first.stdout.split(), "owner"]) == {"王磊"}


def test_leads_from_gaps_error(tmp_path):
    r = example("leads_from_gaps.py", "--chain", "没有这个链", cwd=tmp_path, check=False)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("leads_from_gaps.py: ") and "Traceback" not in r.stderr


def test_pipeline_to_xlsx_into_a_temp_dir(tmp_path):
    r = example("pipeline_to_xlsx.py", cwd=tmp_path)
    path = Path(r.stdout.strip())
    try:
        assert path.is_absolute() and path.suffix == ".xlsx" and path.is_file()
        assert tmp_path not in path.parents
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.sheetnames == PIPELINE_SHEETS
        rows = list(book["stages"].values)
        assert rows[0][:3] == ("stage", "stage_zh", "count")
        assert [r[0] for r in rows[1:]] == list(chainmap.STAGES)
        book.close()
    finally:
        path.unlink(missing_ok=True)
        path.parent.rmdir()


def test_pipeline_to_xlsx_given_path_and_workspace(tmp_path, sample_ws):
    chainmap.add_lead(sample_ws, "gree", product="压缩机", owner="李娜", investment=15)
    db = Path(sample_ws.location)
    sample_ws.close()
    out = tmp_path / "进度.xlsx"
    r = example("pipeline_to_xlsx.py", out, "--db", db, "--lang", "zh", cwd=tmp_path)
    assert r.stdout.strip() == str(out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [chainmap.output.SHEETS_ZH[s] for s in PIPELINE_SHEETS]
    header = next(book["负责人"].values)
    assert header[:2] == ("负责人", "线索数")
    owners = {row[0]: row[1] for row in list(book["负责人"].values)[1:]}
    assert int(owners["李娜"]) == 5  # 4 in the sample and the new one
    book.close()
    bad = example("pipeline_to_xlsx.py", tmp_path / "x.csv", cwd=tmp_path, check=False)
    assert bad.returncode == 1 and "must be an .xlsx file" in bad.stderr
