UNWIND $rows AS r
MATCH (u:Product {id: r.upstream}), (d:Product {id: r.downstream})
CREATE (u)-[m:INPUT_OF]->(d)
SET m._h = r._h
