// Delete everything chainmap keeps in the database, in batches (auto-commit only).
MATCH (n) WHERE n:Chain OR n:Product OR n:Company OR n:ChainmapMeta
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
