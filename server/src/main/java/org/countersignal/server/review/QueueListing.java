package org.countersignal.server.review;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The queue read a page at a time, filtered in the database: the queue can hold a hundred
 * thousand cases, and a reviewer looks for a few. The order is the queue's: overdue appeals
 * first, then the highest priority, then the oldest.
 *
 * <p>Pages are anchored on a case (keyset paging, see {@link QueueCursor}): the next page is the
 * cases after the last one shown, in the order they have now.
 */
final class QueueListing {

  /** 0 for an appeal past its deadline, 1 for anything else: the first key of the queue's order. */
  private static final String LATE = "CASE WHEN c.kind = " + CaseKind.APPEAL.sql() + " AND a.due_at < :now THEN 0 ELSE 1 END";
  private static final String ROWS = "SELECT c.id, c.kind, c.status, c.priority, c.submission_id, c.claimed_by, c.lease_until, "
      + "c.created_at, s.content_id, s.account_id, s.content_type, a.due_at, " + LATE + " AS late "
      + "FROM cases c JOIN submissions s ON s.id = c.submission_id LEFT JOIN appeals a ON a.id = c.appeal_id";
  private static final String FORWARD = " ORDER BY q.late, q.priority DESC, q.created_at, q.id";
  private static final String BACKWARD = " ORDER BY q.late DESC, q.priority, q.created_at DESC, q.id DESC";
  /** After an anchor {@code :k_*} in the queue's order (before it, with the comparisons turned). */
  private static final String AFTER = "(q.late > :k_late OR (q.late = :k_late AND (q.priority < :k_priority "
      + "OR (q.priority = :k_priority AND (q.created_at > :k_created OR (q.created_at = :k_created AND q.id > :k_id))))))";
  private static final String BEFORE = "(q.late < :k_late OR (q.late = :k_late AND (q.priority > :k_priority "
      + "OR (q.priority = :k_priority AND (q.created_at < :k_created OR (q.created_at = :k_created AND q.id < :k_id))))))";

  private QueueListing() {}

  /** The first {@code limit} cases of the whole queue. */
  static List<CaseSummary> first(Handle h, int limit) {
    OffsetDateTime now = Clock.now(h);
    Conditions where = new Conditions(QueueFilter.everything(0), now);
    return withMatches(h, rows(h, where, null, false, limit));
  }

  /** A page of at most {@code size} cases that {@code filter} lets through, from {@code from} (null: the first page). */
  static QueueSlice slice(Handle h, QueueFilter filter, QueueCursor from, int size) {
    OffsetDateTime now = Clock.now(h);
    Conditions where = new Conditions(filter, now);
    List<CaseSummary> cases;
    if (from == null) {
      cases = rows(h, where, null, false, size);
    } else {
      Key anchor = key(h, from.caseId(), now);
      boolean back = from.direction() == QueueCursor.Direction.BEFORE;
      cases = rows(h, where, anchor, back, size);
      if (back && cases.size() < size) {
        // Fewer than a page before the anchor: cases above it were decided meanwhile. The first page is what is there.
        cases = rows(h, where, null, false, size);
      }
    }
    long total = count(h, where, null);
    long preceding = cases.isEmpty() ? 0 : count(h, where, keyOf(cases.get(0)));
    return new QueueSlice(withMatches(h, cases), total, preceding, now);
  }

  /** A case's place in the queue's order. */
  private record Key(int late, int priority, OffsetDateTime created, long id) {}

  private static Key key(Handle h, long caseId, OffsetDateTime now) {
    return h.createQuery("SELECT c.id, c.priority, c.created_at, " + LATE + " AS late FROM cases c LEFT JOIN appeals a ON a.id = c.appeal_id "
            + "WHERE c.id = :id")
        .bind("id", caseId).bind("now", now)
        .map((rs, ctx) -> new Key(rs.getInt("late"), rs.getInt("priority"), rs.getObject("created_at", OffsetDateTime.class), rs.getLong("id")))
        .findOne()
        .orElseThrow(() -> new RequestException(RequestException.Kind.INVALID, "page",
            "The page was to start at case " + caseId + ", which does not exist. Start again from the first page."));
  }

  private static Key keyOf(CaseSummary c) {
    return new Key(c.overdue() ? 0 : 1, c.priority(), OffsetDateTime.parse(c.createdAt()), c.id());
  }

  private static List<CaseSummary> rows(Handle h, Conditions where, Key anchor, boolean back, int limit) {
    Query query = h.createQuery("SELECT * FROM (" + ROWS + " WHERE " + where.sql() + ") q"
        + (anchor == null ? "" : " WHERE " + (back ? BEFORE : AFTER)) + (back ? BACKWARD : FORWARD) + " FETCH FIRST :limit ROWS ONLY");
    where.bind(query);
    bind(query, anchor);
    List<CaseSummary> cases = new ArrayList<>(query.bind("limit", limit).map((rs, ctx) -> {
      OffsetDateTime due = rs.getObject("due_at", OffsetDateTime.class);
      OffsetDateTime leaseUntil = rs.getObject("lease_until", OffsetDateTime.class);
      boolean claimed = leaseUntil != null && leaseUntil.isAfter(where.now());
      return new CaseSummary(rs.getLong("id"), rs.getString("kind"), rs.getString("status"), rs.getInt("priority"), rs.getLong("submission_id"),
          rs.getString("content_id"), rs.getString("account_id"), rs.getString("content_type"), List.of(), null,
          claimed ? rs.getObject("claimed_by", Long.class) : null, claimed ? Clock.text(leaseUntil) : null,
          Clock.text(rs.getObject("created_at", OffsetDateTime.class)), Clock.text(due), rs.getInt("late") == 0);
    }).list());
    if (back) {
      Collections.reverse(cases);
    }
    return cases;
  }

  /** How many cases the conditions let through; with {@code before}, only those ahead of it. */
  private static long count(Handle h, Conditions where, Key before) {
    Query query = h.createQuery("SELECT COUNT(*) FROM (" + ROWS + " WHERE " + where.sql() + ") q" + (before == null ? "" : " WHERE " + BEFORE));
    where.bind(query);
    bind(query, before);
    return query.mapTo(Long.class).one();
  }

  private static void bind(Query query, Key key) {
    if (key != null) {
      query.bind("k_late", key.late()).bind("k_priority", key.priority()).bind("k_created", key.created()).bind("k_id", key.id());
    }
  }

  /** A filter as SQL conditions on {@code c} (cases), {@code s} (submissions) and {@code a} (appeals), with their values. */
  private static final class Conditions {

    private final List<String> sql = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final OffsetDateTime now;

    Conditions(QueueFilter filter, OffsetDateTime now) {
      this.now = now;
      values.put("now", now);
      sql.add(switch (filter.status()) {
        case ANY -> "c.status IN (" + CaseStatus.OPEN.sql() + ", " + CaseStatus.ESCALATED.sql() + ")";
        case OPEN -> "c.status = " + CaseStatus.OPEN.sql();
        case ESCALATED -> "c.status = " + CaseStatus.ESCALATED.sql();
        case OVERDUE -> "c.status IN (" + CaseStatus.OPEN.sql() + ", " + CaseStatus.ESCALATED.sql() + ") AND c.kind = "
            + CaseKind.APPEAL.sql() + " AND a.due_at < :now";
      });
      if (filter.kind() != null) {
        sql.add("c.kind = " + filter.kind().sql());
      }
      if (filter.label() != null) {
        // Labels are kept as a JSON array of strings; the label's JSON form, quotes included, matches it whole.
        sql.add("EXISTS (SELECT 1 FROM submission_matches m WHERE m.submission_id = c.submission_id AND m.labels LIKE :label ESCAPE '!')");
        values.put("label", "%" + likeEscaped(JsonText.write(filter.label())) + "%");
      }
      switch (filter.claim()) {
        case MINE -> {
          sql.add("c.claimed_by = :claimant AND c.lease_until > :now");
          values.put("claimant", filter.claimant());
        }
        case UNCLAIMED -> sql.add("(c.claimed_by IS NULL OR c.lease_until IS NULL OR c.lease_until <= :now)");
        case ANYONE -> { }
      }
      if (filter.text() != null) {
        sql.add("(LOWER(s.content_id) LIKE :text ESCAPE '!' OR LOWER(s.account_id) LIKE :text ESCAPE '!')");
        values.put("text", "%" + likeEscaped(filter.text().toLowerCase(Locale.ROOT)) + "%");
      }
    }

    String sql() {
      return String.join(" AND ", sql);
    }

    OffsetDateTime now() {
      return now;
    }

    void bind(Query query) {
      values.forEach(query::bind);
    }

    /** {@code text} matched literally by LIKE ... ESCAPE '!' (not a backslash, which the statement parser would take as its own escape). */
    private static String likeEscaped(String text) {
      return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
  }

  private record MatchRow(long submission, int distance, String labels) {}

  /** The cases with the labels and the closest distance of their matches, read in one query. */
  static List<CaseSummary> withMatches(Handle h, List<CaseSummary> cases) {
    if (cases.isEmpty()) {
      return cases;
    }
    Map<Long, Set<String>> labels = new HashMap<>();
    Map<Long, Integer> best = new HashMap<>();
    h.createQuery("SELECT submission_id, distance, labels FROM submission_matches WHERE submission_id IN (<ids>) "
            + "ORDER BY submission_id, distance, id")
        .bindList("ids", cases.stream().map(CaseSummary::submissionId).distinct().toList())
        .map((rs, ctx) -> new MatchRow(rs.getLong("submission_id"), rs.getInt("distance"), rs.getString("labels")))
        .forEach(m -> {
          labels.computeIfAbsent(m.submission(), k -> new LinkedHashSet<>()).addAll(JsonText.stringList(m.labels()));
          best.merge(m.submission(), m.distance(), Math::min);
        });
    return cases.stream()
        .map(c -> c.withMatches(List.copyOf(labels.getOrDefault(c.submissionId(), Set.of())), best.get(c.submissionId())))
        .toList();
  }
}
