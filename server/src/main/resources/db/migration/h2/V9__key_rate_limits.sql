-- A key's own request rate, overriding its role's default: both null means the role's default,
-- a rate of 0 means no limit (a benchmark's key). Tokens per second and the bucket's size.
ALTER TABLE api_keys ADD COLUMN rate_per_second DOUBLE PRECISION;
ALTER TABLE api_keys ADD COLUMN rate_burst      BIGINT;

-- Fair turns between keys for video jobs read each key's latest start.
CREATE INDEX jobs_by_key ON jobs (key_id, started_at);
