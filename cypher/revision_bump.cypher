MERGE (m:ChainmapMeta {key: 'revision'})
SET m.value = toString(coalesce(toInteger(m.value), 0) + 1)
