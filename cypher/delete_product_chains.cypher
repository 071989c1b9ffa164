// Remove chain memberships the workspace no longer holds.
UNWIND $rows AS r
MATCH (:Product {id: r.product_id})-[m:IN_CHAIN]->(:Chain {id: r.chain_id})
DELETE m
