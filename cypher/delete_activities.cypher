// Remove activities rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Activity {id: id})
DETACH DELETE n
