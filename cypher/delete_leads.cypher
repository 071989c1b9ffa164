// Remove leads rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Lead {id: id})
DETACH DELETE n
