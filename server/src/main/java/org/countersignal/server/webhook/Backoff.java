package org.countersignal.server.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the wait before retry n is drawn uniformly from zero to
 * {@code min(max, base * 2^(n-1))}. The jitter spreads retries of many deliveries that failed
 * together (a receiver that was down) instead of sending them back in one burst.
 */
final class Backoff {

  private final long baseMillis;
  private final long maxMillis;

  Backoff(Duration base, Duration max) {
    this.baseMillis = base.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The ceiling of the wait after {@code failedAttempts} failures (1 for the first). */
  long ceilingMillis(int failedAttempts) {
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
    long ceiling = baseMillis << doublings;
    return ceiling <= 0 || ceiling > maxMillis ? maxMillis : ceiling;
  }

  Duration delay(int failedAttempts) {
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceilingMillis(failedAttempts) + 1));
  }
}
