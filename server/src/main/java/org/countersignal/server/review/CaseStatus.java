package org.countersignal.server.review;

import org.countersignal.server.StoredWord;

/** A review case's state: {@code cases.status} and the API's {@code status}. */
public enum CaseStatus implements StoredWord {

  OPEN,
  ESCALATED,
  CONFIRMED,
  REJECTED,
  UPHELD,
  REINSTATED;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static CaseStatus fromWire(String text) {
    return StoredWord.fromWire(CaseStatus.class, text);
  }

  /** Open or escalated: in the queue, waiting for a decision. */
  public boolean isOpen() {
    return this == OPEN || this == ESCALATED;
  }
}
