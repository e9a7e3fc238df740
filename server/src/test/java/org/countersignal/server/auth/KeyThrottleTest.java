package org.countersignal.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves: bursts, refill, the wait it reports, per key. */
class KeyThrottleTest {

  static final long SECOND = 1_000_000_000L;

  final AtomicLong now = new AtomicLong(42 * SECOND);
  final KeyThrottle throttle = new KeyThrottle(now::get);

  @Test
  void aBurstPassesThenTheRateRefillsIt() {
    RateLimit limit = new RateLimit(2, 4);
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.take(1, limit, 1)).isZero();
    }
    assertThat(throttle.take(1, limit, 1)).isEqualTo(SECOND / 2);
    now.addAndGet(SECOND / 2);
    assertThat(throttle.take(1, limit, 1)).isZero();
    assertThat(throttle.take(1, limit, 1)).isEqualTo(SECOND / 2);
    now.addAndGet(100 * SECOND);
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.take(1, limit, 1)).as("refilled to the burst, no further").isZero();
    }
    assertThat(throttle.take(1, limit, 1)).isPositive();
  }

  @Test
  void keysHaveTheirOwnBucketsAndAnUnlimitedKeyNone() {
    RateLimit limit = new RateLimit(1, 1);
    assertThat(throttle.take(1, limit, 1)).isZero();
    assertThat(throttle.take(1, limit, 1)).isEqualTo(SECOND);
    assertThat(throttle.take(2, limit, 1)).isZero();
    for (int i = 0; i < 1000; i++) {
      assertThat(throttle.take(3, RateLimit.UNLIMITED, 100)).isZero();
    }
  }

  @Test
  void aCostlyRequestWaitsForItsTokensAndNeverForMoreThanTheBurst() {
    RateLimit limit = new RateLimit(10, 150);
    assertThat(throttle.take(1, limit, 100)).isZero();
    assertThat(throttle.take(1, limit, 100)).isEqualTo(5 * SECOND);
    assertThat(throttle.take(1, limit, 50)).isZero();
    RateLimit small = new RateLimit(10, 20);
    assertThat(throttle.take(2, small, 100)).as("costs at most a full bucket").isZero();
  }

  @Test
  void aChangedLimitStartsAFullBucket() {
    assertThat(throttle.take(1, new RateLimit(1, 1), 1)).isZero();
    assertThat(throttle.take(1, new RateLimit(1, 1), 1)).isPositive();
    assertThat(throttle.take(1, new RateLimit(1, 3), 3)).isZero();
  }
}
