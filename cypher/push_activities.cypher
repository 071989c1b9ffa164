// activities (lead pipeline) rows as :Activity nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:Activity {id: r.id})
SET n.lead_id = r.lead_id,
    n.kind = r.kind,
    n.date = r.date,
    n.note = r.note,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
WITH n, r
MATCH (l:Lead {id: r.lead_id})
MERGE (n)-[:OF_LEAD]->(l)
