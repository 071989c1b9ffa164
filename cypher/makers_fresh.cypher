// Whether the products' maker lists hold for the firm tables as they are: the digests
// the last list write sealed them with ($lists + table) equal the tables' digests now
// ($digest + table), which every push that changes a firm table rewrites.
UNWIND $tables AS t
OPTIONAL MATCH (d:ChainmapMeta {key: $digest + t})
OPTIONAL MATCH (s:ChainmapMeta {key: $lists + t})
WITH collect(d IS NOT NULL AND s IS NOT NULL AND d.value = s.value) AS same
RETURN all(x IN same WHERE x) AS fresh
