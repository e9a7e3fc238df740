package org.countersignal.server.transparency;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The words the report's HTML and PDF share: its period, a median time, a count. */
public final class ReportText {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMMM uuuu HH:mm 'UTC'", Locale.ENGLISH);

  private ReportText() {}

  /** "1 January 2026 to 31 December 2026" for whole days (the end is exclusive, so the day before it is the last). */
  public static String period(TransparencyReport report) {
    OffsetDateTime from = OffsetDateTime.parse(report.periodFrom());
    OffsetDateTime to = OffsetDateTime.parse(report.periodTo());
    if (midnight(from) && midnight(to)) {
      return DAY.format(from) + " to " + DAY.format(to.minusDays(1));
    }
    return TIME.format(from) + " to " + TIME.format(to);
  }

  private static boolean midnight(OffsetDateTime time) {
    return time.toLocalTime().toSecondOfDay() == 0 && time.getNano() == 0;
  }

  public static String when(String instant) {
    return instant == null ? "" : TIME.format(OffsetDateTime.parse(instant));
  }

  /** A median time to decide, in the unit that reads best: "42 s", "17 min", "3.5 h", "2.1 days". */
  public static String duration(Long seconds) {
    if (seconds == null) {
      return "";
    }
    Duration d = Duration.ofSeconds(seconds);
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return d.toMinutes() + " min";
    }
    if (seconds < 2 * 86_400) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
    return String.format(Locale.ROOT, "%.1f days", seconds / 86_400.0);
  }

  public static String count(long n) {
    return String.format(Locale.ENGLISH, "%,d", n);
  }

  /** A stored word as a reader reads it: "hash_match" as "hash match". */
  public static String word(String value) {
    return value.replace('_', ' ');
  }

  public static String status(TransparencyReport report) {
    return report.id() == null ? "Preview, not published: the figures may still change."
        : "Published " + when(report.generatedAt()) + ". Figures checksum (SHA-256): " + report.figuresSha256();
  }

  public static String counted(TransparencyReport report) {
    return "Counted from the transparency ledger up to event " + report.eventsThrough() + " and the submissions up to "
        + report.submissionsThrough() + ". Counting these rows again gives the same figures.";
  }
}
