// Remove audit rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:AuditEntry {id: id})
DETACH DELETE n
