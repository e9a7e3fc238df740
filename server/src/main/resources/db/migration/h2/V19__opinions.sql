-- Opinions between instances: what the peers of a feed hold of its signals (kept by the
-- publisher), when a bank switches off an entry its peers dispute, and what a subscriber last told
-- a publisher (kept by the subscriber, so that it sends only what changed).

-- A bank switches off an entry once this many peers dispute it (their opinion of it is negative
-- or disputed); null: never.
ALTER TABLE banks ADD COLUMN disable_when_disputed_by INT;

-- Each peer's latest word on a signal of its feed's bank: an opinion and how often it saw it. A
-- peer's new word on a signal replaces its old one; removing the peer removes its words.
CREATE TABLE feed_opinions (
  feed_id      BIGINT       NOT NULL,
  peer         VARCHAR(200) NOT NULL,
  signal_hash  BIGINT       NOT NULL,          -- as entry_signals.signal_hash, so an entry finds its opinions by index
  signal_type  VARCHAR(32)  NOT NULL,
  signal_value VARCHAR(512) NOT NULL,          -- the identity, as entry_signals and the change sequence keep it
  opinion      VARCHAR(16),                    -- positive | negative | disputed; null: none, only seen
  seen         BIGINT       NOT NULL,          -- how many of the peer's own submissions it matched
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (signal_hash, feed_id, peer, signal_type, signal_value),
  FOREIGN KEY (feed_id, peer) REFERENCES feed_peers (feed_id, name) ON DELETE CASCADE
);

-- What this instance last told an exchange's source of each signal of the exchange's bank. A new
-- report sends only what differs from this; destination (a hash of the exchange's configuration)
-- changes when the exchange is pointed elsewhere, and everything is then told afresh.
CREATE TABLE exchange_reported_opinions (
  exchange_id  BIGINT       NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
  signal_type  VARCHAR(32)  NOT NULL,
  signal_value VARCHAR(512) NOT NULL,
  opinion      VARCHAR(16),                    -- positive_class | negative_class | disputed; null: none
  seen         BIGINT       NOT NULL,
  destination  VARCHAR(64)  NOT NULL,
  reported_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (exchange_id, signal_type, signal_value)
);
