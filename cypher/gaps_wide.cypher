// The gap report's counts and ranked candidates for a wide home (a province), computed
// inside the database; the same answers as gaps.cypher, which serves smaller homes.
// With a province as home the local firms number in the hundred thousands: gathering
// them first (gaps.cypher) makes long lists that every product then filters. Here each
// product of the chain is visited once instead: its makers are read once and each is
// classed local (its $home_key property, province_code, city_code or region_code by the
// home's level, equals $home_code: one property read per firm, not three) or candidate (in the targets and not local), and local demand counts the
// local makers of the products it is an input of. A candidate supplies a local firm when
// one SUPPLIES relationship leads to an active local firm (a firm supplies few others).
// Only active firms and confirmed MAKES count, as in gaps.cypher. An aggregation over no
// rows still returns one row (empty lists, a zero count).
MATCH (:Chain {id: $chain})<-[:IN_CHAIN]-(p:Product)
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
CALL (p) {
  MATCH (p)-[:INPUT_OF]->(:Product)<-[m:MAKES]-(d:Company)
  WHERE coalesce(m.status, 'confirmed') = 'confirmed'
    AND coalesce(d.status, 'active') = 'active'
    AND coalesce(d[$home_key] = $home_code, false)
  RETURN count(DISTINCT d) AS local_demand
}
RETURN p.id AS product, local_firms, local_demand, candidates
