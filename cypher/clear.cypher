// Delete everything chainmap keeps in the database, in batches (auto-commit only):
// first the relationships (from chainmap's nodes), then the nodes, so that no batch has
// to hold a product's thousands of relationships at once.
MATCH (n)-[r]->()
WHERE n:Chain OR n:Product OR n:Company OR n:ChainmapMeta OR n:Lead OR n:LeadEvent
   OR n:Activity OR n:FollowUp OR n:FirmMerge OR n:AuditEntry OR n:Liaison
   OR n:ServiceRequest OR n:RequestEvent OR n:ServiceVisit OR n:Commitment OR n:Actual
   OR n:StageLimit
CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS;
MATCH (n)
WHERE n:Chain OR n:Product OR n:Company OR n:ChainmapMeta OR n:Lead OR n:LeadEvent
   OR n:Activity OR n:FollowUp OR n:FirmMerge OR n:AuditEntry OR n:Liaison
   OR n:ServiceRequest OR n:RequestEvent OR n:ServiceVisit OR n:Commitment OR n:Actual
   OR n:StageLimit
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS;
