// chainmap Neo4j schema: constraints and indexes, safe to run again (IF NOT EXISTS).
CREATE CONSTRAINT chain_id IF NOT EXISTS FOR (c:Chain) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (p:Product) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (c:Company) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:ChainmapMeta) REQUIRE m.key IS UNIQUE;
CREATE INDEX company_province IF NOT EXISTS FOR (c:Company) ON (c.province_code);
CREATE INDEX company_city IF NOT EXISTS FOR (c:Company) ON (c.city_code);
CREATE INDEX company_region IF NOT EXISTS FOR (c:Company) ON (c.region_code);
CREATE INDEX company_uscc IF NOT EXISTS FOR (c:Company) ON (c.uscc);
CREATE CONSTRAINT leads_id IF NOT EXISTS FOR (n:Lead) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT lead_events_id IF NOT EXISTS FOR (n:LeadEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT activities_id IF NOT EXISTS FOR (n:Activity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT followups_id IF NOT EXISTS FOR (n:FollowUp) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT merges_id IF NOT EXISTS FOR (n:FirmMerge) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.id IS UNIQUE;
