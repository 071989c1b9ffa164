"""Reports read one committed state while another process imports (issue 14, item 1).

Real importer processes alternate two datasets, A and B, into the same workspace file.
They differ in two tables at once (which firms are active, and which of their links are
confirmed), so a report that read ``companies`` from one state and ``capabilities``
from the other matches neither A's report nor B's. Every report must match one of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import chainmap

ROOT = Path(__file__).resolve().parents[1]
HOME = "安徽省/马鞍山市/当涂县"
CHAIN = "ac"
#: Local firms in each group: group 1 makes compressors in A, group 2 in B.
GROUP = (1500, 1000)


def write_state(folder: Path, state: str) -> Path:
    """Dataset ``state`` (``A`` or ``B``): the same firms and links, other statuses."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chains.csv").write_text("id,name,name_en\nac,空调,AC\n", encoding="utf-8")
    (folder / "products.csv").write_text(
        "id,name,name_en,chains,tier\ncompressor,压缩机,compressor,ac,midstream\n"
        "capacitor,电容器,capacitor,ac,upstream\nac-unit,空调整机,AC unit,ac,downstream\n",
        encoding="utf-8")
    (folder / "inputs.csv").write_text("upstream,downstream\ncompressor,ac-unit\n"
                                       "capacitor,ac-unit\n", encoding="utf-8")
    firms = ["id,name,province,city,district,status",
             "aux,奥克斯空调（马鞍山）有限公司,安徽省,马鞍山市,当涂县,active",
             "shcomp,上海某压缩机有限公司,上海市,上海市,浦东新区,active"]
    links = ["company,product,status", "aux,ac-unit,confirmed", "shcomp,compressor,confirmed"]
    for group, size in enumerate(GROUP, start=1):
        on = (group == 1) == (state == "A")
        for i in range(size):
            firm = f"g{group}-{i:04d}"
            firms.append(f"{firm},当涂{group}号{i}压缩机厂,安徽省,马鞍山市,当涂县,"
                         f"{'active' if on else 'closed'}")
            links.append(f"{firm},compressor,{'confirmed' if on else 'rejected'}")
    (folder / "companies.csv").write_text("\n".join(firms) + "\n", encoding="utf-8")
    (folder / "capabilities.csv").write_text("\n".join(links) + "\n", encoding="utf-8")
    return folder


IMPORTER = """
import sys, chainmap
from pathlib import Path
db, a, b, stop, first = sys.argv[1:]
ws = chainmap.open(db)
n = int(first)
while not Path(stop).exists():
    chainmap.import_dataset(ws, a if n % 2 == 0 else b)
    n += 1
print(n)
"""


def _cli(db: Path) -> list[str]:
    return [sys.executable, "-c", "from chainmap.cli import main; main()", "--db", str(db),
            "gaps", "--chain", CHAIN, "--home", HOME, "--format", "json"]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_reports_never_mix_two_committed_states(tmp_path):
    a, b = write_state(tmp_path / "A", "A"), write_state(tmp_path / "B", "B")
    expected: dict[str, tuple[object, str]] = {}
    for name, folder in (("A", a), ("B", b)):
        db = tmp_path / f"only-{name}.db"
        with chainmap.open(db) as ws:
            chainmap.import_dataset(ws, folder)
            frame = chainmap.gaps(ws, CHAIN, home=HOME)
        cli = subprocess.run(_cli(db), capture_output=True, text=True, env=_env(), check=True)
        expected[name] = (frame.to_json(), json.loads(cli.stdout))
    assert expected["A"][0] != expected["B"][0]  # the two states give different reports

    db = tmp_path / "shared.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, a)
    stop = tmp_path / "stop"
    # two importers, out of step (A, B, A ... and B, A, B ...): more commits per second
    importers = [subprocess.Popen([sys.executable, "-c", IMPORTER, str(db), str(a), str(b),
                                   str(stop), str(first)], env=_env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for first in (0, 1)]
    torn = {"library": 0, "cli": 0}
    seen: set[str] = set()
    runs = {"library": 0, "cli": 0}
    try:
        ws = chainmap.open(db)
        deadline = time.monotonic() + 10
        cli_runs: list[subprocess.Popen] = []
        while time.monotonic() < deadline or runs["library"] < 40:
            if len(cli_runs) < 12 and runs["library"] % 3 == 0:
                cli_runs.append(subprocess.Popen(_cli(db), stdout=subprocess.PIPE,
                                                 stderr=subprocess.PIPE, text=True,
                                                 env=_env()))
            if runs["library"] % 5:  # a workspace that has read nothing yet
                with chainmap.open(db) as fresh:
                    got = chainmap.gaps(fresh, CHAIN, home=HOME).to_json()
            else:
                got = chainmap.gaps(ws, CHAIN, home=HOME).to_json()
            runs["library"] += 1
            match = [k for k, v in expected.items() if v[0] == got]
            torn["library"] += not match
            seen.update(match)
        ws.close()
        for process in cli_runs:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            runs["cli"] += 1
            match = [k for k, v in expected.items() if v[1] == json.loads(out)]
            torn["cli"] += not match
            seen.update(match)
    finally:
        stop.touch()
        done = [importer.communicate(timeout=60) for importer in importers]
    for importer, (out, err) in zip(importers, done, strict=True):
        assert importer.returncode == 0, err
        assert int(out) >= 4, out  # each importer did alternate while the reports ran
    assert torn == {"library": 0, "cli": 0}, (torn, runs)
    assert seen == {"A", "B"}, (seen, runs)  # both states were reported


def test_a_snapshot_does_not_see_a_commit_made_while_it_is_open(tmp_path):
    a, b = write_state(tmp_path / "A", "A"), write_state(tmp_path / "B", "B")
    db = tmp_path / "ws.db"
    reader, writer = chainmap.open(db), chainmap.open(db)
    chainmap.import_dataset(writer, a)
    first = chainmap.gaps(reader, CHAIN, home=HOME).to_json()
    with reader.snapshot():
        revision = reader.store.revision()
        key = reader.store.cache_key()
        firms = reader.table("companies")
        chainmap.import_dataset(writer, b)  # another connection commits meanwhile
        assert reader.store.revision() == revision
        assert chainmap.gaps(reader, CHAIN, home=HOME).to_json() == first
        links = reader.table("capabilities")
        assert reader.store.cache_key() == key  # the key of the state read
    live = set(firms.loc[firms["status"] == "active", "id"])
    confirmed = set(links.loc[links["status"] == "confirmed", "company_id"])
    assert {f for f in confirmed if f.startswith("g")} == \
        {f for f in live if f.startswith("g")}  # one state: group 1 in both
    assert reader.store.revision() > revision  # after it, the new state
    assert chainmap.gaps(reader, CHAIN, home=HOME).to_json() != first
    reader.close()
    writer.close()


def test_writing_inside_a_snapshot_is_refused_and_snapshots_nest(tmp_path):
    from chainmap.errors import WorkspaceError

    db = tmp_path / "ws.db"
    with chainmap.open(db) as ws:
        with ws.snapshot(), ws.snapshot():
            assert ws.counts()["companies"] == 0
            try:
                ws.set_home("当涂县")
            except WorkspaceError as exc:
                assert "while a report reads it" in str(exc)
            else:
                raise AssertionError("a write inside a snapshot was accepted")
        assert ws.set_home("当涂县").name == "当涂县"  # after it, writes go on


def test_a_workspace_file_without_its_write_ahead_log_is_opened_in_wal_mode(tmp_path):
    import sqlite3

    db = tmp_path / "ws.db"
    chainmap.open(db).close()
    plain = sqlite3.connect(db, isolation_level=None)
    assert plain.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    plain.close()
    with chainmap.open(db) as ws:
        assert ws.store.conn.execute("PRAGMA journal_mode").one()[0] == "wal"


def test_every_report_function_reads_in_one_snapshot():
    """The library's report functions wear @reads_snapshot (a new one should too)."""
    reports = ["anchor", "gaps", "graph", "impact", "metrics", "opportunities", "related",
               "targets", "followups_due", "stale_leads", "audit_log", "project_delivery",
               "duplicate_firms", "lead_details", "list_leads", "export_leads",
               "signed_projects", "overdue_projects", "pipeline", "service_firms",
               "list_requests", "service_report", "stage_limits", "supervise",
               "signed_report", "weekly_report", "findings", "check", "export_dataset"]
    bare = [name for name in reports if not hasattr(getattr(chainmap, name), "__wrapped__")]
    assert bare == []
    assert chainmap.gaps.__doc__.startswith("The gap report of ``chain``")  # doc kept
