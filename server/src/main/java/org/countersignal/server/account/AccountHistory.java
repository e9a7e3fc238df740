package org.countersignal.server.account;

import java.time.OffsetDateTime;
import java.util.List;
import org.countersignal.server.action.AccountViolations;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the service knows of one account: what it posted, what that matched, what was decided,
 * and the counts a reviewer weighs before suspending it. Read in one transaction so the counts
 * agree with the page.
 */
public final class AccountHistory {

  /** Decisions of these states no longer recommend anything: a reviewer turned them down. */
  private static final String WITHDRAWN_STATES = "(" + DecisionState.REJECTED.sql() + ", " + DecisionState.REINSTATED.sql() + ")";

  private final Jdbi jdbi;

  public AccountHistory(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The counts of an account's history. */
  public record Counts(long submissions, long matched, long confirmedViolations, long removed) {}

  /** A suspension the rules or a reviewer recommend and nobody has turned down. */
  public record SuspensionRecommendation(long decisionId, long submissionId, String contentId, String state,
      String source, String ruleName, String reason, String createdAt) {}

  /**
   * @param nextBefore pass as {@code before} for the next (older) page; null on the last page
   */
  public record View(String account, Counts counts, List<SuspensionRecommendation> suspensionRecommendations,
      List<SubmissionView> items, Long nextBefore) {}

  /**
   * The account's submissions, newest first.
   *
   * @param before a submission id from a previous page: only submissions older than it; null for the newest
   */
  public View history(String account, int limit, Long before) {
    Accounts.checkAccount(account);
    return jdbi.inTransaction(h -> {
      Counts counts = counts(h, account);
      List<SuspensionRecommendation> suspensions = suspensions(h, account);
      List<SubmissionView> items = page(h, account, limit, before);
      Long next = items.size() == limit ? items.getLast().id() : null;
      return new View(account, counts, suspensions, items, next);
    });
  }

  private static Counts counts(Handle h, String account) {
    return h.createQuery("""
            SELECT COUNT(*) AS submissions,
                   COUNT(CASE WHEN EXISTS (SELECT 1 FROM submission_matches m WHERE m.submission_id = s.id)
                              THEN 1 END) AS matched,
                   COUNT(CASE WHEN %s THEN 1 END) AS confirmed,
                   COUNT(s.removed_at) AS removed
            FROM submissions s WHERE s.account_id = :account""".formatted(AccountViolations.CONFIRMED))
        .bind("account", account)
        .map((rs, ctx) -> new Counts(rs.getLong("submissions"), rs.getLong("matched"), rs.getLong("confirmed"),
            rs.getLong("removed")))
        .one();
  }

  private static List<SuspensionRecommendation> suspensions(Handle h, String account) {
    return h.createQuery("""
            SELECT d.id, d.submission_id, s.content_id, d.state, d.source, d.rule_name, d.reason, d.created_at
            FROM decisions d JOIN submissions s ON s.id = d.submission_id
            WHERE s.account_id = :account AND d.action = 'suspend_account' AND d.state NOT IN %s
            ORDER BY d.created_at DESC, d.id DESC""".formatted(WITHDRAWN_STATES))
        .bind("account", account)
        .map((rs, ctx) -> new SuspensionRecommendation(rs.getLong("id"), rs.getLong("submission_id"),
            rs.getString("content_id"), rs.getString("state"), rs.getString("source"), rs.getString("rule_name"),
            rs.getString("reason"), time(rs.getObject("created_at", OffsetDateTime.class))))
        .list();
  }

  /** Each submission in the shape /submissions and /cases give it, so a platform reads all three alike. */
  private static List<SubmissionView> page(Handle h, String account, int limit, Long before) {
    // Keyset paging on (submitted_at, id): a page never repeats or skips a row as new ones arrive.
    String after = before == null ? "" : """
        AND (s.submitted_at < (SELECT b.submitted_at FROM submissions b WHERE b.id = :before)
             OR (s.submitted_at = (SELECT b.submitted_at FROM submissions b WHERE b.id = :before) AND s.id < :before))""";
    var query = h.createQuery("""
            SELECT s.id FROM submissions s WHERE s.account_id = :account %s
            ORDER BY s.submitted_at DESC, s.id DESC FETCH FIRST :limit ROWS ONLY""".formatted(after))
        .bind("account", account)
        .bind("limit", limit);
    if (before != null) {
      query.bind("before", before);
    }
    return query.mapTo(Long.class).list().stream().map(id -> Submissions.find(h, id).orElseThrow()).toList();
  }

  static String time(OffsetDateTime t) {
    return Clock.text(t);
  }

}
