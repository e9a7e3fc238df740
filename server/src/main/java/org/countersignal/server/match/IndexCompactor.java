package org.countersignal.server.match;

import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the similarity indexes once the change sequence has gone quiet, so lookups get their
 * fastest shape back after a burst of changes.
 *
 * <p>Adds reach a Hamming index as small segments that merge by size, so an index that grew by
 * changes (an import, a replay of the whole sequence at start) is several segments, and each costs
 * every lookup its own probes: at 10M PDQ entries a lookup in 8 segments took three times as long
 * as in one (docs/BENCHMARKS.md, "Matching service"). Merging them all is a
 * rebuild of the index, so it waits for a check period with no change applied, and after each
 * compaction for ten times as long as it took: under a steady trickle of changes it takes at most
 * a tenth of a core. Lookups and changes go on meanwhile.
 *
 * <p>Not thread-safe: the server calls {@link #check} from its one housekeeping thread.
 */
public final class IndexCompactor {

  private static final Logger LOG = LoggerFactory.getLogger(IndexCompactor.class);
  private static final int PAUSE_PER_WORK = 10;

  private final ChangeFollower follower;
  private final LongSupplier nanoTime;
  // The follower's cursor at the previous check, and when the indexes were last compacted.
  private long seenCursor = -1;
  private long compactedCursor = -1;
  private long notBefore;

  /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}) */
  public IndexCompactor(ChangeFollower follower, LongSupplier nanoTime) {
    this.follower = follower;
    this.nanoTime = nanoTime;
    this.notBefore = nanoTime.getAsLong();
  }

  /**
   * Compacts the indexes if no change was applied since the previous check, some were since the
   * last compaction (or none has run yet), and the pause after the last one is over.
   *
   * @return the types whose index was rewritten
   */
  public List<String> check() throws InterruptedException {
    if (!follower.isCaughtUp()) {
      return List.of();
    }
    long cursor = follower.cursor();
    boolean quiet = cursor == seenCursor;
    seenCursor = cursor;
    if (!quiet || cursor == compactedCursor || nanoTime.getAsLong() - notBefore < 0) {
      return List.of();
    }
    long started = nanoTime.getAsLong();
    List<String> compacted = follower.compactIndexes();
    long took = nanoTime.getAsLong() - started;
    compactedCursor = cursor;
    notBefore = started + took + PAUSE_PER_WORK * took;
    if (!compacted.isEmpty()) {
      LOG.info("Compacted the {} index{} in {} ms", String.join(", ", compacted), compacted.size() == 1 ? "" : "es",
          took / 1_000_000);
    }
    return compacted;
  }
}
