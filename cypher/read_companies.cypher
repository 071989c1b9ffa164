MATCH (c:Company)
RETURN c.id AS id, c.name AS name, c.uscc AS uscc, c.province AS province, c.city AS city,
       c.district AS district, c.region_code AS region_code,
       c.province_code AS province_code, c.city_code AS city_code, c.in_park AS in_park,
       c.employees AS employees, c.revenue AS revenue, coalesce(c.extra, c.attrs) AS extra
ORDER BY id
