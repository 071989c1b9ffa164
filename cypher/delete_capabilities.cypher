// Remove capability links (MAKES) the workspace no longer holds.
UNWIND $rows AS r
MATCH (:Company {id: r.company_id})-[m:MAKES]->(:Product {id: r.product_id})
DELETE m
