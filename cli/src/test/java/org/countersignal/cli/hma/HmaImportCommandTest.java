package org.countersignal.cli.hma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hma import} against a PostgreSQL database laid out as HMA's migrations make it, with
 * banks, content of each kind HMA holds (enabled, disabled, disabled for a while, with metadata
 * and notes, a video MD5, a raw text) and one bad row. What HMA's clients stored must still work
 * afterwards: the same ids answer through HMA's routes here.
 */
class HmaImportCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PDQ_A = "f".repeat(16) + "0".repeat(48);
  private static final String PDQ_B = "0f".repeat(32);
  private static final String PDQ_C = "3c".repeat(32);
  private static final String PDQ_D = "a5".repeat(32);
  private static final String VIDEO_MD5 = "d41d8cd98f00b204e9800998ecf8427e";
  private static final long LATER = Instant.now().getEpochSecond() + 86_400;

  static EmbeddedPostgres postgres;
  static String hmaUrl;

  @TempDir static Path dataDir;
  static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    hmaUrl = postgres.getJdbcUrl("postgres", "postgres");
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      // HMA's tables as its migrations create them (the columns the takeover reads, and their neighbours).
      s.execute("CREATE TABLE exchange (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, api_cls VARCHAR(255) NOT NULL,"
          + " retain_api_data BOOLEAN NOT NULL DEFAULT FALSE, fetching_enabled BOOLEAN NOT NULL DEFAULT TRUE,"
          + " retain_data_with_unknown_signal_types BOOLEAN NOT NULL DEFAULT FALSE, typed_config JSON NOT NULL DEFAULT '{}')");
      s.execute("CREATE TABLE exchange_data (id SERIAL PRIMARY KEY, collab_id INTEGER NOT NULL REFERENCES exchange (id) ON DELETE CASCADE,"
          + " fetch_id TEXT NOT NULL, pickled_fetch_signal_metadata BYTEA, fetched_metadata_summary JSON NOT NULL DEFAULT '[]',"
          + " matched BOOLEAN NOT NULL DEFAULT FALSE, verification_result BOOLEAN, UNIQUE (collab_id, fetch_id))");
      s.execute("CREATE TABLE bank (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, enabled_ratio FLOAT NOT NULL,"
          + " import_from_exchange_id INTEGER UNIQUE REFERENCES exchange (id) ON DELETE CASCADE)");
      s.execute("CREATE TABLE bank_content (id SERIAL PRIMARY KEY, bank_id INTEGER NOT NULL REFERENCES bank (id) ON DELETE CASCADE,"
          + " imported_from_id INTEGER UNIQUE REFERENCES exchange_data (id) ON DELETE CASCADE, disable_until_ts INTEGER NOT NULL,"
          + " original_content_uri VARCHAR, bank_content_metadata JSON, note VARCHAR(255))");
      s.execute("CREATE TABLE content_signal (content_id INTEGER NOT NULL REFERENCES bank_content (id) ON DELETE CASCADE,"
          + " signal_type VARCHAR NOT NULL, signal_val TEXT NOT NULL, create_time TIMESTAMP NOT NULL DEFAULT now(),"
          + " PRIMARY KEY (content_id, signal_type))");
      s.execute("INSERT INTO bank (id, name, enabled_ratio) VALUES (1, 'TERROR_IMAGES', 1.0), (2, 'PARTIAL_MATCH', 0.5)");
      s.execute("INSERT INTO bank_content (id, bank_id, disable_until_ts, original_content_uri, bank_content_metadata, note) VALUES"
          + " (101, 1, 1, 'https://store.internal/a.jpg', '{\"content_id\": \"post-1\", \"json\": {\"case\": 7}}', 'the attack video still'),"
          + " (102, 1, 0, NULL, NULL, 'false positive, switched off'),"
          + " (103, 1, " + LATER + ", NULL, NULL, NULL),"
          + " (104, 1, 1, NULL, NULL, NULL),"
          + " (250, 2, 1, NULL, NULL, NULL),"
          + " (251, 2, 1, NULL, NULL, NULL)");
      s.execute("INSERT INTO content_signal (content_id, signal_type, signal_val) VALUES"
          + " (101, 'pdq', '" + PDQ_A + "'), (102, 'pdq', '" + PDQ_B + "'), (103, 'pdq', '" + PDQ_C + "'),"
          + " (104, 'video_md5', '" + VIDEO_MD5 + "'),"
          + " (250, 'pdq', '" + PDQ_D + "'), (251, 'pdq', 'not a hash')");
    }
    server = RunningServer.start(dataDir, null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    postgres.close();
  }

  private static CliRun takeOver(String... extra) {
    String[] base = {"hma", "import", "--from", hmaUrl, "--from-user", "postgres", "--server", server.url(), "--key", server.adminKey()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  @Test
  void takesOverHmasBanksKeepingItsIdsSoItsClientsFindTheSameContent() throws Exception {
    CliRun refused = takeOver();
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err()).contains("PARTIAL_MATCH content 251").contains("nothing imported");
    assertThat(names(server.get("/c/banks"))).as("nothing written").doesNotContain("TERROR_IMAGES");

    CliRun dry = takeOver("--dry-run", "--skip-invalid");
    assertThat(dry.exitCode()).as(dry.err()).isEqualTo(2);
    assertThat(names(server.get("/c/banks"))).doesNotContain("TERROR_IMAGES");

    CliRun done = takeOver("--skip-invalid");
    assertThat(done.exitCode()).as(done.err()).isZero();
    JsonNode report = JSON.readTree(done.out());
    assertThat(report.get("banks").get(0).get("imported").asInt()).isEqualTo(4);
    assertThat(report.get("banks").get(0).get("disabled").asInt()).isEqualTo(2);
    assertThat(report.get("banks").get(1).get("imported").asInt()).isEqualTo(1);
    assertThat(report.get("skipped").get(0).get("id").asLong()).isEqualTo(251);

    JsonNode content = server.get("/c/bank/TERROR_IMAGES/content/101?include_signals=true");
    assertThat(content.get("signals").get("pdq").asText()).isEqualTo(PDQ_A);
    assertThat(content.get("note").asText()).isEqualTo("the attack video still");
    assertThat(content.get("original_media_uri").asText()).isEqualTo("https://store.internal/a.jpg");
    assertThat(content.get("metadata").get("json").get("case").asInt()).isEqualTo(7);
    assertThat(server.get("/m/lookup?signal_type=pdq&signal=" + PDQ_A).get("TERROR_IMAGES").get(0).get("bank_content_id").asLong())
        .isEqualTo(101);
    assertThat(server.get("/m/lookup?signal_type=video_md5&signal=" + VIDEO_MD5).get("TERROR_IMAGES").get(0).get("bank_content_id")
        .asLong()).isEqualTo(104);
    assertThat(server.get("/c/bank/TERROR_IMAGES/content/102").get("disable_until_ts").asLong()).isZero();
    assertThat(server.get("/m/lookup?signal_type=pdq&signal=" + PDQ_B).has("TERROR_IMAGES")).isFalse();
    assertThat(server.get("/c/bank/TERROR_IMAGES/content/103").get("disable_until_ts").asLong()).isEqualTo(LATER);
    assertThat(server.get("/c/bank/PARTIAL_MATCH").get("matching_enabled_ratio").asDouble()).isEqualTo(0.5);

    CliRun again = takeOver("--skip-invalid");
    assertThat(again.exitCode()).as(again.err()).isZero();
    JsonNode second = JSON.readTree(again.out());
    assertThat(second.get("banks").get(0).get("imported").asInt()).isZero();
    assertThat(second.get("banks").get(0).get("already_imported").asInt()).isEqualTo(4);

    JsonNode added = server.post("/c/bank/TERROR_IMAGES/signal", "{\"pdq\":\"" + "1e".repeat(32) + "\"}");
    assertThat(added.get("id").asLong()).as("new content is numbered after HMA's").isGreaterThan(251);

    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM bank_content")) {
      rs.next();
      assertThat(rs.getInt(1)).as("HMA's database untouched").isEqualTo(6);
    }
  }

  private static java.util.List<String> names(JsonNode banks) {
    return banks.findValuesAsText("name");
  }
}
