MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS n
