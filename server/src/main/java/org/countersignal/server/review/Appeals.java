package org.countersignal.server.review;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.action.ActionEvents;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.action.SubmissionStatus;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.transparency.Ledger;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Appeals against removals. The platform files one for a content id with the user's statement;
 * it becomes a case in the review queue that the reviewer who confirmed the removal may not
 * decide. The time to decision runs against a deadline (two weeks by default); overdue appeals
 * head the queue.
 */
public final class Appeals {

  public static final Duration DEFAULT_DEADLINE = Duration.ofDays(14);
  private static final int MAX_STATEMENT = 8000;
  private static final String COLUMNS = "a.id, a.submission_id, s.content_id, a.statement, a.status, a.created_at, a.due_at, "
      + "a.decided_at, a.decided_by, a.reason, (SELECT MAX(c.id) FROM cases c WHERE c.appeal_id = a.id) AS case_id";

  private final Jdbi jdbi;
  private final Duration deadline;

  public Appeals(Jdbi jdbi, Duration deadline) {
    this.jdbi = jdbi;
    this.deadline = deadline;
  }

  /** Files an appeal against the latest removal of {@code contentId}. */
  public AppealView file(Principal caller, String contentId, String statement) {
    if (contentId == null || contentId.isBlank()) {
      throw RequestException.invalid("content_id", "name the removed content");
    }
    String text = ReviewQueue.required(statement, "statement", MAX_STATEMENT, "give the user's statement");
    return jdbi.inTransaction(h -> {
      Long submission = h.createQuery("SELECT id FROM submissions WHERE content_id = :c AND removed_at IS NOT NULL "
              + "AND status <> " + SubmissionStatus.REINSTATED.sql() + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
          .bind("c", contentId.strip())
          .mapTo(Long.class)
          .findOne()
          .orElseThrow(() -> new RequestException(Kind.NOT_FOUND, "content_id", "content " + contentId.strip() + " has no removal to appeal"));
      if (h.createQuery("SELECT COUNT(*) FROM appeals WHERE submission_id = :s AND status = " + AppealStatus.OPEN.sql())
          .bind("s", submission).mapTo(Integer.class).one() > 0) {
        throw new RequestException(Kind.CONFLICT, "content " + contentId.strip() + " has an open appeal already");
      }
      // The reviewer who confirmed the removal, if one did (an automatic removal has none).
      Long remover = h.createQuery("SELECT decided_by FROM cases WHERE submission_id = :s AND kind = " + CaseKind.MATCH.sql() + " AND status = "
              + CaseStatus.CONFIRMED.sql() + " "
              + "ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
          .bind("s", submission).mapTo(Long.class).findOne().orElse(null);
      OffsetDateTime now = Clock.now(h);
      long id = h.createUpdate("INSERT INTO appeals (submission_id, statement, status, key_id, created_at, due_at) "
              + "VALUES (:s, :statement, :status, :k, :now, :due)")
          .bind("status", AppealStatus.OPEN.wire()).bind("s", submission).bind("statement", text).bind("k", caller.keyId()).bind("now", now).bind("due", now.plus(deadline))
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      h.createUpdate("INSERT INTO cases (kind, submission_id, appeal_id, status, priority, excluded_key, created_at) "
              + "VALUES (:kind, :s, :a, :status, :priority, :excluded, :now)")
          .bind("kind", CaseKind.APPEAL.wire()).bind("status", CaseStatus.OPEN.wire()).bind("s", submission).bind("a", id).bind("priority", Priority.APPEAL).bind("excluded", remover).bind("now", now).execute();
      AppealView view = find(h, id).orElseThrow();
      SubmissionView s = Submissions.find(h, submission).orElseThrow();
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("appeal_id", id);
      event.put("case_id", view.caseId());
      event.put("due_at", view.dueAt());
      event.put("content", ActionEvents.content(s.id(), s.contentId(), s.account(), s.contentType()));
      Outbox.enqueue(h, ActionEvents.APPEAL_FILED, event);
      Ledger.appealFiled(h, id, submission, s.contentType());
      AuditLog.append(h, caller.keyId(), "appeal.filed", "appeal", id, null, view);
      return view;
    });
  }

  public AppealView get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("appeal", id));
  }

  /** Appeals by status: open, upheld, reinstated, or overdue (open past the deadline); oldest first. */
  public List<AppealView> list(String status, int limit) {
    String asked = status == null ? AppealStatus.OPEN.wire() : status;
    String condition = AppealStatus.fromWire(asked) != null ? "a.status = :status" : switch (asked) {
      case "overdue" -> "a.status = " + AppealStatus.OPEN.sql() + " AND a.due_at < :now";
      case "all" -> "1 = 1";
      default -> throw RequestException.invalid("status", "one of open, overdue, upheld, reinstated, all");
    };
    return jdbi.withHandle(h -> {
      OffsetDateTime now = Clock.now(h);
      return h.createQuery("SELECT " + COLUMNS + " FROM appeals a JOIN submissions s ON s.id = a.submission_id WHERE "
              + condition + " ORDER BY a.due_at, a.id FETCH FIRST :limit ROWS ONLY")
          .bind("status", asked).bind("now", now).bind("limit", limit)
          .map((rs, ctx) -> view(rs, now)).list();
    });
  }

  static Optional<AppealView> find(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM appeals a JOIN submissions s ON s.id = a.submission_id WHERE a.id = :id")
        .bind("id", id).map((rs, ctx) -> view(rs, Clock.now(h))).findOne();
  }

  static void close(Handle h, long appealId, AppealStatus status, Principal reviewer, String reason, OffsetDateTime now) {
    h.createUpdate("UPDATE appeals SET status = :status, decided_at = :now, decided_by = :k, reason = :reason WHERE id = :id")
        .bind("status", status.wire()).bind("now", now).bind("k", reviewer.keyId()).bind("reason", reason).bind("id", appealId).execute();
    h.createQuery("SELECT submission_id, created_at FROM appeals WHERE id = :id").bind("id", appealId)
        .map((rs, ctx) -> {
          Ledger.appealDecided(h, appealId, rs.getLong("submission_id"), status.wire(), rs.getObject("created_at", OffsetDateTime.class));
          return appealId;
        })
        .one();
  }

  private static AppealView view(ResultSet rs, OffsetDateTime now) throws SQLException {
    OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
    OffsetDateTime due = rs.getObject("due_at", OffsetDateTime.class);
    OffsetDateTime decided = rs.getObject("decided_at", OffsetDateTime.class);
    OffsetDateTime end = decided != null ? decided : now;
    double hours = Math.round(Duration.between(created, end).toSeconds() / 36.0) / 100.0;
    return new AppealView(rs.getLong("id"), rs.getLong("submission_id"), rs.getString("content_id"), rs.getString("statement"),
        rs.getString("status"), Clock.text(created), Clock.text(due), Clock.text(decided), rs.getObject("decided_by", Long.class),
        rs.getString("reason"), rs.getObject("case_id", Long.class), hours, AppealStatus.OPEN.wire().equals(rs.getString("status")) && due.isBefore(now));
  }
}
