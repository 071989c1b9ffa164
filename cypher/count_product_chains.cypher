MATCH ()-[r:IN_CHAIN]->() RETURN count(r) AS n
