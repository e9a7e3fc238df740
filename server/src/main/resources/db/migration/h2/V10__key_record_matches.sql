-- Whether a lookup by this key without content details is recorded as a submission (and acted
-- on) when it hits: null or false, it is only a lookup unless the request asks; true, it is
-- recorded unless the request says not to.
ALTER TABLE api_keys ADD COLUMN record_matches BOOLEAN;
