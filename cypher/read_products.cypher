MATCH (p:Product)
RETURN p.id AS id, p.name AS name, p.name_en AS name_en, p.tier AS tier,
       p.keywords AS keywords, p.exclude AS exclude, p.industries AS industries,
       coalesce(p.extra, p.attrs) AS extra
ORDER BY id
