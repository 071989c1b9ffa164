// Remove liaisons rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Liaison {id: id})
DETACH DELETE n
