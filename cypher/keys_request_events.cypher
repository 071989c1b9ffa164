// The id and row hash of every request_events row (what a push compares with the workspace).
MATCH (n:RequestEvent)
RETURN n.id AS id, n._h AS h
