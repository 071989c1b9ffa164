// Key and row hash of every SUPPLIES relationship ('' stands for no product).
MATCH (s:Company)-[m:SUPPLIES]->(c:Company)
RETURN s.id AS supplier_id, c.id AS customer_id, m.product AS product_id, m._h AS h
