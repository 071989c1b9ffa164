UNWIND $rows AS r
MATCH (p:Product {id: r.product_id}), (c:Chain {id: r.chain_id})
MERGE (p)-[m:IN_CHAIN]->(c)
SET m._h = r._h
