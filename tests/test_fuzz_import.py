"""Every bad file is a clean error (issue 14, item 4): property-based.

Hypothesis damages the sample and a synthetic dataset (tests/fuzz_cases.py: bytes,
encodings, truncation, quotes, columns, huge cells, NUL bytes, workbooks with holes,
broken zips, corrupt sheet XML) and imports each, through the library and the CLI. The
import succeeds, or fails with a ChainmapError (the CLI: exit 1 and ``Error:``) and the
workspace unchanged (a digest of every table); never a traceback or an internal error.
CI runs a few hundred examples (``CHAINMAP_FUZZ_EXAMPLES`` scales them);
benchmarks/fuzz.py runs thousands and counts the outcomes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz_cases import (
    csv_mutation,
    csv_outcome,
    import_outcome,
    is_bug,
    sample_files,
    synth_files,
    write_dataset,
    xlsx_inline,
    xlsx_mutation,
    xlsx_outcome,
    xlsx_shared,
)

SCALE = float(os.environ.get("CHAINMAP_FUZZ_EXAMPLES", "1"))


def examples(n: int):
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, database=None,
                    derandomize=True, print_blob=True,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _assert_clean(outcome: str) -> None:
    assert not is_bug(outcome), outcome


@examples(90)
@given(st.lists(csv_mutation(), min_size=1, max_size=3))
def test_a_damaged_sample_imports_or_is_a_clean_error(mutations):
    _assert_clean(csv_outcome(sample_files(), mutations))


@examples(60)
@given(st.lists(csv_mutation(), min_size=1, max_size=3))
def test_a_damaged_synthetic_dataset_imports_or_is_a_clean_error(mutations):
    _assert_clean(csv_outcome(synth_files(), mutations))


@examples(70)
@given(st.sampled_from(["inline", "shared"]), st.lists(xlsx_mutation(), min_size=1,
                                                        max_size=2))
def test_a_damaged_workbook_imports_or_is_a_clean_error(base, mutations):
    _assert_clean(xlsx_outcome(xlsx_inline() if base == "inline" else xlsx_shared(),
                               mutations))


@examples(25)
@given(st.one_of(st.tuples(st.just("csv"), st.lists(csv_mutation(), min_size=1,
                                                     max_size=2)),
                 st.tuples(st.just("xlsx"), st.lists(xlsx_mutation(), min_size=1,
                                                      max_size=1))))
def test_the_cli_says_error_and_exits_1(case):
    kind, mutations = case
    if kind == "csv":
        outcome = csv_outcome(sample_files(), mutations, cli=True)
    else:
        outcome = xlsx_outcome(xlsx_inline(), mutations, cli=True)
    _assert_clean(outcome)


# --- cases the issue names, kept as plain tests -------------------------------------------

def _nul_late(files):
    data = files["companies.csv"]
    assert len(data) > 4200
    return {**files, "companies.csv": data[:4200] + b"\x00" + data[4200:]}


@pytest.mark.parametrize("make", [
    lambda f: _nul_late(f),
    lambda f: {**f, "companies.csv": f["companies.csv"].decode("utf-8-sig")
               .encode("utf-16")},
    lambda f: {**f, "products.csv": f["products.csv"][:-7] + b'"'},
    lambda f: {**f, "companies.csv": f["companies.csv"].replace(
        "珠海格力电器股份有限公司".encode(), ("格" * 200_000).encode(), 1)},
], ids=["nul-after-4k", "utf-16", "unbalanced-quote", "huge-name"])
def test_known_bad_files_are_clean_errors(make):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "d", make(sample_files()))
        outcome = import_outcome(folder, Path(tmp))
    assert outcome.startswith("error:"), outcome


def test_a_huge_name_is_refused_at_import_naming_file_line_and_column():
    files = sample_files()
    files = {**files, "companies.csv": files["companies.csv"].replace(
        "珠海格力电器股份有限公司".encode(), ("格" * 200_000).encode(), 1)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "d", files)
        done = subprocess.run([sys.executable, "-c", "from chainmap.cli import run; run()", "--db",
                               str(Path(tmp) / "w.db"), "import", str(folder)],
                              capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parents[1],
                              env={**os.environ, "PYTHONPATH": str(Path(__file__)
                                                                   .resolve().parents[1])})
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Error:")
    assert "Traceback" not in done.stderr
    assert "companies.csv:" in done.stderr and "column 'name'" in done.stderr
    assert "200,000 characters" in done.stderr and "CHAINMAP_MAX_CELL" in done.stderr


def test_a_nul_in_a_header_after_the_first_4_kib_is_refused(tmp_path):
    """NUL anywhere is refused (issue 14), a header beyond the sniffed first 4 KiB too:
    it would become a key of the records' extra attributes."""
    import shutil

    import chainmap
    from chainmap.errors import DatasetError

    data = tmp_path / "d"
    shutil.copytree(chainmap.sample_path(), data)
    path = data / "companies.csv"
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    path.write_bytes(b"\n".join([lines[0] + b"," + b"x" * 5000 + b"\x00y",
                                 *(line + b",v" for line in lines[1:])]) + b"\n")
    ws = chainmap.open(tmp_path / "ws.db")
    try:
        chainmap.import_dataset(ws, data)
    except DatasetError as exc:
        found = [(p.code, p.line, p.column) for p in exc.problems]
    else:
        raise AssertionError("imported a header holding NUL")
    assert found == [("bad-text", 1, f"#{len(lines[0].split(b',')) + 1}")]
    assert ws.counts()["companies"] == 0
