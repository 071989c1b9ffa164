// request_events (progress notes and closings of requests) as :RequestEvent nodes, upserted
// by id.
UNWIND $rows AS r
MERGE (n:RequestEvent {id: r.id})
SET n.request_id = r.request_id,
    n.action = r.action,
    n.date = r.date,
    n.note = r.note,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
WITH n, r
MATCH (q:ServiceRequest {id: r.request_id})
MERGE (n)-[:OF_REQUEST]->(q)
