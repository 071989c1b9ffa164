MATCH ()-[r:INPUT_OF]->() RETURN count(r) AS n
