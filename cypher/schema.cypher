// chainmap Neo4j schema: constraints and indexes, safe to run again (IF NOT EXISTS).
CREATE CONSTRAINT chain_id IF NOT EXISTS FOR (c:Chain) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (p:Product) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (c:Company) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:ChainmapMeta) REQUIRE m.key IS UNIQUE;
CREATE INDEX company_province IF NOT EXISTS FOR (c:Company) ON (c.province_code);
CREATE INDEX company_city IF NOT EXISTS FOR (c:Company) ON (c.city_code);
CREATE INDEX company_region IF NOT EXISTS FOR (c:Company) ON (c.region_code);
CREATE INDEX company_uscc IF NOT EXISTS FOR (c:Company) ON (c.uscc);
