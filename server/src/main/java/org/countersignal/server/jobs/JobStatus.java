package org.countersignal.server.jobs;

import org.countersignal.server.StoredWord;

/** A video job's state: {@code jobs.status} and the API's {@code status}. */
public enum JobStatus implements StoredWord {

  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static JobStatus fromWire(String text) {
    return StoredWord.fromWire(JobStatus.class, text);
  }

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
