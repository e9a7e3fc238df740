package org.countersignal.server.review;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a case reviews: a match, or an appeal against a removal ({@code cases.kind}). */
public enum CaseKind {

  MATCH,
  APPEAL;

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
  public static CaseKind fromWire(String text) {
    for (CaseKind value : values()) {
      if (value.wire().equals(text)) {
        return value;
      }
    }
    return null;
  }
}
