package org.countersignal.server.review;

import org.countersignal.server.StoredWord;

/** An appeal's state: {@code appeals.status} and the API's {@code status}. */
public enum AppealStatus implements StoredWord {

  OPEN,
  UPHELD,
  REINSTATED;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static AppealStatus fromWire(String text) {
    return StoredWord.fromWire(AppealStatus.class, text);
  }
}
