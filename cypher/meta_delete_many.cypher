// Forget the stored digests of the given tables (before their rows are written).
UNWIND $keys AS key
MATCH (m:ChainmapMeta {key: key})
DELETE m
