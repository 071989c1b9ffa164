UNWIND $rows AS r
MATCH (u:Product {id: r.upstream}), (d:Product {id: r.downstream})
MERGE (u)-[:INPUT_OF]->(d)
