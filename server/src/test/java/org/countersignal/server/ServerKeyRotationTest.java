package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.serverkey.ServerKeyRotation;
import org.countersignal.server.webhook.SecretBox;
import org.countersignal.server.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the server key: every secret stored under the old key opens under the new one alone,
 * the audit chain verifies with the new key, and a rotation stopped halfway is finished by
 * running it again.
 */
class ServerKeyRotationTest {

  @TempDir Path dataDir;

  /** What the server stored under its key, as a user sees it working. */
  private record Stored(String publicKey, long webhook, String webhookSecret, long exchange) {}

  private CountersignalServer start() throws InterruptedException {
    CountersignalServer server = CountersignalServer.builder(TestServers.config(dataDir)).exchangeSettings(ExchangeTest.FAST)
        .extraExchangeKinds(List.of(new ScriptedExchange())).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    return server;
  }

  private Stored storeSecrets(WebhookReceiver receiver) throws Exception {
    try (CountersignalServer server = start()) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      Files.writeString(dataDir.resolve("admin.key"), admin);
      Api.Response hook = api.post("/api/v1/webhooks", admin, "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"*\"]}");
      assertThat(hook.status()).as(hook.body()).isEqualTo(201);
      Api.Response exchange = api.post("/api/v1/exchanges", admin, "{\"name\":\"hsdb\",\"kind\":\"scripted\",\"config\":{\"source\":\"s\"},"
          + "\"credentials\":{\"token\":\"sesame\"}}");
      assertThat(exchange.status()).as(exchange.body()).isEqualTo(201);
      assertThat(api.post("/api/v1/audit/seal", admin, null).status()).isEqualTo(200);
      return new Stored(api.get("/api/v1/federation/key", admin).json().get("public_key").asText(), hook.json().get("id").asLong(),
          hook.json().get("secret").asText(), exchange.json().get("id").asLong());
    }
  }

  /** With the old key gone, each stored secret still does its work. */
  private void everySecretWorks(Stored stored, WebhookReceiver receiver) throws Exception {
    try (CountersignalServer server = start()) {
      Api api = new Api(server.port());
      String admin = Files.readString(dataDir.resolve("admin.key"));
      assertThat(api.get("/api/v1/federation/key", admin).json().get("public_key").asText())
          .as("the instance's signing key opened: the same key").isEqualTo(stored.publicKey());

      int before = receiver.received().size();
      assertThat(api.post("/api/v1/webhooks/" + stored.webhook() + "/test", admin, null).status()).isEqualTo(202);
      WebhookReceiver.await("the test event arrives", () -> receiver.received().size() > before);
      WebhookReceiver.Received got = receiver.received().getLast();
      assertThat(WebhookSignature.verify(stored.webhookSecret(), Long.parseLong(got.header("Countersignal-Timestamp")), got.body(),
          got.header("Countersignal-Signature"))).as("signed with the same secret").isTrue();

      JsonNode fetched = ExchangeTest.fetch(api, admin, stored.exchange());
      assertThat(fetched.at("/status/last_fetch_succeeded").asBoolean()).as("the source took the token: " + fetched).isTrue();

      JsonNode verified = api.get("/api/v1/audit/verification", admin).json();
      assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
      assertThat(api.get("/api/v1/audit?limit=1000", admin).body()).contains("server_key.rotated");
    }
  }

  @Test
  void everySecretIsSealedAgainUnderTheNewKeyAndTheOldKeyCanBeDeleted() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Stored stored = storeSecrets(receiver);
      ServerConfig config = TestServers.config(dataDir);
      Path keyFile = config.secretKeyPath();
      byte[] oldKey = Files.readAllBytes(keyFile);

      ServerKeyRotation.Result result = ServerKeyRotation.rotate(config, 0L);
      assertThat(result.resumed()).isFalse();
      assertThat(result.webhookSecrets()).isEqualTo(1);
      assertThat(result.exchangeCredentials()).isEqualTo(1);
      assertThat(result.instanceKeys()).isEqualTo(1);
      assertThat(result.auditSeals()).isGreaterThanOrEqualTo(1);
      assertThat(Files.readAllBytes(keyFile)).hasSize(32).isNotEqualTo(oldKey);
      assertThat(Files.readAllBytes(SecretBox.previousKeyFile(keyFile))).isEqualTo(oldKey);
      assertThat(SecretBox.nextKeyFile(keyFile)).doesNotExist();

      Files.delete(SecretBox.previousKeyFile(keyFile)); // the old key retired
      everySecretWorks(stored, receiver);
    }
  }

  @Test
  void aRotationStoppedBeforeItsKeyFileWasReplacedIsFinishedByRunningItAgain() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Stored stored = storeSecrets(receiver);
      ServerConfig config = TestServers.config(dataDir);
      Path keyFile = config.secretKeyPath();
      byte[] oldKey = Files.readAllBytes(keyFile);

      // Stopped after the commit, before the rename: the database is sealed under FILE.next, FILE is the old key.
      ServerKeyRotation.rotate(config, 0L);
      byte[] newKey = Files.readAllBytes(keyFile);
      Files.write(SecretBox.nextKeyFile(keyFile), newKey);
      Files.write(keyFile, oldKey);
      Files.delete(SecretBox.previousKeyFile(keyFile));

      ServerKeyRotation.Result again = ServerKeyRotation.rotate(config, 0L);
      assertThat(again.resumed()).isTrue();
      assertThat(Files.readAllBytes(keyFile)).as("finished with the key it started").isEqualTo(newKey);
      assertThat(Files.readAllBytes(SecretBox.previousKeyFile(keyFile))).isEqualTo(oldKey);
      Files.delete(SecretBox.previousKeyFile(keyFile));
      everySecretWorks(stored, receiver);
    }
  }

  @Test
  void withoutAKeyFileThereIsNothingToRotate() {
    ServerConfig config = TestServers.config(dataDir);
    assertThatThrownBy(() -> ServerKeyRotation.rotate(config, 0L)).hasMessageContaining("no server key at");
  }
}
