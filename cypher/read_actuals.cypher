MATCH (n:Actual)
RETURN n.id AS id,
       n.lead_id AS lead_id,
       n.date AS date,
       n.invested AS invested,
       n.output AS output,
       n.tax AS tax,
       n.jobs AS jobs,
       n.at AS at,
       n.by AS by
ORDER BY id
