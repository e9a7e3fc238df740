import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the report-intake benchmark (bench/service/reports-run.sh) left in the database, read after
 * the server has stopped: whether every report the server acknowledged (201) is stored, how many
 * cases the reports made, whether any content has two open cases, and what was marked a possible
 * campaign (the benchmark's campaigns are against the accounts target-1 .. target-20, and only
 * their reporters are new accounts, so no other case should be marked).
 *
 * <p>Usage: {@code java -cp 'cli/target/lib/*' bench/service/ReportChecks.java JDBC_URL ACKED_IDS}
 */
public final class ReportChecks {

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: java ReportChecks.java JDBC_URL ACKED_IDS");
      System.exit(2);
    }
    List<String> lines = Files.readAllLines(Path.of(args[1]));
    Set<Long> acked = new HashSet<>();
    for (String line : lines) {
      if (!line.isBlank()) {
        acked.add(Long.parseLong(line.strip()));
      }
    }
    try (Connection c = DriverManager.getConnection(args[0])) {
      Set<Long> stored = new HashSet<>();
      try (PreparedStatement s = c.prepareStatement("SELECT id FROM user_reports"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getLong(1));
        }
      }
      long missing = acked.stream().filter(id -> !stored.contains(id)).count();
      long cases = count(c, "SELECT COUNT(*) FROM user_report_cases");
      System.out.printf("acknowledged (201): %,d reports (%,d lines); stored: %,d reports; acknowledged but not stored: %d%s%n",
          acked.size(), lines.size(), stored.size(), missing, missing == 0 ? "" : "  <-- LOST");
      System.out.printf("report cases: %,d (%.2f reports a case); reports marked repeat (same reporter, same case): %,d%n",
          cases, stored.size() / (double) Math.max(1, cases), count(c, "SELECT COUNT(*) FROM user_reports WHERE repeat_report"));
      long byId = count(c, "SELECT COUNT(*) FROM (SELECT u.content_id FROM user_report_cases u JOIN cases k ON k.id = u.case_id "
          + "WHERE k.status IN ('open', 'escalated') AND u.content_id IS NOT NULL GROUP BY u.content_id HAVING COUNT(*) > 1) d");
      long byUrl = count(c, "SELECT COUNT(*) FROM (SELECT u.canonical_url FROM user_report_cases u JOIN cases k ON k.id = u.case_id "
          + "WHERE k.status IN ('open', 'escalated') AND u.content_id IS NULL GROUP BY u.canonical_url HAVING COUNT(*) > 1) d");
      System.out.printf("content with more than one open case: %d by content id, %d by URL (content without an id)%s%n",
          byId, byUrl, byId + byUrl == 0 ? "" : "  <-- NOT MERGED");
      System.out.printf("cases with a trusted flagger's report: %,d; of those at priority 300 or more: %,d%n",
          count(c, "SELECT COUNT(DISTINCT case_id) FROM user_reports WHERE reporter_kind = 'trusted_flagger'"),
          count(c, "SELECT COUNT(DISTINCT r.case_id) FROM user_reports r JOIN cases k ON k.id = r.case_id "
              + "WHERE r.reporter_kind = 'trusted_flagger' AND k.priority >= 300"));
      long targetCases = count(c, "SELECT COUNT(*) FROM user_report_cases WHERE account_id LIKE 'target-%'");
      long targetMarked = count(c, "SELECT COUNT(*) FROM user_report_cases WHERE account_id LIKE 'target-%' AND possible_campaign");
      long otherMarked = count(c, "SELECT COUNT(*) FROM user_report_cases WHERE (account_id IS NULL OR account_id NOT LIKE 'target-%') "
          + "AND possible_campaign");
      System.out.printf("campaign: the target accounts' cases %d, marked possible_campaign %d; other cases marked: %d%s; "
              + "new-account reports %,d, marked %,d; audited markings %,d%n",
          targetCases, targetMarked, otherMarked, targetMarked == targetCases && otherMarked == 0 ? "" : "  <-- UNEXPECTED",
          count(c, "SELECT COUNT(*) FROM user_reports WHERE new_account"),
          count(c, "SELECT COUNT(*) FROM user_reports WHERE new_account AND possible_campaign"),
          count(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'user_report.possible_campaign'"));
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
