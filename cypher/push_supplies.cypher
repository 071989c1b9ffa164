UNWIND $rows AS r
MATCH (s:Company {id: r.supplier_id}), (c:Company {id: r.customer_id})
MERGE (s)-[m:SUPPLIES {product: coalesce(r.product_id, '')}]->(c)
SET m._h = r._h
