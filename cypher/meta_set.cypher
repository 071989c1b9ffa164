MERGE (m:ChainmapMeta {key: $key}) SET m.value = $value
