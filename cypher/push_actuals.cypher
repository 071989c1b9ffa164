// actuals (what a project delivered, dated) as :Actual nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:Actual {id: r.id})
SET n.lead_id = r.lead_id,
    n.date = r.date,
    n.invested = r.invested,
    n.output = r.output,
    n.tax = r.tax,
    n.jobs = r.jobs,
    n.at = r.at,
    n.by = r.by,
    n._h = r._h
WITH n, r
MATCH (l:Lead {id: r.lead_id})
MERGE (n)-[:OF_LEAD]->(l)
