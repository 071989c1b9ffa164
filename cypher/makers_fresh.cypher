// Whether the products' maker lists hold for the firm tables as they are: the digests
// the last list write sealed them with ($lists + table) equal the tables' digests now
// ($digest + table), which every push that changes a firm table rewrites, the place
// table the lists use is there ($places_key), and every product holds the lists sealed
// ($hashes_key: each product's id and list hash; a list written since, by anyone, or a
// product without lists, made anew by a push that wrote none, breaks it: a null in the
// list compared makes the comparison null). Returns that, and the place table.
UNWIND $tables AS t
OPTIONAL MATCH (d:ChainmapMeta {key: $digest + t})
OPTIONAL MATCH (s:ChainmapMeta {key: $lists + t})
WITH collect(d IS NOT NULL AND s IS NOT NULL AND d.value = s.value) AS same
OPTIONAL MATCH (m:ChainmapMeta {key: $places_key})
OPTIONAL MATCH (h:ChainmapMeta {key: $hashes_key})
RETURN all(x IN same WHERE x) AND m IS NOT NULL
       AND coalesce(h.value = COLLECT { MATCH (p:Product) WITH p ORDER BY p.id
                                        RETURN p.id + ' ' + p.makers_h }, false) AS fresh,
       m.value AS places
