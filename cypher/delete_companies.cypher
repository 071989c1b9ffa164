// Remove companies rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Company {id: id})
DETACH DELETE n
