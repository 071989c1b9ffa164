// The place table of the products' maker lists (chainmap/makerlists.py), whether or
// not the lists hold: a push keeps its places' characters and adds new ones after.
OPTIONAL MATCH (m:ChainmapMeta {key: $places_key})
RETURN m.value AS places
