package org.countersignal.server.exchange;

import java.time.Instant;

/**
 * Where a fetch has got to in a source's timeline: stored with each applied batch, and given back
 * to the kind's {@code fetch} to resume after it. A kind's checkpoint is a record written as JSON.
 */
public interface Checkpoint {

  /**
   * The source time this checkpoint has reached (python-threatexchange's
   * {@code get_progress_timestamp}). Checkpoints of one exchange never move backwards by it: a
   * batch whose checkpoint is earlier than the stored one is refused.
   */
  Instant progress();

  /**
   * Whether resuming from here would miss updates (a source that keeps deletions for 90 days
   * cannot resume a checkpoint older than that): then everything is fetched again, and entries
   * the source no longer has are removed once that fetch completes.
   */
  default boolean isStale(Instant now) {
    return false;
  }
}
