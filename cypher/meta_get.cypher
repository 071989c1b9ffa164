MATCH (m:ChainmapMeta {key: $key}) RETURN m.value AS value
