MATCH (p:Product)
RETURN p.id AS id, p.name AS name, p.name_en AS name_en, p.tier AS tier, coalesce(p.extra, p.attrs) AS extra
ORDER BY id
