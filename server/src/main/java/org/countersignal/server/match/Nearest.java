package org.countersignal.server.match;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import org.countersignal.index.hamming.Match;
import org.countersignal.index.hamming.MatchSink;

/**
 * The nearest {@code limit} entries an index reports, nearest first (ties by entry id), and whether
 * it reported more. Fed as the index finds them, it holds at most {@code limit} matches however
 * many the radius covers.
 */
final class Nearest implements MatchSink {

  private final int limit;
  // The farthest kept match on top, so a nearer one replaces it.
  private final PriorityQueue<Match> kept = new PriorityQueue<>(Collections.reverseOrder());
  private boolean more;

  Nearest(int limit) {
    this.limit = limit;
  }

  @Override
  public void accept(long id, int distance) {
    if (kept.size() < limit) {
      kept.add(new Match(id, distance));
      return;
    }
    more = true;
    Match farthest = kept.peek();
    if (distance < farthest.distance() || (distance == farthest.distance() && id < farthest.id())) {
      kept.poll();
      kept.add(new Match(id, distance));
    }
  }

  /** Whether entries beyond the kept ones were reported. */
  boolean more() {
    return more;
  }

  /** The kept matches, nearest first. */
  List<Match> matches() {
    List<Match> out = new ArrayList<>(kept);
    Collections.sort(out);
    return out;
  }
}
