package org.countersignal.server.match;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.ChangeSignal;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the indexes in step with the change sequence: at start it loads the newest index snapshot
 * and replays the sequence after it (from the beginning when there is none), then applies what
 * follows: right after this process commits a change (so a new entry matches as soon as its POST
 * returns), when told that another process committed one (on PostgreSQL, a notification per
 * commit: {@link #catchUpQuietly}), and by polling (so changes of other processes arrive within
 * the poll interval even when no notification does). Loading at start and following later are
 * the same code.
 *
 * <p>Compaction of the sequence ({@link org.countersignal.server.store.ChangeCompaction}) deletes
 * old changes; a follower is sound as long as none was deleted ahead of its cursor after it began
 * reading. One that finds otherwise (a replica stalled for longer than the history is kept) may
 * still hold signals since removed: it says so in the log, reports not ready, and writes no more
 * snapshots, so that a restart loads everything again.
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
  // Every change committed through it has been applied (the cursor stops at the last change
  // still stored, which may be older than the last one numbered): written under the lock.
  private volatile long appliedThrough;
  private volatile boolean caughtUp;
  private final IndexSnapshots snapshots;
  // The last change applied and the last one a snapshot holds; both under the lock.
  private ChangeLog.Change last;
  private long savedSeq;
  private volatile LoadReport loadReport;
  // The compaction position known when the indexes last were sound; under the lock.
  private long compactionSeen;
  private volatile boolean fellBehind;
  private final ChangeSignal reached = new ChangeSignal();
  private final java.util.concurrent.atomic.AtomicBoolean catchUpAsked = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<java.util.function.Consumer<List<ChangeLog.Change>>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** How the indexes were loaded at start: from a snapshot (its position, else 0) plus replayed changes. */
  public record LoadReport(long snapshotSeq, long replayedChanges, long millis) {}

  public ChangeFollower(Jdbi jdbi, MatchIndexes indexes) {
    this(jdbi, indexes, null);
  }

  /** @param snapshots where index snapshots are kept, or null to always replay the whole sequence */
  public ChangeFollower(Jdbi jdbi, MatchIndexes indexes, IndexSnapshots snapshots) {
    this.jdbi = jdbi;
    this.indexes = indexes;
    this.snapshots = snapshots;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "countersignal-change-follower");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads the newest usable snapshot (if any), replays the sequence after it, then polls every
   * {@code pollMillis}.
   */
  public void start(long pollMillis) {
    poller.execute(() -> {
      long started = System.nanoTime();
      try {
        long restoredSeq = restoreSnapshot();
        long applied = catchUp();
        long millis = (System.nanoTime() - started) / 1_000_000;
        loadReport = new LoadReport(restoredSeq, applied, millis);
        caughtUp = true;
        // A notification that came while loading was passed over (catchUpQuietly waits for the
        // load); what it announced may have committed after the load read the sequence.
        catchUpQuietly();
        LOG.info("Indexes loaded in {} ms: {}{} changes replayed ({})",
            millis, restoredSeq > 0 ? "snapshot at change " + restoredSeq + ", then " : "", applied, sizes());
      } catch (RuntimeException e) {
        LOG.error("Loading the indexes failed; the server stays not ready", e);
      }
    });
    poller.scheduleWithFixedDelay(this::catchUpQuietly, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  private long restoreSnapshot() {
    if (snapshots == null) {
      return 0;
    }
    synchronized (lock) {
      ChangeLog.Change restored = snapshots.restore(indexes, jdbi).orElse(null);
      if (restored == null) {
        return 0;
      }
      last = restored;
      savedSeq = restored.seq();
      compactionSeen = restored.seq(); // the snapshot was not used had compaction gone past it
      cursor = restored.seq();
      appliedThrough = cursor;
      reached.reached(cursor);
      return restored.seq();
    }
  }

  /**
   * Saves a snapshot of the indexes if changes have been applied since the last one. Changes
   * wait meanwhile (matching does not), so the snapshot agrees with one point of the sequence.
   *
   * @return whether one was written
   */
  public boolean saveSnapshot() throws java.io.IOException {
    if (snapshots == null || !caughtUp || fellBehind) {
      return false;
    }
    synchronized (lock) {
      if (last == null || last.seq() == savedSeq) {
        return false;
      }
      long started = System.nanoTime();
      snapshots.save(indexes, last);
      savedSeq = last.seq();
      LOG.info("Index snapshot at change {} written in {} ms", savedSeq, (System.nanoTime() - started) / 1_000_000);
      return true;
    }
  }

  /**
   * Compacts the indexes ({@link MatchIndexes#compact}) while changes go on; if any was
   * rewritten, the next {@link #saveSnapshot} writes them even without new changes, so that the
   * next start loads them compacted.
   *
   * @return the types whose index was rewritten
   */
  public List<String> compactIndexes() throws InterruptedException {
    List<String> compacted = indexes.compact();
    if (!compacted.isEmpty()) {
      synchronized (lock) {
        savedSeq = -1;
      }
    }
    return compacted;
  }

  /** How loading went, once the indexes are loaded; null before. */
  public LoadReport loadReport() {
    return loadReport;
  }

  /**
   * Whether the indexes hold at least everything committed before the server started, and have
   * not fallen behind a compaction of the sequence.
   */
  public boolean isCaughtUp() {
    return caughtUp && !fellBehind;
  }

  /** Signals each position the indexes reach, for those who wait for new changes. */
  public ChangeSignal reached() {
    return reached;
  }

  /** The last sequence number applied. */
  public long cursor() {
    return cursor;
  }

  /**
   * A position through which every committed change has been applied: at least the cursor, and
   * past it when the last changes numbered are no longer stored.
   */
  public long appliedThrough() {
    return appliedThrough;
  }

  /**
   * Has {@code listener} told of every page of changes once the indexes hold it, on the thread
   * that applied it: for what is kept beside the indexes and must change with them.
   */
  public void onApplied(java.util.function.Consumer<List<ChangeLog.Change>> listener) {
    listeners.add(listener);
  }

  /** Applies every change after the cursor; returns how many. Safe to call from any thread. */
  public long catchUp() {
    synchronized (lock) {
      long applied = 0;
      while (true) {
        long after = cursor;
        long[] known = new long[2];
        List<ChangeLog.Change> changes = jdbi.withHandle(h -> {
          // Read first: every change through it has committed, so the page read next holds them all.
          known[0] = ChangeLog.lastSeq(h);
          List<ChangeLog.Change> page = ChangeLog.readAfter(h, after, BATCH);
          known[1] = ChangeLog.compactedThrough(h);
          return page;
        });
        checkCompaction(after, known[1]);
        indexes.applyAll(changes);
        if (!changes.isEmpty()) {
          last = changes.getLast();
          cursor = last.seq();
          reached.reached(cursor);
          for (var listener : listeners) {
            listener.accept(changes);
          }
        }
        applied += changes.size();
        if (changes.size() < BATCH) {
          appliedThrough = Math.max(known[0], cursor);
          return applied;
        }
      }
    }
  }

  /**
   * Notes a compaction seen after reading from {@code after}: it went past a cursor that had
   * already read part of the sequence, so changes this follower had not read may be gone.
   */
  private void checkCompaction(long after, long compactedThrough) {
    if (compactedThrough <= compactionSeen) {
      return;
    }
    if (after > 0 && after < compactedThrough && !fellBehind) {
      fellBehind = true;
      LOG.error("The indexes stood at change {} when the change sequence was compacted through change {}: they may still match"
          + " entries removed since. Restart this server to load them again; it reports not ready until then.", after, compactedThrough);
    }
    compactionSeen = compactedThrough;
  }

  /** Each index's size, e.g. "pdq 12, md5 12", for the log. */
  private String sizes() {
    StringBuilder out = new StringBuilder();
    for (ServerSignalType type : indexes.catalog().types()) {
      out.append(out.isEmpty() ? "" : ", ").append(type.name()).append(' ').append(indexes.size(type.name()));
    }
    return out.toString();
  }

  /**
   * Applies every change after the cursor once the indexes have loaded (before that the load
   * itself does); a failure is logged and left to the next poll. For the poll and for being told
   * of a commit elsewhere; safe to call from any thread.
   */
  public void catchUpQuietly() {
    if (!caughtUp) {
      return;
    }
    try {
      catchUp();
    } catch (RuntimeException e) {
      LOG.warn("Following the change sequence failed; retrying at the next poll", e);
    }
  }

  /**
   * Has the follower's own thread apply what follows the cursor, and returns at once: for a writer
   * that goes on writing while its last batch reaches the indexes. Calls made while one waits to
   * run are that one.
   */
  public void catchUpSoon() {
    if (catchUpAsked.compareAndSet(false, true)) {
      try {
        poller.execute(() -> {
          catchUpAsked.set(false);
          catchUpQuietly();
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        catchUpAsked.set(false); // closing: nothing more to apply
      }
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
