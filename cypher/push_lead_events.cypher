// lead_events (lead pipeline) rows as :LeadEvent nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:LeadEvent {id: r.id})
SET n.lead_id = r.lead_id,
    n.from_stage = r.from_stage,
    n.to_stage = r.to_stage,
    n.date = r.date,
    n.at = r.at,
    n.by = r.by,
    n.note = r.note,
    n.reason = r.reason,
    n._h = r._h
WITH n, r
MATCH (l:Lead {id: r.lead_id})
MERGE (n)-[:OF_LEAD]->(l)
