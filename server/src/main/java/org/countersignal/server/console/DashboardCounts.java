package org.countersignal.server.console;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.action.SubmissionStatus;
import org.countersignal.server.order.OrderState;
import org.countersignal.server.review.AppealStatus;
import org.countersignal.server.review.CaseStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The dashboard's figures, read in one go. Each is a count over an index that exists, so the page
 * stays cheap however large the tables grow: the matches of a day read {@code submissions_by_time}
 * alone; the queue reads {@code cases_queue} and then only the cases still open; appeals read
 * {@code appeals_by_status}, orders {@code removal_orders_due}. Exchanges are a handful of rows.
 */
final class DashboardCounts {

  /** Hours the match chart covers, the current one last. */
  static final int HOURS = 24;

  /** The review queue: cases waiting for a decision (open or escalated), those nobody holds now, those escalated. */
  record Queue(long waiting, long unclaimed, long escalated) {}

  /** Removal orders received and not yet acted on, and those of them past their hour. */
  record Orders(long open, long overdue) {}

  /**
   * An exchange's fetching as its row keeps it.
   *
   * @param lastFetch when the last fetch ended (null: none has)
   * @param succeeded whether it succeeded (null: none has ended)
   */
  record Exchange(long id, String name, boolean enabled, OffsetDateTime lastFetch, Boolean succeeded, String lastError,
      long fetchedItems, int failuresInARow) {}

  /**
   * @param hourStarts the start of each hour the chart covers, oldest first
   * @param matches matched submissions in each of those hours
   */
  record Figures(OffsetDateTime now, List<OffsetDateTime> hourStarts, long[] matches, Queue queue, long overdueAppeals,
      Orders orders, List<Exchange> exchanges) {}

  private final Jdbi jdbi;

  DashboardCounts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Figures read() {
    return jdbi.withHandle(h -> {
      OffsetDateTime now = org.countersignal.server.store.Clock.now(h);
      List<OffsetDateTime> hours = new ArrayList<>();
      OffsetDateTime current = now.truncatedTo(ChronoUnit.HOURS);
      for (int i = HOURS - 1; i >= 0; i--) {
        hours.add(current.minus(Duration.ofHours(i)));
      }
      return new Figures(now, hours, matches(h, hours, now), queue(h, now), overdueAppeals(h, now), orders(h, now), exchanges(h));
    });
  }

  /**
   * Submissions that matched something, by hour: every submission but a clean one, as the
   * transparency report counts them. One pass over the day's stretch of {@code submissions_by_time},
   * which holds both columns read, each hour summed by its own bounds (portable SQL, no date functions).
   */
  private static long[] matches(Handle h, List<OffsetDateTime> hours, OffsetDateTime now) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < hours.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("SUM(CASE WHEN submitted_at >= :h").append(i).append(" AND submitted_at < :h").append(i + 1)
          .append(" THEN 1 ELSE 0 END) AS m").append(i);
    }
    sql.append(" FROM submissions WHERE submitted_at >= :h0 AND submitted_at < :h").append(hours.size())
        .append(" AND status <> ").append(SubmissionStatus.CLEAN.sql());
    var query = h.createQuery(sql.toString());
    for (int i = 0; i < hours.size(); i++) {
      query.bind("h" + i, hours.get(i));
    }
    // The end of the current hour, not now: a match stamped a moment later on another replica still counts.
    query.bind("h" + hours.size(), hours.getLast().plusHours(1));
    return query.map((rs, ctx) -> {
      long[] counts = new long[hours.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = rs.getLong("m" + i);
      }
      return counts;
    }).one();
  }

  /** A case is held while its claim's lease runs, as the queue itself decides. */
  private static Queue queue(Handle h, OffsetDateTime now) {
    return h.createQuery("SELECT COUNT(*) AS waiting, "
            + "SUM(CASE WHEN lease_until IS NULL OR lease_until <= :now THEN 1 ELSE 0 END) AS unclaimed, "
            + "SUM(CASE WHEN status = " + CaseStatus.ESCALATED.sql() + " THEN 1 ELSE 0 END) AS escalated "
            + "FROM cases WHERE status IN (" + CaseStatus.OPEN.sql() + ", " + CaseStatus.ESCALATED.sql() + ")")
        .bind("now", now)
        .map((rs, ctx) -> new Queue(rs.getLong("waiting"), rs.getLong("unclaimed"), rs.getLong("escalated")))
        .one();
  }

  private static long overdueAppeals(Handle h, OffsetDateTime now) {
    return h.createQuery("SELECT COUNT(*) FROM appeals WHERE status = " + AppealStatus.OPEN.sql() + " AND due_at < :now")
        .bind("now", now)
        .mapTo(Long.class)
        .one();
  }

  /** An order's hour is its {@code due_at}, kept with it (see the order package): overdue once that has passed. */
  private static Orders orders(Handle h, OffsetDateTime now) {
    return h.createQuery("SELECT COUNT(*) AS open_orders, SUM(CASE WHEN due_at < :now THEN 1 ELSE 0 END) AS overdue "
            + "FROM removal_orders WHERE state = :received")
        .bind("now", now)
        .bind("received", OrderState.RECEIVED.wireName())
        .map((rs, ctx) -> new Orders(rs.getLong("open_orders"), rs.getLong("overdue")))
        .one();
  }

  private static List<Exchange> exchanges(Handle h) {
    return h.createQuery("SELECT id, name, enabled, last_fetch_completed_at, last_fetch_succeeded, last_error, fetched_items, "
            + "failures_in_a_row FROM exchanges ORDER BY name, id")
        .map((rs, ctx) -> new Exchange(
            rs.getLong("id"),
            rs.getString("name"),
            rs.getBoolean("enabled"),
            rs.getObject("last_fetch_completed_at", OffsetDateTime.class),
            rs.getObject("last_fetch_succeeded", Boolean.class),
            rs.getString("last_error"),
            rs.getLong("fetched_items"),
            rs.getInt("failures_in_a_row")))
        .list();
  }
}
