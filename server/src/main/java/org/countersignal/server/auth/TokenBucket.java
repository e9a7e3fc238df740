package org.countersignal.server.auth;

/**
 * One key's tokens: refilled continuously at the limit's rate up to its burst, taken by requests.
 * Times are the caller's nanosecond clock, so tests can drive it; a refusal says how long until
 * the request would have been granted, which becomes the {@code Retry-After} header.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final RateLimit limit;
  private double tokens;
  private long refilledAt;

  TokenBucket(RateLimit limit, long now) {
    this.limit = limit;
    this.tokens = limit.burst();
    this.refilledAt = now;
  }

  RateLimit limit() {
    return limit;
  }

  /**
   * Takes {@code cost} tokens (no more than the burst: a request costing more could never pass)
   * and returns 0, or takes nothing and returns the nanoseconds until it could.
   */
  synchronized long take(double cost, long now) {
    refill(now);
    double needed = Math.min(cost, limit.burst());
    if (tokens >= needed) {
      tokens -= needed;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((needed - tokens) / limit.perSecond() * NANOS_PER_SECOND));
  }

  private synchronized void refill(long now) {
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(limit.burst(), tokens + elapsed / NANOS_PER_SECOND * limit.perSecond());
      refilledAt = now;
    }
  }
}
