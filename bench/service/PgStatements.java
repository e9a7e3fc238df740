import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Where PostgreSQL's time goes during one benchmark run, for a PostgreSQL started with
 * {@code shared_preload_libraries=pg_stat_statements} (bench/service/reports-run.sh with
 * {@code PG_STATS=1}). {@code reset} empties the statement and table statistics before the run;
 * {@code report} prints, after it, each statement's calls, mean execution time, mean planning time
 * and shared buffers read per call, the slowest in total first, then how often each index was
 * scanned and how many entries those scans returned.
 *
 * <p>Usage: {@code java -cp 'cli/target/lib/*' bench/service/PgStatements.java reset|report JDBC_URL}
 */
public final class PgStatements {

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("reset") && !args[0].equals("report")) {
      System.err.println("usage: java PgStatements.java reset|report JDBC_URL");
      System.exit(2);
    }
    try (Connection c = DriverManager.getConnection(args[1]); Statement s = c.createStatement()) {
      if (args[0].equals("reset")) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        s.execute("SELECT pg_stat_statements_reset()");
        s.execute("SELECT pg_stat_reset()");
        return;
      }
      System.out.printf("%9s %9s %9s %9s %9s  %s%n", "calls", "total ms", "mean µs", "plan µs", "buffers", "statement");
      try (ResultSet rs = s.executeQuery("SELECT calls, total_exec_time, total_exec_time / calls * 1000, total_plan_time / calls * 1000, "
          + "shared_blks_hit / calls, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements WHERE calls > 0 "
          + "ORDER BY total_exec_time DESC LIMIT 30")) {
        while (rs.next()) {
          String query = rs.getString(6);
          System.out.printf("%9d %9.0f %9.0f %9.0f %9d  %s%n", rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5),
              query.length() > 160 ? query.substring(0, 160) + "…" : query);
        }
      }
      System.out.printf("%n%-40s %12s %14s%n", "index", "scans", "entries read");
      try (ResultSet rs = s.executeQuery("SELECT indexrelname, idx_scan, idx_tup_read FROM pg_stat_user_indexes WHERE idx_scan > 0 "
          + "ORDER BY idx_tup_read DESC LIMIT 20")) {
        while (rs.next()) {
          System.out.printf("%-40s %12d %14d%n", rs.getString(1), rs.getLong(2), rs.getLong(3));
        }
      }
    }
  }
}
