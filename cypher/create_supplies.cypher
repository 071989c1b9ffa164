// First push into a database without SUPPLIES relationships: CREATE, no MERGE lookup.
UNWIND $rows AS r
MATCH (s:Company {id: r.supplier_id})
MATCH (c:Company {id: r.customer_id})
CREATE (s)-[:SUPPLIES {product: coalesce(r.product_id, '')}]->(c)
