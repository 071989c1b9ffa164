// A first push's batch, column by column: each parameter is the text of one column's
// values joined by $sep ($none for no value; numbers as text), split here, so that
// the driver sends a few long strings instead of a map per row.
WITH split($supplier_id, $sep) AS supplier_id,
     split($customer_id, $sep) AS customer_id,
     split($product_id, $sep) AS product_id,
     split($hash, $sep) AS hashes
UNWIND range(0, $n - 1) AS i
MATCH (s:Company {id: supplier_id[i]})
MATCH (c:Company {id: customer_id[i]})
CREATE (s)-[:SUPPLIES {product: CASE product_id[i] WHEN $none THEN '' ELSE product_id[i] END,
                       _h: toInteger(hashes[i])}]->(c)
