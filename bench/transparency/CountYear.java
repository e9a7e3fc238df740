import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Prints how long PostgreSQL takes to count 2025's submissions, in seconds: the transparency benchmark's anchor. */
public final class CountYear {

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0]); Statement st = c.createStatement()) {
      long t = System.nanoTime();
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM submissions WHERE submitted_at >= TIMESTAMPTZ '2025-01-01 00:00:00+00' "
          + "AND submitted_at < TIMESTAMPTZ '2026-01-01 00:00:00+00'")) {
        rs.next();
      }
      System.out.printf("%.3f%n", (System.nanoTime() - t) / 1e9);
    }
  }
}
