package org.countersignal.server.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Times as the database stores them: UTC, microsecond precision (what both H2 and PostgreSQL keep). */
public final class Clock {

  private Clock() {}

  public static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** ISO-8601 text in UTC, or null. */
  public static String text(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}
