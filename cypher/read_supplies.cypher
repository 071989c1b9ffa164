MATCH (s:Company)-[r:SUPPLIES]->(c:Company)
RETURN s.id AS supplier_id, c.id AS customer_id,
       CASE r.product WHEN '' THEN null ELSE r.product END AS product_id
ORDER BY supplier_id, customer_id, product_id
