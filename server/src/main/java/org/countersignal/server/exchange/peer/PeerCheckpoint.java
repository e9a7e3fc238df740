package org.countersignal.server.exchange.peer;

import java.time.Instant;
import org.countersignal.server.exchange.Checkpoint;

/**
 * Where a fetch of a feed has got to: the position in the publisher's change sequence of the last
 * record applied, the time of the latest change applied, the publisher's key in use when it has
 * rotated its key since the one pinned, and how far the publisher had compacted its sequence. It
 * does not go stale by time: a position can be resumed until the publisher compacts past it.
 *
 * @param after the position the next page starts after
 * @param changedAt the latest change time applied (the progress, which never moves back)
 * @param key the publisher's key reached from the pinned one through its announcements; null
 *     while it is the pinned one
 * @param pinned the pinned key {@code key} was reached from: when the operator pins another, the
 *     new pin counts and {@code key} no longer does
 * @param compactedThrough the publisher's compacted position last seen (null for none): one that
 *     moves past {@code after} means changes this instance had not read may be gone
 */
public record PeerCheckpoint(long after, Instant changedAt, String key, String pinned, Long compactedThrough) implements Checkpoint {

  public PeerCheckpoint {
    if (after < 0 || changedAt == null) {
      throw new IllegalArgumentException("a feed checkpoint has a position of 0 or more and a time");
    }
  }

  public PeerCheckpoint(long after, Instant changedAt) {
    this(after, changedAt, null, null, null);
  }

  @Override
  public Instant progress() {
    return changedAt;
  }
}
