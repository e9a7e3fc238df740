-- What the HMA-compatible routes keep beyond a bank and an entry: a bank's matching ratio (HMA
-- matches a bank on that share of lookups; a bank without a row matches on all of them while
-- enabled), and the metadata and original URL an HMA client gave with banked content.
CREATE TABLE hma_bank_ratios (
  bank_id       BIGINT PRIMARY KEY REFERENCES banks (id) ON DELETE CASCADE,
  enabled_ratio DOUBLE PRECISION NOT NULL
);

CREATE TABLE hma_contents (
  entry_id           BIGINT PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
  original_media_uri VARCHAR(2000),
  metadata           VARCHAR(20000)
);
