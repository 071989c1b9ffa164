// The id and row hash of every products row (what a push compares with the workspace).
MATCH (n:Product)
RETURN n.id AS id, n._h AS h
