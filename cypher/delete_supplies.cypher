// Remove supply links the workspace no longer holds ('' stands for no product).
UNWIND $rows AS r
MATCH (:Company {id: r.supplier_id})-[m:SUPPLIES]->(:Company {id: r.customer_id})
WHERE m.product = coalesce(r.product_id, '')
DELETE m
