// commitments (a project's promised land, output, tax, jobs and deadlines) as :Commitment
// nodes, upserted by id (the lead's id).
UNWIND $rows AS r
MERGE (n:Commitment {id: r.id})
SET n.land = r.land,
    n.output = r.output,
    n.tax = r.tax,
    n.jobs = r.jobs,
    n.start_by = r.start_by,
    n.produce_by = r.produce_by,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
WITH n, r
MATCH (l:Lead {id: r.id})
MERGE (n)-[:OF_LEAD]->(l)
