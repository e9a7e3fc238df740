-- The housekeeping that re-enables entries whose disabled-until time has passed runs every few
-- seconds: it reads this index, not every entry of every bank.
CREATE INDEX entries_disabled_until ON entries (disabled_until);

-- A feed's pages and waits read one bank's changes: without this, a peer's first page of a small
-- bank (a new incident's) scanned every change of every bank before it.
CREATE INDEX signal_changes_bank ON signal_changes (bank_id, seq);
