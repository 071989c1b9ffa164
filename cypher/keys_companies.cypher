// The id and row hash of every companies row (what a push compares with the workspace).
MATCH (n:Company)
RETURN n.id AS id, n._h AS h
