package org.countersignal.server.account;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.action.AccountViolations;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
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

  public record Match(long bankId, String bank, long entryId, String signalType, int distance, int threshold,
      List<String> labels, List<String> entities) {}

  public record Decision(long id, String action, String state, String source, Long ruleId, String rule,
      Long actorKeyId, String reason, String eventId, String createdAt) {}

  public record Submission(long id, String contentId, String contentType, String amplifiesAccount, String status,
      String submittedAt, String removedAt, String retainUntil, String purgedAt, JsonNode signals, String mediaType,
      List<Match> matches, List<Decision> decisions) {}

  /** A suspension the rules or a reviewer recommend and nobody has turned down. */
  public record SuspensionRecommendation(long decisionId, long submissionId, String contentId, String state,
      String source, String rule, String reason, String createdAt) {}

  /**
   * @param nextBefore pass as {@code before} for the next (older) page; null on the last page
   */
  public record View(String account, Counts counts, List<SuspensionRecommendation> suspensionRecommendations,
      List<Submission> items, Long nextBefore) {}

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
      List<Submission> items = page(h, account, limit, before);
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

  private static List<Submission> page(Handle h, String account, int limit, Long before) {
    // Keyset paging on (submitted_at, id): a page never repeats or skips a row as new ones arrive.
    String after = before == null ? "" : """
        AND (s.submitted_at < (SELECT b.submitted_at FROM submissions b WHERE b.id = :before)
             OR (s.submitted_at = (SELECT b.submitted_at FROM submissions b WHERE b.id = :before) AND s.id < :before))""";
    var query = h.createQuery("""
            SELECT s.id, s.content_id, s.content_type, s.amplifies_account, s.status, s.submitted_at, s.removed_at,
                   s.retain_until, s.purged_at, s.signals, s.media_type
            FROM submissions s WHERE s.account_id = :account %s
            ORDER BY s.submitted_at DESC, s.id DESC FETCH FIRST :limit ROWS ONLY""".formatted(after))
        .bind("account", account)
        .bind("limit", limit);
    if (before != null) {
      query.bind("before", before);
    }
    List<Object[]> rows = query.map((rs, ctx) -> new Object[] {
        rs.getLong("id"), rs.getString("content_id"), rs.getString("content_type"), rs.getString("amplifies_account"),
        rs.getString("status"), time(rs.getObject("submitted_at", OffsetDateTime.class)),
        time(rs.getObject("removed_at", OffsetDateTime.class)), time(rs.getObject("retain_until", OffsetDateTime.class)),
        time(rs.getObject("purged_at", OffsetDateTime.class)), rs.getString("signals"), rs.getString("media_type")})
        .list();
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Long> ids = rows.stream().map(r -> (Long) r[0]).toList();
    Map<Long, List<Match>> matches = matches(h, ids);
    Map<Long, List<Decision>> decisions = decisions(h, ids);
    List<Submission> items = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      long id = (Long) r[0];
      items.add(new Submission(id, (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
          (String) r[6], (String) r[7], (String) r[8], JsonText.tree((String) r[9]), (String) r[10],
          matches.getOrDefault(id, List.of()), decisions.getOrDefault(id, List.of())));
    }
    return items;
  }

  private static Map<Long, List<Match>> matches(Handle h, List<Long> ids) {
    Map<Long, List<Match>> out = new LinkedHashMap<>();
    h.createQuery("""
            SELECT submission_id, bank_id, bank_name, entry_id, signal_type, distance, threshold, labels, entities
            FROM submission_matches WHERE submission_id IN (<ids>) ORDER BY submission_id, distance, id""")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getLong("submission_id"), new Match(rs.getLong("bank_id"), rs.getString("bank_name"),
            rs.getLong("entry_id"), rs.getString("signal_type"), rs.getInt("distance"), rs.getInt("threshold"),
            JsonText.stringList(rs.getString("labels")), JsonText.stringList(rs.getString("entities")))))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  private static Map<Long, List<Decision>> decisions(Handle h, List<Long> ids) {
    Map<Long, List<Decision>> out = new LinkedHashMap<>();
    h.createQuery("""
            SELECT id, submission_id, action, state, source, rule_id, rule_name, actor_key_id, reason, event_id, created_at
            FROM decisions WHERE submission_id IN (<ids>) ORDER BY submission_id, created_at, id""")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getLong("submission_id"), new Decision(rs.getLong("id"), rs.getString("action"),
            rs.getString("state"), rs.getString("source"), rs.getObject("rule_id", Long.class), rs.getString("rule_name"),
            rs.getObject("actor_key_id", Long.class), rs.getString("reason"), rs.getString("event_id"),
            time(rs.getObject("created_at", OffsetDateTime.class)))))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  static String time(OffsetDateTime t) {
    return Clock.text(t);
  }

}
