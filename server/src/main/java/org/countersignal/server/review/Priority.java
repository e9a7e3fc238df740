package org.countersignal.server.review;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.match.MatchHit;
import org.jdbi.v3.core.Handle;

/**
 * A case's place in the queue: the severity of the worst label matched (imminent threats are the
 * most severe) counts first, the confidence of the closest match second. Severity 0-5 times 100
 * plus confidence 0-99, so any more severe label outranks any closer match.
 */
public final class Priority {

  /** Appeals sit between severity 1 and 2 content; overdue ones are listed first regardless. */
  public static final int APPEAL = 150;
  /** An escalated case goes above everything not escalated. */
  public static final int ESCALATION = 1_000;

  private Priority() {}

  public static int of(Handle h, List<MatchHit> hits) {
    Map<String, Integer> severity = new HashMap<>();
    h.createQuery("SELECT name, severity FROM labels").map((rs, ctx) -> severity.put(rs.getString("name"), rs.getInt("severity"))).list();
    int worst = 0;
    double confidence = 0;
    for (MatchHit hit : hits) {
      for (String label : hit.labels()) {
        worst = Math.max(worst, severity.getOrDefault(label, 0));
      }
      confidence = Math.max(confidence, 1.0 - (double) hit.distance() / (hit.threshold() + 1));
    }
    return worst * 100 + (int) Math.round(confidence * 99);
  }
}
