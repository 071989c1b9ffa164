MATCH (n:Liaison)
RETURN n.id AS id,
       n.contact AS contact,
       n.phone AS phone,
       n.officer AS officer,
       n.leader AS leader,
       n.at AS at,
       n.by AS by
ORDER BY id
