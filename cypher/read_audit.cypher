MATCH (n:AuditEntry)
RETURN n.id AS id,
       n.at AS at,
       n.by AS by,
       n.entity AS entity,
       n.entity_id AS entity_id,
       n.lead_id AS lead_id,
       n.action AS action,
       n.detail AS detail
ORDER BY id
