// Changed chains, upserted by id: every property replaced by the row's (a missing value
// removes the property), with the row hash _h a later push compares.
UNWIND $rows AS r
MERGE (c:Chain {id: r.id})
SET c.name = r.name, c.name_en = r.name_en, c.extra = r.extra, c._h = r._h
REMOVE c.attrs
