MATCH (u:Product)-[m:INPUT_OF]->(d:Product) RETURN u.id AS upstream, d.id AS downstream, m._h AS h
