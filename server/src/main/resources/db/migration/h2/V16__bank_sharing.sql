-- Sharing levels (the Traffic Light Protocol) of a bank's entries: red never leaves this instance,
-- amber goes only to the named peers of a feed, green may go on to the peers' own community,
-- clear to anyone. sharing: for a local bank its level; for a bank that follows an exchange, a cap
-- this instance puts on the level its source gave (received_sharing), which it cannot widen.
-- received_sharing: the level the source's latest records carried; null for a local bank, and for
-- a source that gives none (then nothing of the bank leaves this instance).
ALTER TABLE banks ADD COLUMN sharing VARCHAR(8) DEFAULT 'amber' NOT NULL;
ALTER TABLE banks ADD COLUMN received_sharing VARCHAR(8);
UPDATE banks SET sharing = 'clear' WHERE follows IS NOT NULL;
