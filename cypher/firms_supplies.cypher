// Key and row hash of the SUPPLIES relationships of the given suppliers (an incremental
// push), as one row of columns.
UNWIND $ids AS id
MATCH (s:Company {id: id})-[m:SUPPLIES]->(c:Company)
RETURN collect(s.id) AS supplier_id, collect(c.id) AS customer_id,
       collect(m.product) AS product_id, collect(m._h) AS h
