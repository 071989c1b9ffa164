MATCH (u:Product)-[:INPUT_OF]->(d:Product) RETURN u.id AS upstream, d.id AS downstream
ORDER BY upstream, downstream
