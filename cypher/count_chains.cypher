MATCH (n:Chain) RETURN count(n) AS n
