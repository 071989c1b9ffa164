MATCH (c:Company)
RETURN c.id AS id, c.name AS name, c.uscc AS uscc, c.province AS province, c.city AS city,
       c.district AS district, c.region_code AS region_code,
       c.province_code AS province_code, c.city_code AS city_code, c.in_park AS in_park,
       c.employees AS employees, c.revenue AS revenue,
       coalesce(c.status, 'active') AS status, c.status_raw AS status_raw,
       c.address AS address, c.main_products AS main_products, c.scope AS scope,
       c.industry AS industry, c.registered_capital AS registered_capital,
       c.founded AS founded, c.source AS source, c.as_of AS as_of,
       coalesce(c.extra, c.attrs) AS extra
ORDER BY id
