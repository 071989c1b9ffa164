// The id and row hash of every activities row (what a push compares with the workspace).
MATCH (n:Activity)
RETURN n.id AS id, n._h AS h
