-- The housekeeping that re-enables entries whose disabled-until time has passed runs every few
-- seconds: it reads this index, not every entry of every bank.
CREATE INDEX entries_disabled_until ON entries (disabled_until);
