// Id and row hash of the given firms (an incremental push compares only these).
UNWIND $ids AS id
MATCH (n:Company {id: id})
RETURN n.id AS id, n._h AS h
