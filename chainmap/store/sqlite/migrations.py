"""Versioned schema of the SQLite workspace.

``MIGRATIONS[n]`` brings a workspace from version ``n`` to ``n + 1``; the version is
kept in ``PRAGMA user_version``. Never edit a released migration: append a new one.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE chains (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT, attrs TEXT);
CREATE TABLE products (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,
    tier TEXT CHECK (tier IN ('upstream', 'midstream', 'downstream')), attrs TEXT);
CREATE TABLE product_chains (
    product_id TEXT NOT NULL REFERENCES products(id),
    chain_id TEXT NOT NULL REFERENCES chains(id),
    PRIMARY KEY (product_id, chain_id)) WITHOUT ROWID;
CREATE INDEX product_chains_chain ON product_chains(chain_id);
CREATE TABLE inputs (
    upstream TEXT NOT NULL REFERENCES products(id),
    downstream TEXT NOT NULL REFERENCES products(id),
    PRIMARY KEY (upstream, downstream)) WITHOUT ROWID;
CREATE INDEX inputs_downstream ON inputs(downstream);
CREATE TABLE companies (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, uscc TEXT,
    province TEXT NOT NULL, city TEXT, district TEXT,
    region_code TEXT NOT NULL, province_code TEXT NOT NULL, city_code TEXT,
    in_park INTEGER, employees INTEGER, revenue REAL, attrs TEXT);
CREATE INDEX companies_province ON companies(province_code);
CREATE INDEX companies_city ON companies(city_code);
CREATE INDEX companies_region ON companies(region_code);
CREATE INDEX companies_uscc ON companies(uscc);
CREATE TABLE capabilities (
    company_id TEXT NOT NULL REFERENCES companies(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    PRIMARY KEY (company_id, product_id)) WITHOUT ROWID;
CREATE INDEX capabilities_product ON capabilities(product_id);
CREATE TABLE supplies (
    supplier_id TEXT NOT NULL REFERENCES companies(id),
    customer_id TEXT NOT NULL REFERENCES companies(id),
    product_id TEXT REFERENCES products(id));
CREATE UNIQUE INDEX supplies_key ON supplies(supplier_id, customer_id, coalesce(product_id, ''));
CREATE INDEX supplies_customer ON supplies(customer_id);
INSERT INTO meta (key, value) VALUES ('revision', '0');
"""

_V2_LEADS = """
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    company_id TEXT NOT NULL REFERENCES companies(id),
    product_id TEXT REFERENCES products(id),
    stage TEXT NOT NULL CHECK (stage IN ('lead', 'contacted', 'visited', 'negotiating',
        'signed', 'started', 'producing', 'lost')),
    owner TEXT,
    investment REAL CHECK (investment IS NULL OR investment >= 0),
    source TEXT NOT NULL CHECK (source IN ('gap', 'referral', 'event', 'other')),
    note TEXT,
    lost_reason TEXT,
    contract_date TEXT,
    imported INTEGER NOT NULL DEFAULT 0,
    attrs TEXT,
    created TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated TEXT NOT NULL);
CREATE INDEX leads_company ON leads(company_id, product_id);
CREATE INDEX leads_product ON leads(product_id);
CREATE INDEX leads_stage ON leads(stage);
CREATE INDEX leads_owner ON leads(owner);
CREATE TABLE lead_events (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads(id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    date TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    note TEXT,
    reason TEXT);
CREATE INDEX lead_events_lead ON lead_events(lead_id, id);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads(id),
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'call', 'meeting', 'email', 'event')),
    date TEXT NOT NULL,
    note TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL);
CREATE INDEX activities_lead ON activities(lead_id, date);
CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads(id),
    due TEXT NOT NULL,
    note TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    done_at TEXT,
    done_by TEXT,
    done_note TEXT);
CREATE INDEX followups_lead ON followups(lead_id);
CREATE INDEX followups_open ON followups(due) WHERE done_at IS NULL;
CREATE TABLE merges (
    id INTEGER PRIMARY KEY,
    keep_id TEXT NOT NULL REFERENCES companies(id),
    drop_id TEXT NOT NULL,
    dropped TEXT NOT NULL,
    moved TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL);
CREATE INDEX merges_keep ON merges(keep_id);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    lead_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_lead ON audit(lead_id);
"""

#: Version 3: extra attributes sit in a column called ``extra`` (``attrs`` was shadowed
#: by pandas' ``DataFrame.attrs``).
_V3_EXTRA = """
ALTER TABLE chains RENAME COLUMN attrs TO extra;
ALTER TABLE products RENAME COLUMN attrs TO extra;
ALTER TABLE companies RENAME COLUMN attrs TO extra;
ALTER TABLE leads RENAME COLUMN attrs TO extra;
"""

#: Version 4 (dataset format v2): products know their words (``;``-joined keywords,
#: exclude phrases, GB/T 4754 industries); firms carry their registry fields and a status
#: (``active``/``closed``, the registry's own word in ``status_raw``); capabilities carry
#: a status (only ``confirmed`` links count), the evidence grade of a classified link,
#: where it came from and the firm field and clause that decided it.
_V4_INTAKE = """
ALTER TABLE products ADD COLUMN keywords TEXT;
ALTER TABLE products ADD COLUMN exclude TEXT;
ALTER TABLE products ADD COLUMN industries TEXT;
ALTER TABLE companies ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'closed'));
ALTER TABLE companies ADD COLUMN status_raw TEXT;
ALTER TABLE companies ADD COLUMN address TEXT;
ALTER TABLE companies ADD COLUMN main_products TEXT;
ALTER TABLE companies ADD COLUMN scope TEXT;
ALTER TABLE companies ADD COLUMN industry TEXT;
ALTER TABLE companies ADD COLUMN registered_capital REAL
    CHECK (registered_capital IS NULL OR registered_capital >= 0);
ALTER TABLE companies ADD COLUMN founded TEXT;
ALTER TABLE companies ADD COLUMN source TEXT;
ALTER TABLE companies ADD COLUMN as_of TEXT;
CREATE INDEX companies_closed ON companies(status) WHERE status <> 'active';
ALTER TABLE capabilities ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed'
    CHECK (status IN ('confirmed', 'suggested', 'rejected'));
ALTER TABLE capabilities ADD COLUMN evidence TEXT
    CHECK (evidence IS NULL OR evidence IN ('strong', 'medium', 'weak'));
ALTER TABLE capabilities ADD COLUMN source TEXT;
ALTER TABLE capabilities ADD COLUMN field TEXT;
ALTER TABLE capabilities ADD COLUMN text TEXT;
CREATE INDEX capabilities_unconfirmed ON capabilities(status) WHERE status <> 'confirmed';
"""

MIGRATIONS: list[str] = [_V1, _V2_LEADS, _V3_EXTRA, _V4_INTAKE]
