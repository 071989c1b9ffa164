// Remove stage_limits rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:StageLimit {id: id})
DETACH DELETE n
