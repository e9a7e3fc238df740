package org.countersignal.server.action;

import org.countersignal.server.StoredWord;

/** Who made a decision: {@code decisions.source} and the API's {@code source}. */
public enum DecisionSource implements StoredWord {

  RULE,
  REVIEW,
  APPEAL,
  TAKEOVER;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static DecisionSource fromWire(String text) {
    return StoredWord.fromWire(DecisionSource.class, text);
  }
}
