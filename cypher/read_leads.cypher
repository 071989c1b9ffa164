MATCH (n:Lead)
RETURN n.id AS id,
       n.seq AS seq,
       n.company_id AS company_id,
       n.product_id AS product_id,
       n.stage AS stage,
       n.owner AS owner,
       n.investment AS investment,
       n.source AS source,
       n.note AS note,
       n.lost_reason AS lost_reason,
       n.contract_date AS contract_date,
       n.imported AS imported,
       coalesce(n.extra, n.attrs) AS extra,
       n.created AS created,
       n.created_by AS created_by,
       n.updated AS updated
ORDER BY id
