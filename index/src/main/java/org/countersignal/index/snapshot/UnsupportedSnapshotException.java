package org.countersignal.index.snapshot;

/** The file is a snapshot, but of a format version or index kind this code cannot read. */
public class UnsupportedSnapshotException extends SnapshotException {
  private static final long serialVersionUID = 1L;

  public UnsupportedSnapshotException(String message) {
    super(message);
  }
}
