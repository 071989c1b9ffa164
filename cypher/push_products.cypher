// Changed products, upserted by id (their IN_CHAIN relationships are product_chains rows,
// compared and pushed on their own).
UNWIND $rows AS r
MERGE (p:Product {id: r.id})
SET p.name = r.name, p.name_en = r.name_en, p.tier = r.tier, p.keywords = r.keywords,
    p.exclude = r.exclude, p.industries = r.industries, p.extra = r.extra, p._h = r._h
REMOVE p.attrs
