// Every product's id and the hash of the maker lists it holds (null: none).
MATCH (p:Product)
RETURN p.id AS id, p.makers_h AS h
