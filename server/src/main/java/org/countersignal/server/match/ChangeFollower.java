package org.countersignal.server.match;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.store.ChangeLog;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the indexes in step with the change sequence: at start it replays the sequence from the
 * beginning, then applies what follows, both right after this process commits a change (so a
 * new entry matches as soon as its POST returns) and by polling (so changes written by another
 * process — a replica sharing the database later — arrive within the poll interval). Loading at
 * start and following later are the same code.
 */
public final class ChangeFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
  private static final int BATCH = 5_000;

  private final Jdbi jdbi;
  private final MatchIndexes indexes;
  private final Object lock = new Object();
  private final ScheduledExecutorService poller;
  // Written under the lock, read without it (metrics must not wait for a long catch-up).
  private volatile long cursor;
  private volatile boolean caughtUp;

  public ChangeFollower(Jdbi jdbi, MatchIndexes indexes) {
    this.jdbi = jdbi;
    this.indexes = indexes;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "countersignal-change-follower");
      t.setDaemon(true);
      return t;
    });
  }

  /** Replays the whole sequence, then polls every {@code pollMillis}. */
  public void start(long pollMillis) {
    poller.execute(() -> {
      long started = System.nanoTime();
      try {
        long applied = catchUp();
        caughtUp = true;
        LOG.info("Indexes loaded: {} changes applied in {} ms (pdq {}, md5 {}, sha256 {})",
            applied, (System.nanoTime() - started) / 1_000_000,
            indexes.size("pdq"), indexes.size("md5"), indexes.size("sha256"));
      } catch (RuntimeException e) {
        LOG.error("Loading the indexes failed; the server stays not ready", e);
      }
    });
    poller.scheduleWithFixedDelay(this::pollQuietly, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  /** Whether the indexes hold at least everything committed before the server started. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  /** The last sequence number applied. */
  public long cursor() {
    return cursor;
  }

  /** Applies every change after the cursor; returns how many. Safe to call from any thread. */
  public long catchUp() {
    synchronized (lock) {
      long applied = 0;
      while (true) {
        long after = cursor;
        List<ChangeLog.Change> changes = jdbi.withHandle(h -> ChangeLog.readAfter(h, after, BATCH));
        for (ChangeLog.Change change : changes) {
          indexes.apply(change);
          cursor = change.seq();
        }
        applied += changes.size();
        if (changes.size() < BATCH) {
          return applied;
        }
      }
    }
  }

  private void pollQuietly() {
    if (!caughtUp) {
      return;
    }
    try {
      catchUp();
    } catch (RuntimeException e) {
      LOG.warn("Following the change sequence failed; retrying at the next poll", e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
