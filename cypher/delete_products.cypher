// Remove products rows the workspace no longer holds (by id), with their relationships.
UNWIND $ids AS id
MATCH (n:Product {id: id})
DETACH DELETE n
