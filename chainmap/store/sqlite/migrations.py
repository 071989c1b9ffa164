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
#: The checks are written with ``=`` and ``OR``, not ``IN (...)``: SQLite evaluates an
#: ``IN`` list per inserted row at about twice the cost of the whole insert (a 1M-link
#: import would be seconds slower).
_V4_INTAKE = """
ALTER TABLE products ADD COLUMN keywords TEXT;
ALTER TABLE products ADD COLUMN exclude TEXT;
ALTER TABLE products ADD COLUMN industries TEXT;
ALTER TABLE companies ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status = 'active' OR status = 'closed');
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
    CHECK (status = 'confirmed' OR status = 'suggested' OR status = 'rejected');
ALTER TABLE capabilities ADD COLUMN evidence TEXT
    CHECK (evidence IS NULL OR evidence = 'strong' OR evidence = 'medium'
           OR evidence = 'weak');
ALTER TABLE capabilities ADD COLUMN source TEXT;
ALTER TABLE capabilities ADD COLUMN field TEXT;
ALTER TABLE capabilities ADD COLUMN text TEXT;
CREATE INDEX capabilities_unconfirmed ON capabilities(status) WHERE status <> 'confirmed';
"""

#: Version 5 (issue 12, after signing): the 1+1+1 liaison of a firm (``liaisons``, id =
#: the firm's id: its contact and phone, service officer and responsible leader); the
#: firms' requests (诉求, ``R0001`` ...) with their progress notes and closing
#: (``request_events``); 四送一服 visits; a signed project's commitments (``commitments``,
#: id = the lead's id: land 亩, annual output 亿元, tax 万元, jobs, start and production
#: deadlines) and what it delivered, dated (``actuals``); the time limit of each stage
#: that supervision (红黄绿灯) measures against (``stage_limits``, id = the stage).
_V5_SERVICE = """
CREATE TABLE liaisons (
    id TEXT PRIMARY KEY REFERENCES companies(id),
    contact TEXT,
    phone TEXT,
    officer TEXT,
    leader TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL);
CREATE INDEX liaisons_officer ON liaisons(officer);
CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    company_id TEXT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind = 'labour' OR kind = 'land' OR kind = 'funding'
        OR kind = 'technology' OR kind = 'policy' OR kind = 'approval' OR kind = 'other'),
    text TEXT NOT NULL,
    officer TEXT,
    date TEXT NOT NULL,
    due TEXT CHECK (due IS NULL OR due >= date),
    closed_date TEXT CHECK (closed_date IS NULL OR closed_date >= date),
    close_note TEXT CHECK (closed_date IS NULL OR close_note IS NOT NULL),
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    updated TEXT NOT NULL);
CREATE INDEX requests_company ON requests(company_id);
CREATE INDEX requests_officer ON requests(officer);
CREATE INDEX requests_open ON requests(due) WHERE closed_date IS NULL;
CREATE TABLE request_events (
    id INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    action TEXT NOT NULL CHECK (action = 'progress' OR action = 'close'),
    date TEXT NOT NULL,
    note TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL);
CREATE INDEX request_events_request ON request_events(request_id, id);
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind = 'send_policy' OR kind = 'send_factors'
        OR kind = 'send_projects' OR kind = 'service'),
    date TEXT NOT NULL,
    officer TEXT,
    note TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL);
CREATE INDEX visits_company ON visits(company_id, date);
CREATE TABLE commitments (
    id TEXT PRIMARY KEY REFERENCES leads(id),
    land REAL CHECK (land IS NULL OR land >= 0),
    output REAL CHECK (output IS NULL OR output >= 0),
    tax REAL CHECK (tax IS NULL OR tax >= 0),
    jobs INTEGER CHECK (jobs IS NULL OR jobs >= 0),
    start_by TEXT,
    produce_by TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL);
CREATE TABLE actuals (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads(id),
    date TEXT NOT NULL,
    invested REAL CHECK (invested IS NULL OR invested >= 0),
    output REAL CHECK (output IS NULL OR output >= 0),
    tax REAL CHECK (tax IS NULL OR tax >= 0),
    jobs INTEGER CHECK (jobs IS NULL OR jobs >= 0),
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    UNIQUE (lead_id, date));
CREATE TABLE stage_limits (
    id TEXT PRIMARY KEY CHECK (id = 'lead' OR id = 'contacted' OR id = 'visited'
        OR id = 'negotiating' OR id = 'signed' OR id = 'started'),
    days INTEGER NOT NULL CHECK (days >= 1),
    at TEXT NOT NULL,
    by TEXT NOT NULL);
"""

MIGRATIONS: list[str] = [_V1, _V2_LEADS, _V3_EXTRA, _V4_INTAKE, _V5_SERVICE]
