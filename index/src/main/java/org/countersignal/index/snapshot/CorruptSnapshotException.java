package org.countersignal.index.snapshot;

/** The file is not a complete, intact snapshot: wrong magic, truncated, or a checksum mismatch. */
public class CorruptSnapshotException extends SnapshotException {
  private static final long serialVersionUID = 1L;

  public CorruptSnapshotException(String message) {
    super(message);
  }
}
