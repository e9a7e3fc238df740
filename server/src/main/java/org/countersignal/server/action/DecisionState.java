package org.countersignal.server.action;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a decision stands: {@code decisions.state} and the API's {@code state}. */
public enum DecisionState {

  /** Acted on and told to the platform. */
  TAKEN,
  /** Waits for a reviewer. */
  PENDING_REVIEW,
  /** A reviewer confirmed it (and it was told). */
  CONFIRMED,
  /** A reviewer rejected it. */
  REJECTED,
  /** Undone by an appeal. */
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
  public static DecisionState fromWire(String text) {
    for (DecisionState value : values()) {
      if (value.wire().equals(text)) {
        return value;
      }
    }
    return null;
  }
}
