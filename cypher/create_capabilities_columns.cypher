// A first push's batch, column by column: each parameter is the list of one column's
// values (null for none: CREATE stores no property for a null), so that the server
// builds no map per row and evaluates no expression but a list item.
UNWIND range(0, size($company_id) - 1) AS i
MATCH (c:Company {id: $company_id[i]})
MATCH (p:Product {id: $product_id[i]})
CREATE (c)-[:MAKES {status: $status[i], evidence: $evidence[i], source: $source[i],
                    field: $field[i], text: $text[i], _h: $hash[i]}]->(p)
