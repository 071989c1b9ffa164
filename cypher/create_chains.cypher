// Chains the database does not hold yet: CREATE, no lookup per row (null values of the
// map are not stored).
UNWIND $rows AS r
CREATE (c:Chain)
SET c = r
