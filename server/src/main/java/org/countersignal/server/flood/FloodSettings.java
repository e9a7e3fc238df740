package org.countersignal.server.flood;

import java.time.Duration;

/**
 * When the flood guard holds an entry: when its hits in the last hour are at least
 * {@code minMatches} and more than {@code factor} times its baseline, the mean hits an hour over
 * the {@code baseline} period before (or since it was banked, when that is shorter). An entry a
 * curator released is not held again for {@code quietAfterRelease}.
 */
public record FloodSettings(double factor, long minMatches, Duration baseline, Duration quietAfterRelease) {

  /**
   * Ten times the usual rate and at least 100 hits in an hour, over the week before: a false
   * positive on a common image is hit thousands of times an hour, and a week covers the usual
   * daily and weekly swings of a platform's traffic.
   */
  public static final FloodSettings DEFAULT = new FloodSettings(10, 100, Duration.ofDays(7), Duration.ofHours(24));

  public FloodSettings {
    if (factor <= 1 || minMatches < 1 || baseline.toHours() < 1 || quietAfterRelease.isNegative()) {
      throw new IllegalArgumentException("flood guard settings: factor > 1, min matches >= 1, baseline >= 1 hour");
    }
  }
}
