package org.countersignal.server.webhook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A webhook delivery's state: {@code webhook_deliveries.status} and the API's {@code status}. */
public enum DeliveryStatus {

  PENDING,
  DELIVERED,
  DEAD;

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
  public static DeliveryStatus fromWire(String text) {
    for (DeliveryStatus value : values()) {
      if (value.wire().equals(text)) {
        return value;
      }
    }
    return null;
  }
}
