// requests (诉求 of firms, R0001 ...) as :ServiceRequest nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:ServiceRequest {id: r.id})
SET n.seq = r.seq,
    n.company_id = r.company_id,
    n.kind = r.kind,
    n.text = r.text,
    n.officer = r.officer,
    n.date = r.date,
    n.due = r.due,
    n.closed_date = r.closed_date,
    n.close_note = r.close_note,
    n.at = r.at,
    n.by = r.by,
    n.updated = r.updated,
    n._h = r._h
WITH n, r
OPTIONAL MATCH (n)-[old:FOR_FIRM]->()
DELETE old
WITH DISTINCT n, r
MATCH (c:Company {id: r.company_id})
MERGE (n)-[:FOR_FIRM]->(c)
