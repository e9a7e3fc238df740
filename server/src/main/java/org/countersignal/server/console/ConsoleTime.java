package org.countersignal.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A time the API gives as an ISO instant, as every console page shows it ({@code time.jte}):
 * {@code shown} in UTC, to the minute or to the second, with the exact instant {@code iso} kept
 * in the {@code <time>} element; a text that is not an instant is shown as it came ({@code iso}
 * null), and no time at all as a dash (both null).
 */
record ConsoleTime(String iso, String shown) {

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  static ConsoleTime of(String iso, boolean seconds) {
    if (iso == null) {
      return new ConsoleTime(null, null);
    }
    try {
      return new ConsoleTime(iso, (seconds ? SECONDS : MINUTES).format(Instant.parse(iso)));
    } catch (DateTimeParseException e) {
      return new ConsoleTime(null, iso);
    }
  }
}
