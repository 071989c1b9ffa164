// The gap report's counts and ranked candidates from the products' maker lists
// (chainmap/makerlists.py): the same answers as gaps.cypher and gaps_wide.cypher, read
// from three texts per product instead of every MAKES relationship of the chain. Each
// product's makers come ranked (revenue, largest first and none last, then id), with
// one character per maker for its place (a place of the place table) and, per maker,
// the characters of its customers' places. $home holds the characters of the places
// inside the home and $targets those inside any target region: a maker is local when
// its place is one of $home, a candidate when it is not local and its place is one of
// $targets; a candidate supplying a firm of the home (one of its customers' places is
// in $home) goes first, in rank order, the others follow. Local demand counts the local
// makers of the products a product is an input of. A text is split into its characters
// first (split(text, ''): substring() of a stored text walks it from its start; an empty
// text gives [''], and every text CONTAINS ''). Used
// only while the lists hold for the firm tables (makers_fresh.cypher).
MATCH (:Chain {id: $chain})<-[:IN_CHAIN]-(p:Product)
WITH collect(p) AS chain_products
CALL (chain_products) {
  UNWIND chain_products AS p
  MATCH (p)-[:INPUT_OF]->(q:Product)
  WITH q, collect(p.id) AS users
  WITH users, coalesce(q.makers_ids, '') AS ids,
       split(coalesce(q.makers_places, ''), '') AS places
  WITH users, CASE ids WHEN '' THEN [] ELSE split(ids, $item) END AS ids, places
  WITH users, [i IN range(0, size(ids) - 1) WHERE $home CONTAINS places[i] | ids[i]] AS makers
  UNWIND users AS user
  UNWIND makers AS firm
  WITH user, count(DISTINCT firm) AS n
  RETURN collect([user, n]) AS demand
}
UNWIND chain_products AS p
WITH p, demand, coalesce(p.makers_ids, '') AS ids,
     split(coalesce(p.makers_places, ''), '') AS places,
     split(coalesce(p.makers_customers, ''), $item) AS customers
WITH p, demand, CASE ids WHEN '' THEN [] ELSE split(ids, $item) END AS ids, places, customers
// 0: local, 1: a candidate supplying the home, 2: another candidate, 3: neither
WITH p, demand, ids,
     [i IN range(0, size(ids) - 1) |
      CASE WHEN $home CONTAINS places[i] THEN 0
           WHEN $targets CONTAINS places[i]
             THEN CASE WHEN any(c IN split(customers[i], '') WHERE c <> '' AND $home CONTAINS c)
                       THEN 1 ELSE 2 END
           ELSE 3 END] AS kinds
RETURN p.id AS product,
       [i IN range(0, size(ids) - 1) WHERE kinds[i] = 0 | ids[i]] AS local_firms,
       coalesce([x IN demand WHERE x[0] = p.id | x[1]][0], 0) AS local_demand,
       [i IN range(0, size(ids) - 1) WHERE kinds[i] = 1 | ids[i]]
         + [i IN range(0, size(ids) - 1) WHERE kinds[i] = 2 | ids[i]] AS candidates
