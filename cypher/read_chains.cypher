MATCH (c:Chain) RETURN c.id AS id, c.name AS name, c.name_en AS name_en, c.attrs AS attrs
ORDER BY id
