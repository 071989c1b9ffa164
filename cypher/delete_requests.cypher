// Remove requests rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:ServiceRequest {id: id})
DETACH DELETE n
