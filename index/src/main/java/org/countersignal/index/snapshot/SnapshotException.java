package org.countersignal.index.snapshot;

import java.io.IOException;

/** A snapshot file that cannot be loaded; nothing of it has been exposed. */
public class SnapshotException extends IOException {
  private static final long serialVersionUID = 1L;

  public SnapshotException(String message) {
    super(message);
  }
}
