MATCH (c:Chain) RETURN c.id AS id, c.name AS name, c.name_en AS name_en, coalesce(c.extra, c.attrs) AS extra
ORDER BY id
