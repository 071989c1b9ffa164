// The id and row hash of every followups row (what a push compares with the workspace).
MATCH (n:FollowUp)
RETURN n.id AS id, n._h AS h
