// Firms the database does not hold yet: CREATE, no lookup per row. Null values of the
// map are not stored (as SET c.x = null would not store them).
UNWIND $rows AS r
CREATE (c:Company)
SET c = r
