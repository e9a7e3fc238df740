-- The frame hashes of video entries. entry_signals holds a video's vpdq signal as the SHA-256 of
-- these bytes (its identity, for duplicate checks and the change sequence); the frames, too long
-- for that column, are here.
CREATE TABLE entry_videos (
  entry_id BIGINT PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
  frames   INT NOT NULL,
  seconds  DOUBLE PRECISION NOT NULL,
  vpdq     BYTEA NOT NULL -- the frames in vPDQ's compact binary form
);
