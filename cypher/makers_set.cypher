// Write the maker lists of a batch of products (chainmap/makerlists.py).
UNWIND $rows AS r
MATCH (p:Product {id: r.id})
SET p.makers_ids = r.ids, p.makers_places = r.places, p.makers_customers = r.customers,
    p.makers_h = r.h
