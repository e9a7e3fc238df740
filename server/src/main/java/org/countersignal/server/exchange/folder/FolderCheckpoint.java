package org.countersignal.server.exchange.folder;

import java.time.Instant;
import org.countersignal.server.exchange.Checkpoint;

/**
 * How far a folder has been read: the file being read (or read last), its modification time, how
 * many of its lines are applied, and whether it is done. Files are read in order of modification
 * time then name, so a checkpoint never moves backwards.
 */
public record FolderCheckpoint(String file, long modifiedMillis, long lines, boolean done) implements Checkpoint {

  @Override
  public Instant progress() {
    return Instant.ofEpochMilli(modifiedMillis);
  }

  /** Whether a file with this modification time and name comes after this checkpoint's file. */
  boolean isBefore(long modified, String name) {
    return modified > modifiedMillis || (modified == modifiedMillis && name.compareTo(file) > 0);
  }
}
