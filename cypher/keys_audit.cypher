// The id and row hash of every audit row (what a push compares with the workspace).
MATCH (n:AuditEntry)
RETURN n.id AS id, n._h AS h
