// The id and row hash of every actuals row (what a push compares with the workspace).
MATCH (n:Actual)
RETURN n.id AS id, n._h AS h
