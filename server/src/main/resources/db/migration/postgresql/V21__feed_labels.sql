-- A feed may publish only the entries of its bank that carry one of some labels.
ALTER TABLE feeds ADD COLUMN labels VARCHAR(4000);   -- JSON array of label names; null: every entry of the bank
