// Key and row hash of the SUPPLIES relationships of the given suppliers (an incremental
// push).
UNWIND $ids AS id
MATCH (s:Company {id: id})-[m:SUPPLIES]->(c:Company)
RETURN s.id AS supplier_id, c.id AS customer_id, m.product AS product_id, m._h AS h
