UNWIND $ids AS id
MATCH (n:Company {id: id})
RETURN n.id AS id, n.name AS name
