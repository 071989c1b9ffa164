"""chainmap check: findings as rows; exit 1 only for errors."""

from __future__ import annotations

import json

import chainmap
from tests.conftest import TINY, USCC_A, write_files


def test_sample_warnings_only(run):
    import chainmap

    run("import", chainmap.sample_path())
    r = run("check", "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    checks = {row["check"] for row in rows}
    assert {"cycle", "unmade-product", "idle-firm", "missing-uscc", "duplicate-name"} <= checks
    cycle = next(row for row in rows if row["check"] == "cycle")
    assert "copper-tube" in cycle["id"].split(";")
    assert r.stderr.startswith("0 error(s), ")


def test_duplicate_uscc_is_an_error(run, db, tmp_path):
    import sqlite3

    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"] + \
        "        aux2,奥克斯空调(马鞍山)有限公司,,安徽省,,,,,\n"
    files["products.csv"] = TINY["products.csv"] + "        lonely,孤儿产品,,,\n"
    files["chains.csv"] = "id,name\nac,空调\nempty,空链\n"
    run("import", write_files(tmp_path / "d", files))
    # an import refuses a USCC another firm holds (issue 14); a workspace written
    # before that may still hold one twice, and check finds it
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE companies SET uscc = ? WHERE id = 'aux2'", (USCC_A,))
    conn.close()
    r = run("check")
    assert r.exit_code == 1
    out = r.stdout
    assert "duplicate-uscc" in out and "aux;aux2" in out
    assert ("names look like one firm: "
            "奥克斯空调（马鞍山）有限公司 / 奥克斯空调(马鞍山)有限公司") in out
    assert "孤儿产品 (lonely) belongs to no chain" in out
    assert "chain 空链 (empty) has no products" in out
    assert "aux2" in out and "makes no product" in out
    assert r.stderr == "1 error(s), 6 warning(s)\n"


def test_cycle_of_one_and_empty_workspace(run, tmp_path, db):
    chainmap.open(db).close()  # an empty workspace (a missing one is an error)
    assert run("check").stdout.strip() == "(no rows)"
    files = dict(TINY)
    files["inputs.csv"] = "upstream,downstream\nac-unit,ac-unit\ncompressor,ac-unit\n"
    run("import", write_files(tmp_path / "d", files))
    r = run("check", "--format", "csv")
    assert "warning,cycle,inputs,ac-unit," in r.stdout


def test_checks_named_in_chinese(run):
    """Under --lang zh the 检查项 column names each check in Chinese (table, CSV); JSON
    keeps the codes."""
    import chainmap

    assert run("import", chainmap.sample_path()).exit_code == 0
    table = run("check", "--lang", "zh")
    assert "上下游循环" in table.stdout and "疑似重名企业" in table.stdout
    assert "duplicate-name" not in table.stdout and "cycle " not in table.stdout
    csv = run("check", "--lang", "zh", "--format", "csv").stdout
    assert ",疑似重名企业," in csv
    found = json.loads(run("check", "--lang", "zh", "--format", "json").stdout)
    assert {f["check"] for f in found} >= {"cycle", "duplicate-name"}
