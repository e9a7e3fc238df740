package org.countersignal.server.userreport;

import org.countersignal.server.StoredWord;

/** A report's state: open while its case waits, then what the reviewer found ({@code user_reports.state}). */
public enum ReportState implements StoredWord {

  OPEN,
  VIOLATING,
  NO_VIOLATION;

  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static ReportState fromWire(String text) {
    return StoredWord.fromWire(ReportState.class, text);
  }

  /** The words, for messages. */
  static String words() {
    return String.join(", ", java.util.Arrays.stream(values()).map(StoredWord::wire).toList());
  }
}
