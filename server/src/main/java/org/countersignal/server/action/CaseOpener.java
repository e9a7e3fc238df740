package org.countersignal.server.action;

import java.time.OffsetDateTime;
import java.util.List;
import org.countersignal.server.match.MatchHit;
import org.jdbi.v3.core.Handle;

/**
 * Opens a review case for a submission whose decisions wait for a reviewer. Review owns cases and
 * their priority and itself builds on this package, so the pipeline is handed this rather than
 * reaching into review.
 */
@FunctionalInterface
public interface CaseOpener {

  /** Opens the case in the caller's transaction {@code h}. */
  Opened openMatchCase(Handle h, long submissionId, List<MatchHit> hits, OffsetDateTime now);

  /** The case opened, and the priority review gave it. */
  record Opened(long id, int priority) {}
}
