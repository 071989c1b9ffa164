MATCH (n:LeadEvent)
RETURN n.id AS id,
       n.lead_id AS lead_id,
       n.from_stage AS from_stage,
       n.to_stage AS to_stage,
       n.date AS date,
       n.at AS at,
       n.by AS by,
       n.note AS note,
       n.reason AS reason
ORDER BY id
