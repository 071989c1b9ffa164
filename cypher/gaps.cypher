// The gap report's counts and ranked candidates, computed inside the database.
// A firm is local when its province_code = $province, city_code = $city or
// region_code = $district (the two unused ones are null). A candidate is a non-local firm
// whose province, city or district code is in $target_provinces / _cities / _districts.
// The local firms are found first (index seeks on the region codes); what they make, use
// and who supplies them is gathered once, then looked up per product of the chain, so
// each maker of a product costs one or two property reads. An aggregation over no rows
// still returns one row (an empty list). Measured in benchmarks/RESULTS.md.
// Only what the reports count: active firms (coalesce(c.status, 'active') = 'active') and
// their confirmed MAKES (coalesce(m.status, 'confirmed') = 'confirmed'); a closed firm is
// never a local producer, demand, supplier or candidate, and a suggested or rejected
// link makes nothing.
MATCH (l:Company)
WHERE (l.province_code = $province OR l.city_code = $city OR l.region_code = $district)
  AND coalesce(l.status, 'active') = 'active'
WITH collect(l) AS locals
CALL (locals) {
  UNWIND locals AS l
  MATCH (l)-[m:MAKES]->(p:Product)-[:IN_CHAIN]->(:Chain {id: $chain})
  WHERE coalesce(m.status, 'confirmed') = 'confirmed'
  RETURN collect({product: p.id, firm: l.id}) AS made
}
CALL (locals) {
  UNWIND locals AS d
  MATCH (d)-[m:MAKES]->(:Product)<-[:INPUT_OF]-(p:Product)-[:IN_CHAIN]->(:Chain {id: $chain})
  WHERE coalesce(m.status, 'confirmed') = 'confirmed'
  WITH DISTINCT p.id AS product, d
  RETURN collect(product) AS used
}
CALL (locals) {
  UNWIND locals AS l
  MATCH (s:Company)-[:SUPPLIES]->(l)
  WHERE coalesce(s.status, 'active') = 'active'
  RETURN collect(DISTINCT s.id) AS local_suppliers
}
MATCH (:Chain {id: $chain})<-[:IN_CHAIN]-(p:Product)
WITH p, local_suppliers, [x IN made WHERE x.product = p.id | x.firm] AS local_firms,
     size([x IN used WHERE x = p.id]) AS local_demand
CALL (p, local_suppliers) {
  MATCH (p)<-[m:MAKES]-(c:Company)
  WHERE coalesce(m.status, 'confirmed') = 'confirmed'
    AND coalesce(c.status, 'active') = 'active'
    AND (c.province_code IN $target_provinces
         OR (size($target_cities) > 0 AND c.city_code IN $target_cities)
         OR (size($target_districts) > 0 AND c.region_code IN $target_districts))
    AND NOT coalesce(CASE WHEN $district IS NOT NULL THEN c.region_code = $district
                          WHEN $city IS NOT NULL THEN c.city_code = $city
                          ELSE c.province_code = $province END, false)
  WITH c, c.id IN local_suppliers AS supplies_local
  ORDER BY supplies_local DESC, c.revenue IS NULL, c.revenue DESC, c.id
  RETURN collect(c.id) AS candidates
}
RETURN p.id AS product, local_firms, local_demand, candidates
