// Remove chains rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Chain {id: id})
DETACH DELETE n
