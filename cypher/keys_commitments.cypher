// The id and row hash of every commitments row (what a push compares with the workspace).
MATCH (n:Commitment)
RETURN n.id AS id, n._h AS h
