-- Archiving the audit log (audit.AuditArchive): the records of old seals are read out into an
-- archive file and then deleted here; their seals stay, so the chain still runs unbroken from the
-- first seal and an archive file is checked against the seals it claims. archived_at is when the
-- seal's records were deleted, archive_sha256 the SHA-256 of the archive file that holds them.
ALTER TABLE audit_seals ADD COLUMN archived_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE audit_seals ADD COLUMN archive_sha256 VARCHAR(64);
