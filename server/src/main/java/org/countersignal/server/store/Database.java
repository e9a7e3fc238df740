package org.countersignal.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system of record: a connection pool, the schema brought up to date by Flyway, and Jdbi on
 * top. The embedded default is an H2 file under the data directory, owned by one process; with a
 * database URL it is PostgreSQL, which any number of server processes (replicas) may share. Each
 * database gets its own migration folder because Flyway's {@code {vendor}} placeholder does not
 * work here.
 */
public final class Database implements AutoCloseable {

  /** Whether {@code h} talks to PostgreSQL (else the embedded H2), for the few statements the two spell differently. */
  public static boolean isPostgres(org.jdbi.v3.core.Handle h) {
    try {
      return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot tell the database's kind", e);
    }
  }


  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /**
   * How long a statement waits for a row another transaction has locked before it fails (and the
   * request is answered 503 with {@code Retry-After}). Writers of entries queue on one lock, the
   * change log's; H2's default of one second failed deletes behind a large import on a busy
   * machine, and PostgreSQL's default (no limit) would hold the request and its connection for as
   * long as the lock is held. Ten seconds, as long as a request waits for a pooled connection.
   */
  public static final int LOCK_TIMEOUT_MILLIS = 10_000;

  /** Unused space in the embedded file below which a clean stop does not rewrite it. */
  static final long COMPACT_ABOVE_BYTES = 64L << 20;

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final boolean embedded;
  /** The embedded database's folder, whose files are made owner-only again on close; null for PostgreSQL. */
  private Path dataDir;

  private Database(HikariDataSource dataSource, boolean embedded) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.embedded = embedded;
  }

  /**
   * Opens PostgreSQL when {@code databaseUrl} is given, else the embedded H2 file in
   * {@code dataDir}. The data directory is made either way (it holds the process's local files),
   * owner-only: see {@link DataDirectory}. The settings come as values, not as the server's
   * configuration, which names packages built on this one.
   *
   * @param user the PostgreSQL user, or null; likewise {@code password}
   */
  public static Database open(Path dataDir, String databaseUrl, String user, String password) {
    if (databaseUrl == null) {
      return openEmbedded(dataDir);
    }
    createDataDir(dataDir);
    return openPostgresql(databaseUrl, user, password);
  }

  /**
   * Opens a PostgreSQL database and migrates it. Several processes may do this at once: Flyway
   * holds a PostgreSQL advisory lock while it migrates, so the schema is made once.
   *
   * @param user the user, or null to take it from the URL (or the driver's default)
   * @param password the password, or null likewise
   */
  public static Database openPostgresql(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setDriverClassName("org.postgresql.Driver");
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(8);
    config.setPoolName("countersignal-postgresql");
    // Shows in pg_stat_activity, so an operator can tell the replicas' connections from others.
    config.addDataSourceProperty("ApplicationName", "countersignal");
    // Fail the start within seconds when the database is unreachable, instead of Hikari's 30 s.
    config.setConnectionTimeout(10_000);
    config.setConnectionInitSql("SET lock_timeout = " + LOCK_TIMEOUT_MILLIS);
    return migrated(new HikariDataSource(config), "classpath:db/migration/postgresql", false);
  }

  /** Opens (creating if needed) the H2 database file {@code countersignal.mv.db} in {@code dataDir}. */
  public static Database openEmbedded(Path dataDir) {
    createDataDir(dataDir);
    Path file = dataDir.toAbsolutePath().resolve("countersignal");
    HikariConfig config = new HikariConfig();
    // File lock FILE: a second process on the same data directory fails at once instead of
    // corrupting the file. No AUTO_SERVER: one process owns the embedded database.
    // WRITE_DELAY=0: each commit reaches the file before the caller hears of it. H2's default
    // (500 ms) keeps recent commits in memory, and a killed process loses what it acknowledged.
    // LOCK_TIMEOUT: see LOCK_TIMEOUT_MILLIS.
    config.setJdbcUrl("jdbc:h2:file:" + file + ";FILE_LOCK=FILE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=" + LOCK_TIMEOUT_MILLIS);
    config.setUsername("countersignal");
    config.setPassword("");
    config.setMaximumPoolSize(8);
    config.setPoolName("countersignal-h2");
    Database database = migrated(new HikariDataSource(config), "classpath:db/migration/h2", true);
    // H2 makes its files with the process's umask (often 0644); the folder is owner-only, and the
    // files are made so too, in case the folder is ever opened up or the files copied out.
    DataDirectory.restrictTree(dataDir);
    database.dataDir = dataDir;
    return database;
  }

  private static Database migrated(HikariDataSource dataSource, String migrations, boolean embedded) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(migrations)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new Database(dataSource, embedded);
  }

  private static void createDataDir(Path dataDir) {
    DataDirectory.prepare(dataDir);
  }

  /** The pool itself, for libraries that take a {@link javax.sql.DataSource} (the job scheduler). */
  public javax.sql.DataSource dataSource() {
    return dataSource;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * A PostgreSQL connection of its own, outside the pool, made from the pool's settings: for a
   * session that stays open as long as the process runs (a {@code LISTEN}), which would otherwise
   * take one of the pool's connections for good. It shows in {@code pg_stat_activity} under
   * {@code applicationName}. The caller closes it.
   *
   * @throws IllegalStateException on the embedded database, which has no other process to hear from
   */
  public java.sql.Connection openDedicatedConnection(String applicationName) throws java.sql.SQLException {
    if (embedded) {
      throw new IllegalStateException("the embedded database has no dedicated connections");
    }
    java.util.Properties properties = new java.util.Properties();
    if (dataSource.getUsername() != null) {
      properties.setProperty("user", dataSource.getUsername());
    }
    if (dataSource.getPassword() != null) {
      properties.setProperty("password", dataSource.getPassword());
    }
    properties.setProperty("ApplicationName", applicationName);
    // Seconds, as the pool's connection timeout: an unreachable database fails the attempt, and
    // the caller tries again later.
    properties.setProperty("connectTimeout", "10");
    // A connection that only waits sends nothing for long stretches; keepalives let the operating
    // system notice a peer that went away without closing it.
    properties.setProperty("tcpKeepAlive", "true");
    return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
  }

  /** Whether a connection can be had and answers; for the readiness check. */
  public boolean isReachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  // H2's "database may be already in use": another process holds the file's lock.
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  /**
   * Whether {@code e}, from opening the embedded database, says another process (a running
   * server) holds its file, which H2 locks for one process at a time.
   */
  public static boolean heldByAnotherProcess(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        return true;
      }
    }
    return false;
  }

  /** Whether this is the embedded H2 file (one process) rather than a shared PostgreSQL. */
  public boolean isEmbedded() {
    return embedded;
  }

  /**
   * Closes the database as {@link #close} does, first rewriting the embedded file without the
   * space it no longer uses when that is most of it: for the process that owns the file, at a
   * clean stop. H2 keeps the pages large transactions and rewrites left behind (a million
   * imported entries left 5.2 GB for 0.29 GB of data) and its background compaction gives little
   * of it back. The rewrite goes to a new file that replaces the old one only when complete (H2's
   * {@code SHUTDOWN COMPACT}), so a process killed meanwhile leaves the old file, whole; the next
   * clean stop tries again. Returns what was done, for the log; empty when nothing was.
   *
   * @param maxDataBytes the most data (the file's used part) to rewrite: the rewrite takes time
   *     in proportion to it, and a stop has a limit
   */
  public Optional<Compacted> closeCompacting(long maxDataBytes) {
    Optional<Long> wasted = embedded ? wastedBytes() : Optional.empty();
    if (wasted.isEmpty()) {
      close();
      return Optional.empty();
    }
    Path file = dataDir.toAbsolutePath().resolve("countersignal.mv.db");
    long before = fileSize(file);
    if (before - wasted.get() > maxDataBytes) {
      close();
      LOG.warn("The database file {} has about {} MB unused, but rewriting its {} MB of data would outlast the stop; it is left"
          + " as it is. With the server stopped, `countersignal bank list --data-dir {}` compacts it (it takes about 1 s per"
          + " 40 MB of data)", file, wasted.get() >> 20, (before - wasted.get()) >> 20, dataDir);
      return Optional.empty();
    }
    long started = System.nanoTime();
    close();
    LOG.info("Compacting the database file {} ({} MB, about {} MB of it unused)", file, before >> 20, wasted.get() >> 20);
    // On a connection of its own once the pool is closed: a SHUTDOWN through the pool would leave
    // it closing dead connections (see close).
    try (Connection connection = DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN COMPACT");
    } catch (SQLException e) {
      LOG.warn("Compacting the database file failed; it is kept as it was", e);
    }
    DataDirectory.restrictTree(dataDir);
    Compacted compacted = new Compacted(before, fileSize(file), Duration.ofNanos(System.nanoTime() - started));
    LOG.info("Database file compacted from {} MB to {} MB in {} ms", compacted.before() >> 20, compacted.after() >> 20,
        compacted.took().toMillis());
    return Optional.of(compacted);
  }

  /** A compaction of the embedded file: its size before and after, and how long it took. */
  public record Compacted(long before, long after, Duration took) {}

  /**
   * The embedded file's unused bytes, when they are worth a rewrite: more than {@link
   * #COMPACT_ABOVE_BYTES} and more than half the file.
   */
  private Optional<Long> wastedBytes() {
    try {
      Map<String, String> info = jdbi.withHandle(h -> h.createQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
              + "WHERE SETTING_NAME IN ('info.FILE_SIZE', 'info.CHUNKS_FILL_RATE')")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).collectToMap(Map.Entry::getKey, Map.Entry::getValue));
      long size = Long.parseLong(info.get("info.FILE_SIZE"));
      long wasted = size * (100 - Integer.parseInt(info.get("info.CHUNKS_FILL_RATE"))) / 100;
      return wasted > COMPACT_ABOVE_BYTES && wasted * 2 > size ? Optional.of(wasted) : Optional.empty();
    } catch (RuntimeException e) {
      LOG.debug("The database file's fill rate could not be read; it is not compacted", e);
      return Optional.empty();
    }
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    // Closing the pool closes every connection, and H2 closes the database with its last one:
    // everything written and the file lock released, so a restart on the same directory opens at
    // once. (A SHUTDOWN first would leave the pool closing dead connections, each logged as an
    // error in H2's trace file.) A shared PostgreSQL is not ours to stop.
    dataSource.close();
    if (dataDir != null) {
      // Files H2 made while running (its trace file) get the same owner-only permissions.
      DataDirectory.restrictTree(dataDir);
    }
  }
}
