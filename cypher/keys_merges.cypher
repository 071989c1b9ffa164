// The id and row hash of every merges row (what a push compares with the workspace).
MATCH (n:FirmMerge)
RETURN n.id AS id, n._h AS h
