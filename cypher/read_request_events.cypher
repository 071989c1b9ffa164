MATCH (n:RequestEvent)
RETURN n.id AS id,
       n.request_id AS request_id,
       n.action AS action,
       n.date AS date,
       n.note AS note,
       n.at AS at,
       n.by AS by
ORDER BY id
