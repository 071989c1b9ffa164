// Key and row hash of the MAKES relationships of the firms in the given buckets.
MATCH (c:Company)-[m:MAKES]->(p:Product) WHERE c._b IN $buckets
RETURN c.id AS company_id, p.id AS product_id, m._h AS h
