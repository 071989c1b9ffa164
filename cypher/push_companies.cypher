UNWIND $rows AS r
MERGE (c:Company {id: r.id})
SET c.name = r.name, c.uscc = r.uscc, c.province = r.province, c.city = r.city,
    c.district = r.district, c.region_code = r.region_code,
    c.province_code = r.province_code, c.city_code = r.city_code,
    c.in_park = r.in_park, c.employees = r.employees, c.revenue = r.revenue,
    c.extra = r.extra
REMOVE c.attrs
