// Remove commitments rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Commitment {id: id})
DETACH DELETE n
