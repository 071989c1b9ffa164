UNWIND $keys AS key
MATCH (m:ChainmapMeta {key: key})
RETURN m.key AS key, m.value AS value
