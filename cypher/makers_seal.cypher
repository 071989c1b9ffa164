// Seal the maker lists for the firm tables: only when every product holds the lists
// this writer computed ($rows: id and hash) and the tables' digests are still the ones
// it computed them for ($digests, in the order of $tables); then the place table the
// lists use is stored ($places under $places_key), and the products' ids and list hashes
// as they are now ($hashes_key; a product made meanwhile without lists is left out, and
// makers_fresh.cypher then finds it missing): the lists are used (makers_fresh.cypher)
// until a push changes a firm table or anyone writes a list (an older chainmap writing
// its own form, say). Returns one row per table sealed (none when another push came in between).
UNWIND $rows AS r
OPTIONAL MATCH (p:Product {id: r.id})
WITH sum(CASE WHEN p IS NULL OR p.makers_h = r.h THEN 0 ELSE 1 END) AS differ
UNWIND range(0, size($tables) - 1) AS i
OPTIONAL MATCH (d:ChainmapMeta {key: $digest + $tables[i]})
WITH differ, collect(d IS NOT NULL AND d.value = $digests[i]) AS same
WHERE differ = 0 AND all(x IN same WHERE x)
MERGE (table:ChainmapMeta {key: $places_key})
SET table.value = $places
WITH table
MERGE (hashes:ChainmapMeta {key: $hashes_key})
SET hashes.value = COLLECT { MATCH (p:Product) WHERE p.makers_h IS NOT NULL
                             WITH p ORDER BY p.id RETURN p.id + ' ' + p.makers_h }
WITH hashes
UNWIND range(0, size($tables) - 1) AS i
MERGE (m:ChainmapMeta {key: $lists + $tables[i]})
SET m.value = $digests[i]
RETURN $tables[i] AS sealed
