package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed console sign-ins and the lock-outs they lead to are in the audit log, without the password tried. */
class SignInAuditTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static final String PASSWORD = "correct horse battery staple";

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<JsonNode> events(String action) {
    return AuditTest.all(api, admin).stream().filter(e -> e.get("action").asText().equals(action)).toList();
  }

  @Test
  void aFailedSignInIsAuditedWithTheNameAndAddressButNotThePassword() {
    api.post("/api/v1/users", admin, "{\"username\":\"audited\",\"password\":\"" + PASSWORD + "\",\"role\":\"reviewer\"}");
    assertThat(new ConsoleClient(server.port()).signIn("Audited", "not-the-password-1").status()).isEqualTo(401);
    assertThat(new ConsoleClient(server.port()).signIn("nobody-here", "not-the-password-2").status()).isEqualTo(401);

    List<JsonNode> failed = events("console.sign_in_failed");
    assertThat(failed).extracting(e -> e.get("target_id").asText()).contains("audited", "nobody-here");
    JsonNode first = failed.stream().filter(e -> e.get("target_id").asText().equals("audited")).findFirst().orElseThrow();
    assertThat(first.get("target_type").asText()).isEqualTo("username");
    assertThat(first.get("actor_key_id").isNull()).isTrue();
    assertThat(first.at("/after/username").asText()).isEqualTo("audited");
    assertThat(first.at("/after/remote_address").asText()).isEqualTo("127.0.0.1");
    assertThat(failed.toString()).doesNotContain("not-the-password");

    // A right password is not a failure.
    assertThat(new ConsoleClient(server.port()).signIn("audited", PASSWORD).status()).isEqualTo(303);
    assertThat(events("console.sign_in_failed")).hasSameSizeAs(failed);
  }

  @Test
  void aLockOutIsAuditedOnceWhenItStarts() {
    api.post("/api/v1/users", admin, "{\"username\":\"locked\",\"password\":\"" + PASSWORD + "\",\"role\":\"reviewer\"}");
    for (int i = 0; i < 10; i++) {
      assertThat(new ConsoleClient(server.port()).signIn("locked", "wrong-" + i).status()).isEqualTo(401);
    }
    assertThat(new ConsoleClient(server.port()).signIn("locked", PASSWORD).status()).isEqualTo(429);
    assertThat(new ConsoleClient(server.port()).signIn("locked", "wrong-again").status()).isEqualTo(429);

    List<JsonNode> locks = events("console.sign_in_locked");
    assertThat(locks).hasSize(1);
    assertThat(locks.getFirst().get("target_id").asText()).isEqualTo("locked");
    assertThat(locks.getFirst().at("/after/remote_address").asText()).isEqualTo("127.0.0.1");
    assertThat(locks.getFirst().at("/after/minutes").asInt()).isEqualTo(15);
    assertThat(events("console.sign_in_failed").stream().filter(e -> e.get("target_id").asText().equals("locked"))).hasSize(10);
    assertThat(locks.toString()).doesNotContain("wrong-");
  }
}
