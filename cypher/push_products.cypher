UNWIND $rows AS r
MERGE (p:Product {id: r.id})
SET p.name = r.name, p.name_en = r.name_en, p.tier = r.tier, p.keywords = r.keywords,
    p.exclude = r.exclude, p.industries = r.industries, p.extra = r.extra
REMOVE p.attrs
WITH p
OPTIONAL MATCH (p)-[old:IN_CHAIN]->(:Chain)
DELETE old
