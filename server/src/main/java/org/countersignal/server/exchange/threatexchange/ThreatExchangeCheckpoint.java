package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import org.countersignal.server.exchange.Checkpoint;

/**
 * Where a fetch of a privacy group's threat updates has got to. ThreatExchange orders the updates
 * by their {@code last_updated} time and resumes from a {@code start_time} that is inclusive, so
 * the largest update time seen is the checkpoint Meta asks clients to keep (rather than the time a
 * fetch ended: an update can show up a little after it was written).
 *
 * <p>ThreatExchange keeps a deletion for {@value #DELETIONS_KEPT_DAYS} days. A checkpoint is stale,
 * and everything is fetched again, once the source may have dropped deletions not yet seen: when
 * neither its update time nor the last time a fetch read the group to its end is within that
 * window, less a margin of {@value #MARGIN_DAYS} days (python-threatexchange's too) so that a slow
 * fetch or a clock a little off does not fall into the gap. The second time matters for a quiet
 * group: with no updates for three months its update time is old, yet nothing was missed.
 *
 * @param updateTime the largest {@code last_updated} seen, seconds since 1970 (ThreatExchange's unit)
 * @param caughtUpAt when a fetch last read the group to its end, seconds since 1970 by our clock
 *     (when that fetch began); 0 when none has
 * @param paging where the page set in progress had got to, or null between page sets
 */
public record ThreatExchangeCheckpoint(
    @JsonProperty("update_time") long updateTime,
    @JsonProperty("caught_up_at") long caughtUpAt,
    @JsonProperty("paging") Paging paging) implements Checkpoint {

  static final int DELETIONS_KEPT_DAYS = 90;
  static final int MARGIN_DAYS = 5;
  /** How old a checkpoint may get before deletions after it may have been dropped. */
  public static final Duration STALE_AFTER = Duration.ofDays(DELETIONS_KEPT_DAYS - MARGIN_DAYS);

  /**
   * A page set in progress: the source's cursor after the last page applied, and the
   * {@code start_time} of the query it belongs to (a cursor is only good for its own query).
   */
  public record Paging(@JsonProperty("start_time") long startTime, @JsonProperty("after") String after) {
    public Paging {
      if (after == null || after.isEmpty()) {
        throw new IllegalArgumentException("a page set in progress needs the cursor after its last page");
      }
    }
  }

  public ThreatExchangeCheckpoint {
    if (updateTime < 0 || caughtUpAt < 0) {
      throw new IllegalArgumentException("checkpoint times are seconds since 1970, not negative");
    }
  }

  @Override
  public Instant progress() {
    return Instant.ofEpochSecond(updateTime);
  }

  @Override
  public boolean isStale(Instant now) {
    Instant seenUpTo = Instant.ofEpochSecond(Math.max(updateTime, caughtUpAt));
    return seenUpTo.plus(STALE_AFTER).isBefore(now);
  }
}
