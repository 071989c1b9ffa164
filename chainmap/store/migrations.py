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

MIGRATIONS: list[str] = [_V1]
