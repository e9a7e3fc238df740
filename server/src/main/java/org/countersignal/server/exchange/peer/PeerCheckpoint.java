package org.countersignal.server.exchange.peer;

import java.time.Instant;
import org.countersignal.server.exchange.Checkpoint;

/**
 * Where a fetch of a feed has got to: the position in the publisher's change sequence of the last
 * record applied, and the time of the latest change applied. It never goes stale: the publisher's
 * sequence is append-only, so any position can be resumed.
 *
 * @param after the position the next page starts after
 * @param changedAt the latest change time applied (the progress, which never moves back)
 */
public record PeerCheckpoint(long after, Instant changedAt) implements Checkpoint {

  public PeerCheckpoint {
    if (after < 0 || changedAt == null) {
      throw new IllegalArgumentException("a feed checkpoint has a position of 0 or more and a time");
    }
  }

  @Override
  public Instant progress() {
    return changedAt;
  }
}
