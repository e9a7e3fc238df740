package org.countersignal.server.auth;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.store.Clock;

/**
 * The end date a key may be given: an RFC 3339 instant, later than now and at most
 * {@link #MAX_YEARS_AHEAD} years ahead. A longer life is what "no expiry" is for; the bound catches
 * a mistyped year before it makes a key that practically never ends.
 */
public final class KeyExpiry {

  public static final int MAX_YEARS_AHEAD = 5;

  /** A key this close to its end says so on every answer, so integrations can warn before they break. */
  public static final Duration WARN_WITHIN = Duration.ofDays(7);

  /** The response header that carries the end of a key within {@link #WARN_WITHIN} of it. */
  public static final String WARNING_HEADER = "Countersignal-Key-Expires";

  private KeyExpiry() {}

  /** {@code text} as an instant (kept to the microsecond, as the database keeps it), or null for null. */
  public static OffsetDateTime parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Clock.utc(OffsetDateTime.parse(text.strip()).toInstant());
    } catch (DateTimeException e) { // a parse failure, or a year no instant can hold
      throw refused("an RFC 3339 instant with its offset, such as 2027-03-01T00:00:00Z (got '" + text + "')");
    }
  }

  /** Refuses an end that is not in the future or is more than {@link #MAX_YEARS_AHEAD} years ahead. */
  static void check(OffsetDateTime expiresAt, OffsetDateTime now) {
    if (expiresAt == null) {
      return;
    }
    if (!expiresAt.isAfter(now)) {
      throw refused("must be in the future (it is now " + Clock.text(now) + "); leave it out or null for a key that never expires");
    }
    if (expiresAt.isAfter(now.plusYears(MAX_YEARS_AHEAD))) {
      throw refused("at most " + MAX_YEARS_AHEAD + " years ahead; leave it out or null for a key that never expires");
    }
  }

  /** Whether a key ending at {@code expiresAt} (null: never) should warn its holder at {@code now}. */
  public static boolean warns(OffsetDateTime expiresAt, Instant now) {
    return expiresAt != null && now.plus(WARN_WITHIN).isAfter(expiresAt.toInstant());
  }

  private static RequestException refused(String detail) {
    return new RequestException(Kind.MALFORMED, "expires_at", "expires_at: " + detail);
  }
}
