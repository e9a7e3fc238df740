package org.countersignal.server.incident.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** How long each span of an incident's figures is: an hour while that gives a readable number of them, then a day, then a week (UTC). */
public enum Granularity {
  HOUR(Duration.ofHours(1)),
  DAY(Duration.ofDays(1)),
  /** Weeks start on Monday. */
  WEEK(Duration.ofDays(7));

  /** The longest incident counted by the hour: 336 hours. */
  static final Duration MAX_HOURLY = Duration.ofDays(14);
  /** The longest counted by the day: 400 days; a longer one is counted by the week. */
  static final Duration MAX_DAILY = Duration.ofDays(400);

  private final Duration length;

  Granularity(Duration length) {
    this.length = length;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Granularity fromWire(String text) {
    for (Granularity unit : values()) {
      if (unit.wireName().equals(text)) {
        return unit;
      }
    }
    throw new IllegalArgumentException("no granularity " + text);
  }

  /** The span for figures that run from {@code from} to {@code to}. */
  static Granularity spanning(Instant from, Instant to) {
    Duration span = Duration.between(from, to);
    if (span.compareTo(MAX_HOURLY) <= 0) {
      return HOUR;
    }
    return span.compareTo(MAX_DAILY) <= 0 ? DAY : WEEK;
  }

  /** The start of the span holding {@code time}. */
  Instant floor(Instant time) {
    return switch (this) {
      case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
      case DAY -> time.truncatedTo(ChronoUnit.DAYS);
      case WEEK -> LocalDate.ofInstant(time, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
          .atStartOfDay(ZoneOffset.UTC).toInstant();
    };
  }

  Instant next(Instant start) {
    return start.plus(length);
  }
}
