// Id and row hash of the firms in the given buckets (_b) of a push's comparison.
MATCH (n:Company) WHERE n._b IN $buckets
RETURN n.id AS id, n._h AS h
