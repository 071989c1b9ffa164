// A first push's batch, column by column: each parameter is the text of one column's
// values joined by $sep ($none for no value; numbers as text), split here, so that
// the driver sends a few long strings instead of a map per row.
WITH split($company_id, $sep) AS company_id,
     split($product_id, $sep) AS product_id,
     split($status, $sep) AS status,
     split($evidence, $sep) AS evidence,
     split($source, $sep) AS source,
     split($field, $sep) AS field,
     split($text, $sep) AS text,
     split($hash, $sep) AS hashes
UNWIND range(0, $n - 1) AS i
MATCH (c:Company {id: company_id[i]})
MATCH (p:Product {id: product_id[i]})
CREATE (c)-[m:MAKES]->(p)
SET m += {status: CASE status[i] WHEN $none THEN null ELSE status[i] END,
         evidence: CASE evidence[i] WHEN $none THEN null ELSE evidence[i] END,
         source: CASE source[i] WHEN $none THEN null ELSE source[i] END,
         field: CASE field[i] WHEN $none THEN null ELSE field[i] END,
         text: CASE text[i] WHEN $none THEN null ELSE text[i] END,
         _h: toInteger(hashes[i])}
