// The gap report's counts and ranked candidates for a wide home (a province), computed
// inside the database; the same answers as gaps.cypher, which serves smaller homes.
// With a province as home the local firms number in the hundred thousands: gathering
// them first (gaps.cypher) makes long lists that every product then filters. Here each
// product of the chain is visited once instead: its makers are read once and each is
// classed local (its $home_key property, province_code, city_code or region_code by the
// home's level, equals $home_code: one property read per firm, not three) or candidate
// (in the targets and not local). Local demand counts the local makers of the products
// a product is an input of: the local makers of each such product are read once, though
// many products of the chain are inputs of it, then counted per product of the chain. A candidate supplies a local firm when
// one SUPPLIES relationship leads to an active local firm (a firm supplies few others).
// Only active firms and confirmed MAKES count, as in gaps.cypher. An aggregation over no
// rows still returns one row (empty lists, a zero count).
MATCH (:Chain {id: $chain})<-[:IN_CHAIN]-(p:Product)
WITH collect(p) AS chain_products
CALL (chain_products) {
  UNWIND chain_products AS p
  MATCH (p)-[:INPUT_OF]->(q:Product)
  WITH q, collect(p.id) AS users
  CALL (q) {
    MATCH (q)<-[m:MAKES]-(d:Company)
    WHERE coalesce(m.status, 'confirmed') = 'confirmed'
      AND coalesce(d.status, 'active') = 'active'
      AND coalesce(d[$home_key] = $home_code, false)
    RETURN collect(DISTINCT d.id) AS makers
  }
  UNWIND users AS user
  UNWIND makers AS firm
  WITH user, count(DISTINCT firm) AS n
  RETURN collect([user, n]) AS demand
}
UNWIND chain_products AS p
CALL (p) {
  MATCH (p)<-[m:MAKES]-(c:Company)
  WHERE coalesce(m.status, 'confirmed') = 'confirmed'
    AND coalesce(c.status, 'active') = 'active'
  WITH c, coalesce(c[$home_key] = $home_code, false) AS local
  WITH c, local,
       NOT local AND coalesce(c.province_code IN $target_provinces
                              OR (size($target_cities) > 0 AND c.city_code IN $target_cities)
                              OR (size($target_districts) > 0
                                  AND c.region_code IN $target_districts), false) AS candidate
  WHERE local OR candidate
  WITH c, local, candidate,
       CASE WHEN candidate THEN EXISTS {
         MATCH (c)-[:SUPPLIES]->(l:Company)
         WHERE coalesce(l.status, 'active') = 'active'
           AND coalesce(l[$home_key] = $home_code, false)
       } ELSE false END AS supplies_local
  ORDER BY supplies_local DESC, c.revenue IS NULL, c.revenue DESC, c.id
  RETURN collect(CASE WHEN local THEN c.id END) AS local_firms,
         collect(CASE WHEN candidate THEN c.id END) AS candidates
}
WITH p, local_firms, candidates,
     coalesce([x IN demand WHERE x[0] = p.id | x[1]][0], 0) AS local_demand
RETURN p.id AS product, local_firms, local_demand, candidates
