// visits (四送一服) as :ServiceVisit nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:ServiceVisit {id: r.id})
SET n.company_id = r.company_id,
    n.kind = r.kind,
    n.date = r.date,
    n.officer = r.officer,
    n.note = r.note,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
WITH n, r
OPTIONAL MATCH (n)-[old:FOR_FIRM]->()
DELETE old
WITH DISTINCT n, r
MATCH (c:Company {id: r.company_id})
MERGE (n)-[:FOR_FIRM]->(c)
