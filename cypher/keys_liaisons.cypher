// The id and row hash of every liaisons row (what a push compares with the workspace).
MATCH (n:Liaison)
RETURN n.id AS id, n._h AS h
