MATCH (n:Activity)
RETURN n.id AS id,
       n.lead_id AS lead_id,
       n.kind AS kind,
       n.date AS date,
       n.note AS note,
       n.at AS at,
       n.by AS by
ORDER BY id
