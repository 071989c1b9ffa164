"""Adversarial cases for the lead files patched by a write (review of issue 13's speed8).

Each case writes through the public functions (or the store inside
:func:`~chainmap.crm.leadfiles.kept_lead_files`, as those functions do) on a real
SQLite file with the real cache folder, then compares the files of the new revision,
and the reports on them, with what reading every lead and move gives (or checks that
nothing was patched, where the patch cannot hold the new state).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap import cache
from chainmap.crm.history import MOVES_CACHE, PERSIST_MIN_ROWS
from chainmap.crm.leadfiles import LEADS_CACHE, kept_lead_files
from chainmap.names import person_name
from tests.test_fast_pipeline import _equal
from tests.test_lead_files import _assert_patched, _files, copy_with_cache, opened_with_files
from tests.test_pipeline_history import _reports, _untidy_history, untidy_workspace

REPO = Path(__file__).resolve().parents[1]
RUN = "from chainmap.cli import run; run()"


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    """The sample and 1,200 more leads (the files are kept from 1,000 on)."""
    return untidy_workspace(tmp_path_factory.mktemp("review8") / "w.db", 1200, seed=23)


@pytest.fixture
def db(base_db, tmp_path, monkeypatch):
    """A copy of the workspace, with its own cache folder (no files yet)."""
    return copy_with_cache(base_db, tmp_path, monkeypatch)


@pytest.fixture
def ws(db):
    """The copy open, the lead files of its state made by a report."""
    with opened_with_files(db) as opened:
        yield opened


def _lead(ws, lead: str) -> pd.Series:
    """The lead's row of the lead list (the report)."""
    return chainmap.list_leads(ws).set_index("id").loc[lead]


def _fresh_reports(path, monkeypatch) -> dict:
    """The reports of the workspace at ``path`` with no cache at all."""
    with monkeypatch.context() as m:
        m.setenv("CHAINMAP_CACHE_DIR", "off")
        with chainmap.open(path) as fresh:
            return _reports(fresh)


def _raw(path, *statements: tuple[str, tuple]) -> None:
    """Write ``statements`` with a plain SQLite connection (foreign keys off), as a new
    revision: data the public functions would not write."""
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("BEGIN IMMEDIATE")
        for sql, args in statements:
            db.execute(sql, args)
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
        db.execute("COMMIT")
    db.close()


# -- values that could break the codes layout -------------------------------------------


@pytest.mark.parametrize("owner", ["x\x1fy", "\x1f", "😀𝄞 emoji", "长" * 3000, " 张三 ",
                                   "张三\n", "NULL", "None"])
def test_an_owner_of_any_text_is_patched_as_a_full_read_gives_it(ws, owner):
    chainmap.update_lead(ws, "L0002", owner=owner)
    _assert_patched(ws)  # the files of the new revision, equal to a full read
    # the API stores a person's name (names.person_name): "\x1f" is white space to split
    expected = person_name(owner) or None
    assert _files(ws)[0].set_index("id").loc["L0002", "owner"] == expected
    assert _lead(ws, "L0002")["owner"] == expected
    # as any other tool may write it: the separator itself, patched as a full read gives it
    with kept_lead_files(ws) as touched, ws.store.transaction():
        ws.store.update_lead("L0002", {"owner": owner}, "2026-06-01 10:00:00")
        touched("L0002")
    _assert_patched(ws)
    assert _files(ws)[0].set_index("id").loc["L0002", "owner"] == owner


def test_an_owner_added_with_a_separator_and_spaces_is_kept_as_given(ws):
    lid = chainmap.add_lead(ws, "xinchang-valve", owner=" a\x1fb ", force=True,
                            date="2026-07-01")
    _assert_patched(ws)
    assert _files(ws)[0].set_index("id").loc[lid, "owner"] == "a b"  # names.person_name
    with kept_lead_files(ws) as touched, ws.store.transaction():
        ws.store.update_lead(lid, {"owner": " a\x1fb "}, "2026-07-02 10:00:00")
        touched(lid)
    _assert_patched(ws)
    assert _files(ws)[0].set_index("id").loc[lid, "owner"] == " a\x1fb "


def test_an_empty_owner_stays_empty_not_missing(ws):
    """``''`` and NULL are different values of the file's codes (the API writes NULL for
    ``''``; an import or another tool may write ``''``)."""
    with kept_lead_files(ws) as touched, ws.store.transaction():
        ws.store.update_lead("L0002", {"owner": ""}, "2026-06-01 10:00:00")
        touched("L0002")
    _assert_patched(ws)
    frame = _files(ws)[0].set_index("id")
    assert frame.loc["L0002", "owner"] == ""
    chainmap.update_lead(ws, "L0003", owner="")  # the API: no owner
    _assert_patched(ws)
    assert _files(ws)[0].set_index("id").loc["L0003", "owner"] is None


def test_an_owner_holding_nul_leaves_no_lead_file_and_the_report_reads_it(ws):
    chainmap.update_lead(ws, "L0002", owner="a\x00b")
    key = ws.store.cache_key()
    assert cache.load(LEADS_CACHE, key) is None  # fixed-width text would lose it
    assert cache.load(MOVES_CACHE, key) is not None  # the moves are carried
    assert _lead(ws, "L0002")["owner"] == "a\x00b"


def test_investment_int_float_and_cleared(ws):
    chainmap.update_lead(ws, "L0002", investment=30)  # an int: stored as REAL
    _assert_patched(ws)
    assert _lead(ws, "L0002")["investment"] == 30.0
    chainmap.update_lead(ws, "L0002", investment=None)
    _assert_patched(ws)
    assert np.isnan(_lead(ws, "L0002")["investment"])
    chainmap.update_lead(ws, "L0002", investment=0.1 + 0.2)
    _assert_patched(ws)
    assert _lead(ws, "L0002")["investment"] == 0.1 + 0.2


def test_investment_all_missing_in_the_file_then_a_number(ws, monkeypatch):
    """The file holds the column as texts (every value missing); a number does not fit:
    no lead file is patched, the next report reads the leads and gets the number."""
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE leads SET investment = NULL")
    chainmap.list_leads(ws)
    arrays = cache.load(LEADS_CACHE, ws.store.cache_key())
    assert arrays is not None and "6.codes" in arrays  # investment, as codes
    chainmap.update_lead(ws, "L0002", investment=12.5)
    key = ws.store.cache_key()
    assert cache.load(LEADS_CACHE, key) is None
    assert cache.load(MOVES_CACHE, key) is not None
    assert _lead(ws, "L0002")["investment"] == 12.5
    _assert_patched(ws)  # the report made it
    assert "6.float" in cache.load(LEADS_CACHE, ws.store.cache_key())
    chainmap.update_lead(ws, "L0003", investment=7.0)  # now it fits
    _assert_patched(ws)
    _equal(_reports(ws), _fresh_reports(ws.store.path, monkeypatch))


def test_contract_date_set_then_cleared_and_product_changed_and_cleared(ws):
    lead = "L0004"
    chainmap.update_lead(ws, lead, contract_date="2026-08-03")
    _assert_patched(ws)
    assert _files(ws)[0].set_index("id").loc[lead, "contract_date"] == "2026-08-03"
    chainmap.update_lead(ws, lead, contract_date=None)
    _assert_patched(ws)
    assert _files(ws)[0].set_index("id").loc[lead, "contract_date"] is None
    products = sorted(ws.table("products")["id"])
    chainmap.update_lead(ws, lead, product=products[-1])
    _assert_patched(ws)
    row = _lead(ws, lead)
    assert row["product"] == products[-1]
    assert row["product_name"] == ws.table("products").set_index("id").loc[products[-1],
                                                                            "name"]
    chainmap.update_lead(ws, lead, product=None)
    _assert_patched(ws)
    assert _lead(ws, lead)["product"] is None


def test_an_update_that_changes_nothing_still_patches(ws):
    owner = ws.table("leads").set_index("id").loc["L0002", "owner"]
    key = ws.store.cache_key()
    assert chainmap.update_lead(ws, "L0002", owner=owner) == []
    assert ws.store.cache_key() != key  # a new revision all the same
    _assert_patched(ws)


# -- leads and moves out of the ordinary --------------------------------------------------


def test_a_lead_without_any_move_then_moved(db, monkeypatch):
    """A lead the history has no row of (an old import): ``since`` missing, then the
    date of its first recorded move; its id is new to the moves file."""
    lead = "L0005"
    _raw(db, ("DELETE FROM lead_events WHERE lead_id = ?", (lead,)))
    with chainmap.open(db) as ws:
        chainmap.list_leads(ws)
        assert _files(ws)[0].set_index("id").loc[lead, "since"] is None
        current = ws.table("leads").set_index("id").loc[lead, "stage"]
        stage = "visited" if current != "visited" else "contacted"
        chainmap.move_lead(ws, lead, stage, date="2026-07-09")
        _assert_patched(ws)
        row = _lead(ws, lead)
        assert (row["stage"], row["since"]) == (stage, "2026-07-09")
        _equal(_reports(ws), _fresh_reports(db, monkeypatch))


def test_a_lead_whose_firm_is_not_there(db, monkeypatch):
    """A lead of a firm the workspace does not hold (written with foreign keys off): a
    full read gives it no name (NaN), which no file holds; the writes patch no lead file
    (there is none), the moves file is carried, the reports equal a fresh read."""
    lead = "L0002"
    _raw(db, ("UPDATE leads SET company_id = 'ghost-firm' WHERE id = ?", (lead,)))
    with chainmap.open(db) as ws:
        chainmap.list_leads(ws)
        assert cache.load(LEADS_CACHE, ws.store.cache_key()) is None
        chainmap.update_lead(ws, lead, owner="幽灵")
        key = ws.store.cache_key()
        assert cache.load(LEADS_CACHE, key) is None
        assert cache.load(MOVES_CACHE, key) is not None
        row = _lead(ws, lead)
        assert row["company"] == "ghost-firm" and row["owner"] == "幽灵"
        assert pd.isna(row["company_name"]) and pd.isna(row["province"])
        current = ws.table("leads").set_index("id").loc[lead, "stage"]
        chainmap.move_lead(ws, lead, "lead" if current != "lead" else "contacted",
                           date="2026-07-10")
        assert _lead(ws, lead)["since"] == "2026-07-10"
        _equal(_reports(ws), _fresh_reports(db, monkeypatch))


def test_a_move_dated_before_the_last_one_is_refused_and_changes_nothing(ws):
    """A lead's stage is its last move's and the reports read history by date: a move
    dated before the last one is refused (it made the two disagree); the same day is
    taken."""
    from chainmap.errors import ArgumentError

    lead = "L0002"
    chainmap.move_lead(ws, lead, "lost", reason="去了别处", date="2026-09-30")
    _assert_patched(ws)
    assert _lead(ws, lead)["since"] == "2026-09-30"
    key = ws.store.cache_key()
    with pytest.raises(ArgumentError, match=r"^date= 2026-07-01 is before the last move of "
                                            r"lead L0002 \(2026-09-30: .* → lost\)") as refused:
        chainmap.move_lead(ws, lead, "negotiating", date="2026-07-01")  # back, dated earlier
    assert refused.value.parameter == "date"
    assert ws.store.cache_key() == key  # nothing written
    chainmap.move_lead(ws, lead, "negotiating", date="2026-09-30")  # back, the same day
    _assert_patched(ws)
    row = _lead(ws, lead)
    assert (row["stage"], row["since"]) == ("negotiating", "2026-09-30")
    moves = _files(ws)[1]
    assert moves.iloc[-2:].values.tolist() == [[lead, "lost", "2026-09-30"],
                                               [lead, "negotiating", "2026-09-30"]]


def test_a_new_lead_and_its_first_moves_back_and_forth(ws, monkeypatch):
    firm = sorted(ws.table("companies")["id"])[-1]
    lid = chainmap.add_lead(ws, firm, owner="新的", investment=3, date="2026-07-01")
    _assert_patched(ws)
    chainmap.move_lead(ws, lid, "contacted", date="2026-07-02")
    chainmap.move_lead(ws, lid, "lost", reason="无意向", date="2026-07-03")
    chainmap.move_lead(ws, lid, "contacted", date="2026-07-04")
    _assert_patched(ws)
    row = _lead(ws, lid)
    assert row[["stage", "since", "owner", "investment"]].tolist() == \
        ["contacted", "2026-07-04", "新的", 3.0]
    assert row["company_name"] == ws.table("companies").set_index("id").loc[firm, "name"]
    _equal(_reports(ws), _fresh_reports(ws.store.path, monkeypatch))


# -- transactions, snapshots, other workspaces and processes ------------------------------


def test_two_writes_in_one_outer_transaction_patch_nothing(ws, monkeypatch):
    with ws.store.transaction():
        chainmap.move_lead(ws, "L0002", "lost", reason="预算", date="2026-07-01")
        chainmap.update_lead(ws, "L0003", owner="外层事务")
    assert _files(ws) is None  # the inner writes knew no state before
    row = _lead(ws, "L0002")
    assert (row["stage"], row["since"]) == ("lost", "2026-07-01")
    assert _lead(ws, "L0003")["owner"] == "外层事务"
    _assert_patched(ws)
    _equal(_reports(ws), _fresh_reports(ws.store.path, monkeypatch))


def test_a_write_inside_a_snapshot_is_refused_and_the_files_stand(ws):
    key = ws.store.cache_key()
    with ws.snapshot(), pytest.raises(chainmap.errors.WorkspaceError, match="while a report"):
        chainmap.move_lead(ws, "L0002", "lost", reason="x", date="2026-07-01")
    assert ws.store.cache_key() == key
    _assert_patched(ws)


def test_two_workspaces_on_one_file(ws):
    """B holds the frames of revision N in memory; A writes; B's report shows A's write
    (and B's write then A's report shows B's)."""
    with chainmap.open(ws.store.path) as other:
        assert _lead(other, "L0002")["owner"] != "甲写的"
        chainmap.update_lead(ws, "L0002", owner="甲写的")
        assert _lead(other, "L0002")["owner"] == "甲写的"
        _assert_patched(other)
        chainmap.move_lead(other, "L0002", "lost", reason="乙", date="2026-07-05")
        row = _lead(ws, "L0002")
        assert (row["stage"], row["since"], row["owner"]) == ("lost", "2026-07-05", "甲写的")
        _assert_patched(ws)


def test_a_write_while_another_workspace_reads_a_snapshot(ws):
    """A reader's snapshot keeps the log from being moved into the file: the write
    notes no state (nothing patched); the reader, inside, still sees the state before
    and keeps it under that state's key only; after it, a report shows the write."""
    with chainmap.open(ws.store.path) as reader, reader.snapshot():
        assert _lead(reader, "L0002")["owner"] != "读时写的"
        chainmap.update_lead(ws, "L0002", owner="读时写的")
        assert ws.store.cache_key() is None  # the log cannot be moved into the file
        assert _lead(reader, "L0002")["owner"] != "读时写的"
    assert _files(ws) is None  # nothing was patched for the write
    row = _lead(ws, "L0002")
    assert row["owner"] == "读时写的"
    _assert_patched(ws)
    chainmap.move_lead(ws, "L0002", "lost", reason="读完", date="2026-07-06")
    _assert_patched(ws)


def test_a_copy_of_the_workspace_at_another_path(ws, tmp_path):
    """The copy's place differs: its writes find no files before them (none patched); the
    original's files are not touched by them."""
    key = ws.store.cache_key()
    copy = tmp_path / "copy.db"
    with ws.store.snapshot():
        shutil.copyfile(ws.store.path, copy)
    with chainmap.open(copy) as other:
        chainmap.update_lead(other, "L0002", owner="副本")
        assert _files(other) is None
        assert _lead(other, "L0002")["owner"] == "副本"
        _assert_patched(other)
        chainmap.update_lead(other, "L0002", owner="副本二")
        _assert_patched(other)
    assert ws.store.cache_key() == key
    _assert_patched(ws)
    assert _lead(ws, "L0002")["owner"] != "副本"


def test_a_copy_put_in_place_at_the_same_revision(ws, tmp_path):
    """Another file of the same revision copied over the workspace (other content): the
    files of the one before are not used for it, nor patched for its writes."""
    other_db = tmp_path / "other.db"
    with ws.store.snapshot():
        shutil.copyfile(ws.store.path, other_db)
    path = ws.store.path
    with chainmap.open(other_db) as other:
        with other.store.transaction():  # the same revision as ws after ws's write
            other.store.conn.execute("UPDATE leads SET owner = '另一个文件' WHERE id = 'L0002'")
    chainmap.update_lead(ws, "L0003", owner="本文件")
    _assert_patched(ws)
    ws.close()
    os.replace(other_db, path)
    with chainmap.open(path) as again:
        assert _lead(again, "L0002")["owner"] == "另一个文件"
        assert _lead(again, "L0003")["owner"] != "本文件"
        chainmap.update_lead(again, "L0004", owner="再写")
        row = _lead(again, "L0004")
        assert row["owner"] == "再写"
        _assert_patched(again)
        assert _lead(again, "L0002")["owner"] == "另一个文件"


def _console(*args: str, db: Path, cache_dir: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CHAINMAP_LANG": "en",
           "CHAINMAP_CACHE_DIR": cache_dir}
    done = subprocess.run([sys.executable, "-P", "-c", RUN, "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_the_cli_as_whole_processes_equals_a_fresh_cache(db, tmp_path):
    folder = str(tmp_path / "cache")
    first = json.loads(_console("pipeline", "--format", "json", db=db, cache_dir=folder).stdout)
    _console("leads", "move", "L0002", "lost", "--reason", "外地", "--date", "2026-07-01",
             db=db, cache_dir=folder)
    _console("leads", "add", "xinchang-valve", "--owner", "命令行", "--force", "--date",
             "2026-07-02", db=db, cache_dir=folder)
    _console("leads", "update", "L0003", "--owner", "命令行二", "--investment", "9.5",
             db=db, cache_dir=folder)
    _console("leads", "log", "L0003", "--kind", "call", "--note", "打了电话",
             "--date", "2026-07-03", db=db, cache_dir=folder)
    with chainmap.open(db) as ws:  # the files the last write left are those of its state
        _assert_patched(ws)
    kept = _console("pipeline", "--format", "json", db=db, cache_dir=folder).stdout
    fresh = _console("pipeline", "--format", "json", db=db, cache_dir="off").stdout
    assert kept == fresh and json.loads(kept) != first
    kept = _console("leads", "list", "--format", "json", db=db, cache_dir=folder).stdout
    fresh = _console("leads", "list", "--format", "json", db=db, cache_dir="off").stdout
    assert kept == fresh
    rows = {r["id"]: r for r in json.loads(kept)}
    assert rows["L0002"]["stage"] == "lost" and rows["L0003"]["owner"] == "命令行二"


def test_another_process_writes_between_the_note_and_the_transaction(ws):
    before = ws.store.cache_key()
    with kept_lead_files(ws) as touched:
        _console("leads", "log", "L0004", "--kind", "call", "--note", "另一个进程",
                 "--date", "2026-07-03", db=ws.store.path,
                 cache_dir=os.environ["CHAINMAP_CACHE_DIR"])
        with ws.store.transaction():
            ws.store.update_lead("L0001", {"owner": "后来的"}, "2026-06-01 10:00:00")
            touched("L0001")
    assert ws.store.cache_key() != before
    assert _files(ws) is None
    assert _lead(ws, "L0001")["owner"] == "后来的"


# -- files missing, of another layout, no cache, small workspaces -------------------------


def test_a_lead_file_of_other_columns_is_not_patched(ws):
    key = ws.store.cache_key()
    cache.save(LEADS_CACHE, key, cache.frame_arrays(pd.DataFrame({"id": ["L0001"],
                                                                  "seq": [1]})))
    chainmap.update_lead(ws, "L0002", owner="别的格式")
    after = ws.store.cache_key()
    assert cache.load(LEADS_CACHE, after) is None
    assert cache.load(MOVES_CACHE, after) is not None
    assert _lead(ws, "L0002")["owner"] == "别的格式"
    _assert_patched(ws)


def test_files_of_another_layout_do_not_fail_the_write(ws):
    """Files of the lead files' kinds whose arrays are not what their kind holds (another
    version, a damaged file): the write, committed, returns as usual, and the next report
    reads everything."""
    key = ws.store.cache_key()
    moves = cache.load(MOVES_CACHE, key)
    cache.save(MOVES_CACHE, key, {k: v for k, v in moves.items() if k != "stages"})
    assert chainmap.move_lead(ws, "L0002", "lost", reason="文件坏了",
                              date="2026-07-01") == "lost"
    assert cache.load(MOVES_CACHE, ws.store.cache_key()) is None
    assert cache.load(LEADS_CACHE, ws.store.cache_key()) is not None  # it was right
    assert _lead(ws, "L0002")["stage"] == "lost"
    _reports(ws)  # the reports read the moves again
    _assert_patched(ws)
    key = ws.store.cache_key()
    read = cache.load(LEADS_CACHE, key)
    assert "5.text" in read  # the owners
    cache.save(LEADS_CACHE, key, {k: v for k, v in read.items() if k != "5.text"})
    assert chainmap.update_lead(ws, "L0002", owner="还是写了")
    assert cache.load(LEADS_CACHE, ws.store.cache_key()) is None
    assert _lead(ws, "L0002")["owner"] == "还是写了"
    _assert_patched(ws)


def test_no_cache_folder_and_memory(db, monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")
    with chainmap.open(db) as ws:
        chainmap.list_leads(ws)
        chainmap.move_lead(ws, "L0002", "lost", reason="关了", date="2026-07-01")
        assert _lead(ws, "L0002")["stage"] == "lost"
    assert not (tmp_path / "cache").exists()
    with chainmap.open(":memory:") as mem:
        chainmap.import_dataset(mem, chainmap.sample_path())
        chainmap.list_leads(mem)
        chainmap.move_lead(mem, "L0001", "lost", reason="关了", date="2026-07-01")
        assert _lead(mem, "L0001")["stage"] == "lost"


def test_below_and_across_a_thousand_leads(tmp_path, monkeypatch):
    """999 leads: no lead file, nothing patched; the add of the 1,000th makes none
    either, the next report does, and it equals a full read."""
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "small.db"
    with chainmap.open(path) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
        _untidy_history(ws, PERSIST_MIN_ROWS - 1 - len(ws.table("leads")), seed=4)
        assert len(ws.table("leads")) == PERSIST_MIN_ROWS - 1
        chainmap.list_leads(ws)
        key = ws.store.cache_key()
        assert cache.load(LEADS_CACHE, key) is None
        assert cache.load(MOVES_CACHE, key) is not None  # more moves than leads
        chainmap.move_lead(ws, "L0002", "lost", reason="小", date="2026-07-01")
        key = ws.store.cache_key()
        assert cache.load(LEADS_CACHE, key) is None
        assert cache.load(MOVES_CACHE, key) is not None
        lid = chainmap.add_lead(ws, "xinchang-valve", force=True, date="2026-07-02")
        assert cache.load(LEADS_CACHE, ws.store.cache_key()) is None
        assert _lead(ws, lid)["stage"] == "lead"
        _assert_patched(ws)  # the report made the file of 1,000 leads
        chainmap.move_lead(ws, lid, "contacted", date="2026-07-03")
        _assert_patched(ws)
        _equal(_reports(ws), _fresh_reports(path, monkeypatch))


# -- writes of no lead --------------------------------------------------------------------


def test_touched_without_a_lead_after_a_move_patches_nothing(ws):
    """A write that says it changed no lead but recorded a move: its files are not
    carried (the moves say otherwise)."""
    with kept_lead_files(ws) as touched, ws.store.transaction():
        ws.store.move_lead("L0002", "lost", "x", "2026-06-01 10:00:00",
                           {"lead_id": "L0002", "from_stage": None, "to_stage": "lost",
                            "date": "2026-07-01", "at": "2026-06-01 10:00:00", "by": "t",
                            "note": None, "reason": "x"})
        touched()
    assert _files(ws) is None
    assert _lead(ws, "L0002")["stage"] == "lost"


def test_every_write_of_no_lead_leaves_leads_moves_and_firms_as_they_were(ws):
    """The writes that call ``touched()`` change no row of ``leads``, ``lead_events`` or
    ``companies`` (what the carried files are made of)."""
    def state() -> list:
        return [ws.store.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                for t in ("leads", "lead_events", "companies")]

    leads = ws.table("leads").set_index("id")
    signed = leads.index[leads["stage"] == "signed"][0]
    firm = leads.loc[signed, "company_id"]
    before = state()
    chainmap.assign_service(ws, firm, officer="王科长", contact="李经理", phone="123")
    chainmap.log_activity(ws, "L0001", "visit", "看了厂房", date="2026-07-01")
    fid = chainmap.add_followup(ws, "L0001", "2026-08-01", "寄合同")
    chainmap.complete_followup(ws, fid, note="寄出")
    chainmap.record_actual(ws, signed, "2026-07-31", invested=1.5, jobs=3)
    rid = chainmap.add_request(ws, firm, "缺电工", "labour", date="2026-07-02")
    chainmap.record_progress(ws, rid, "联系了人社局", date="2026-07-03")
    chainmap.close_request(ws, rid, "招到了", date="2026-07-04")
    chainmap.log_visit(ws, firm, "service", "上门服务", date="2026-07-05")
    chainmap.update_lead(ws, signed, land=10, jobs=5)  # commitments only
    after = state()
    assert len(after[0]) == len(before[0]) > 1000
    assert after == before
    _assert_patched(ws)


# -- a random mix ---------------------------------------------------------------------------


def test_a_random_mix_of_writes_by_two_workspaces_equals_a_full_read(ws, monkeypatch):
    """Moves (back, lost, out of date order), adds, updates of odd values, writes of no
    lead, now and then two writes in one transaction, by one workspace or another on
    the same file: after each, the files of the state are a full read's (patched, or made
    by the next reports where nothing could be patched), and so are the reports."""
    rng = np.random.default_rng(8)
    owners = [None, "", " 张三 ", "a\x1fb", "😀", "长" * 300, "王磊"]
    firms = sorted(ws.table("companies")["id"])
    products = [None, *sorted(ws.table("products")["id"])]
    patched = 0
    with chainmap.open(ws.store.path) as other:
        for step in range(40):
            w = (ws, other)[int(rng.integers(0, 2))]
            leads = w.table("leads").set_index("id")
            lead = str(leads.index[int(rng.integers(0, len(leads)))])
            day = f"2027-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"

            def move(w=w, lead=lead, day=day) -> None:
                stage = str(rng.choice([s for s in ("lead", "contacted", "signed", "lost")
                                        if s != w.store.lead(lead)["stage"]]))
                chainmap.move_lead(w, lead, stage, date=day,
                                   reason="走了" if stage == "lost" else None)

            writes = [
                move,
                lambda w=w, day=day: chainmap.add_lead(
                    w, firms[int(rng.integers(0, len(firms)))], force=True, date=day,
                    owner=owners[int(rng.integers(0, len(owners)))],
                    product=products[int(rng.integers(0, len(products)))]),
                lambda w=w, lead=lead: chainmap.update_lead(
                    w, lead, owner=owners[int(rng.integers(0, len(owners)))],
                    investment=(None, 3, 4.75)[int(rng.integers(0, 3))],
                    product=products[int(rng.integers(0, len(products)))]),
                lambda w=w, lead=lead, day=day: chainmap.log_activity(w, lead, "call", "电话",
                                                                      date=day),
            ]
            kind = int(rng.integers(0, len(writes)))
            if step % 9 == 4:
                with w.store.transaction():
                    writes[kind]()
                    move()
            else:
                writes[kind]()
            if _files(w) is None:
                _reports(w)
            else:
                patched += 1
            _assert_patched(w)
    assert patched > 25
    _equal(_reports(ws), _fresh_reports(ws.store.path, monkeypatch))
