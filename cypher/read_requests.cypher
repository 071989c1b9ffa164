MATCH (n:ServiceRequest)
RETURN n.id AS id,
       n.seq AS seq,
       n.company_id AS company_id,
       n.kind AS kind,
       n.text AS text,
       n.officer AS officer,
       n.date AS date,
       n.due AS due,
       n.closed_date AS closed_date,
       n.close_note AS close_note,
       n.at AS at,
       n.by AS by,
       n.updated AS updated
ORDER BY id
