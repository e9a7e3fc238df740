-- Compacting the change sequence (store.ChangeCompaction): beyond the content retention time each
-- signal keeps only its last change, and a signal whose last change removed it keeps none.
-- compacted_through is the last position compacted: a reader that stopped before it may have
-- missed a change that is gone, so it starts again from the beginning (an index snapshot is not
-- used, a feed's peer is told to fetch from the start).
ALTER TABLE change_counter ADD COLUMN compacted_through BIGINT NOT NULL DEFAULT 0;

-- A signal's earlier changes, found from its later one: the compaction's lookup.
CREATE INDEX signal_changes_entry ON signal_changes (entry_id, seq);
