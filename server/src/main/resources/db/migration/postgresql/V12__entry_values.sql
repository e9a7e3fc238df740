-- The whole values of signals too long for entry_signals (a text's sketches): entry_signals holds
-- each one's identity, and the indexes read the value from here. locations: where the value's
-- parts lie in the content the service computed it from (a text's word offsets and pages), as
-- JSON; null for a value given as text.
CREATE TABLE entry_values (
  entry_id    BIGINT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  signal_type VARCHAR(32) NOT NULL,
  signal      TEXT NOT NULL,
  locations   TEXT,
  PRIMARY KEY (entry_id, signal_type)
);

-- What a hit covers, as JSON: which part of a banked text matched, with an excerpt of the query's
-- own text (content: cleared with the submission's media when its retention ends).
ALTER TABLE submission_matches ADD COLUMN part TEXT;
