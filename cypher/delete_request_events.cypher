// Remove request_events rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:RequestEvent {id: id})
DETACH DELETE n
