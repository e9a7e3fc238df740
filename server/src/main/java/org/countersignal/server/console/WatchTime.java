package org.countersignal.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How the proposals, floods and streams pages write a time the API gave as an ISO instant: UTC,
 * to the minute or to the second ({@code stream-time.jte} keeps the exact instant in the element).
 */
final class WatchTime {

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private WatchTime() {}

  /** {@code iso} as a page shows it, or null when it is absent or not an instant (the page then shows it as it came). */
  static String utc(String iso, boolean seconds) {
    if (iso == null) {
      return null;
    }
    try {
      return (seconds ? SECONDS : MINUTES).format(Instant.parse(iso));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
