// merges (lead pipeline) rows as :FirmMerge nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:FirmMerge {id: r.id})
SET n.keep_id = r.keep_id,
    n.drop_id = r.drop_id,
    n.dropped = r.dropped,
    n.moved = r.moved,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
