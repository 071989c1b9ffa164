// 1+1+1 liaisons (a firm's contact, service officer and leader) as :Liaison nodes, upserted by
// id (the firm's id).
UNWIND $rows AS r
MERGE (n:Liaison {id: r.id})
SET n.contact = r.contact,
    n.phone = r.phone,
    n.officer = r.officer,
    n.leader = r.leader,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
WITH n, r
MATCH (c:Company {id: r.id})
MERGE (n)-[:FOR_FIRM]->(c)
