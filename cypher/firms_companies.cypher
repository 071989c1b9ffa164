// Id and row hash of the given firms (an incremental push compares only these), as one
// row of columns (one record per firm costs the driver more than the query).
UNWIND $ids AS id
MATCH (n:Company {id: id})
RETURN collect(n.id) AS id, collect(n._h) AS h
