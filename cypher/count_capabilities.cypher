MATCH ()-[r:MAKES]->() RETURN count(r) AS n
