// Every product's chains as one record of (product_id, chain_id) rows, in that order.
MATCH (p:Product)-[:IN_CHAIN]->(c:Chain)
WITH p.id AS product_id, c.id AS chain_id ORDER BY product_id, chain_id
RETURN collect([product_id, chain_id]) AS rows
