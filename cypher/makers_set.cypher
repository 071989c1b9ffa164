// Write the maker lists of a batch of products (chainmap/makerlists.py), and remove the
// lists' seal ($seal: its meta keys) in the same transaction: lists written after
// another push sealed its own leave the report reading the graph until one seals again.
UNWIND $rows AS r
MATCH (p:Product {id: r.id})
SET p.makers_ids = r.ids, p.makers_places = r.places, p.makers_customers = r.customers,
    p.makers_h = r.h
WITH count(*) AS written
OPTIONAL MATCH (m:ChainmapMeta)
WHERE m.key IN $seal
DELETE m
