package org.countersignal.server.webhook;

import org.countersignal.server.StoredWord;

/** A webhook delivery's state: {@code webhook_deliveries.status} and the API's {@code status}. */
public enum DeliveryStatus implements StoredWord {

  PENDING,
  DELIVERED,
  DEAD;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static DeliveryStatus fromWire(String text) {
    return StoredWord.fromWire(DeliveryStatus.class, text);
  }
}
