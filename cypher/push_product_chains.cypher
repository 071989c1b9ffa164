UNWIND $rows AS r
MATCH (p:Product {id: r.product_id}), (c:Chain {id: r.chain_id})
MERGE (p)-[:IN_CHAIN]->(c)
