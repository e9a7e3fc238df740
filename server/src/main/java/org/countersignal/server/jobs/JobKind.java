package org.countersignal.server.jobs;

import org.countersignal.server.StoredWord;

/** What a video job does: hash the video, match it, or bank it ({@code jobs.kind}). */
public enum JobKind implements StoredWord {

  HASH,
  MATCH,
  BANK;

  /** The stored word, so that messages read as the API does. */
  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static JobKind fromWire(String text) {
    return StoredWord.fromWire(JobKind.class, text);
  }
}
