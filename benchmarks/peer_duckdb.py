"""The DuckDB peer of ``chainmap gaps``: the same counts from a DuckDB database file.

``python peer_duckdb.py build DATASET DB`` makes the database once from the CSVs;
``python peer_duckdb.py gaps DB CHAIN`` prints, per product of CHAIN, the local
producers, the local demand, the number of candidates and the top three (ranked as the
gap report ranks them: supplies a local firm, revenue, id). Home 当涂县, targets 苏浙沪,
matched on the region names of the synthetic data. A benchmark-only dependency.
"""

from __future__ import annotations

import sys

HOME = ("安徽省", "马鞍山市", "当涂县")
TARGETS = ("上海市", "江苏省", "浙江省")

GAPS = """
WITH cp AS (SELECT id AS product FROM products
            WHERE list_contains(string_split(chains, ';'), $chain)),
home AS (SELECT id FROM companies WHERE province = $p AND city = $c AND district = $d),
lc AS (SELECT c.company, c.product FROM capabilities c JOIN home h ON c.company = h.id),
producers AS (SELECT product, count(DISTINCT company) AS n FROM lc
              WHERE product IN (SELECT product FROM cp) GROUP BY product),
demand AS (SELECT i.upstream AS product, count(DISTINCT lc.company) AS n
           FROM inputs i JOIN lc ON lc.product = i.downstream
           WHERE i.upstream IN (SELECT product FROM cp) GROUP BY i.upstream),
suppliers AS (SELECT DISTINCT s.supplier AS id FROM supplies s JOIN home h ON s.customer = h.id),
cand AS (SELECT c.product, c.company, f.revenue,
                c.company IN (SELECT id FROM suppliers) AS sl
         FROM capabilities c JOIN companies f ON f.id = c.company
         WHERE c.product IN (SELECT product FROM cp) AND f.province IN $targets
           AND NOT (f.province = $p AND f.city = $c AND f.district = $d)),
ranked AS (SELECT product, count(*) AS n,
                  list(company ORDER BY sl DESC, revenue DESC NULLS LAST, company) AS ids
           FROM cand GROUP BY product)
SELECT cp.product, coalesce(p.n, 0), coalesce(d.n, 0), coalesce(r.n, 0), r.ids[1:3]
FROM cp LEFT JOIN producers p USING (product) LEFT JOIN demand d USING (product)
LEFT JOIN ranked r USING (product) ORDER BY cp.product
"""


def build(dataset: str, db: str) -> None:
    import duckdb

    con = duckdb.connect(db)
    for table in ("products", "inputs", "companies", "capabilities", "supplies"):
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM "
                    f"read_csv('{dataset}/{table}.csv', header = true, all_varchar = true)")
    con.execute("ALTER TABLE companies ALTER revenue TYPE DOUBLE USING TRY_CAST(revenue AS DOUBLE)")
    con.close()


def gaps(db: str, chain: str) -> None:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    rows = con.execute(GAPS, {"chain": chain, "p": HOME[0], "c": HOME[1], "d": HOME[2],
                              "targets": list(TARGETS)}).fetchall()
    for product, producers, demand, n, top in rows:
        print(product, producers, demand, n, ",".join(top or []), sep="\t")


if __name__ == "__main__":
    {"build": build, "gaps": gaps}[sys.argv[1]](*sys.argv[2:])
