-- entry_signals is looked up by a 64-bit hash of each signal's type and value instead of by the
-- value: the values of hash types are long and random, so an index on them was several times
-- larger, and a bulk write into a large bank rewrote most of its pages at every commit. The hash
-- is the first 8 bytes of SHA-256(type || LF || value), big-endian, as the service computes it.
ALTER TABLE entry_signals ADD COLUMN signal_hash BIGINT;
UPDATE entry_signals SET signal_hash = CAST(SUBSTRING(HASH('SHA-256', signal_type || CHAR(10) || signal_value) FROM 1 FOR 8) AS BIGINT);
ALTER TABLE entry_signals ALTER COLUMN signal_hash SET NOT NULL;
DROP INDEX entry_signals_value;
CREATE INDEX entry_signals_hash ON entry_signals (signal_hash);
