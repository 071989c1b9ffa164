MATCH (n:Product) RETURN count(n) AS n
