MATCH (n:FirmMerge)
RETURN n.id AS id,
       n.keep_id AS keep_id,
       n.drop_id AS drop_id,
       n.dropped AS dropped,
       n.moved AS moved,
       n.at AS at,
       n.by AS by
ORDER BY id
