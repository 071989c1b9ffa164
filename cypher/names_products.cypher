UNWIND $ids AS id
MATCH (n:Product {id: id})
RETURN n.id AS id, n.name AS name
