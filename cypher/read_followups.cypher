MATCH (n:FollowUp)
RETURN n.id AS id,
       n.lead_id AS lead_id,
       n.due AS due,
       n.note AS note,
       n.at AS at,
       n.by AS by,
       n.done_at AS done_at,
       n.done_by AS done_by,
       n.done_note AS done_note
ORDER BY id
