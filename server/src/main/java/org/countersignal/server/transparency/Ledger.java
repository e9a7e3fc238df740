package org.countersignal.server.transparency;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.countersignal.server.store.Batches;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The transparency ledger: what reports count, one row per accountable event. Each package that
 * acts calls one of these in the transaction that acts, so the row commits with the action or not
 * at all, and is stamped with the same clock. Rows are never changed afterwards: a report counts
 * what happened in its period as it was recorded then, not what the content's state is today.
 * Arguments are the stored words of the calling package's enums, so that this package depends on
 * none of them.
 */
public final class Ledger {

  /** The action word of a removal, as rules and reviewers name it. */
  private static final String REMOVE = "remove";

  private Ledger() {}

  /**
   * An action told to the platform. {@code ownInitiative} marks staff acting unprompted (a
   * takeover); otherwise the source is the match, or, for content that matched nothing, the
   * report or removal order it came in by.
   */
  public static void actionTaken(Handle h, long decisionId, long submissionId, String action, boolean automated, boolean ownInitiative,
      String contentType, Collection<String> labels, Collection<String> signalTypes) {
    ActionSource source = ownInitiative ? ActionSource.STAFF
        : !signalTypes.isEmpty() ? ActionSource.HASH_MATCH : sourceOf(h, submissionId);
    Row row = new Row(LedgerKind.DECISION, decisionId, submissionId).action(action).source(source).automated(automated)
        .contentType(contentType).labels(labels).signalTypes(signalTypes);
    if (REMOVE.equals(action)) {
      row.countsItem(!removedBefore(h, submissionId));
    }
    record(h, row);
  }

  /**
   * A reviewer found content violating where no action of ours followed (a reported post, or a
   * match whose rule only asked for review): the platform acts on the case decision.
   */
  public static void foundViolating(Handle h, long caseId, long submissionId, String contentType, Collection<String> labels,
      Collection<String> signalTypes) {
    ActionSource source = !signalTypes.isEmpty() ? ActionSource.HASH_MATCH : sourceOf(h, submissionId);
    record(h, new Row(LedgerKind.DECISION, caseId, submissionId).action("violating").source(source).automated(false)
        .contentType(contentType).labels(labels).signalTypes(signalTypes));
  }

  public static void appealFiled(Handle h, long appealId, long submissionId, String contentType) {
    record(h, new Row(LedgerKind.APPEAL_FILED, appealId, submissionId).contentType(contentType));
  }

  /** @param outcome {@code upheld} or {@code reinstated} */
  public static void appealDecided(Handle h, long appealId, long submissionId, String outcome, OffsetDateTime filedAt) {
    record(h, new Row(LedgerKind.APPEAL_DECIDED, appealId, submissionId).outcome(outcome).since(h, filedAt));
    if ("reinstated".equals(outcome)) {
      record(h, new Row(LedgerKind.CONTENT_REINSTATED, appealId, submissionId).outcome("appeal"));
    }
  }

  public static void orderReceived(Handle h, long orderId, String memberState, boolean threatToLife) {
    record(h, new Row(LedgerKind.ORDER_RECEIVED, orderId, null).category(memberState).threatToLife(threatToLife)
        .source(ActionSource.REMOVAL_ORDER));
  }

  /** @param action {@code removed} or {@code disabled}; {@code clockStartedAt} what the hour ran from */
  public static void orderActed(Handle h, long orderId, Long submissionId, String memberState, String action, boolean inTime,
      OffsetDateTime clockStartedAt) {
    record(h, new Row(LedgerKind.ORDER_ACTED, orderId, submissionId).category(memberState).action(action).outcome(inTime ? "in_time" : "late")
        .source(ActionSource.REMOVAL_ORDER).automated(false).since(h, clockStartedAt)
        .countsItem(submissionId == null || !removedBefore(h, submissionId)));
  }

  /** @param reason the ground not to comply (TCO Art. 3(7), 3(8)) */
  public static void orderNotComplied(Handle h, long orderId, String reason, OffsetDateTime clockStartedAt) {
    record(h, new Row(LedgerKind.ORDER_NOT_COMPLIED, orderId, null).outcome(reason).source(ActionSource.REMOVAL_ORDER)
        .since(h, clockStartedAt));
  }

  public static void complaintFiled(Handle h, long complaintId, Long submissionId) {
    record(h, new Row(LedgerKind.COMPLAINT_FILED, complaintId, submissionId));
  }

  /** @param outcome {@code upheld} (the content is restored) or {@code rejected} */
  public static void complaintDecided(Handle h, long complaintId, Long submissionId, String outcome, OffsetDateTime filedAt) {
    record(h, new Row(LedgerKind.COMPLAINT_DECIDED, complaintId, submissionId).outcome(outcome).since(h, filedAt));
    if ("upheld".equals(outcome)) {
      record(h, new Row(LedgerKind.CONTENT_REINSTATED, complaintId, submissionId).outcome("order_complaint"));
    }
  }

  /**
   * A user report received. {@code reporterKind} is {@code user} or {@code trusted_flagger};
   * {@code repeat} the reporter had reported the content before; {@code openedCase} the report
   * opened its content's case (items reported count it).
   */
  public record ReportReceived(long reportId, long submissionId, String reporterKind, String reason, boolean repeat, boolean openedCase) {}

  /** The reports a batch took in, in one JDBC batch. */
  public static void reportsReceived(Handle h, List<ReportReceived> reports) {
    record(h, reports.stream().map(r -> new Row(LedgerKind.REPORT_RECEIVED, r.reportId(), r.submissionId())
        .source(reportSource(r.reporterKind())).category(r.reason()).outcome(r.repeat() ? "repeat" : null).countsItem(r.openedCase())).toList());
  }

  /** @param outcome {@code violating} or {@code no_violation} */
  public static void reportDecided(Handle h, long reportId, long submissionId, String reporterKind, String reason, String outcome,
      OffsetDateTime receivedAt) {
    record(h, new Row(LedgerKind.REPORT_DECIDED, reportId, submissionId).source(reportSource(reporterKind)).category(reason)
        .outcome(outcome).since(h, receivedAt));
  }

  /** Whether the ledger holds a removal of this content already: a second removal is not a second item removed. */
  private static boolean removedBefore(Handle h, long submissionId) {
    return h.createQuery("SELECT COUNT(*) FROM transparency_events WHERE submission_id = :s "
            + "AND ((kind = 'decision' AND action = '" + REMOVE + "') OR kind = 'order_acted')")
        .bind("s", submissionId).mapTo(Integer.class).one() > 0;
  }

  private static ActionSource reportSource(String reporterKind) {
    return "trusted_flagger".equals(reporterKind) ? ActionSource.TRUSTED_FLAGGER : ActionSource.USER_REPORT;
  }

  /** Content that matched nothing came in by a report (a trusted flagger's weighs more) or a removal order, or staff found it. */
  private static ActionSource sourceOf(Handle h, long submissionId) {
    Integer trusted = h.createQuery("SELECT MAX(CASE WHEN r.reporter_kind = 'trusted_flagger' THEN 1 ELSE 0 END) FROM user_reports r "
            + "JOIN user_report_cases c ON c.case_id = r.case_id WHERE c.submission_id = :s")
        .bind("s", submissionId).mapTo(Integer.class).findOne().orElse(null);
    if (trusted != null) {
      return trusted == 1 ? ActionSource.TRUSTED_FLAGGER : ActionSource.USER_REPORT;
    }
    boolean ordered = h.createQuery("SELECT COUNT(*) FROM removal_orders WHERE submission_id = :s").bind("s", submissionId)
        .mapTo(Integer.class).one() > 0;
    return ordered ? ActionSource.REMOVAL_ORDER : ActionSource.STAFF;
  }

  private static final String INSERT = "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, action, source, "
      + "automated, content_type, outcome, category, threat_to_life, labels, signal_types, duration_s, counts_item) VALUES (:at, :kind, "
      + ":subject, :submission, :action, :source, :automated, :contentType, :outcome, :category, :threat, :labels, :signalTypes, "
      + ":duration, :countsItem)";

  private static void record(Handle h, Row row) {
    bind(h.createUpdate(INSERT), h, row).execute();
  }

  private static void record(Handle h, List<Row> rows) {
    Batches.run(h, INSERT, rows, (batch, row) -> bind(batch, h, row));
  }

  private static <S extends SqlStatement<S>> S bind(S statement, Handle h, Row row) {
    return statement
        .bind("at", Clock.now(h))
        .bind("kind", row.kind.wire())
        .bind("subject", row.subject)
        .bind("submission", row.submission)
        .bind("action", row.action)
        .bind("source", row.source == null ? null : row.source.wire())
        .bind("automated", row.automated)
        .bind("contentType", row.contentType)
        .bind("outcome", row.outcome)
        .bind("category", row.category)
        .bind("threat", row.threatToLife)
        .bind("labels", row.labels)
        .bind("signalTypes", row.signalTypes)
        .bind("duration", row.durationSeconds)
        .bind("countsItem", row.countsItem);
  }

  /** One ledger row as it is built up. */
  private static final class Row {
    final LedgerKind kind;
    final Long subject;
    final Long submission;
    String action;
    ActionSource source;
    Boolean automated;
    String contentType;
    String outcome;
    String category;
    Boolean threatToLife;
    String labels;
    String signalTypes;
    Long durationSeconds;
    Boolean countsItem;

    Row(LedgerKind kind, long subject, Long submission) {
      this.kind = kind;
      this.subject = subject;
      this.submission = submission;
    }

    Row action(String value) {
      action = value;
      return this;
    }

    Row source(ActionSource value) {
      source = value;
      return this;
    }

    Row automated(boolean value) {
      automated = value;
      return this;
    }

    Row contentType(String value) {
      contentType = value;
      return this;
    }

    Row outcome(String value) {
      outcome = value;
      return this;
    }

    Row category(String value) {
      category = value;
      return this;
    }

    Row threatToLife(boolean value) {
      threatToLife = value;
      return this;
    }

    /** Sorted and without repeats, so that the same set is the same text and reports group it as one. */
    Row labels(Collection<String> values) {
      labels = values.isEmpty() ? null : JsonText.write(new TreeSet<>(values));
      return this;
    }

    Row signalTypes(Collection<String> values) {
      signalTypes = values.isEmpty() ? null : JsonText.write(new TreeSet<>(values));
      return this;
    }

    Row countsItem(boolean value) {
      countsItem = value;
      return this;
    }

    Row since(Handle h, OffsetDateTime start) {
      durationSeconds = start == null ? null : Math.max(0, Duration.between(start, Clock.now(h)).toSeconds());
      return this;
    }
  }
}
