// The id and row hash of every lead_events row (what a push compares with the workspace).
MATCH (n:LeadEvent)
RETURN n.id AS id, n._h AS h
