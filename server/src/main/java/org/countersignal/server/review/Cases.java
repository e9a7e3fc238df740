package org.countersignal.server.review;

import java.time.OffsetDateTime;
import java.util.List;
import org.countersignal.server.action.CaseOpener;
import org.countersignal.server.match.MatchHit;
import org.jdbi.v3.core.Handle;

/** Opening review cases, for the action pipeline (appeals open theirs in {@link Appeals}). */
public final class Cases {

  private Cases() {}

  /** Opens a match case for submission {@code submissionId}, ranked by its hits; in the caller's transaction. */
  public static CaseOpener.Opened openMatchCase(Handle h, long submissionId, List<MatchHit> hits, OffsetDateTime now) {
    int priority = Priority.of(h, hits);
    long id = h.createUpdate("INSERT INTO cases (kind, submission_id, status, priority, created_at) "
            + "VALUES (:kind, :s, :status, :priority, :now)")
        .bind("kind", CaseKind.MATCH.wire())
        .bind("status", CaseStatus.OPEN.wire())
        .bind("s", submissionId)
        .bind("priority", priority)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    return new CaseOpener.Opened(id, priority);
  }
}
