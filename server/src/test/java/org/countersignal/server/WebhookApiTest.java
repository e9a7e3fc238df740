package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.webhook.WebhookSettings;
import org.countersignal.server.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/webhooks} on a running server: management, audit, test events, dead letters and replay. */
class WebhookApiTest {

  @TempDir Path dataDir;
  CountersignalServer server;
  Api api;
  String admin;

  static CountersignalServer start(ServerConfig config, WebhookSettings settings) {
    CountersignalServer server = CountersignalServer.builder(config).webhookSettings(settings).start();
    try {
      assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return server;
  }

  @BeforeEach
  void start() {
    server = start(TestServers.config(dataDir), WebhookDeliveryTest.FAST);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Api.Response create(String url, String types) {
    return api.post("/api/v1/webhooks", admin,
        "{\"url\":\"" + url + "\",\"description\":\"case tool\",\"event_types\":" + types + "}");
  }

  @Test
  void endpointsAreManagedAndAuditedAndTheSecretIsShownOnlyOnCreateAndRotate() {
    Api.Response created = create("https://hooks.example.org/countersignal", "[\"case.decided\",\"case.decided\"]");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    String secret = created.json().get("secret").asText();
    assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
    assertThat(created.json().get("event_types").toString()).isEqualTo("[\"case.decided\"]");
    assertThat(created.json().get("enabled").asBoolean()).isTrue();

    Api.Response one = api.get("/api/v1/webhooks/" + id, admin);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().has("secret")).isFalse();
    assertThat(one.json().get("url").asText()).isEqualTo("https://hooks.example.org/countersignal");
    Api.Response list = api.get("/api/v1/webhooks", admin);
    assertThat(list.json().get("items")).hasSize(1);
    assertThat(list.body()).doesNotContain(secret);

    Api.Response patched = api.patch("/api/v1/webhooks/" + id, admin, "{\"enabled\":false,\"event_types\":[\"*\"]}");
    assertThat(patched.status()).as(patched.header()).isEqualTo(200);
    assertThat(patched.json().get("enabled").asBoolean()).isFalse();
    assertThat(patched.json().get("event_types").toString()).isEqualTo("[\"*\"]");
    assertThat(patched.json().get("description").asText()).isEqualTo("case tool");

    Api.Response rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", admin, null);
    assertThat(rotated.status()).as(rotated.header()).isEqualTo(200);
    String newSecret = rotated.json().get("secret").asText();
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);

    assertThat(api.delete("/api/v1/webhooks/" + id, admin).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/webhooks/" + id, admin).status()).isEqualTo(404);

    Api.Response audit = api.get("/api/v1/audit?limit=1000", admin);
    List<String> actions = new ArrayList<>();
    audit.json().get("items").forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).containsSubsequence("webhook.created", "webhook.updated", "webhook.secret_rotated", "webhook.deleted");
    assertThat(audit.body()).doesNotContain(secret).doesNotContain(newSecret);
  }

  @Test
  void badInputIsAProblemDetail() {
    for (String[] bad : new String[][] {
        {"ftp://example.org/x", "[\"*\"]", "url"},
        {"not a url", "[\"*\"]", "url"},
        {"https://user:pw@example.org/x", "[\"*\"]", "url"},
        {"https://example.org/x", "[]", "event_types"},
        {"https://example.org/x", "[\"Case Decided\"]", "event_types[0]"},
    }) {
      Api.Response refused = create(bad[0], bad[1]);
      assertThat(refused.status()).as(refused.header()).isEqualTo(422);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().get("field").asText()).isEqualTo(bad[2]);
    }
    Api.Response noTypes = api.post("/api/v1/webhooks", admin, "{\"url\":\"https://example.org/x\"}");
    assertThat(noTypes.status()).isEqualTo(422);
    Api.Response unknownField = api.post("/api/v1/webhooks", admin,
        "{\"url\":\"https://example.org/x\",\"event_types\":[\"*\"],\"secret\":\"mine\"}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(api.get("/api/v1/webhooks/deliveries?status=lost", admin).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/webhooks/999999", admin).status()).isEqualTo(404);
    assertThat(api.post("/api/v1/webhooks/deliveries/999999/replay", admin, null).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/webhooks", admin).json().get("items")).isEmpty();
  }

  @Test
  void testEventIsDeliveredSignedAndADeadDeliveryIsReplayedThroughTheApi() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.answer(n -> 500);
      Api.Response created = create(receiver.url(), "[\"case.decided\"]");
      long id = created.json().get("id").asLong();
      String secret = created.json().get("secret").asText();

      // A test event goes to this endpoint although it subscribes to case.decided only.
      Api.Response test = api.post("/api/v1/webhooks/" + id + "/test", admin, null);
      assertThat(test.status()).as(test.header()).isEqualTo(202);
      String eventId = test.json().get("event_id").asText();

      WebhookReceiver.await("dead after the attempts allowed",
          () -> api.get("/api/v1/webhooks/deliveries?status=dead&endpoint=" + id, admin).json().get("items").size() == 1);
      JsonNode dead = api.get("/api/v1/webhooks/deliveries?status=dead&endpoint=" + id, admin).json().get("items").get(0);
      assertThat(dead.get("event_id").asText()).isEqualTo(eventId);
      assertThat(dead.get("event_type").asText()).isEqualTo("webhook.test");
      assertThat(dead.get("attempts").asInt()).isEqualTo(WebhookDeliveryTest.FAST.maxAttempts());
      assertThat(dead.get("last_status").asInt()).isEqualTo(500);

      String auditor = TestServers.key(api, admin, "auditor");
      assertThat(api.get("/api/v1/webhooks/deliveries?status=dead", auditor).status()).isEqualTo(200);
      assertThat(api.post("/api/v1/webhooks/deliveries/" + dead.get("id").asLong() + "/replay", auditor, null).status())
          .isEqualTo(403);

      receiver.answer(n -> 200);
      Api.Response replayed = api.post("/api/v1/webhooks/deliveries/" + dead.get("id").asLong() + "/replay", admin, null);
      assertThat(replayed.status()).as(replayed.header()).isEqualTo(200);
      assertThat(replayed.json().get("status").asText()).isEqualTo("pending");
      WebhookReceiver.await("delivered after the replay",
          () -> api.get("/api/v1/webhooks/deliveries?status=delivered&endpoint=" + id, admin).json().get("items").size() == 1);
      Api.Response again = api.post("/api/v1/webhooks/deliveries/" + dead.get("id").asLong() + "/replay", admin, null);
      assertThat(again.status()).as("a delivered delivery may be sent again").isEqualTo(200);

      WebhookReceiver.Received last = receiver.received().get(WebhookDeliveryTest.FAST.maxAttempts());
      assertThat(last.eventId()).isEqualTo(eventId);
      assertThat(WebhookSignature.verify(secret, Long.parseLong(last.header("Countersignal-Timestamp")), last.body(),
          last.header("Countersignal-Signature"))).isTrue();
      assertThat(Api.JSON.readTree(last.body()).get("data").get("webhook_id").asLong()).isEqualTo(id);

      assertThat(api.get("/api/v1/audit?limit=1000", admin).body())
          .contains("webhook.tested").contains("webhook.delivery_replayed");
    }
  }

  @Test
  void disabledEndpointCannotBeSentATestEvent() {
    long id = create("https://example.org/hook", "[\"*\"]").json().get("id").asLong();
    api.patch("/api/v1/webhooks/" + id, admin, "{\"enabled\":false}");
    Api.Response refused = api.post("/api/v1/webhooks/" + id + "/test", admin, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
  }

  @Test
  void secretIsEncryptedAtRestUnderAKeyFileOnlyTheOwnerMayRead() throws Exception {
    Api.Response created = create("https://example.org/hook", "[\"*\"]");
    String secret = created.json().get("secret").asText();
    server.close();
    server = null;

    Path keyFile = dataDir.resolve("secret.key");
    assertThat(Files.size(keyFile)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    String stored = WebhookStorage.storedEndpointData(dataDir);
    assertThat(stored).contains("example.org/hook").doesNotContain(secret);
    assertThat(stored).doesNotContain(secret.substring("whsec_".length()));

    // The same key file decrypts it again after a restart: deliveries are signed with it.
    server = start(TestServers.config(dataDir), WebhookDeliveryTest.FAST);
    api = new Api(server.port());
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      long id = created.json().get("id").asLong();
      api.patch("/api/v1/webhooks/" + id, admin, "{\"url\":\"" + receiver.url() + "\"}");
      api.post("/api/v1/webhooks/" + id + "/test", admin, null);
      WebhookReceiver.await("the test event arrives", () -> receiver.received().size() == 1);
      WebhookReceiver.Received got = receiver.received().getFirst();
      assertThat(WebhookSignature.verify(secret, Long.parseLong(got.header("Countersignal-Timestamp")), got.body(),
          got.header("Countersignal-Signature"))).isTrue();
    }
  }

  /** What the database holds about endpoints, as text. */
  static final class WebhookStorage {
    static String storedEndpointData(Path dataDir) throws Exception {
      if (!TestDatabases.postgresql()) {
        return new String(Files.readAllBytes(dataDir.resolve("countersignal.mv.db")), StandardCharsets.ISO_8859_1);
      }
      StringBuilder text = new StringBuilder();
      try (var connection = TestDatabases.connect(TestDatabases.databaseOf(dataDir));
          var rows = connection.createStatement().executeQuery(
              "SELECT CAST(w AS TEXT), encode(secret_cipher, 'escape') FROM webhook_endpoints w")) {
        while (rows.next()) {
          text.append(rows.getString(1)).append('\n').append(rows.getString(2)).append('\n');
        }
      }
      return text.toString();
    }
  }
}
