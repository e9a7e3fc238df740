package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.store.Database;

/**
 * Starts real servers for tests: a free port on localhost and, in the given folder, an H2 file or
 * (in the PostgreSQL run, see {@link TestDatabases}) a PostgreSQL database of that folder's own.
 */
final class TestServers {

  private TestServers() {}

  static CountersignalServer start(Path dataDir) {
    return start(dataDir, ServerConfig.DEFAULT_MAX_UPLOAD_BYTES);
  }

  static CountersignalServer start(Path dataDir, long maxUploadBytes) {
    return start(config(dataDir).withMaxUploadBytes(maxUploadBytes));
  }

  /** Starts a server whose time is {@code clock}, and waits for its indexes to load. */
  static CountersignalServer start(Path dataDir, java.time.Clock clock) {
    return ready(CountersignalServer.builder(config(dataDir)).clock(clock).start());
  }

  /** Starts a server with {@code config} and waits for its indexes to load. */
  static CountersignalServer start(ServerConfig config) {
    return ready(CountersignalServer.builder(config).start());
  }

  /** As {@link #start(ServerConfig)}, banking and matching {@code extraTypes} too. */
  static CountersignalServer start(ServerConfig config, java.util.List<org.countersignal.server.signal.ServerSignalType> extraTypes) {
    return ready(CountersignalServer.builder(config).extraSignalTypes(extraTypes).start());
  }

  private static CountersignalServer ready(CountersignalServer server) {
    try {
      assertThat(server.awaitReady(Duration.ofSeconds(20))).as("indexes loaded").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return server;
  }

  /** Settings for a test server on localhost, any free port, with this run's database for {@code dataDir}. */
  static ServerConfig config(Path dataDir) {
    return TestDatabases.forDataDir(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), dataDir);
  }

  /** Opens this run's database for {@code dataDir} without a server (tests that assemble parts themselves). */
  static Database openDatabase(Path dataDir) {
    return openDatabase(config(dataDir));
  }

  /** Opens the database {@code config} names without a server. */
  static Database openDatabase(ServerConfig config) {
    return Database.open(config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword());
  }

  /**
   * Everything the database of {@code dataDir} stores about API keys, as text: the H2 file's
   * bytes (the server must be closed), or the rows of {@code api_keys} on PostgreSQL.
   */
  static String storedKeyData(Path dataDir) throws Exception {
    if (!TestDatabases.postgresql()) {
      return new String(java.nio.file.Files.readAllBytes(dataDir.resolve("countersignal.mv.db")), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    StringBuilder text = new StringBuilder();
    try (var connection = TestDatabases.connect(TestDatabases.databaseOf(dataDir));
        var rows = connection.createStatement().executeQuery("SELECT CAST(k AS TEXT) FROM api_keys k")) {
      while (rows.next()) {
        text.append(rows.getString(1)).append('\n');
      }
    }
    return text.toString();
  }

  /** Creates a key of {@code role} with the admin key and returns its secret. */
  static String key(Api api, String adminKey, String role) {
    Api.Response created = api.post("/api/v1/keys", adminKey, "{\"role\":\"" + role + "\",\"name\":\"test " + role + "\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    return created.json().get("key").asText();
  }

  /** Whether a match of {@code value} as a {@code type} signal finds anything; the match must be answered. */
  static boolean matches(Api api, String key, String type, String value) {
    Api.Response match = api.post("/api/v1/match", key, "{\"signals\":{\"" + type + "\":\"" + value + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json().get("matches").size() > 0;
  }

  /** Adds a competent authority for removal orders ({@code json}: name, member_state, contact) with the admin key; returns its id. */
  static long authority(Api api, String adminKey, String json) {
    Api.Response created = api.post("/api/v1/order-authorities", adminKey, json);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  /** Adds a console user with the admin key; returns the user as the API answers it. */
  static JsonNode user(Api api, String adminKey, String username, String password, String role) {
    Api.Response created = api.post("/api/v1/users", adminKey,
        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"role\":\"" + role + "\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    return created.json();
  }
}
