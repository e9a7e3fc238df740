package org.countersignal.server.action;

import org.countersignal.server.StoredWord;

/** What became of a submission: {@code submissions.status} and the API's {@code status}. */
public enum SubmissionStatus implements StoredWord {

  /** Matched nothing. */
  CLEAN,
  /** Matched, but no rule fired. */
  MATCHED,
  /** A decision waits for a reviewer. */
  IN_REVIEW,
  /** A rule acted without review. */
  ACTIONED,
  /** A reviewer (or a takeover) found it breaks policy. */
  VIOLATING,
  /** A reviewer cleared it. */
  BENIGN,
  /** Removed, then restored on appeal. */
  REINSTATED;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static SubmissionStatus fromWire(String text) {
    return StoredWord.fromWire(SubmissionStatus.class, text);
  }
}
