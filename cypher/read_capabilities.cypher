MATCH (c:Company)-[:MAKES]->(p:Product) RETURN c.id AS company_id, p.id AS product_id
ORDER BY company_id, product_id
