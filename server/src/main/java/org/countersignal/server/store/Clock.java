package org.countersignal.server.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;

/**
 * Times as the database stores them: UTC, microsecond precision (what both H2 and PostgreSQL
 * keep), read from the service's {@link java.time.Clock}. The start-up wiring gives that clock
 * to the database's Jdbi ({@link #use}), and every service reads it from there: each holds the
 * Jdbi, and the helpers that write in the caller's transaction (the audit log, the outbox, the
 * change log) take its handle, which carries the same configuration. So one clock, injected
 * once, is the time of every row, and tests move it instead of rewriting rows.
 */
public final class Clock {

  private Clock() {}

  /** Gives {@code jdbi}, and every handle it opens from now on, the clock to read. */
  public static void use(Jdbi jdbi, java.time.Clock clock) {
    jdbi.getConfig(Source.class).clock = clock;
  }

  /** The clock {@code jdbi} carries (the system's UTC clock unless {@link #use} said otherwise). */
  public static java.time.Clock of(Jdbi jdbi) {
    return jdbi.getConfig(Source.class).clock;
  }

  public static OffsetDateTime now(java.time.Clock clock) {
    return utc(clock.instant());
  }

  /** Now on the clock of the caller's transaction. */
  public static OffsetDateTime now(Handle h) {
    return now(h.getConfig(Source.class).clock);
  }

  public static OffsetDateTime now(Jdbi jdbi) {
    return now(of(jdbi));
  }

  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * A day ({@code 2026-01-01}: its start in UTC) or a time with its offset
   * ({@code 2026-01-01T12:00:00Z}), as the ends of a period are given.
   *
   * @throws java.time.format.DateTimeParseException when it is neither
   */
  public static OffsetDateTime dayOrTime(String text) {
    return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC) : OffsetDateTime.parse(text);
  }

  /** ISO-8601 text in UTC, or null. */
  public static String text(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  /** Jdbi configuration holding the clock; copied into each handle as Jdbi copies all configuration. */
  public static final class Source implements JdbiConfig<Source> {

    private java.time.Clock clock = java.time.Clock.systemUTC();

    public Source() {}

    private Source(Source other) {
      this.clock = other.clock;
    }

    @Override
    public Source createCopy() {
      return new Source(this);
    }
  }
}
