package org.countersignal.server;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A state or kind kept as a word: its name in lower case is what the database stores and the API
 * shows, so the enum is the one list of the words a column may hold.
 */
public interface StoredWord {

  String name();

  /** The word stored in the database and shown by the API (the name in lower case). */
  @JsonValue
  default String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stored word as an SQL literal, for conditions written into a statement (the words are fixed, never input). */
  default String sql() {
    return "'" + wire() + "'";
  }

  /** The value of {@code type} that {@code text} names (exactly, as stored), or null. */
  static <E extends Enum<E> & StoredWord> E fromWire(Class<E> type, String text) {
    for (E value : type.getEnumConstants()) {
      if (value.wire().equals(text)) {
        return value;
      }
    }
    return null;
  }
}
