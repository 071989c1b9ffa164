UNWIND $rows AS r
MATCH (c:Company {id: r.company_id}), (p:Product {id: r.product_id})
MERGE (c)-[:MAKES]->(p)
