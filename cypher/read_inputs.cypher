// Every input link as one record of (upstream, downstream) rows, in that order.
MATCH (u:Product)-[:INPUT_OF]->(d:Product)
WITH u.id AS upstream, d.id AS downstream ORDER BY upstream, downstream
RETURN collect([upstream, downstream]) AS rows
