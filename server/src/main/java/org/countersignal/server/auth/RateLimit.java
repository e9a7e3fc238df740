package org.countersignal.server.auth;

/**
 * How fast one key may call: {@code perSecond} tokens a second refill a bucket of {@code burst}
 * tokens, and each request takes one (more for expensive ones). A rate of 0 means no limit.
 */
public record RateLimit(double perSecond, long burst) {

  /** No limit: for a benchmark's key, set by an admin. */
  public static final RateLimit UNLIMITED = new RateLimit(0, 0);

  /** The most either figure may be: beyond it the limit could as well be none. */
  static final double MAX = 1_000_000_000;

  public RateLimit {
    if (!(perSecond >= 0 && perSecond <= MAX)) {
      throw new IllegalArgumentException("per_second must be 0 (no limit) to " + (long) MAX + ", got " + perSecond);
    }
    if (perSecond == 0) {
      burst = 0;
    } else if (burst < 1 || burst > MAX) {
      throw new IllegalArgumentException("burst must be 1 to " + (long) MAX + ", got " + burst);
    }
  }

  /** A rate with the usual burst: two seconds' worth, at least one request. */
  public static RateLimit of(double perSecond, Long burst) {
    if (burst != null) {
      return new RateLimit(perSecond, burst);
    }
    return new RateLimit(perSecond, perSecond == 0 ? 0 : Math.max(1, (long) Math.ceil(2 * perSecond)));
  }

  public boolean unlimited() {
    return perSecond == 0;
  }

  /** {@code 20000/40000}, or {@code unlimited}: how settings write it. */
  @Override
  public String toString() {
    if (unlimited()) {
      return "unlimited";
    }
    String rate = perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
    return rate + "/" + burst;
  }
}
