UNWIND $ids AS id
MATCH (n:Chain {id: id})
RETURN n.id AS id, n.name AS name
