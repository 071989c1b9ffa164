// Remove merges rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:FirmMerge {id: id})
DETACH DELETE n
