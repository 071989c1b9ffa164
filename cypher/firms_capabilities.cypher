// Key and row hash of the MAKES relationships of the given firms (an incremental push),
// as one row of columns.
UNWIND $ids AS id
MATCH (c:Company {id: id})-[m:MAKES]->(p:Product)
RETURN collect(c.id) AS company_id, collect(p.id) AS product_id, collect(m._h) AS h
