// Changed firms, upserted by id; _b is the firm's bucket (of the push's comparison), _h
// the row hash.
UNWIND $rows AS r
MERGE (c:Company {id: r.id})
SET c.name = r.name, c.uscc = r.uscc, c.province = r.province, c.city = r.city,
    c.district = r.district, c.region_code = r.region_code,
    c.province_code = r.province_code, c.city_code = r.city_code,
    c.in_park = r.in_park, c.employees = r.employees, c.revenue = r.revenue,
    c.status = r.status, c.status_raw = r.status_raw, c.address = r.address,
    c.main_products = r.main_products, c.scope = r.scope, c.industry = r.industry,
    c.registered_capital = r.registered_capital, c.founded = r.founded,
    c.source = r.source, c.as_of = r.as_of, c.extra = r.extra, c._b = r._b, c._h = r._h
REMOVE c.attrs
