package org.countersignal.server.userreport;

import org.countersignal.server.StoredWord;

/** Why a reporter reports the content: the vocabulary the platform maps its report form onto ({@code user_reports.reason}). */
public enum ReportReason implements StoredWord {

  TERRORIST_CONTENT,
  VIOLENT_EXTREMISM,
  GLORIFICATION,
  RECRUITMENT,
  THREAT,
  OTHER;

  @Override
  public String toString() {
    return wire();
  }

  /** The value {@code text} names (exactly, as stored), or null. */
  public static ReportReason fromWire(String text) {
    return StoredWord.fromWire(ReportReason.class, text);
  }

  /** The words, for messages. */
  static String words() {
    return String.join(", ", java.util.Arrays.stream(values()).map(StoredWord::wire).toList());
  }
}
