// Key and row hash of every MAKES relationship.
MATCH (c:Company)-[m:MAKES]->(p:Product)
RETURN c.id AS company_id, p.id AS product_id, m._h AS h
