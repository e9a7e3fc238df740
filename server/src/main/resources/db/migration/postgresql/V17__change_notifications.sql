-- Every transaction that appends to the change sequence tells the replicas sharing this database,
-- so they apply the change at once instead of at their next poll. A trigger rather than a call in
-- the code: no path that appends can forget it. Once per statement, not per row; and PostgreSQL
-- delivers a notification only at commit, folds identical ones within a transaction (a bulk
-- import's thousands of inserts) and drops them on rollback, so each commit that appended reaches
-- each listener as one notification, after its rows are visible. The payload is empty: a listener
-- reads everything after its own cursor, as its poll does.
CREATE FUNCTION signal_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('countersignal_changes', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER signal_changes_notify AFTER INSERT ON signal_changes
  FOR EACH STATEMENT EXECUTE FUNCTION signal_changes_notify();
