// Delete everything chainmap keeps in the database, in batches (auto-commit only).
MATCH (n)
WHERE n:Chain OR n:Product OR n:Company OR n:ChainmapMeta OR n:Lead OR n:LeadEvent
   OR n:Activity OR n:FollowUp OR n:FirmMerge OR n:AuditEntry
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
