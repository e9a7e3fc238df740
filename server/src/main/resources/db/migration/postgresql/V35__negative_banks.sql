-- What a bank is for: 'match' (its entries are what a match finds) or 'negative' (its entries
-- are known harmless content, and a query near one has its hits from other banks cancelled).
ALTER TABLE banks ADD COLUMN purpose VARCHAR(16) NOT NULL DEFAULT 'match';
