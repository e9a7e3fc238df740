package org.countersignal.server.account;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.TextFields;
import org.countersignal.server.action.ActionEvents;
import org.countersignal.server.action.DecisionSource;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.action.Decisions;
import org.countersignal.server.action.SubmissionStatus;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Response to a hijacked account: everything it posted while it was not its owner's, and every
 * account it amplified then (an attacker boosts accounts of their own, which the platform may
 * want to suspend too). With an action, every post is actioned in one transaction with its
 * webhook events and the audit record, so the platform hears of exactly what was decided.
 */
public final class Takeover {

  /** A takeover is a bounded incident; a longer window is almost certainly a mistake in the dates. */
  static final Duration MAX_WINDOW = Duration.ofDays(90);

  /** Posts one call lists or actions; beyond this the caller splits the window. */
  static final int MAX_POSTS = 10_000;

  static final int MAX_REASON_LENGTH = 4000;

  /** Action names as the decisions table keeps them: {@code remove}, {@code label}, or a platform's own. */
  static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final Jdbi jdbi;
  private final Duration contentRetention;

  Takeover(Jdbi jdbi, Duration contentRetention) {
    this.jdbi = jdbi;
    this.contentRetention = contentRetention;
  }

  private record Window(OffsetDateTime from, OffsetDateTime to) {}

  private record Row(long id, String contentId, String contentType, OffsetDateTime submittedAt, String status,
      String amplifies) {}

  public TakeoverResult respond(String account, TakeoverRequest request, Principal caller) {
    Accounts.checkAccount(account);
    if (request == null) {
      throw new RequestException(Kind.MALFORMED, "the request needs a JSON body with from and to");
    }
    Window window = window(request);
    String action = action(request.action());
    String reason = reason(request.reason(), action != null);
    return jdbi.inTransaction(h -> {
      List<Row> rows = posts(h, account, window);
      List<TakeoverResult.Post> posts = new ArrayList<>(rows.size());
      List<Long> actionedIds = new ArrayList<>();
      int already = 0;
      OffsetDateTime now = Clock.now(h);
      for (Row row : rows) {
        if (action == null) {
          posts.add(post(row, row.status(), TakeoverResult.LISTED, null, null));
          continue;
        }
        Optional<Earlier> earlier = earlierDecision(h, row.id(), action);
        if (earlier.isPresent()) {
          already++;
          posts.add(post(row, row.status(), TakeoverResult.ALREADY_ACTIONED, earlier.get().id(), earlier.get().eventId()));
          continue;
        }
        long decisionId = Decisions.insert(h, row.id(), null, null, action, DecisionState.TAKEN, DecisionSource.TAKEOVER, caller.keyId(),
            reason, now);
        // The primary key makes a concurrent takeover of the same post fail (409) instead of
        // actioning it twice; the caller's retry then finds it done.
        h.createUpdate("""
                INSERT INTO takeover_actions (submission_id, action, decision_id, created_at)
                VALUES (:submission, :action, :decision, :now)""")
            .bind("submission", row.id())
            .bind("action", action)
            .bind("decision", decisionId)
            .bind("now", now)
            .execute();
        // Shaped like every other action.decided, so a platform reads takeovers with the code it reads rules and reviewers with.
        String eventId = ActionEvents.actionDecided(h, decisionId, action, DecisionSource.TAKEOVER, null, null, reason,
            ActionEvents.content(row.id(), row.contentId(), account, row.contentType()), Submissions.matches(h, row.id()));
        String status = row.status();
        if ("remove".equals(action)) {
          status = remove(h, row, now);
        }
        actionedIds.add(row.id());
        posts.add(post(row, status, TakeoverResult.ACTIONED, decisionId, eventId));
      }
      List<TakeoverResult.Amplified> amplified = amplified(rows);
      if (!actionedIds.isEmpty()) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("from", Clock.text(window.from()));
        record.put("to", Clock.text(window.to()));
        record.put("action", action);
        record.put("reason", reason);
        record.put("submission_ids", actionedIds);
        record.put("already_actioned", already);
        record.put("amplified_accounts", amplified.stream().map(TakeoverResult.Amplified::account).toList());
        AuditLog.append(h, caller.keyId(), "account.takeover", "account", account, null, record);
      }
      return new TakeoverResult(account, Clock.text(window.from()), Clock.text(window.to()), action, action == null,
          posts, amplified, actionedIds.size(), already);
    });
  }

  /**
   * Removed content is preserved for the retention period from its removal, so evidence of a
   * takeover outlives the account's other content; a submission already kept longer keeps its time.
   */
  private String remove(Handle h, Row row, OffsetDateTime now) {
    OffsetDateTime keep = now.plus(contentRetention);
    SubmissionStatus status = SubmissionStatus.VIOLATING.wire().equals(row.status())
        ? SubmissionStatus.VIOLATING : SubmissionStatus.ACTIONED;
    Submissions.markRemoved(h, row.id(), status, now, keep);
    return status.wire();
  }

  private record Earlier(long id, String eventId) {}

  /** A decision that already took {@code action} on the submission, whoever took it. */
  private static Optional<Earlier> earlierDecision(Handle h, long submissionId, String action) {
    return h.createQuery("""
            SELECT id, event_id FROM decisions WHERE submission_id = :submission AND action = :action AND state = :taken
            ORDER BY id FETCH FIRST 1 ROWS ONLY""")
        .bind("taken", DecisionState.TAKEN.wire())
        .bind("submission", submissionId)
        .bind("action", action)
        .map((rs, ctx) -> new Earlier(rs.getLong("id"), rs.getString("event_id")))
        .findOne();
  }

  private static List<Row> posts(Handle h, String account, Window window) {
    List<Row> rows = h.createQuery("""
            SELECT id, content_id, content_type, submitted_at, status, amplifies_account FROM submissions
            WHERE account_id = :account AND submitted_at >= :from AND submitted_at < :to
            ORDER BY submitted_at, id FETCH FIRST :limit ROWS ONLY""")
        .bind("account", account)
        .bind("from", window.from())
        .bind("to", window.to())
        .bind("limit", MAX_POSTS + 1)
        .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("content_id"), rs.getString("content_type"),
            rs.getObject("submitted_at", OffsetDateTime.class), rs.getString("status"), rs.getString("amplifies_account")))
        .list();
    if (rows.size() > MAX_POSTS) {
      throw new RequestException(Kind.INVALID, "to",
          "the account posted more than " + MAX_POSTS + " times in the window; split it into shorter windows");
    }
    return rows;
  }

  private static List<TakeoverResult.Amplified> amplified(List<Row> rows) {
    Map<String, List<String>> byAccount = new LinkedHashMap<>();
    for (Row row : rows) {
      if (row.amplifies() != null) {
        byAccount.computeIfAbsent(row.amplifies(), k -> new ArrayList<>()).add(row.contentId());
      }
    }
    return byAccount.entrySet().stream()
        .map(e -> new TakeoverResult.Amplified(e.getKey(), e.getValue().size(), List.copyOf(e.getValue())))
        .sorted((a, b) -> a.posts() != b.posts() ? Integer.compare(b.posts(), a.posts()) : a.account().compareTo(b.account()))
        .toList();
  }

  private static TakeoverResult.Post post(Row row, String status, String outcome, Long decisionId, String eventId) {
    return new TakeoverResult.Post(row.id(), row.contentId(), row.contentType(), Clock.text(row.submittedAt()), status,
        row.amplifies(), outcome, decisionId, eventId);
  }

  private static Window window(TakeoverRequest request) {
    OffsetDateTime from = time("from", request.from());
    OffsetDateTime to = time("to", request.to());
    if (!from.isBefore(to)) {
      throw new RequestException(Kind.MALFORMED, "to", "to must be later than from");
    }
    if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
      throw new RequestException(Kind.MALFORMED, "to",
          "the window may be at most " + MAX_WINDOW.toDays() + " days; a takeover is a bounded incident");
    }
    return new Window(from, to);
  }

  private static OffsetDateTime time(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new RequestException(Kind.MALFORMED, field, field + " is required: an ISO-8601 time such as 2026-11-02T08:00:00Z");
    }
    try {
      return OffsetDateTime.parse(text.strip()).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      throw new RequestException(Kind.MALFORMED, field,
          field + " is not an ISO-8601 time with an offset (such as 2026-11-02T08:00:00Z): " + text);
    }
  }

  private static String action(String action) {
    if (action == null) {
      return null;
    }
    if (!ACTION.matcher(action).matches()) {
      throw new RequestException(Kind.MALFORMED, "action",
          "action must be null (list only), remove, or an action name of lower-case letters, digits and _ (at most 64)");
    }
    return action;
  }

  private static String reason(String reason, boolean required) {
    if (reason == null || reason.isBlank()) {
      if (required) {
        throw new RequestException(Kind.MALFORMED, "reason", "reason is required with an action: it goes to the platform and the audit log");
      }
      return null;
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new RequestException(Kind.MALFORMED, "reason", "reason may have at most " + MAX_REASON_LENGTH + " characters");
    }
    return TextFields.paragraphs(reason.strip(), "reason");
  }
}
