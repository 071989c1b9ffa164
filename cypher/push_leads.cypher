// leads (lead pipeline) rows as :Lead nodes, upserted by id.
UNWIND $rows AS r
MERGE (n:Lead {id: r.id})
SET n.seq = r.seq,
    n.company_id = r.company_id,
    n.product_id = r.product_id,
    n.stage = r.stage,
    n.owner = r.owner,
    n.investment = r.investment,
    n.source = r.source,
    n.note = r.note,
    n.lost_reason = r.lost_reason,
    n.contract_date = r.contract_date,
    n.imported = r.imported,
    n.extra = r.extra,
    n.created = r.created,
    n.created_by = r.created_by,
    n.updated = r.updated,
    n._h = r._h
REMOVE n.attrs
WITH n, r
OPTIONAL MATCH (n)-[old:FOR_FIRM|FOR_PRODUCT]->()
DELETE old
WITH DISTINCT n, r
MATCH (c:Company {id: r.company_id})
MERGE (n)-[:FOR_FIRM]->(c)
WITH n, r
OPTIONAL MATCH (p:Product {id: r.product_id})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (n)-[:FOR_PRODUCT]->(p))
