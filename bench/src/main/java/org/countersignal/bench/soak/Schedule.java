package org.countersignal.bench.soak;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each stream's step at a fixed rate until the run ends: quick steps (an asynchronous send)
 * on a few pacing threads, steps that wait (a video job polled to its end, a console page, a
 * chunked body) on threads of their own, and the high-rate streams on connections of their own,
 * so no stream holds up another.
 */
final class Schedule {

  private final ScheduledExecutorService pacing = Executors.newScheduledThreadPool(2);
  private final ScheduledExecutorService waiting = Executors.newScheduledThreadPool(8);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<PacedConnections> paced = new CopyOnWriteArrayList<>();
  private final Duration ramp;

  /** {@code ramp}: how long the high-rate streams take to reach their rate. */
  Schedule(Duration ramp) {
    this.ramp = ramp;
  }

  Duration ramp() {
    return ramp;
  }

  /** {@code step} {@code perSecond} times a second, from now on. */
  void rate(double perSecond, Runnable step) {
    long period = (long) (1e9 / perSecond);
    pacing.scheduleAtFixedRate(guarded(step), 0, period, TimeUnit.NANOSECONDS);
  }

  /** A high-rate stream over connections of its own. */
  void paced(PacedConnections stream) {
    paced.add(stream);
    stream.start();
  }

  /** {@code step}, which may block, every {@code period} from {@code delay} on. */
  void every(Duration delay, Duration period, Runnable step) {
    waiting.scheduleAtFixedRate(guarded(step), delay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops every stream and waits for the steps under way (a video job being polled) to end. */
  void stop() throws InterruptedException {
    running.set(false);
    for (PacedConnections stream : paced) {
      stream.stop();
    }
    pacing.shutdownNow();
    waiting.shutdown();
    if (!waiting.awaitTermination(2, TimeUnit.MINUTES)) {
      waiting.shutdownNow();
    }
  }

  /** A step that throws must not end its stream silently: the scheduler would drop every later run. */
  private Runnable guarded(Runnable step) {
    return () -> {
      if (!running.get()) {
        return;
      }
      try {
        step.run();
      } catch (RuntimeException e) {
        System.err.println("soak: a step failed: " + e);
      }
    };
  }
}
