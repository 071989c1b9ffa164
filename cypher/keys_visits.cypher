// The id and row hash of every visits row (what a push compares with the workspace).
MATCH (n:ServiceVisit)
RETURN n.id AS id, n._h AS h
