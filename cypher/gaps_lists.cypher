// The texts the gap report is counted from while the products' maker lists hold
// (chainmap/makerlists.py, makers_fresh.cypher): the maker lists of the chain's
// products (id, ids, places, customers), those of the products they are inputs of (id,
// ids, places: their local makers are the local demand), and which product is an input
// of which. The client classes the makers (chainmap.makerlists.gaps_from_lists): a few
// property reads here instead of every MAKES relationship of the chain (gaps.cypher).
MATCH (:Chain {id: $chain})<-[:IN_CHAIN]-(p:Product)
OPTIONAL MATCH (p)-[:INPUT_OF]->(q:Product)
WITH collect(DISTINCT p) AS chain_products, collect(DISTINCT q) AS outputs,
     collect([p.id, q.id]) AS uses
RETURN [p IN chain_products | [p.id, coalesce(p.makers_ids, ''),
                               coalesce(p.makers_places, ''),
                               coalesce(p.makers_customers, '')]] AS products,
       [q IN outputs | [q.id, coalesce(q.makers_ids, ''),
                        coalesce(q.makers_places, '')]] AS outputs,
       [u IN uses WHERE u[1] IS NOT NULL] AS uses
