package org.countersignal.server.statement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.DecisionSource;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.review.AppealStatus;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.store.JsonText;
import org.countersignal.server.userreport.ReportReason;
import org.countersignal.server.userreport.ReporterKind;
import org.jdbi.v3.core.Handle;

/**
 * Reads the records a statement of reasons is made from: restrictive decisions, report cases a
 * reviewer confirmed, and removal orders acted on, each with what is known of its content (the
 * matches and their labels, the review, the reports, a reinstatement). Pages read the
 * background of all their contents in four queries, so an export costs a few queries per page,
 * not per statement.
 */
final class StatementRecords {

  /** Actions that restrict content or an account; every other action (label, review, a platform's own) gets no statement. */
  static final Set<String> RESTRICTIVE_ACTIONS = Set.of(ActionPipeline.REMOVE, StatementMapper.SUSPEND_ACCOUNT);
  /** Decision states of a restriction that was applied; reinstated ones were applied and then ended. */
  static final List<DecisionState> APPLIED = List.of(DecisionState.TAKEN, DecisionState.CONFIRMED, DecisionState.REINSTATED);

  private static final String SUBMISSION = "s.content_id, s.content_type, s.submitted_at";
  private static final String DECISION_COLUMNS = "d.id, d.submission_id, d.action, d.state, d.source, d.rule_name, d.created_at, " + SUBMISSION;
  private static final String ORDER_COLUMNS = "o.id, o.reference, a.name AS authority, a.member_state, o.reasons, o.state, o.action, "
      + "o.received_at, o.acted_at, o.reinstated_at, o.content_id AS order_content_id, " + SUBMISSION;
  private static final String CASE_COLUMNS = "c.id, c.submission_id, c.status, c.decided_at, c.policy, " + SUBMISSION;

  private StatementRecords() {}

  /** A decision and its content. */
  record DecisionRow(long id, long submissionId, String action, DecisionState state, DecisionSource source, String ruleName, OffsetDateTime createdAt,
      Content content) {}

  /** A removal order and, when one is linked, its content's submission. */
  record OrderRow(long id, String reference, String authority, String memberState, String reasons, String state, String action,
      OffsetDateTime receivedAt, OffsetDateTime actedAt, OffsetDateTime reinstatedAt, String orderContentId, Content content) {}

  /** A report case and its content. */
  record ReportCaseRow(long id, long submissionId, CaseStatus status, OffsetDateTime decidedAt, String policy, Content content) {}

  /** The submission as the platform sent it; null fields when an order names no submission. */
  record Content(String id, String type, OffsetDateTime submittedAt) {}

  /** One entry the content matched. */
  record Match(String bankName, String signalType, List<String> labels) {}

  /** The reviewer's confirmation that the content breaks policy. */
  record Review(OffsetDateTime decidedAt, String policy) {}

  /** One report of the content. */
  record Report(ReporterKind kind, ReportReason reason) {}

  /** What is known of one submission beyond its row. */
  record Background(List<Match> matches, Review review, List<Report> reports, OffsetDateTime reinstatedAt) {
    Set<String> labels() {
      Set<String> labels = new LinkedHashSet<>();
      matches.forEach(m -> labels.addAll(m.labels()));
      return labels;
    }
  }

  static Optional<DecisionRow> decision(Handle h, long id) {
    return h.createQuery("SELECT " + DECISION_COLUMNS + " FROM decisions d JOIN submissions s ON s.id = d.submission_id WHERE d.id = :id")
        .bind("id", id).map((rs, ctx) -> decision(rs)).findOne();
  }

  /**
   * Restrictive decisions applied, made before {@code before}, after decision {@code after}: a
   * decision a reviewer confirmed applies when confirmed, so one made before a period may still
   * belong to it; the caller keeps those that do.
   */
  static List<DecisionRow> decisions(Handle h, long after, OffsetDateTime before, int limit) {
    return h.createQuery("SELECT " + DECISION_COLUMNS + " FROM decisions d JOIN submissions s ON s.id = d.submission_id "
            + "WHERE d.id > :after AND d.created_at < :before AND d.action IN (<actions>) AND d.state IN (<states>) ORDER BY d.id LIMIT :limit")
        .bind("after", after).bind("before", before).bindList("actions", List.copyOf(RESTRICTIVE_ACTIONS))
        .bindList("states", APPLIED.stream().map(DecisionState::wire).toList()).bind("limit", limit)
        .map((rs, ctx) -> decision(rs)).list();
  }

  static Optional<OrderRow> order(Handle h, long id) {
    return h.createQuery("SELECT " + ORDER_COLUMNS + " FROM removal_orders o JOIN order_authorities a ON a.id = o.authority_id "
            + "LEFT JOIN submissions s ON s.id = o.submission_id WHERE o.id = :id")
        .bind("id", id).map((rs, ctx) -> order(rs)).findOne();
  }

  /** Orders acted on (and perhaps reinstated since) in [from, to), after order {@code after}. */
  static List<OrderRow> orders(Handle h, long after, OffsetDateTime from, OffsetDateTime to, int limit) {
    return h.createQuery("SELECT " + ORDER_COLUMNS + " FROM removal_orders o JOIN order_authorities a ON a.id = o.authority_id "
            + "LEFT JOIN submissions s ON s.id = o.submission_id "
            + "WHERE o.id > :after AND o.acted_at >= :from AND o.acted_at < :to ORDER BY o.id LIMIT :limit")
        .bind("after", after).bind("from", from).bind("to", to).bind("limit", limit)
        .map((rs, ctx) -> order(rs)).list();
  }

  static Optional<ReportCaseRow> reportCase(Handle h, long id) {
    return h.createQuery("SELECT " + CASE_COLUMNS + " FROM cases c JOIN submissions s ON s.id = c.submission_id "
            + "WHERE c.id = :id AND c.kind = " + CaseKind.REPORT.sql())
        .bind("id", id).map((rs, ctx) -> reportCase(rs)).findOne();
  }

  /** Report cases a reviewer confirmed in [from, to), after case {@code after}. */
  static List<ReportCaseRow> reportCases(Handle h, long after, OffsetDateTime from, OffsetDateTime to, int limit) {
    return h.createQuery("SELECT " + CASE_COLUMNS + " FROM cases c JOIN submissions s ON s.id = c.submission_id "
            + "WHERE c.id > :after AND c.kind = " + CaseKind.REPORT.sql() + " AND c.status = " + CaseStatus.CONFIRMED.sql()
            + " AND c.decided_at >= :from AND c.decided_at < :to ORDER BY c.id LIMIT :limit")
        .bind("after", after).bind("from", from).bind("to", to).bind("limit", limit)
        .map((rs, ctx) -> reportCase(rs)).list();
  }

  /** The background of each of {@code submissions}, by submission id. */
  static Map<Long, Background> backgrounds(Handle h, Collection<Long> submissions) {
    Map<Long, Background> out = new HashMap<>();
    if (submissions.isEmpty()) {
      return out;
    }
    List<Long> ids = List.copyOf(new LinkedHashSet<>(submissions));
    Map<Long, List<Match>> matches = new HashMap<>();
    h.createQuery("SELECT submission_id, bank_name, signal_type, labels FROM submission_matches WHERE submission_id IN (<ids>) ORDER BY id")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), new Match(rs.getString(2), rs.getString(3), JsonText.stringList(rs.getString(4)))))
        .forEach(e -> matches.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    // The first confirmation is the one that applied the restriction; a later case (a report after a match) adds nothing.
    Map<Long, Review> reviews = new HashMap<>();
    h.createQuery("SELECT submission_id, decided_at, policy FROM cases WHERE submission_id IN (<ids>) AND status = "
            + CaseStatus.CONFIRMED.sql() + " AND kind IN (" + CaseKind.MATCH.sql() + ", " + CaseKind.REPORT.sql() + ") ORDER BY decided_at, id")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), new Review(rs.getObject(2, OffsetDateTime.class), rs.getString(3))))
        .forEach(e -> reviews.putIfAbsent(e.getKey(), e.getValue()));
    Map<Long, List<Report>> reports = new HashMap<>();
    h.createQuery("SELECT c.submission_id, r.reporter_kind, r.reason FROM user_reports r JOIN user_report_cases c ON c.case_id = r.case_id "
            + "WHERE c.submission_id IN (<ids>) ORDER BY r.id")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), new Report(ReporterKind.fromWire(rs.getString(2)), ReportReason.fromWire(rs.getString(3)))))
        .forEach(e -> reports.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    Map<Long, OffsetDateTime> reinstated = new HashMap<>();
    h.createQuery("SELECT submission_id, MIN(decided_at) FROM appeals WHERE submission_id IN (<ids>) AND status = "
            + AppealStatus.REINSTATED.sql() + " GROUP BY submission_id")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class)))
        .forEach(e -> reinstated.put(e.getKey(), e.getValue()));
    for (long id : ids) {
      out.put(id, new Background(matches.getOrDefault(id, List.of()), reviews.get(id), reports.getOrDefault(id, List.of()),
          reinstated.get(id)));
    }
    return out;
  }

  private static DecisionRow decision(ResultSet rs) throws SQLException {
    return new DecisionRow(rs.getLong("id"), rs.getLong("submission_id"), rs.getString("action"), DecisionState.fromWire(rs.getString("state")),
        DecisionSource.fromWire(rs.getString("source")), rs.getString("rule_name"), rs.getObject("created_at", OffsetDateTime.class), content(rs));
  }

  private static OrderRow order(ResultSet rs) throws SQLException {
    return new OrderRow(rs.getLong("id"), rs.getString("reference"), rs.getString("authority"), rs.getString("member_state"),
        rs.getString("reasons"), rs.getString("state"), rs.getString("action"), rs.getObject("received_at", OffsetDateTime.class),
        rs.getObject("acted_at", OffsetDateTime.class),
        rs.getObject("reinstated_at", OffsetDateTime.class), rs.getString("order_content_id"), content(rs));
  }

  private static ReportCaseRow reportCase(ResultSet rs) throws SQLException {
    return new ReportCaseRow(rs.getLong("id"), rs.getLong("submission_id"), CaseStatus.fromWire(rs.getString("status")),
        rs.getObject("decided_at", OffsetDateTime.class), rs.getString("policy"), content(rs));
  }

  private static Content content(ResultSet rs) throws SQLException {
    return new Content(rs.getString("content_id"), rs.getString("content_type"), rs.getObject("submitted_at", OffsetDateTime.class));
  }
}
