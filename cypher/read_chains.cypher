// Every chain, by id, as one record of rows (one record per row costs the driver more
// than the query); each row lists the columns of TABLE_COLUMNS["chains"] in order.
MATCH (c:Chain)
WITH c ORDER BY c.id
RETURN collect([c.id, c.name, c.name_en, coalesce(c.extra, c.attrs)]) AS rows
