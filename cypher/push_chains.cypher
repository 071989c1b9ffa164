UNWIND $rows AS r
MERGE (c:Chain {id: r.id})
SET c.name = r.name, c.name_en = r.name_en, c.extra = r.extra
REMOVE c.attrs
