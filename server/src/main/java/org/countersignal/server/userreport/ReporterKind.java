package org.countersignal.server.userreport;

import org.countersignal.server.StoredWord;

/** Who made a report: a user of the platform, or a trusted flagger (a body the platform trusts to flag well, such as the DSA's Art. 22 trusted flaggers) ({@code user_reports.reporter_kind}). */
public enum ReporterKind implements StoredWord {

  USER,
  TRUSTED_FLAGGER;

  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static ReporterKind fromWire(String text) {
    return StoredWord.fromWire(ReporterKind.class, text);
  }

  /** The words, for messages. */
  static String words() {
    return String.join(", ", java.util.Arrays.stream(values()).map(StoredWord::wire).toList());
  }
}
