// Remove followups rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:FollowUp {id: id})
DETACH DELETE n
