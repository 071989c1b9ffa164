"""chainmap backup / restore / check --integrity on the command line."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3

import chainmap
from tests.test_backup import corrupt


def _sample(run) -> None:
    assert run("import", chainmap.sample_path()).exit_code == 0


def test_backup_prints_what_it_saved(run, db, tmp_path):
    _sample(run)
    r = run("backup", tmp_path / "zone.db")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"Saved {db} to {tmp_path / 'zone.db'}: schema 5, revision 1\n"
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["table", "rows"]
    assert "companies       131" in lines and "leads           12" in lines
    again = run("backup", tmp_path / "zone.db")
    assert again.exit_code == 1 and again.stdout == ""
    assert again.stderr == (f"Error: {tmp_path / 'zone.db'} exists; give another file, or "
                            "--force to overwrite it\n")
    forced = run("backup", tmp_path / "zone.db", "--force", "--format", "json")
    assert forced.exit_code == 0
    data = json.loads(forced.stdout)
    assert data == {"path": str(tmp_path / "zone.db"), "source": str(db), "schema": 5,
                    "revision": 1, "tables": data["tables"], "kept": None}
    assert data["tables"]["companies"] == 131 and list(data["tables"])[0] == "chains"


def test_restore_round_trip(run, db, tmp_path):
    _sample(run)
    run("backup", tmp_path / "zone.db")
    assert run("leads", "add", "haoyue", "--date", "2020-01-01", "--force").stdout == "L0013\n"
    r = run("restore", tmp_path / "zone.db")
    assert r.exit_code == 0, r.stderr
    (kept,) = tmp_path.glob("*.bak")
    assert kept.name.startswith("ws.db.") and "leads           12" in r.stdout.splitlines()
    assert r.stderr.splitlines() == [
        f"Kept the replaced workspace as {kept}",
        f"Restored {tmp_path / 'zone.db'} into {db}: schema 5, revision 3"]
    listed = json.loads(run("leads", "list", "--format", "json").stdout)
    assert "L0013" not in {row["id"] for row in listed} and len(listed) == 12
    # and back: the kept file restores what was replaced; JSON says where the
    # replaced one went
    back = run("restore", kept, "--format", "json", "--lang", "zh")  # keys stay English
    assert back.exit_code == 0, back.stderr
    data = json.loads(back.stdout)
    (kept_again,) = set(tmp_path.glob("*.bak")) - {kept}
    assert data == {"path": str(db), "source": str(kept), "schema": 5,
                    "revision": data["revision"], "tables": data["tables"],
                    "kept": str(kept_again)}
    assert data["tables"]["leads"] == 13 and list(data["tables"])[0] == "chains"
    listed = json.loads(run("leads", "list", "--format", "json").stdout)
    assert "L0013" in {row["id"] for row in listed}


def test_restore_refuses_bad_files_cleanly(run, db, tmp_path):
    _sample(run)
    run("backup", tmp_path / "zone.db")
    bad = tmp_path / "bad.db"
    shutil.copy(tmp_path / "zone.db", bad)
    corrupt(bad)
    text = tmp_path / "notes.csv"
    text.write_text("id,name\n1,当涂\n", encoding="utf-8")
    other = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(other)) as raw:
        raw.execute("CREATE TABLE t (x)")
        raw.commit()
    for file, said in ((bad, "fails SQLite's integrity check"),
                       (text, "is not a chainmap workspace (file is not a database)"),
                       (other, "is not a chainmap workspace (no chainmap schema)"),
                       (tmp_path / "missing.db", "no backup file")):
        r = run("restore", file)
        assert r.exit_code == 1, file
        assert r.stderr.startswith("Error: ") and said in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and r.stdout == ""
    assert not list(tmp_path.glob("*.bak"))
    assert len(json.loads(run("leads", "list", "--format", "json").stdout)) == 12


def test_check_integrity(run, db):
    _sample(run)
    plain = run("check", "--integrity")
    assert plain.exit_code == 0 and plain.stderr.startswith("0 error(s)")
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("INSERT INTO followups (lead_id, due, note, at, by) "
                    "VALUES ('L0404', '2026-01-01', 'x', '2026-01-01 10:00:00', 'u')")
    r = run("check", "--integrity", "--format", "json")
    assert r.exit_code == 1 and r.stderr.startswith("1 error(s)")
    (row,) = [row for row in json.loads(r.stdout) if row["severity"] == "error"]
    assert row == {"severity": "error", "check": "foreign-key", "table": "followups",
                   "id": "1", "message": "followups row 1 refers to leads 'L0404', which "
                                         "does not exist"}
    assert run("check").exit_code == 0  # without --integrity the file is not checked


def test_check_integrity_on_a_damaged_file(run, db):
    _sample(run)
    with contextlib.closing(sqlite3.connect(db)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    corrupt(db)
    r = run("check", "--integrity", "--format", "csv")
    assert r.exit_code == 1
    assert "error,integrity,,,SQLite's integrity check: row" in r.stdout
    assert "restore a backup (chainmap restore)" in r.stdout


def test_neo4j_store_is_refused(tmp_path):
    from click.testing import CliRunner

    from chainmap.cli import main

    runner = CliRunner()
    r = runner.invoke(main, ["--store", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:1",
                             "restore", str(tmp_path / "x.db")])
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot restore into bolt://127.0.0.1:1: a Neo4j "
                               "database is restored with Neo4j's own tools")


def test_chinese(run, tmp_path):
    _sample(run)
    run("backup", tmp_path / "zone.db")
    r = run("backup", tmp_path / "zone.db", "--lang", "zh")
    assert r.stderr == (f"错误：{tmp_path / 'zone.db'} 已存在；请另指定一个文件，"
                        "或用 --force 覆盖\n")
    text = tmp_path / "notes.csv"
    text.write_text("id,name\n", encoding="utf-8")
    r = run("restore", text, "--lang", "zh")
    assert r.exit_code == 1 and "不是 chainmap 工作区" in r.stderr
    assert "（不是 SQLite 数据库文件）" in r.stderr and "file is not" not in r.stderr
    assert "未恢复任何内容" in r.stderr
    assert "把整个工作区备份到 FILE" in run("backup", "--help", "--lang", "zh").stdout
    assert "同时对工作区文件运行 SQLite 的完整性检查" in \
        run("check", "--help", "--lang", "zh").stdout


def test_the_rows_saved_name_every_table_in_chinese(run, tmp_path):
    """backup --lang zh lists every table by its Chinese name, the pipeline's and the
    after-signing tables' too (they showed as lead_events, liaisons ...)."""
    import re

    _sample(run)
    r = run("backup", tmp_path / "zone.db", "--lang", "zh")
    assert r.exit_code == 0, r.output
    names = [line.split()[0] for line in r.stdout.splitlines()[2:]]
    assert len(names) >= 20 and "线索阶段记录" in names and "企业诉求" in names
    assert [n for n in names if re.search("[a-z]", n)] == []
