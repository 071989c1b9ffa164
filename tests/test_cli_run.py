"""The ``chainmap`` console script ends its process without taking the interpreter
apart (``chainmap.cli.run``, issue 13), and loses nothing by it: every byte of output,
the exit status, the workspace's last write, the exit functions."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import chainmap

REPO = Path(__file__).resolve().parents[1]
RUN = "from chainmap.cli import run; run()"


def console(*args: str, cwd: Path, before: str = "") -> subprocess.CompletedProcess:
    """``chainmap ARGS`` as its own process, the way the console script starts it."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "CHAINMAP_LANG": "en"}
    return subprocess.run([sys.executable, "-c", before + RUN, *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_the_exit_status_and_every_byte_of_output(tmp_path):
    db = str(tmp_path / "w.db")
    done = console("--db", db, "import", chainmap.sample_path(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = console("--db", db, "gaps", "--chain", "智能家电", "--home", "当涂县",
                     "--format", "json", cwd=tmp_path)
    assert report.returncode == 0
    assert len(json.loads(report.stdout)) == 32  # the whole JSON text came out
    wrong = console("--db", db, "gaps", "--chain", "nope", cwd=tmp_path)
    assert wrong.returncode == 1 and wrong.stderr.startswith("Error: unknown chain 'nope'")
    usage = console("--db", db, "gaps", cwd=tmp_path)
    assert usage.returncode == 2 and "Missing option '--chain'" in usage.stderr
    assert "Traceback" not in wrong.stderr + usage.stderr


def test_the_last_write_is_in_the_workspace_file_itself(tmp_path):
    db = tmp_path / "w.db"
    assert console("--db", str(db), "import", chainmap.sample_path(),
                   cwd=tmp_path).returncode == 0
    done = console("--db", str(db), "leads", "add", "haoyue", "--owner", "张三", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # closed before the process ended: the write-ahead log was folded into the file
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    alone = tmp_path / "copy.db"  # the file copied without its companions has the lead
    shutil.copyfile(db, alone)
    with sqlite3.connect(alone) as conn:
        assert conn.execute("SELECT count(*) FROM leads WHERE company_id = 'haoyue'"
                            ).fetchone() == (1,)


def test_the_exit_functions_run(tmp_path):
    before = ("import atexit, sys; "
              "atexit.register(lambda: sys.stderr.write('exit functions ran\\n')); ")
    done = console("--version", cwd=tmp_path, before=before)
    assert done.returncode == 0 and done.stdout.startswith("chainmap")
    assert done.stderr == "exit functions ran\n"


def test_a_profiler_still_writes_its_figures(tmp_path):
    script = tmp_path / "cm.py"
    script.write_text(RUN + "\n", encoding="utf-8")
    out = tmp_path / "run.prof"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(script),
                           "--version"], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000  # written at the normal exit, after the script


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    """``python -m chainmap`` (no console script on PATH) is the ``chainmap`` command."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "CHAINMAP_LANG": "en"}

    def module(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "chainmap", *args], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=300)

    version = module("--version")
    assert version.returncode == 0 and version.stdout == "chainmap, version 0.1.0\n"
    db = str(tmp_path / "w.db")
    assert module("--db", db, "import", chainmap.sample_path()).returncode == 0
    wrong = module("--db", db, "gaps", "--chain", "nope")
    assert wrong.returncode == 1 and wrong.stderr.startswith("Error: unknown chain 'nope'")
    usage = module("--db", db, "gaps")
    assert usage.returncode == 2 and usage.stderr.startswith("Usage: chainmap gaps")
    assert "Traceback" not in wrong.stderr + usage.stderr


def test_a_name_gbk_cannot_write_reaches_a_redirected_gbk_stream(tmp_path):
    """A Chinese Windows writes a redirected stdout (``> gaps.txt``) in GBK, which has no
    ®, €, • or rare name characters (䶮): one such firm name stopped the whole report with
    UnicodeEncodeError. The stream is GB18030 instead: the same bytes for every GBK
    character, and the rest written too (session 10)."""
    data = tmp_path / "data"
    shutil.copytree(chainmap.sample_path(), data)
    companies = data / "companies.csv"
    companies.write_text(companies.read_text(encoding="utf-8").replace(
        "安徽皓月电气有限公司", "安徽皓月®䶮电气有限公司"), encoding="utf-8")
    db = str(tmp_path / "w.db")
    assert console("--db", db, "import", str(data), cwd=tmp_path).returncode == 0
    env = {**os.environ, "PYTHONPATH": str(REPO), "CHAINMAP_LANG": "zh",
           "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-c", RUN, "--db", db, "anchor", "aux", "--home",
                           "当涂县"], capture_output=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode("gb18030")
    text = done.stdout.decode("gb18030")
    assert "安徽皓月®䶮电气有限公司" in text
    assert "奥克斯空调（马鞍山）有限公司".encode("gbk") in done.stdout  # GBK's own bytes


def test_which_streams_are_widened(monkeypatch):
    import io

    from chainmap.cli import wide_encoding

    def stream(encoding: str) -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(), encoding=encoding)

    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    assert [wide_encoding(stream(e)) for e in ("gbk", "GB2312", "cp936", "utf-8",
                                               "gb18030", "cp1252")] == \
        ["gb18030", "gb18030", "gb18030", "utf-8", "gb18030", "utf-8"]
    # 中 but not 当涂县 (session 11): Big5, Shift-JIS and the like became UTF-8 too
    assert [wide_encoding(stream(e)) for e in ("big5", "cp950", "big5hkscs", "shift_jis",
                                               "cp932", "euc_kr", "hz")] == ["utf-8"] * 7
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")  # chosen: kept (GBK still widened)
    chosen = stream("cp1252")
    assert wide_encoding(chosen) == "cp1252" and chosen.errors == "replace"
    assert chosen.write("当涂 café") == 7  # a ? for what it cannot write, never an error
    assert wide_encoding(stream("gbk")) == "gb18030"
    monkeypatch.setenv("PYTHONIOENCODING", "cp950:strict")  # its own error handler: kept
    strict = stream("cp950")
    assert wide_encoding(strict) == "cp950" and strict.errors == "strict"
    assert wide_encoding(object()) is None  # not a text stream: left alone


@pytest.mark.parametrize("encoding", ["cp950", "shift_jis"])
def test_a_report_reaches_a_stream_with_part_of_the_chinese(tmp_path, encoding):
    """A Traditional Chinese (Big5, cp950) or Japanese (Shift-JIS) Windows writes a
    redirected stdout in an encoding that has 中 but not 当, 涂 or 县: the first such word
    of a Chinese report stopped it with an internal UnicodeEncodeError. It is written
    in UTF-8 instead, every character kept (session 11)."""
    db = str(tmp_path / "w.db")
    assert console("--db", db, "import", chainmap.sample_path(), cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env.update(PYTHONPATH=str(REPO), CHAINMAP_LANG="zh")
    narrow = f"import sys; sys.stdout.reconfigure(encoding={encoding!r}); "
    done = subprocess.run([sys.executable, "-c", narrow + RUN, "--db", db, "anchor", "aux",
                           "--home", "当涂县"], capture_output=True, cwd=tmp_path, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "奥克斯空调（马鞍山）有限公司" in done.stdout.decode("utf-8")
