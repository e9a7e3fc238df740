package org.countersignal.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Every key's token bucket, in this process's memory. Deliberately not shared between replicas:
 * a database round trip per request would cost more than the lookups it guards, so behind a load
 * balancer over N replicas a key may make up to N times its limit. A bucket left alone for an hour
 * is forgotten and starts again full, which is where it would be by then for any useful rate.
 */
public final class KeyThrottle {

  private static final Duration FORGET_AFTER = Duration.ofHours(1);

  private final LongSupplier nanoClock;
  private final Cache<Long, TokenBucket> buckets = Caffeine.newBuilder()
      .expireAfterAccess(FORGET_AFTER)
      .maximumSize(100_000)
      .build();

  public KeyThrottle() {
    this(System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests pass their own) */
  public KeyThrottle(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Charges {@code cost} tokens to key {@code keyId} under {@code limit}: 0 if granted, else how
   * long (in nanoseconds) until it would be. A changed limit (an admin set the key's own) starts
   * a full bucket: only an admin can change it, so there is nothing to game.
   */
  public long take(long keyId, RateLimit limit, double cost) {
    if (limit.unlimited()) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    TokenBucket bucket = buckets.asMap().compute(keyId,
        (id, existing) -> existing != null && existing.limit().equals(limit) ? existing : new TokenBucket(limit, now));
    return bucket.take(cost, now);
  }
}
