package org.countersignal.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves: the system's time plus however far the test has moved it. Given to a
 * server, it makes claims lapse and appeals fall due without the test rewriting rows; time still
 * runs, so what the server schedules on real time carries on as usual.
 */
final class TestClock extends Clock {

  private final AtomicReference<Duration> moved = new AtomicReference<>(Duration.ZERO);

  void advance(Duration by) {
    moved.updateAndGet(sum -> sum.plus(by));
  }

  OffsetDateTime now() {
    return instant().atOffset(ZoneOffset.UTC);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(moved.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new UnsupportedOperationException("the server keeps time in UTC");
    }
    return this;
  }
}
