-- The console reads the audit log by what an event was about (an entry's history), by action and
-- by who acted (the audit log page's filters), newest first: without these each such read walks
-- the whole log back from its newest event.
CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_key_id, id);
