package org.countersignal.server.review;

import org.countersignal.server.StoredWord;

/** What a case reviews: a match, an appeal against a removal, or content users reported ({@code cases.kind}). */
public enum CaseKind implements StoredWord {

  MATCH,
  APPEAL,
  REPORT;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static CaseKind fromWire(String text) {
    return StoredWord.fromWire(CaseKind.class, text);
  }
}
