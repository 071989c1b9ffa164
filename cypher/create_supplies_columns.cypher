// A first push's batch, column by column: each parameter is the list of one column's
// values (null for none: CREATE stores no property for a null), so that the server
// builds no map per row and evaluates no expression but a list item.
UNWIND range(0, size($supplier_id) - 1) AS i
MATCH (s:Company {id: $supplier_id[i]})
MATCH (c:Company {id: $customer_id[i]})
CREATE (s)-[:SUPPLIES {product: coalesce($product_id[i], ''), _h: $hash[i]}]->(c)
