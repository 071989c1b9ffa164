MATCH (n:StageLimit)
RETURN n.id AS id,
       n.days AS days,
       n.at AS at,
       n.by AS by
ORDER BY id
