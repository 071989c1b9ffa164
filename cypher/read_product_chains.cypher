MATCH (p:Product)-[:IN_CHAIN]->(c:Chain) RETURN p.id AS product_id, c.id AS chain_id
ORDER BY product_id, chain_id
