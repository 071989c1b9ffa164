"""The pipeline reports' sums of the lead history equal a plain pandas computation (issue 13).

``chainmap.crm.history`` computes each lead's latest move, its latest moves to some
stages, how far the leads got and the stays in each stage from three columns of the
moves (read by the SQLite store without the others), and the SQLite store gives the
leads with their firms in one query. Here, on a workspace of a few thousand leads with
untidy histories (moves back, lost on the way, moves recorded out of date order, moves
after the day asked about, the same stage twice), every report equals:

- the oracle below: the straightforward pandas code the reports ran before (whole
  tables, ``groupby`` on the moves), and
- the same report computed from the tables (the path of a store that does not read
  columns, as the Neo4j store).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap.crm.common import PIPELINE_STAGES
from chainmap.crm.leads import LEAD_COLUMNS
from chainmap.labels import STAGES
from tests.test_fast_pipeline import _equal  # reports equal, frame by frame

N_LEADS = 3000


def _untidy_history(ws, n: int, seed: int = 7) -> None:
    """Add ``n`` leads with untidy histories to ``ws`` (one bulk write, ids kept)."""
    rng = np.random.default_rng(seed)
    firms = ws.table("companies")["id"].tolist()
    products = [*ws.table("products")["id"].tolist(), None]
    tables = {name: ws.table(name) for name in chainmap.store.base.CRM_COLUMNS}
    first = int(tables["leads"]["seq"].max()) + 1
    next_event = int(tables["lead_events"]["id"].max()) + 1
    leads, events = [], []
    for k in range(n):
        seq = first + k
        lid = f"L{seq:04d}"
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 800)))
        stage, path = "lead", ["lead"]
        for _ in range(int(rng.integers(0, 7))):
            stage = STAGES[int(rng.integers(0, len(STAGES)))]  # any move, back ones too
            path.append(stage)
        before = None
        for s in path:
            events.append({"id": next_event, "lead_id": lid, "from_stage": before, "to_stage": s,
                           "date": day.date().isoformat(), "at": "2026-06-01 09:00:00",
                           "by": "test", "note": None, "reason": "gone" if s == "lost" else None})
            next_event += 1
            before = s
            # mostly later, sometimes the same day or earlier (recorded out of order)
            day += pd.Timedelta(days=int(rng.integers(-20, 150)))
        leads.append({"id": lid, "seq": seq, "company_id": firms[int(rng.integers(0, len(firms)))],
                      "product_id": products[int(rng.integers(0, len(products)))],
                      "stage": path[-1],
                      "owner": None if rng.random() < 0.1 else f"招商{int(rng.integers(0, 9))}",
                      "investment": None if rng.random() < 0.1
                      else float(rng.integers(1, 500)) / 10,
                      "source": "gap", "note": None,
                      "lost_reason": "gone" if path[-1] == "lost" else None,
                      "contract_date": "2025-03-01" if rng.random() < 0.05 else None,
                      "imported": 1, "extra": None, "created": events[-len(path)]["date"],
                      "created_by": "test", "updated": "2026-06-01 09:00:00"})
    tables["leads"] = pd.concat([tables["leads"], pd.DataFrame(leads)], ignore_index=True)
    tables["lead_events"] = pd.concat([tables["lead_events"], pd.DataFrame(events)],
                                      ignore_index=True)
    ws.store.write_pipeline(tables)


def untidy_workspace(db: Path, n: int, seed: int = 7) -> Path:
    """The workspace file ``db``: the sample and ``n`` more leads with untidy histories."""
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
        _untidy_history(ws, n, seed)
    return db


@pytest.fixture(scope="module")
def untidy(tmp_path_factory):
    return untidy_workspace(tmp_path_factory.mktemp("untidy") / "w.db", N_LEADS)


# -- the oracle: the reports' pandas code before issue 13 part 5 -------------------------
def _events(ws) -> pd.DataFrame:
    events = ws.table("lead_events").sort_values("id")
    return events[["lead_id", "to_stage", "date"]].reset_index(drop=True)


def oracle_leads(ws) -> pd.DataFrame:
    since = _events(ws).groupby("lead_id")["date"].last()
    columns = ["id", "seq", "company_id", "product_id", "stage", "owner", "investment",
               "source", "created", "contract_date"]
    frame = ws.table("leads").sort_values("seq")[columns].rename(
        columns={"company_id": "company", "product_id": "product"}).reset_index(drop=True)
    frame["since"] = frame["id"].map(since).astype(object)
    frame = frame.astype(object).where(frame.notna(), None).astype(
        {"seq": int, "investment": float})
    firms = ws.table("companies").set_index("id")
    products = ws.table("products").set_index("id")
    frame["company_name"] = frame["company"].map(firms["name"])
    frame["province"] = frame["company"].map(firms["province"])
    frame["product_name"] = frame["product"].map(products["name"])
    return frame[LEAD_COLUMNS]


def oracle_conversion(ws) -> pd.DataFrame:
    events = _events(ws)
    order = {s: i for i, s in enumerate(PIPELINE_STAGES)}
    reached = events.assign(k=events["to_stage"].map(order)).dropna(subset=["k"]) \
        .groupby("lead_id")["k"].max()
    rows = []
    for k in range(len(PIPELINE_STAGES) - 1):
        n_from, n_to = int((reached >= k).sum()), int((reached >= k + 1).sum())
        rows.append({"from_stage": PIPELINE_STAGES[k], "to_stage": PIPELINE_STAGES[k + 1],
                     "reached_from": n_from, "reached_to": n_to,
                     "rate": round(n_to / n_from, 3) if n_from else np.nan})
    return pd.DataFrame(rows)


def oracle_stage_days(ws) -> pd.DataFrame:
    e = _events(ws)
    e["date"] = pd.to_datetime(e["date"])
    e["next"] = e.groupby("lead_id")["date"].shift(-1)
    stays = e.dropna(subset=["next"])
    stays = stays.assign(days=(stays["next"] - stays["date"]).dt.days.clip(lower=0))
    grouped = stays.groupby("to_stage")["days"]
    out = pd.DataFrame({"stage": list(PIPELINE_STAGES)})
    out["stays"] = out["stage"].map(grouped.size()).fillna(0).astype(int)
    out["median_days"] = out["stage"].map(grouped.median()).astype(float)
    return out


def oracle_milestones(ws) -> dict[str, dict]:
    events = _events(ws)
    return {stage: events[events["to_stage"] == stage].groupby("lead_id")["date"].last()
            .to_dict() for stage in ("signed", "started", "producing")}


def oracle_stages_at(ws, day: str) -> dict:
    events = _events(ws)
    last = events[events["date"].astype(str) <= day].groupby("lead_id").last()
    return {i: (s, d) for i, s, d in zip(last.index, last["to_stage"], last["date"],
                                         strict=True)}


# -- the tests ------------------------------------------------------------------------
def test_the_leads_and_their_since_equal_the_oracle(untidy):
    with chainmap.open(untidy) as ws:
        leads = chainmap.list_leads(ws)
        expected = oracle_leads(ws)
    assert len(leads) == N_LEADS + 12
    assert leads["since"].notna().all() and leads["company_name"].notna().all()
    pd.testing.assert_frame_equal(leads, expected)


def test_conversion_and_stage_days_equal_the_oracle(untidy):
    with chainmap.open(untidy) as ws:
        report = chainmap.pipeline(ws, today="2026-06-01")
        conversion, stage_days = oracle_conversion(ws), oracle_stage_days(ws)
    assert report.conversion["reached_from"].iloc[0] >= N_LEADS
    assert (report.stage_days["stays"] > 100).all()
    pd.testing.assert_frame_equal(report.conversion, conversion)
    pd.testing.assert_frame_equal(report.stage_days, stage_days)


def test_signed_projects_dates_equal_the_oracle(untidy):
    with chainmap.open(untidy) as ws:
        projects = chainmap.signed_projects(ws, today="2026-06-01")
        dates = oracle_milestones(ws)
        contract = ws.table("leads").set_index("id")["contract_date"]
    assert len(projects) > 100
    for row in projects.itertuples():
        given = contract[row.id]
        assert row.contract_date == (given if isinstance(given, str) and given
                                     else dates["signed"].get(row.id))
        assert row.start_date == dates["started"].get(row.id)
        assert row.production_date == dates["producing"].get(row.id)


@pytest.mark.parametrize("day", ["2024-06-30", "2025-06-01", "2030-01-01"])
def test_the_stage_on_a_day_equals_the_oracle(untidy, day):
    from chainmap.crm.history import stages_at

    with chainmap.open(untidy) as ws:
        found = stages_at(ws, day)
        expected = oracle_stages_at(ws, day)
    assert 0 < len(found) <= N_LEADS + 12
    assert {i: (s, d) for i, s, d in zip(found.index, found["stage"], found["since"],
                                         strict=True)} == expected


def _reports(ws) -> dict:
    return {"pipeline": chainmap.pipeline(ws, today="2026-06-01").sheets(),
            "leads": chainmap.list_leads(ws),
            "filtered": chainmap.list_leads(ws, stage="open", region="苏浙沪", chain="智能家电"),
            "projects": chainmap.signed_projects(ws, today="2026-06-01"),
            "supervise": chainmap.supervise(ws, as_of="2026-06-01"),
            "supervise_early": chainmap.supervise(ws, as_of="2024-09-01"),
            "delivery": chainmap.project_delivery(ws, as_of="2026-06-01")}


def test_the_column_reads_give_what_the_tables_give(untidy, monkeypatch):
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")  # each read from the store
    with chainmap.open(untidy) as ws:
        fast = _reports(ws)
    with chainmap.open(untidy) as ws:
        ws.store.reads_columns = False  # as a store that reads whole tables
        slow = _reports(ws)
    assert len(fast["supervise"]) > 100 and len(fast["supervise_early"])
    _equal(fast, slow)


def test_every_stay_length_equals_the_oracle(untidy):
    from chainmap.crm.history import stage_stays

    with chainmap.open(untidy) as ws:
        found = sorted(stage_stays(ws))
        e = _events(ws)
    e["date"] = pd.to_datetime(e["date"])
    e["next"] = e.groupby("lead_id")["date"].shift(-1)
    stays = e.dropna(subset=["next"])
    days = (stays["next"] - stays["date"]).dt.days.clip(lower=0)
    expected = sorted((s, int(d), int(n)) for (s, d), n in
                      stays.assign(days=days).groupby(["to_stage", "days"]).size().items())
    assert any(d == 0 for _, d, _ in found)  # moves recorded out of date order: 0 days
    assert found == expected


def test_a_new_process_reads_the_leads_and_moves_from_the_cache_file(untidy, tmp_path,
                                                                     monkeypatch):
    import shutil

    from chainmap.store.sqlite import SQLiteStore

    untidy = shutil.copyfile(untidy, tmp_path / "copy.db")  # changed below
    folder = tmp_path / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(folder))
    with chainmap.open(untidy) as ws:
        built = _reports(ws)
    assert sorted(p.name.split("-")[1] for p in folder.iterdir()) == ["moves", "read"]

    def refuse(self, *args):
        raise AssertionError("read from the store, not from the cache file")

    monkeypatch.setattr(SQLiteStore, "lead_rows", refuse)
    monkeypatch.setattr(SQLiteStore, "move_columns", refuse)
    with chainmap.open(untidy) as ws:
        _equal(_reports(ws), built)
    with chainmap.open(untidy) as ws:  # a lead moved: its write patched the files
        chainmap.move_lead(ws, "L0013", "lost", reason="gone elsewhere", date="2026-08-01")
        assert chainmap.list_leads(ws).set_index("id").loc["L0013", "stage"] == "lost"
    with chainmap.open(untidy) as ws:  # another change: the files are stale, read again
        chainmap.set_overdue_days(ws, 90)
        with pytest.raises(AssertionError, match="not from the cache file"):
            chainmap.list_leads(ws)


def test_the_lead_firms_file_outlives_lead_writes(tmp_path, monkeypatch):
    """The lead firms' names are kept under the firm key: a lead moved or added (for a
    firm the file does not hold) reads no lead firm again, and the leads equal the oracle."""
    from chainmap.crm import leads as leads_module
    from chainmap.store.sqlite import SQLiteStore

    folder = tmp_path / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(folder))
    monkeypatch.setattr(leads_module, "PERSIST_MIN_ROWS", 1)  # the sample's 12 leads
    db = tmp_path / "w.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
        chainmap.list_leads(ws)
        key = ws.store.firms_key()
        held = set(ws.table("leads")["company_id"])
        spare = sorted(set(ws.table("companies")["id"]) - held)[0]  # a firm without a lead
    assert sorted(p.name.split("-")[1] for p in folder.iterdir()) == ["firms", "read"]

    def refuse(self, *args):
        raise AssertionError("lead firms read again")

    with chainmap.open(db) as ws:
        chainmap.move_lead(ws, "L0001", "signed", date="2026-06-01")
        lid = chainmap.add_lead(ws, spare, date="2026-06-02")
        assert ws.store.firms_key() == key  # lead writes leave the firm key as it is
    monkeypatch.setattr(SQLiteStore, "lead_firms", refuse)
    with chainmap.open(db) as ws:
        leads = chainmap.list_leads(ws)
        expected = oracle_leads(ws)
    assert leads.loc[leads["id"] == lid, "company"].tolist() == [spare]
    assert leads["company_name"].notna().all()
    assert leads.loc[leads["id"] == "L0001", "stage"].tolist() == ["signed"]
    pd.testing.assert_frame_equal(leads, expected)


def test_empty_texts_nulls_and_the_separator_read_as_the_tables_give(untidy, tmp_path,
                                                                     monkeypatch):
    """An empty owner stays empty (not NULL), a NULL one ``None``; an owner holding the
    joined texts' separator sends the read through the driver's rows, equally."""
    import shutil

    monkeypatch.setenv("CHAINMAP_CACHE_DIR", "off")
    db = shutil.copyfile(untidy, tmp_path / "copy.db")

    def both():
        with chainmap.open(db) as ws:
            fast = chainmap.list_leads(ws)
        with chainmap.open(db) as ws:
            ws.store.reads_columns = False
            slow = chainmap.list_leads(ws)
        pd.testing.assert_frame_equal(fast, slow)
        return fast.set_index("id")["owner"]

    with chainmap.open(db) as ws:
        ws.store.conn.execute("UPDATE leads SET owner = '' WHERE id = 'L0013'")
        ws.store.conn.execute("UPDATE leads SET owner = NULL WHERE id = 'L0014'")
    owners = both()
    assert owners["L0013"] == "" and owners["L0014"] is None
    with chainmap.open(db) as ws:
        ws.store.conn.execute("UPDATE leads SET owner = 'a\x1fb' WHERE id = 'L0015'")
    owners = both()
    assert owners["L0015"] == "a\x1fb" and owners["L0013"] == "" and owners["L0014"] is None


@pytest.mark.parametrize("day", [None, "2025-06-01", "2024-03-15"])
def test_the_moves_until_a_day_equal_the_table(untidy, day):
    """``moves_until`` (from the moves' codes) is the table's rows by id, dated by ``day``."""
    from chainmap.crm.history import moves_until

    with chainmap.open(untidy) as ws:
        found = moves_until(ws, day)
        events = _events(ws)
    if day is not None:
        events = events[events["date"].astype(str) <= day]
    expected = events[["lead_id", "to_stage", "date"]].reset_index(drop=True)
    assert len(found) > 400
    pd.testing.assert_frame_equal(found.astype(object), expected.astype(object))


@pytest.mark.parametrize("day", ["2026-06-01", "2025-01-31"])
def test_milestones_equal_the_oracle(untidy, day):
    """Each lead's latest moves to signed, started, producing by ``day``: as the plain
    group-by over the table gives them."""
    from chainmap.crm.history import milestones_at

    with chainmap.open(untidy) as ws:
        found = milestones_at(ws, day)
        events = _events(ws)
    moves = events[(events["date"].astype(str) <= day)
                   & events["to_stage"].isin(("signed", "started", "producing"))]
    last = moves.groupby(["lead_id", "to_stage"])["date"].last().unstack() \
        .reindex(columns=["signed", "started", "producing"])
    expected = last.astype(object).where(last.notna(), None)
    assert found.notna().sum().min() > 10
    pd.testing.assert_frame_equal(found, expected)


@pytest.mark.parametrize("days", [0, 90])
def test_stale_leads_equal_the_oracle(untidy, days):
    """The last touch of each open lead (its latest move or activity) as the plain
    group-by over both tables gives it."""
    from chainmap.crm.activities import _latest_date

    with chainmap.open(untidy) as ws:
        chainmap.log_activity(ws, "L0101", "visit", "看厂房", date="2026-05-30")
        found = chainmap.stale_leads(ws, days=days, today="2026-06-01")
        touched = pd.concat([ws.table(t)[["lead_id", "date"]]
                             for t in ("lead_events", "activities")])
        leads = chainmap.list_leads(ws)
    touches = touched.groupby("lead_id")["date"].max()
    pd.testing.assert_series_equal(_latest_date(touched.reset_index(drop=True)), touches,
                                   check_names=False)
    open_leads = leads[~leads["stage"].isin(("lost", "producing"))]
    idle = (pd.Timestamp("2026-06-01")
            - pd.to_datetime(open_leads["id"].map(touches))).dt.days
    assert sorted(found["id"]) == sorted(open_leads.loc[idle > days, "id"])
    assert found["last_touch"].tolist() == found["id"].map(touches).tolist()
    assert "L0101" not in set(found["id"]) or days == 0


def test_the_latest_date_of_leads_with_missing_or_mixed_dates():
    from chainmap.crm.activities import _latest_date

    frame = pd.DataFrame({"lead_id": ["L2", "L1", "L2", "L3", "L1"],
                          "date": ["2026-01-02", None, "2026-03-01", None, "2025-12-31"]})
    found = _latest_date(frame)
    assert found.index.tolist() == ["L1", "L2", "L3"]
    assert found["L1"] == "2025-12-31" and found["L2"] == "2026-03-01"
    assert found.isna().tolist() == [False, False, True]
    mixed = pd.DataFrame({"lead_id": ["L1", "L1"], "date": ["2026-01-02", 5]})
    with pytest.raises(TypeError):  # as pandas' own maximum: texts and numbers do not sort
        _latest_date(mixed)
    empty = _latest_date(pd.DataFrame({"lead_id": pd.Series([], dtype=object),
                                       "date": pd.Series([], dtype=object)}))
    assert len(empty) == 0
