package org.countersignal.server.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A video job's state: {@code jobs.status} and the API's {@code status}. */
public enum JobStatus {

  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  /** The word stored in the database and shown by the API (the name in lower case). */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The stored word as an SQL literal, for conditions written into a statement (the words are fixed, never input). */
  public String sql() {
    return "'" + wire() + "'";
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static JobStatus fromWire(String text) {
    for (JobStatus value : values()) {
      if (value.wire().equals(text)) {
        return value;
      }
    }
    return null;
  }

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
