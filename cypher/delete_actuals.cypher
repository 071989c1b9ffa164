// Remove actuals rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Actual {id: id})
DETACH DELETE n
