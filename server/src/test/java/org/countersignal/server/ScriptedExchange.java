package org.countersignal.server;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.countersignal.server.exchange.Checkpoint;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.SignalExchange;

/**
 * An exchange kind whose source is a list the test writes: each step is a batch, or a failure. A
 * fetch resumes after the batch its checkpoint names, as a real source resumes after a cursor, and
 * goes through the steps that follow in order, stopping at the first failure.
 */
final class ScriptedExchange implements SignalExchange<ScriptedExchange.Config, ScriptedExchange.Position> {

  record Config(String source) {}

  /** The number of the last step applied, and the source time it reached. */
  record Position(int step, Instant at, boolean stale) implements Checkpoint {
    @Override
    public Instant progress() {
      return at;
    }

    @Override
    public boolean isStale(Instant now) {
      return stale;
    }
  }

  /** A step of the source: a batch with the position after it, or a failure when {@code failure} is set. */
  record Step(List<FetchDelta.Update> updates, Position after, String failure) {}

  final List<Step> steps = new CopyOnWriteArrayList<>();
  /** The checkpoints fetches started from, in order (null: from the start). */
  final List<Position> startedFrom = new CopyOnWriteArrayList<>();
  /** Each batch waits here while it is closed (a fetch that takes its time). */
  volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

  void batch(List<FetchDelta.Update> updates, int step, Instant at) {
    steps.add(new Step(updates, new Position(step, at, false), null));
  }

  void staleBatch(List<FetchDelta.Update> updates, int step, Instant at) {
    steps.add(new Step(updates, new Position(step, at, true), null));
  }

  void failure(String message) {
    steps.add(new Step(List.of(), null, message));
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public String description() {
    return "a source the test writes";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Class<Position> checkpointType() {
    return Position.class;
  }

  @Override
  public Set<String> credentialNames() {
    return Set.of("token");
  }

  @Override
  public void check(Config config, ExchangeContext context) {
    if (config.source() == null) {
      throw new IllegalArgumentException("source: required");
    }
  }

  @Override
  public Fetch<Position> fetch(Config config, Map<String, String> credentials, Position checkpoint, ExchangeContext context) {
    if (!"sesame".equals(credentials.get("token"))) {
      throw new ExchangeException("the source refused the token");
    }
    startedFrom.add(checkpoint == null ? new Position(-1, Instant.EPOCH, false) : checkpoint);
    // What the source has when the fetch starts: steps added later come with the next fetch.
    List<Step> script = List.copyOf(steps);
    int[] next = {0};
    if (checkpoint != null) {
      // Resume after the step the checkpoint names.
      for (int i = 0; i < script.size(); i++) {
        Step step = script.get(i);
        if (step.after() != null && step.after().step() == checkpoint.step()) {
          next[0] = i + 1;
        }
      }
    }
    return () -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExchangeException("interrupted");
      }
      while (next[0] < script.size()) {
        Step step = script.get(next[0]++);
        if (step.failure() != null) {
          throw new ExchangeException(step.failure());
        }
        return new FetchDelta<>(step.updates(), step.after());
      }
      return null;
    };
  }
}
