package org.countersignal.server.action;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What became of a submission: {@code submissions.status} and the API's {@code status}. */
public enum SubmissionStatus {

  /** Matched nothing. */
  CLEAN,
  /** Matched, but no rule fired. */
  MATCHED,
  /** A decision waits for a reviewer. */
  IN_REVIEW,
  /** A rule acted without review. */
  ACTIONED,
  /** A reviewer (or a takeover) found it breaks policy. */
  VIOLATING,
  /** A reviewer cleared it. */
  BENIGN,
  /** Removed, then restored on appeal. */
  REINSTATED;

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
  public static SubmissionStatus fromWire(String text) {
    for (SubmissionStatus value : values()) {
      if (value.wire().equals(text)) {
        return value;
      }
    }
    return null;
  }
}
