// SUPPLIES relationships the database does not hold yet: CREATE, no MERGE lookup.
UNWIND $rows AS r
MATCH (s:Company {id: r.supplier_id})
MATCH (c:Company {id: r.customer_id})
CREATE (s)-[:SUPPLIES {product: coalesce(r.product_id, ''), _h: r._h}]->(c)
