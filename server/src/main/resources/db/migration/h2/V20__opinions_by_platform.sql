-- Opinions through hubs: a peer of a feed may pass on the words of the platforms that follow it
-- (it is then a hub), so the publisher keeps each word under the platform it is from, and a
-- subscriber records what it told of each platform's words.

-- The platform a word is from: an instance id (cs-...), the peer's own when the peer named itself,
-- another's when a hub passed it on; empty: the peer's own words from a report that named no
-- platform (every row kept before this migration).
ALTER TABLE feed_opinions ADD COLUMN platform VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE feed_opinions DROP PRIMARY KEY;
ALTER TABLE feed_opinions ADD CONSTRAINT feed_opinions_pk PRIMARY KEY (signal_hash, feed_id, peer, platform, signal_type, signal_value);
-- A report that names its sender's platform moves the sender's unnamed words to it: found by peer.
CREATE INDEX feed_opinions_peer ON feed_opinions (feed_id, peer, platform);

-- Whose words a report told: empty for this instance's own, else the platform a word passed on is from.
ALTER TABLE exchange_reported_opinions ADD COLUMN platform VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE exchange_reported_opinions DROP PRIMARY KEY;
ALTER TABLE exchange_reported_opinions ADD CONSTRAINT exchange_reported_opinions_pk
  PRIMARY KEY (exchange_id, platform, signal_type, signal_value);
