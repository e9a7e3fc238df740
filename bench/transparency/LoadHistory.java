import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A year of history for the transparency report benchmark, written straight into a migrated
 * Countersignal PostgreSQL database: SUBMISSIONS submissions spread evenly over 2025 (80 % images,
 * 10 % videos, 10 % text; one in 25 removed by a rule at once, one in 100 removed after review, the
 * rest clean), their transparency ledger rows as the server writes them (the actions with their
 * labels and signal types), 100,000 reported posts with two reports each, 20,000 appeals, 500
 * removal orders and their complaints. Then VACUUM ANALYZE, as autovacuum would have done over the
 * year. The content is made up; only its shape and volume matter.
 *
 * <p>Usage: {@code java -cp countersignal.jar LoadHistory.java JDBC_URL [SUBMISSIONS]}
 */
public final class LoadHistory {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long n = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      long started = System.nanoTime();
      // Seconds between two submissions, so that n of them fill the year.
      double step = 365.0 * 86_400 / n;
      run(st, "INSERT INTO submissions (content_id, account_id, content_type, signals, key_id, status, submitted_at, removed_at, retain_until) "
          + "SELECT 'c-' || g, 'a-' || (g % 500000), CASE g % 10 WHEN 0 THEN 'video' WHEN 1 THEN 'text' ELSE 'image' END, "
          + "'{\"pdq\":[\"' || md5(g::text) || md5((g + 1)::text) || '\"]}', 1, "
          + "CASE WHEN g % 25 = 0 THEN 'actioned' WHEN g % 100 = 1 THEN 'violating' ELSE 'clean' END, "
          + "TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * " + step + " * INTERVAL '1 second', "
          + "CASE WHEN g % 25 = 0 OR g % 100 = 1 THEN TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * " + step + " * INTERVAL '1 second' END, "
          + "TIMESTAMPTZ '2026-07-01 00:00:00+00' FROM generate_series(1, " + n + ") g");
      String labels = "CASE g % 4 WHEN 0 THEN '[\"attacker_manifesto\"]' WHEN 1 THEN '[\"glorification_of_terrorist_acts\"]' "
          + "WHEN 2 THEN '[\"attacker_manifesto\",\"graphic_violence_defenceless\"]' ELSE '[\"recruitment_and_instruction\"]' END";
      String types = "CASE s.content_type WHEN 'video' THEN '[\"vpdq\"]' WHEN 'text' THEN '[\"text\"]' ELSE '[\"pdq\"]' END";
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, action, source, automated, content_type, labels, "
          + "signal_types, counts_item) SELECT s.removed_at, 'decision', s.id, s.id, 'remove', 'hash_match', s.status = 'actioned', s.content_type, "
          + labels.replace("g %", "s.id %") + ", " + types + ", TRUE FROM submissions s WHERE s.removed_at IS NOT NULL");
      // Reported posts: a case each, two reports, a reviewer's decision.
      run(st, "INSERT INTO cases (kind, submission_id, status, priority, outcome, decided_at, created_at) "
          + "SELECT 'report', id, CASE WHEN id % 3 = 0 THEN 'confirmed' ELSE 'rejected' END, 10, "
          + "CASE WHEN id % 3 = 0 THEN 'confirm' ELSE 'reject' END, submitted_at + INTERVAL '5 hours', submitted_at "
          + "FROM submissions WHERE id % 100 = 7");
      run(st, "INSERT INTO user_report_cases (case_id, submission_id, content_id, possible_campaign, created_at) "
          + "SELECT c.id, c.submission_id, 'c-' || c.submission_id, FALSE, c.created_at FROM cases c WHERE c.kind = 'report'");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, source, category, outcome, counts_item) "
          + "SELECT c.created_at, 'report_received', c.id * 2 + r, c.submission_id, CASE WHEN r = 0 AND c.id % 5 = 0 THEN 'trusted_flagger' ELSE 'user_report' END, "
          + "CASE (c.id + r) % 3 WHEN 0 THEN 'glorification' WHEN 1 THEN 'recruitment' ELSE 'terrorist_content' END, NULL, r = 0 "
          + "FROM cases c CROSS JOIN generate_series(0, 1) r WHERE c.kind = 'report'");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, source, category, outcome, duration_s) "
          + "SELECT c.decided_at, 'report_decided', c.id * 2 + r, c.submission_id, CASE WHEN r = 0 AND c.id % 5 = 0 THEN 'trusted_flagger' ELSE 'user_report' END, "
          + "'glorification', CASE WHEN c.outcome = 'confirm' THEN 'violating' ELSE 'no_violation' END, 18000 "
          + "FROM cases c CROSS JOIN generate_series(0, 1) r WHERE c.kind = 'report'");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, action, source, automated, content_type) "
          + "SELECT c.decided_at, 'decision', c.id, c.submission_id, 'violating', CASE WHEN c.id % 5 = 0 THEN 'trusted_flagger' ELSE 'user_report' END, "
          + "FALSE, 'other' FROM cases c WHERE c.kind = 'report' AND c.outcome = 'confirm'");
      // Appeals against one removal in 25; one in four reinstated.
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, content_type) "
          + "SELECT removed_at + INTERVAL '1 day', 'appeal_filed', id, id, content_type FROM submissions WHERE removed_at IS NOT NULL AND id % 625 = 0");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, outcome, duration_s) "
          + "SELECT removed_at + INTERVAL '3 days', 'appeal_decided', id, id, CASE WHEN id % 4 = 0 THEN 'reinstated' ELSE 'upheld' END, 172800 "
          + "FROM submissions WHERE removed_at IS NOT NULL AND id % 625 = 0");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, submission_id, outcome) "
          + "SELECT removed_at + INTERVAL '3 days', 'content_reinstated', id, id, 'appeal' FROM submissions WHERE removed_at IS NOT NULL AND id % 2500 = 0");
      // Removal orders: 500 over the year, 490 acted on (a few late), 10 not complied with; 40 complaints, 5 upheld.
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, category, threat_to_life, source) "
          + "SELECT TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '17 hours', 'order_received', g, "
          + "CASE g % 4 WHEN 0 THEN 'FR' WHEN 1 THEN 'DE' WHEN 2 THEN 'ES' ELSE 'IT' END, g % 50 = 0, 'removal_order' FROM generate_series(1, 500) g");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, category, action, outcome, source, automated, duration_s, counts_item) "
          + "SELECT TIMESTAMPTZ '2025-01-01 00:40:00+00' + g * INTERVAL '17 hours', 'order_acted', g, "
          + "CASE g % 4 WHEN 0 THEN 'FR' WHEN 1 THEN 'DE' WHEN 2 THEN 'ES' ELSE 'IT' END, CASE WHEN g % 7 = 0 THEN 'disabled' ELSE 'removed' END, "
          + "CASE WHEN g % 60 = 0 THEN 'late' ELSE 'in_time' END, 'removal_order', FALSE, 2400, TRUE FROM generate_series(1, 500) g WHERE g % 50 <> 25");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, outcome, source, duration_s) "
          + "SELECT TIMESTAMPTZ '2025-01-01 00:30:00+00' + g * INTERVAL '17 hours', 'order_not_complied', g, "
          + "CASE WHEN g % 100 = 25 THEN 'missing_information' ELSE 'manifest_errors' END, 'removal_order', 1800 FROM generate_series(1, 500) g WHERE g % 50 = 25");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id) "
          + "SELECT TIMESTAMPTZ '2025-01-03 00:00:00+00' + g * INTERVAL '200 hours', 'complaint_filed', g FROM generate_series(1, 40) g");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, outcome, duration_s) "
          + "SELECT TIMESTAMPTZ '2025-01-10 00:00:00+00' + g * INTERVAL '200 hours', 'complaint_decided', g, CASE WHEN g % 8 = 0 THEN 'upheld' ELSE 'rejected' END, "
          + "604800 FROM generate_series(1, 40) g");
      run(st, "INSERT INTO transparency_events (occurred_at, kind, subject_id, outcome) "
          + "SELECT TIMESTAMPTZ '2025-01-10 00:00:00+00' + g * INTERVAL '200 hours', 'content_reinstated', g, 'order_complaint' FROM generate_series(1, 40) g WHERE g % 8 = 0");
      c.setAutoCommit(true);
      run(st, "VACUUM ANALYZE submissions");
      run(st, "VACUUM ANALYZE transparency_events");
      run(st, "VACUUM ANALYZE cases");
      run(st, "VACUUM ANALYZE user_report_cases");
      System.out.printf("loaded in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }
  }

  private static void run(Statement st, String sql) throws Exception {
    long t = System.nanoTime();
    int rows = st.executeUpdate(sql);
    System.out.printf("%8.1f s  %,d rows  %s%n", (System.nanoTime() - t) / 1e9, rows, sql.substring(0, Math.min(70, sql.length())));
  }
}
