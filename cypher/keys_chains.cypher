// The id and row hash of every chains row (what a push compares with the workspace).
MATCH (n:Chain)
RETURN n.id AS id, n._h AS h
