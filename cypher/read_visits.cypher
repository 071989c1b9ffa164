MATCH (n:ServiceVisit)
RETURN n.id AS id,
       n.company_id AS company_id,
       n.kind AS kind,
       n.date AS date,
       n.officer AS officer,
       n.note AS note,
       n.at AS at,
       n.by AS by
ORDER BY id
