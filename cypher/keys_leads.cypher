// The id and row hash of every leads row (what a push compares with the workspace).
MATCH (n:Lead)
RETURN n.id AS id, n._h AS h
