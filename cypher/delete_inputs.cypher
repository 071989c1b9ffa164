// Remove input links the workspace no longer holds.
UNWIND $rows AS r
MATCH (:Product {id: r.upstream})-[m:INPUT_OF]->(:Product {id: r.downstream})
DELETE m
