"""chainmap.crm as a library: schema upgrade, the leads table, stores without leads,
transactions, who made a change, the notebook views, and identity at scale."""

from __future__ import annotations

import sqlite3
import time

import pandas as pd
import pytest

import chainmap
from chainmap.crm.common import current_user, followup_id, lead_id, parse_stage
from chainmap.store import SQLiteStore
from chainmap.store.sqlite.migrations import MIGRATIONS


def test_a_version_1_workspace_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    old = SQLiteStore(path, migrations=MIGRATIONS[:1])
    assert old.schema_version() == 1
    old.close()
    ws = chainmap.open(path)
    assert ws.store.schema_version() == len(MIGRATIONS)
    tables = {r[0] for r in ws.store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"leads", "lead_events", "activities", "followups", "merges", "audit"} <= tables
    chainmap.import_dataset(ws, chainmap.sample_path())
    assert len(ws.table("leads")) == 12


def test_foreign_keys_hold(sample_ws):
    with pytest.raises(sqlite3.IntegrityError):
        sample_ws.store.conn.execute(
            "INSERT INTO activities (lead_id, kind, date, note, at, by) "
            "VALUES ('L9999', 'call', '2026-01-01', 'x', 'now', 'me')")


def test_leads_table_feeds_the_is_lead_hook(sample_ws):
    leads = sample_ws.table("leads")
    assert {"company_id", "stage"} <= set(leads.columns)
    found = chainmap.targets(sample_ws, "智能家电", "eev", home=chainmap.SAMPLE_HOME)
    assert found.set_index("company").loc["xinchang-valve", "is_lead"]
    chainmap.move_lead(sample_ws, "L0001", "lost", reason="gone")
    found = chainmap.targets(sample_ws, "智能家电", "eev", home=chainmap.SAMPLE_HOME)
    assert not found["is_lead"].any()


class _NoLeadsStore:
    """A store that keeps datasets but not the lead pipeline."""

    keeps_leads = False

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner
        self.location = inner.location

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def write_dataset(self, dataset, progress=None, then=None):
        assert then is None  # no leads to write
        return self.inner.write_dataset(dataset, progress=progress)


def test_a_store_without_leads(tmp_path):
    ws = chainmap.Workspace(_NoLeadsStore(SQLiteStore(tmp_path / "x.db")))
    result = chainmap.import_dataset(ws, chainmap.sample_path())
    assert result.warnings == ["ignored leads.csv: this workspace does not keep leads"]
    assert "leads" not in result.rows
    with pytest.raises(chainmap.ChainmapError, match="^no table 'leads': .* does not keep"):
        ws.table("leads")
    with pytest.raises(chainmap.ChainmapError, match="^the lead pipeline needs the embedded"):
        chainmap.add_lead(ws, "gree")
    assert not chainmap.targets(ws, "智能家电", "eev", home=chainmap.SAMPLE_HOME)["is_lead"].any()


def test_dataset_and_leads_share_one_transaction(tmp_path, monkeypatch):
    from chainmap.crm import leads_io

    def broken(self, store):
        store.lead("L0001")
        raise RuntimeError("disk full")

    monkeypatch.setattr(leads_io.PendingLeads, "write", broken)
    ws = chainmap.open(tmp_path / "t.db")
    with pytest.raises(RuntimeError):
        chainmap.import_dataset(ws, chainmap.sample_path())
    assert ws.counts()["companies"] == 0 and len(ws.table("audit")) == 0


def test_from_gaps_is_one_transaction(sample_ws, monkeypatch):
    from chainmap.crm import leads as leads_module

    calls = []
    real = leads_module.insert_lead

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(leads_module, "insert_lead", flaky)
    with pytest.raises(RuntimeError):
        chainmap.leads_from_gaps(sample_ws, "智能家电", home="当涂县")
    assert len(sample_ws.table("leads")) == 12


def test_who(monkeypatch):
    monkeypatch.setenv("CHAINMAP_USER", "env-user")
    assert current_user("given") == "given" and current_user(None) == "env-user"
    monkeypatch.delenv("CHAINMAP_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "os-user")
    assert current_user("  ") == "os-user"


def test_parsers():
    chinese = ("线索", "接洽", "考察", "洽谈", "签约", "开工", "投产", "终止")
    assert [parse_stage(s) for s in chinese] == list(chainmap.STAGES)
    assert lead_id(12345) == "L12345" and followup_id("f0012") == 12
    with pytest.raises(chainmap.ChainmapError, match="'L0' is not a lead id"):
        lead_id("L0")


def test_library_refusals(sample_ws):
    with pytest.raises(chainmap.ChainmapError, match="^investment must be a number ≥ 0"):
        chainmap.add_lead(sample_ws, "gree", investment=-1)
    with pytest.raises(chainmap.ChainmapError, match="^unknown source 'tv'"):
        chainmap.add_lead(sample_ws, "gree", source="tv")
    with pytest.raises(chainmap.ChainmapError, match="^--top must be at least 1"):
        chainmap.leads_from_gaps(sample_ws, "智能家电", home="当涂县", top=0)
    with pytest.raises(chainmap.ChainmapError, match="^--days must be 0 or more"):
        chainmap.stale_leads(sample_ws, days=-1)
    with pytest.raises(chainmap.ChainmapError, match="^--min-score must be between 0 and 100"):
        chainmap.duplicate_firms(sample_ws, min_score=120)


def test_notebook_views(sample_ws):
    report = chainmap.pipeline(sample_ws, today="2026-06-01")
    assert isinstance(report, chainmap.Pipeline)
    assert all(isinstance(f, pd.DataFrame) for f in report.sheets().values())
    html = report._repr_html_()
    assert "<h4>stages</h4>" in html and "<table" in html
    assert str(report).startswith("[stages]")
    card = chainmap.lead_details(sample_ws, "L8")
    assert "上海恒粘新材料股份有限公司" in card._repr_html_()
    assert card.lead["lost_reason"].startswith("lost: chose to expand")
    assert "[history]" in str(card)


def test_dupes_scale_by_blocking():
    chars = "华冷恒凯越电子科技新材料机械制造精密化工环保能源智能汽车零部件光电信息生物医药物流仓储"
    import random

    rng = random.Random(7)
    names = ["苏州" + "".join(rng.choice(chars) for _ in range(rng.randint(4, 7))) + "有限公司"
             for _ in range(30_000)]
    names[10] = "苏州恒冷换热器有限公司"
    names[20] = "苏州恒冷换热器股份有限公司"
    companies = pd.DataFrame({"id": [f"c{i}" for i in range(len(names))], "name": names,
                              "uscc": None, "province": "江苏省"})

    class Fake:
        def table(self, name):
            return companies if name == "companies" else pd.DataFrame({"company_id": []})

    start = time.perf_counter()
    out = chainmap.duplicate_firms(Fake())
    assert time.perf_counter() - start < 20
    assert ("c10", "c20") in set(zip(out["keep"], out["drop"]))


def test_investment_must_be_finite(sample_ws):
    for value in (float("inf"), float("-inf"), float("nan"), "inf"):
        with pytest.raises(chainmap.ChainmapError,
                           match=r"^investment must be a finite number of 亿元, not '"):
            chainmap.add_lead(sample_ws, "gree", investment=value)
        with pytest.raises(chainmap.ChainmapError, match="finite number"):
            chainmap.update_lead(sample_ws, "L0001", investment=value)
    assert len(sample_ws.table("leads")) == 12
    assert chainmap.lead_details(sample_ws, "L1").lead["investment"] == 12.0


def test_ids_have_at_most_nine_digits():
    assert lead_id("L999999999") == "L999999999" and followup_id("F000000000042") == 42
    for text in ("L1234567890", "99999999999999999999999"):
        with pytest.raises(chainmap.NotFoundError, match=f"^unknown lead '{text}'$"):
            lead_id(text)
    with pytest.raises(chainmap.NotFoundError, match="^unknown follow-up 'F99999999999'$"):
        followup_id("F99999999999")


def test_import_dates_as_excel_writes_them():
    from chainmap.crm.common import parse_loose_date

    assert [parse_loose_date(v) for v in ("2026-03-18", "2026/3/18", "2026-3-8",
                                          "2026年3月18日", " 2026 年 3 月 8 日 ")] == [
        "2026-03-18", "2026-03-18", "2026-03-08", "2026-03-18", "2026-03-08"]
    for bad in ("2026-02-30", "2026/13/1", "18/03/2026", "2026.3.18", "2026-3/18", "2026年3月",
                "20260318"):
        with pytest.raises(ValueError):
            parse_loose_date(bad)


def test_lead_import_names_resolve_like_the_workspace(sample_ws):
    """The import's vectorised lookup (leads_io._Names) agrees with Workspace.company_id
    and Workspace.product_id on every firm and product of the sample."""
    from chainmap.crm.leads_io import _Names

    companies = sample_ws.table("companies")
    firms = _Names(companies, ("id", "uscc", "name"), fold=False)
    for ident, uscc, name in zip(companies["id"], companies["uscc"].fillna(""),
                                 companies["name"]):
        for text in filter(None, (ident, uscc, uscc.lower(), name, f" {name} ")):
            assert firms.resolve(text) == (sample_ws.company_id(text), None)
    assert firms.resolve("Gree") == (None, "unknown")  # ids are not case-folded
    products = sample_ws.table("products")
    names = _Names(products, ("id", "name", "name_en"), fold=True)
    for row in products.itertuples():
        for text in filter(None, (row.id, row.name, row.name_en, row.name_en.upper())):
            assert names.resolve(text) == (sample_ws.product_id(text), None)
    # one record held twice (the workspace's and a dataset's newer row) is not ambiguous
    twice = pd.concat([products, products.assign(name=products["name"] + "（新）")])
    assert _Names(twice, ("id", "name", "name_en"), fold=True).resolve("compressor") == (
        "compressor", None)
