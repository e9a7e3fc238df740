-- Federation: signing keys rotate, each new key announced by the one before it; and an entry that
-- came from another instance keeps the instance it first came from.

-- The key a rotated key replaced (null for the first), and the previous key's signature of the
-- announcement "this key succeeds me", which subscribers pinned to the old key check.
ALTER TABLE instance_keys ADD COLUMN succeeds BIGINT;
ALTER TABLE instance_keys ADD COLUMN announcement VARCHAR(200);

-- The instance an entry first came from (its id, as its feed pages name it); null for an entry
-- made here or brought by an exchange that is not another instance.
ALTER TABLE entries ADD COLUMN origin VARCHAR(200);
