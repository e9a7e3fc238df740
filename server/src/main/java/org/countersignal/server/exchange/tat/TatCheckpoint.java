package org.countersignal.server.exchange.tat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import org.countersignal.server.exchange.Checkpoint;

/**
 * Where a fetch of the Tech Against Terrorism hash list has got to: the source's own cursor,
 * {@code "{UTC timestamp},{record id}"} of the last record applied (such as
 * {@code "1724856487.709035,10594"}), kept as the source wrote it and given back as its
 * {@code after} parameter. The source orders its records by when they last changed, then by id,
 * so the cursor names one place in that order and the next page starts after it.
 *
 * <p>It never goes stale. The source does not drop a withdrawn hash from the list: the record
 * stays, flagged {@code deleted}, with its {@code updated_on} moved to the withdrawal, so a
 * withdrawal is a change like any other and is found after any cursor older than it, however old.
 * (Were the source ever to purge flagged records after some time, as ThreatExchange does after 90
 * days, a checkpoint older than that would be stale, and this is where that window would go.)
 *
 * @param cursor the source's cursor, as it wrote it
 */
public record TatCheckpoint(String cursor) implements Checkpoint {

  private static final BigDecimal LAST_SECOND = BigDecimal.valueOf(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());

  public TatCheckpoint {
    if (cursor == null) {
      throw new IllegalArgumentException("a TAT cursor is \"{timestamp},{id}\", not null");
    }
    timestamp(cursor);
  }

  /** The time of the last record applied, the cursor's first half. */
  @Override
  public Instant progress() {
    return timestamp(cursor);
  }

  /**
   * @throws IllegalArgumentException when {@code cursor} is not {@code "{seconds since 1970, UTC},{id}"}
   */
  private static Instant timestamp(String cursor) {
    int comma = cursor.indexOf(',');
    if (comma < 0 || cursor.indexOf(',', comma + 1) >= 0 || cursor.substring(comma + 1).isBlank()) {
      throw new IllegalArgumentException("'" + cursor + "' is not a TAT cursor \"{timestamp},{id}\"");
    }
    BigDecimal seconds;
    try {
      seconds = new BigDecimal(cursor.substring(0, comma).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + cursor + "' does not start with a timestamp in seconds");
    }
    if (seconds.signum() < 0 || seconds.compareTo(LAST_SECOND) > 0) {
      throw new IllegalArgumentException("'" + cursor + "' has a timestamp outside the years 1970 to 9999");
    }
    BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
    return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
  }
}
