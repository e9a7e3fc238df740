package org.countersignal.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The system of record: a connection pool, the schema brought up to date by Flyway, and Jdbi on
 * top. The embedded default is an H2 file under the data directory; each database gets its own
 * migration folder because Flyway's {@code {vendor}} placeholder does not work here.
 */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Opens the database {@code config} names: today always the embedded one in its data directory. */
  public static Database open(org.countersignal.server.config.ServerConfig config) {
    return openEmbedded(config.dataDir());
  }

  /** Opens (creating if needed) the H2 database file {@code countersignal.mv.db} in {@code dataDir}. */
  public static Database openEmbedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    Path file = dataDir.toAbsolutePath().resolve("countersignal");
    HikariConfig config = new HikariConfig();
    // File lock FILE: a second process on the same data directory fails at once instead of
    // corrupting the file. No AUTO_SERVER: one process owns the embedded database.
    config.setJdbcUrl("jdbc:h2:file:" + file + ";FILE_LOCK=FILE;DB_CLOSE_ON_EXIT=FALSE");
    config.setUsername("countersignal");
    config.setPassword("");
    config.setMaximumPoolSize(8);
    config.setPoolName("countersignal-h2");
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration/h2")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new Database(dataSource);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /** Whether a connection can be had and answers; for the readiness check. */
  public boolean isReachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    // SHUTDOWN makes H2 write everything and release the file lock before the pool goes away,
    // so a restart on the same directory opens at once.
    try {
      jdbi.useHandle(h -> h.execute("SHUTDOWN"));
    } catch (RuntimeException ignored) {
      // already closed or broken: closing the pool is all that is left to do
    }
    dataSource.close();
  }
}
