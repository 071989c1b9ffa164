// The id and row hash of every stage_limits row (what a push compares with the workspace).
MATCH (n:StageLimit)
RETURN n.id AS id, n._h AS h
