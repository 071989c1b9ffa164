"""The lead-pipeline reports read only what they need (issue 13).

``pipeline``, ``list_leads``, ``signed_projects`` and ``supervise`` name the lead firms
by id and read only some columns of the leads and their history: on a fresh workspace
they never read the whole firm table, and give the same frames as when every table is
already read (the frames they were computed from before).
"""

from __future__ import annotations

import pandas as pd
import pytest

import chainmap
from chainmap.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    db = tmp_path_factory.mktemp("pipe") / "w.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
    return db


def _reports(ws):
    return {"pipeline": chainmap.pipeline(ws, today="2026-06-01").sheets(),
            "leads": chainmap.list_leads(ws),
            "filtered": chainmap.list_leads(ws, stage="open", region="苏浙沪"),
            "projects": chainmap.signed_projects(ws, today="2026-06-01"),
            "supervise": chainmap.supervise(ws, as_of="2026-06-01")}


def _equal(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _equal(a[key], b[key])
    else:
        pd.testing.assert_frame_equal(a, b)


def test_the_pipeline_reports_read_no_whole_firm_table(sample_file, monkeypatch):
    with chainmap.open(sample_file) as ws:
        for name in ("companies", "leads", "lead_events", "requests", "liaisons"):
            ws._table(name)  # every table read first: the frames' path
        expected = _reports(ws)
    assert len(expected["supervise"]) and len(expected["filtered"])
    read = []
    whole = SQLiteStore.table

    def table(self, name):
        read.append(name)
        if name in ("companies", "lead_events"):
            raise AssertionError(f"the report read the whole table {name}")
        return whole(self, name)

    monkeypatch.setattr(SQLiteStore, "table", table)
    with chainmap.open(sample_file) as ws:
        _equal(_reports(ws), expected)
    assert "products" in read  # the small tables are still read whole
