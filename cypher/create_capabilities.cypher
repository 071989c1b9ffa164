// MAKES relationships the database does not hold yet: CREATE, no MERGE lookup.
UNWIND $rows AS r
MATCH (c:Company {id: r.company_id})
MATCH (p:Product {id: r.product_id})
CREATE (c)-[m:MAKES]->(p)
SET m.status = r.status, m.evidence = r.evidence, m.source = r.source, m.field = r.field,
    m.text = r.text, m._h = r._h
