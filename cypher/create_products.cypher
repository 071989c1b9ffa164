// Products the database does not hold yet: CREATE, no lookup per row.
UNWIND $rows AS r
CREATE (p:Product)
SET p = r
