MATCH (m:ChainmapMeta {key: $key}) DELETE m
