MATCH (c:Company)-[m:MAKES]->(p:Product)
RETURN c.id AS company_id, p.id AS product_id, coalesce(m.status, 'confirmed') AS status,
       m.evidence AS evidence, m.source AS source, m.field AS field, m.text AS text
ORDER BY company_id, product_id
