package org.countersignal.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal key}: against a real server over HTTP and directly on its data directory. */
class KeyCommandTest {

  @TempDir Path dataDir;

  static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void realEnvironment() {
    Target.environment = System::getenv;
  }

  static List<JsonNode> jsonLines(String out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  @Test
  void createListAndRevokeOverTheApi() throws Exception {
    try (RunningServer server = RunningServer.start(dataDir, null)) {
      String[] target = {"--server", server.url(), "--key", server.adminKey()};

      CliRun created = CliRun.of(concat(new String[] {"key", "create", "--role", "curator", "--name", "loader"}, target));
      assertThat(created.exitCode()).as(created.err()).isZero();
      String key = created.out().strip();
      assertThat(key).as("only the key on stdout").startsWith("cs_").hasSize(46);
      assertThat(created.err()).contains("key 2 (curator, loader)", "shown only this once");
      assertThat(server.status("GET", "/api/v1/banks", key)).as("the new key works").isEqualTo(200);

      CliRun list = CliRun.of(concat(new String[] {"key", "list"}, target));
      assertThat(list.exitCode()).as(list.err()).isZero();
      List<JsonNode> keys = jsonLines(list.out());
      assertThat(keys).extracting(k -> k.get("role").asText()).containsExactly("admin", "curator");
      assertThat(list.out()).doesNotContain(key).doesNotContain(server.adminKey());

      CliRun revoked = CliRun.of(concat(new String[] {"key", "revoke", "2"}, target));
      assertThat(revoked.exitCode()).as(revoked.err()).isZero();
      assertThat(server.status("GET", "/api/v1/banks", key)).as("revoked at once").isEqualTo(401);

      CliRun last = CliRun.of(concat(new String[] {"key", "revoke", "1"}, target));
      assertThat(last.exitCode()).isEqualTo(1);
      assertThat(last.err()).contains("key revoke: key 1 is the last admin key").contains("HTTP 409");

      CliRun badRole = CliRun.of(concat(new String[] {"key", "create", "--role", "overlord"}, target));
      assertThat(badRole.exitCode()).isEqualTo(2);
      assertThat(badRole.err()).contains("role: one of admin, curator, matcher, auditor");

      // The curator key (made again) may not manage keys: the server's 403, said plainly.
      String curator = CliRun.of(concat(new String[] {"key", "create", "--role", "curator"}, target)).out().strip();
      CliRun forbidden = CliRun.of("key", "list", "--server", server.url(), "--key", curator);
      assertThat(forbidden.exitCode()).isEqualTo(1);
      assertThat(forbidden.err()).contains("the API key's role may not do this");

      CliRun badKey = CliRun.of("key", "list", "--server", server.url(), "--key", "cs_not-a-real-key");
      assertThat(badKey.exitCode()).isEqualTo(1);
      assertThat(badKey.err()).contains("refused the API key");

      // The environment names the server and key when the options do not.
      Target.environment = Map.of(Target.ENV_SERVER, server.url(), Target.ENV_KEY, server.adminKey())::get;
      CliRun fromEnv = CliRun.of("key", "list");
      assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
      assertThat(jsonLines(fromEnv.out())).hasSize(3);
    }
  }

  @Test
  void aKeyIsGivenAnEndByTimeOrBySpanAndListedWithIt() throws Exception {
    try (RunningServer server = RunningServer.start(dataDir, null)) {
      String[] target = {"--server", server.url(), "--key", server.adminKey()};

      Instant before = Instant.now();
      CliRun ninetyDays = CliRun.of(concat(new String[] {"key", "create", "--role", "matcher", "--name", "contractor", "--expires-in", "90d"}, target));
      assertThat(ninetyDays.exitCode()).as(ninetyDays.err()).isZero();
      assertThat(ninetyDays.err()).contains("key 2 (matcher, contractor) made, expires at ");
      CliRun at = CliRun.of(concat(new String[] {"key", "create", "--role", "matcher", "--expires-at", "2030-01-01T00:00:00+01:00"}, target));
      assertThat(at.exitCode()).as(at.err()).isZero();
      assertThat(server.status("POST", "/api/v1/match", at.out().strip())).as("works before its end").isNotIn(401, 403);

      List<JsonNode> keys = jsonLines(CliRun.of(concat(new String[] {"key", "list"}, target)).out());
      assertThat(keys.get(0).get("expires_at").isNull()).as("the admin key never expires").isTrue();
      assertThat(keys).extracting(k -> k.get("status").asText()).containsExactly("active", "active", "active");
      Instant end = Instant.parse(keys.get(1).get("expires_at").asText());
      assertThat(end).isBetween(before.plus(Duration.ofDays(90)).minusSeconds(1), Instant.now().plus(Duration.ofDays(90)));
      assertThat(keys.get(2).get("expires_at").asText()).isEqualTo("2029-12-31T23:00:00Z");

      CliRun past = CliRun.of(concat(new String[] {"key", "create", "--role", "matcher", "--expires-at", "2020-01-01T00:00:00Z"}, target));
      assertThat(past.exitCode()).isEqualTo(2);
      assertThat(past.err()).contains("expires_at: must be in the future");
      CliRun both = CliRun.of(concat(new String[] {"key", "create", "--role", "matcher", "--expires-at", "2030-01-01T00:00:00Z",
          "--expires-in", "90d"}, target));
      assertThat(both.exitCode()).isEqualTo(2);
      assertThat(both.err()).contains("either --expires-at or --expires-in, not both");
      CliRun badSpan = CliRun.of(concat(new String[] {"key", "create", "--role", "matcher", "--expires-in", "3 months"}, target));
      assertThat(badSpan.exitCode()).isEqualTo(2);
      assertThat(badSpan.err()).contains("--expires-in takes a number of days or hours");
      assertThat(jsonLines(CliRun.of(concat(new String[] {"key", "list"}, target)).out())).as("none of them made").hasSize(3);
    }

    CliRun offline = CliRun.of("key", "create", "--role", "matcher", "--expires-in", "12h", "--data-dir", dataDir.toString());
    assertThat(offline.exitCode()).as(offline.err()).isZero();
    JsonNode listed = jsonLines(CliRun.of("key", "list", "--data-dir", dataDir.toString()).out()).getLast();
    assertThat(Instant.parse(listed.get("expires_at").asText())).isAfter(Instant.now().plus(Duration.ofHours(11)));
    CliRun offlinePast = CliRun.of("key", "create", "--role", "matcher", "--expires-at", "yesterday", "--data-dir", dataDir.toString());
    assertThat(offlinePast.exitCode()).isEqualTo(2);
    assertThat(offlinePast.err()).contains("expires_at: an RFC 3339 instant");
  }

  @Test
  void refusesAmbiguousOrMissingTargetsAndReportsAServerThatIsDown() {
    Target.environment = Map.<String, String>of()::get;
    CliRun none = CliRun.of("key", "list");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("--server URL", "--data-dir DIR");

    CliRun both = CliRun.of("key", "list", "--server", "http://127.0.0.1:9", "--key", "cs_x", "--data-dir", dataDir.toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("either --server or --data-dir, not both");

    CliRun noKey = CliRun.of("key", "list", "--server", "http://127.0.0.1:9");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("needs an API key");

    CliRun notUrl = CliRun.of("key", "list", "--server", "localhost:8080", "--key", "cs_x");
    assertThat(notUrl.exitCode()).isEqualTo(2);
    assertThat(notUrl.err()).contains("--server takes the server's URL");

    // Port 9 (discard) has no listener here: connection refused.
    CliRun down = CliRun.of("key", "list", "--server", "http://127.0.0.1:9", "--key", "cs_x");
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the server at http://127.0.0.1:9", "is it running?");

    CliRun noDatabase = CliRun.of("key", "list", "--data-dir", dataDir.resolve("typo").toString());
    assertThat(noDatabase.exitCode()).isEqualTo(2);
    assertThat(noDatabase.err()).contains("no Countersignal database in");

    CliRun noSubcommand = CliRun.of("key");
    assertThat(noSubcommand.exitCode()).isEqualTo(2);
  }

  @Test
  void directlyOnTheDataDirectoryAuditedAsTheLocalOperator() throws Exception {
    String admin;
    try (RunningServer first = RunningServer.start(dataDir, null)) {
      admin = first.adminKey();
    }
    String dir = dataDir.toString();
    CliRun created = CliRun.of("key", "create", "--role", "matcher", "--name", "offline", "--data-dir", dir);
    assertThat(created.exitCode()).as(created.err()).isZero();
    String matcher = created.out().strip();
    CliRun list = CliRun.of("key", "list", "--data-dir", dir);
    assertThat(jsonLines(list.out())).extracting(k -> k.get("name").asText()).containsExactly("initial admin key", "offline");
    assertThat(CliRun.of("key", "revoke", "1", "--data-dir", dir).err()).contains("last admin key");
    CliRun longName = CliRun.of("key", "create", "--role", "matcher", "--name", "n".repeat(201), "--data-dir", dir);
    assertThat(longName.exitCode()).isEqualTo(2);
    assertThat(longName.err()).contains("name: at most 200 characters");

    try (RunningServer again = RunningServer.start(dataDir, admin)) {
      assertThat(again.status("POST", "/api/v1/match", matcher)).as("the key made offline works").isNotIn(401, 403);
      JsonNode events = again.get("/api/v1/audit?limit=1000").get("items");
      JsonNode made = events.get(events.size() - 1);
      assertThat(made.get("action").asText()).isEqualTo("key.created");
      assertThat(made.get("actor_key_id").asLong()).as("the local operator").isEqualTo(LocalBackend.LOCAL_OPERATOR_KEY_ID);
      assertThat(made.get("after").get("created_by").asLong()).isZero();
    }
  }

  @Test
  void aDataDirectoryInUseByAServerInAnotherProcessIsRefusedClearly() throws Exception {
    try (RunningServer first = RunningServer.start(dataDir, null)) {
      // only to create the database
    }
    Process serve = RunningServer.serveInAnotherProcess(dataDir);
    try {
      CliRun refused = CliRun.of("key", "list", "--data-dir", dataDir.toString());
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).contains("is in use by a running server; use --server");
    } finally {
      serve.destroy();
      serve.waitFor(30, TimeUnit.SECONDS);
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
