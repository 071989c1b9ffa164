MATCH (n:Commitment)
RETURN n.id AS id,
       n.land AS land,
       n.output AS output,
       n.tax AS tax,
       n.jobs AS jobs,
       n.start_by AS start_by,
       n.produce_by AS produce_by,
       n.at AS at,
       n.by AS by
ORDER BY id
