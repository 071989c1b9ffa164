// audit (lead pipeline) rows as :AuditEntry nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:AuditEntry {id: r.id})
SET n.at = r.at,
    n.by = r.by,
    n.entity = r.entity,
    n.entity_id = r.entity_id,
    n.lead_id = r.lead_id,
    n.action = r.action,
    n.detail = r.detail,
    n._h = r._h
