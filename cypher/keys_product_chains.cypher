MATCH (p:Product)-[m:IN_CHAIN]->(c:Chain) RETURN p.id AS product_id, c.id AS chain_id, m._h AS h
