// The id and row hash of every requests row (what a push compares with the workspace).
MATCH (n:ServiceRequest)
RETURN n.id AS id, n._h AS h
