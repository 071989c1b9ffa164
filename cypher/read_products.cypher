// Every product, by id, as one record of rows (one record per row costs the driver more
// than the query); each row lists the columns of TABLE_COLUMNS["products"] in order.
MATCH (p:Product)
WITH p ORDER BY p.id
RETURN collect([p.id, p.name, p.name_en, p.tier, p.keywords, p.exclude, p.industries,
                coalesce(p.extra, p.attrs)]) AS rows
