// Key and row hash of the MAKES relationships of the given firms (an incremental push).
UNWIND $ids AS id
MATCH (c:Company {id: id})-[m:MAKES]->(p:Product)
RETURN c.id AS company_id, p.id AS product_id, m._h AS h
