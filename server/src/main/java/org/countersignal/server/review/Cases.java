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
    return new CaseOpener.Opened(open(h, CaseKind.MATCH, submissionId, priority, now), priority);
  }

  /**
   * Opens a case of kind {@code report} for a submission that users reported; in the caller's
   * transaction. It is decided as a match case is (confirm, reject, escalate), with no action
   * waiting: nothing is done to the content until a reviewer confirms.
   */
  public static long openReportCase(Handle h, long submissionId, int priority, OffsetDateTime now) {
    return open(h, CaseKind.REPORT, submissionId, priority, now);
  }

  private static long open(Handle h, CaseKind kind, long submissionId, int priority, OffsetDateTime now) {
    return h.createUpdate("INSERT INTO cases (kind, submission_id, status, priority, created_at) "
            + "VALUES (:kind, :s, :status, :priority, :now)")
        .bind("kind", kind.wire())
        .bind("status", CaseStatus.OPEN.wire())
        .bind("s", submissionId)
        .bind("priority", priority)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Sets an open report case's priority (its reports changed it); an escalated case keeps its
   * escalation on top. In the caller's transaction.
   */
  public static void setReportPriority(Handle h, long caseId, int priority) {
    h.createUpdate("UPDATE cases SET priority = :p + CASE WHEN status = " + CaseStatus.ESCALATED.sql() + " THEN :boost ELSE 0 END "
            + "WHERE id = :id AND kind = " + CaseKind.REPORT.sql())
        .bind("p", priority).bind("boost", Priority.ESCALATION).bind("id", caseId).execute();
  }
}
