// stage_limits (days a lead may stay in a stage) as :StageLimit nodes, upserted by id (the
// stage).
UNWIND $rows AS r
MERGE (n:StageLimit {id: r.id})
SET n.days = r.days,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
