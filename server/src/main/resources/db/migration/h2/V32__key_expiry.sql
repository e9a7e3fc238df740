-- A key's end: from this instant on it is refused (401, "expired"). Null: it never expires, as
-- every key made before this column did not.
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
