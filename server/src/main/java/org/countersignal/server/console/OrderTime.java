package org.countersignal.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A time of the orders' API as their pages show it, in UTC, the exact instant kept for the
 * {@code <time>} element; {@code datetime} is null for a text that is not an instant, shown as it is.
 */
record OrderTime(String datetime, String text) {

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** {@code iso} to the minute or to the second; null when there is no time (the page shows a dash). */
  static OrderTime of(String iso, boolean seconds) {
    if (iso == null) {
      return null;
    }
    try {
      return new OrderTime(iso, (seconds ? SECONDS : MINUTES).format(Instant.parse(iso)));
    } catch (DateTimeParseException e) {
      return new OrderTime(null, iso);
    }
  }
}
