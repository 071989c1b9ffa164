"""Writers in several processes at once (issue 14, items 1 and 6): a busy workspace is a
clear error after a bounded wait, each import counts its own new rows, and an import
racing ``firms merge --apply`` decides on the state it writes to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import chainmap

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from chainmap.cli import main; main()"]

PRODUCTS = ("id,name,name_en,chains,tier\ncompressor,压缩机,compressor,ac,midstream\n"
            "capacitor,电容器,capacitor,ac,upstream\nac-unit,空调整机,AC unit,ac,downstream\n")


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), **extra)


def _dataset(folder: Path, prefix: str, firms: int, links: tuple[str, ...] = (),
             supplies: int = 0) -> Path:
    """A dataset of ``firms`` new firms ``PREFIX-N`` (each making capacitors), plus ``links``
    (``firm,product`` lines of firms stored already) and ``supplies`` among the new firms
    (checked after the links: they keep the import busy between its check and its write
    when nothing makes the check part of the write)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chains.csv").write_text("id,name,name_en\nac,空调,AC\n", encoding="utf-8")
    (folder / "products.csv").write_text(PRODUCTS, encoding="utf-8")
    rows = ["id,name,province,city,district"]
    caps = ["company,product", *links]
    for i in range(firms):
        rows.append(f"{prefix}-{i:05d},{prefix}号{i}电容器厂,安徽省,马鞍山市,当涂县")
        caps.append(f"{prefix}-{i:05d},capacitor")
    (folder / "companies.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "capabilities.csv").write_text("\n".join(caps) + "\n", encoding="utf-8")
    if supplies:
        lines = ["supplier,customer,product"] + [
            f"{prefix}-{i % firms:05d},{prefix}-{(i * 7 + 1) % firms:05d},capacitor"
            for i in range(supplies)]
        (folder / "supplies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.read()  # until the test closes it
db.execute("ROLLBACK")
"""


def test_a_writer_waits_the_busy_timeout_then_says_the_workspace_is_busy(tmp_path):
    db = tmp_path / "ws.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, _dataset(tmp_path / "d", "a", 3))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        done = subprocess.run([*CLI, "--db", str(db), "config", "home", "当涂县"],
                              capture_output=True, text=True,
                              env=_env(CHAINMAP_BUSY_TIMEOUT="1.5"))
        waited = time.monotonic() - started
        zh = subprocess.run([*CLI, "--db", str(db), "import", str(tmp_path / "d"),
                             "--lang", "zh"], capture_output=True, text=True,
                            env=_env(CHAINMAP_BUSY_TIMEOUT="0"))
    finally:
        holder.communicate("", timeout=30)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (f"Error: the workspace {db} is busy: another chainmap "
                                   "command is writing to it (waited 1.5 s, "
                                   "CHAINMAP_BUSY_TIMEOUT); nothing was changed; try again")
    assert 1.5 <= waited < 30  # waited the timeout given, not the default 30 s
    assert zh.returncode == 1 and "Traceback" not in zh.stderr
    assert f"工作区 {db} 正忙：另一条 chainmap 命令正在写入" in zh.stderr
    # the lock gone, the same command succeeds
    again = subprocess.run([*CLI, "--db", str(db), "config", "home", "当涂县"],
                           capture_output=True, text=True, env=_env())
    assert again.returncode == 0, again.stderr


def test_a_bad_busy_timeout_is_a_clear_error(tmp_path):
    done = subprocess.run([*CLI, "--db", str(tmp_path / "ws.db"), "config", "home", "当涂县"],
                          capture_output=True, text=True, env=_env(CHAINMAP_BUSY_TIMEOUT="soon"))
    assert done.returncode == 1
    assert "CHAINMAP_BUSY_TIMEOUT must be a number of seconds (0 or more), not 'soon'" \
        in done.stderr


#: A command run in a warmed-up process: it waits for the file GO, then DELAY seconds.
RACER = """
import sys, time
from pathlib import Path
import chainmap, chainmap.io.read, chainmap.io.validate, chainmap.crm.identity
from chainmap.cli import main
go, delay, args = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
time.sleep(delay)
sys.argv = ["chainmap", *args]
main()
"""


def _racer(go: Path, delay: float, *args: str, ready: bool = True) -> subprocess.Popen:
    racer = subprocess.Popen([sys.executable, "-c", RACER, str(go), str(delay), *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=_env())
    if ready:
        _ready(racer)
    return racer


def _ready(racer: subprocess.Popen) -> None:
    assert racer.stdout is not None and racer.stdout.readline() == "ready\n"


def test_two_imports_at_once_each_count_their_own_new_rows(tmp_path):
    """A big import in another process, small ones here meanwhile: each says its own."""
    db = tmp_path / "ws.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, _dataset(tmp_path / "base", "base", 1))
    big = _dataset(tmp_path / "big", "big", 20_000)
    go = tmp_path / "go"
    other = _racer(go, 0.0, "--db", str(db), "import", str(big))
    go.touch()
    ours = []
    with chainmap.open(db) as ws:
        while other.poll() is None or not ours:
            n = len(ours)
            result = chainmap.import_dataset(ws, _dataset(tmp_path / f"s{n}", f"s{n}", 50))
            ours.append(result.added["companies"])
    out, err = other.communicate(timeout=300)
    assert other.returncode == 0, err
    new = re.search(r"(\d+) companies \((\d+) new\)", out + err)
    assert new is not None, out + err
    assert (int(new[1]), int(new[2])) == (20_000, 20_000), out + err
    assert ours == [50] * len(ours), ours  # never the other import's rows
    with chainmap.open(db) as ws:
        assert ws.counts()["companies"] == 1 + 20_000 + 50 * len(ours)


def test_an_import_racing_a_firm_merge_never_ends_in_an_internal_error(tmp_path):
    """The import links the firm the merge drops; whichever commits first, the other
    either succeeds on the state after it or fails with a clear error."""
    base = _dataset(tmp_path / "base", "base", 2)
    data = _dataset(tmp_path / "race", "r", 3000, links=("base-00001,compressor",),
                    supplies=150_000)
    outcomes = []
    for delay in (0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.3):
        db = tmp_path / f"ws-{delay}.db"
        with chainmap.open(db) as ws:
            chainmap.import_dataset(ws, base)
        go = tmp_path / f"go-{delay}"
        importing = _racer(go, 0.0, "--db", str(db), "import", str(data), ready=False)
        merging = _racer(go, delay, "--db", str(db), "firms", "merge", "base-00000",
                         "base-00001", "--apply", ready=False)
        _ready(importing)
        _ready(merging)
        go.touch()
        out, err = importing.communicate(timeout=300)
        _, merge_err = merging.communicate(timeout=300)
        assert merging.returncode == 0, merge_err
        for text in (err, merge_err):
            assert "internal error" not in text and "Traceback" not in text, text
            assert "FOREIGN KEY" not in text, text
        if importing.returncode:
            assert err.startswith("Error: "), err
            assert "base-00001" in err, err  # names the firm that is gone
        with chainmap.open(db) as ws:
            firms = set(ws.table("companies")["id"])
            links = ws.table("capabilities")
        assert "base-00001" not in firms  # the merge happened
        assert set(links["company_id"]) <= firms
        outcomes.append(importing.returncode)
    assert len(outcomes) == 8  # every timing ended cleanly (0, or 1 with a clear error)


def test_the_first_push_on_a_busy_workspace_says_so(tmp_path, monkeypatch):
    """Starting the change log (the first push) waits for a writer as any write does."""
    db = tmp_path / "ws.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, _dataset(tmp_path / "d", "a", 3))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    monkeypatch.setenv("CHAINMAP_BUSY_TIMEOUT", "0")
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        with chainmap.open(db) as ws, pytest.raises(chainmap.WorkspaceError,
                                                    match="is busy: another chainmap"):
            ws.store.start_change_log()
    finally:
        holder.communicate("", timeout=30)
    with chainmap.open(db) as ws:  # nothing was made; now it is
        assert not ws.store.change_log_started()
        assert ws.store.start_change_log()
