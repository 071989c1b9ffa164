// Remove visits rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:ServiceVisit {id: id})
DETACH DELETE n
