// followups (lead pipeline) rows as :FollowUp nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:FollowUp {id: r.id})
SET n.lead_id = r.lead_id,
    n.due = r.due,
    n.note = r.note,
    n.at = r.at,
    n.by = r.by,
    n.done_at = r.done_at,
    n.done_by = r.done_by,
    n.done_note = r.done_note,
    n._h = r._h
WITH n, r
MATCH (l:Lead {id: r.lead_id})
MERGE (n)-[:OF_LEAD]->(l)
