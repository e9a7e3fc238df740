-- A hash chain over the audit log (audit.AuditChain). Writers append records as before and never
-- touch the chain; a sealer folds the records committed since the last seal, in id order, into
-- the next seal, whose hash covers the seal before it. Each record names the seal that covers it
-- (null until sealed), so a record that commits after records with higher ids is sealed later
-- rather than missed, and a record removed or altered afterwards no longer adds up to its seal.
ALTER TABLE audit_log ADD COLUMN seal BIGINT;
CREATE INDEX audit_log_by_seal ON audit_log (seal, id);

CREATE TABLE audit_seals (
  seq            BIGINT       PRIMARY KEY,   -- 1, 2, 3...: the primary key keeps the chain from forking
  sealed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  records        INTEGER      NOT NULL,
  first_id       BIGINT       NOT NULL,
  last_id        BIGINT       NOT NULL,
  records_sha256 VARCHAR(64)  NOT NULL,      -- SHA-256 of the seal's records, each encoded as AuditChain describes
  chain_sha256   VARCHAR(64)  NOT NULL,      -- SHA-256 of the previous seal's chain hash, this seal's number and count, and records_sha256
  mac            VARCHAR(64)  NOT NULL       -- HMAC-SHA256 of chain_sha256 under a key derived from the server's secret key file
);
