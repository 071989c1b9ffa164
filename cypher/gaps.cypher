// The gap report's counts, computed inside the database.
// $chain: chain id; $home_key/$home_code: the property and code that make a firm local
// (province_code, city_code or region_code); $targets: [{key, code}] of target regions.
MATCH (:Chain {id: $chain})<-[:IN_CHAIN]-(p:Product)
CALL (p) {
  OPTIONAL MATCH (p)<-[:MAKES]-(l:Company)
  WHERE l[$home_key] = $home_code
  RETURN collect(DISTINCT l.id) AS local_firms
}
CALL (p) {
  OPTIONAL MATCH (p)-[:INPUT_OF]->(:Product)<-[:MAKES]-(d:Company)
  WHERE d[$home_key] = $home_code
  RETURN count(DISTINCT d) AS local_demand
}
CALL (p) {
  OPTIONAL MATCH (p)<-[:MAKES]-(c:Company)
  WHERE coalesce(c[$home_key], '') <> $home_code
    AND any(t IN $targets WHERE c[t.key] = t.code)
  WITH c, EXISTS {
      MATCH (c)-[:SUPPLIES]->(x:Company) WHERE x[$home_key] = $home_code
    } AS supplies_local
  ORDER BY supplies_local DESC, c.revenue IS NULL, c.revenue DESC, c.id
  RETURN collect(c.id) AS candidates
}
RETURN p.id AS product, local_firms, local_demand, candidates
