package org.countersignal.server.action;

import org.countersignal.server.StoredWord;

/** Where a decision stands: {@code decisions.state} and the API's {@code state}. */
public enum DecisionState implements StoredWord {

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

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static DecisionState fromWire(String text) {
    return StoredWord.fromWire(DecisionState.class, text);
  }
}
