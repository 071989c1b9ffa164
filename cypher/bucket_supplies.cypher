// Key and row hash of the SUPPLIES relationships of the suppliers in the given buckets.
MATCH (s:Company)-[m:SUPPLIES]->(c:Company) WHERE s._b IN $buckets
RETURN s.id AS supplier_id, c.id AS customer_id, m.product AS product_id, m._h AS h
