package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.Database;
import org.countersignal.server.webhook.CreatedWebhook;
import org.countersignal.server.webhook.DeliveryStatus;
import org.countersignal.server.webhook.Outbox;
import org.countersignal.server.webhook.SecretBox;
import org.countersignal.server.webhook.WebhookChanges;
import org.countersignal.server.webhook.WebhookDelivery;
import org.countersignal.server.webhook.WebhookDispatcher;
import org.countersignal.server.webhook.WebhookService;
import org.countersignal.server.webhook.WebhookSettings;
import org.countersignal.server.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery of events to real HTTP receivers: the webhook parts on this run's database, with
 * events enqueued as the rest of the server enqueues them (Outbox.enqueue in a transaction).
 */
class WebhookDeliveryTest {

  static final WebhookSettings FAST = WebhookSettings.DEFAULT
      .withMaxAttempts(3)
      .withDelays(Duration.ofMillis(20), Duration.ofMillis(100))
      .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
      .withHeartbeatInterval(Duration.ofSeconds(1));

  static final Principal ADMIN = new Principal(1, Role.ADMIN);

  @TempDir Path dataDir;
  Database database;
  WebhookDispatcher dispatcher;
  WebhookService webhooks;

  @BeforeEach
  void start() {
    database = TestServers.openDatabase(dataDir);
    SecretBox secrets = SecretBox.fromKeyFile(dataDir.resolve("secret.key"));
    dispatcher = new WebhookDispatcher(database.dataSource(), database.jdbi(), !database.isEmbedded(), secrets, FAST);
    webhooks = new WebhookService(database.jdbi(), secrets, dispatcher::wakeUp);
    dispatcher.start();
  }

  @AfterEach
  void stop() {
    dispatcher.close();
    database.close();
  }

  private String enqueue(String type, Object payload) {
    return database.jdbi().inTransaction(h -> Outbox.enqueue(h, type, payload));
  }

  private CreatedWebhook endpoint(WebhookReceiver receiver, List<String> types) {
    return webhooks.create(ADMIN, new WebhookChanges(receiver.url(), "test receiver", types, null));
  }

  private List<WebhookDelivery> deliveries(DeliveryStatus status, long endpoint) {
    return webhooks.deliveries(status == null ? null : status.wire(), endpoint, 0, 1000).items();
  }

  @Test
  void deliveryIsSignedWithTheEndpointSecretAndAChangedBodyFails() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      CreatedWebhook hook = endpoint(receiver, List.of("*"));
      String id = enqueue("case.decided", Map.of("case_id", 42, "decision", "remove"));
      WebhookReceiver.await("the event arrives", () -> receiver.received().size() == 1);

      WebhookReceiver.Received got = receiver.received().getFirst();
      assertThat(got.header("Content-Type")).startsWith("application/json");
      assertThat(got.eventId()).isEqualTo(id);
      assertThat(got.header("Idempotency-Key")).isEqualTo(id);
      assertThat(got.header("Countersignal-Event-Type")).isEqualTo("case.decided");
      long timestamp = Long.parseLong(got.header("Countersignal-Timestamp"));
      assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);

      String signature = got.header("Countersignal-Signature");
      assertThat(signature).startsWith("v1=");
      assertThat(WebhookSignature.verify(hook.secret(), timestamp, got.body(), signature)).isTrue();
      byte[] changed = new String(got.body(), StandardCharsets.UTF_8).replace("remove", "ignore").getBytes(StandardCharsets.UTF_8);
      assertThat(WebhookSignature.verify(hook.secret(), timestamp, changed, signature)).isFalse();
      assertThat(WebhookSignature.verify(hook.secret(), timestamp + 1, got.body(), signature)).isFalse();
      assertThat(WebhookSignature.verify("whsec_another", timestamp, got.body(), signature)).isFalse();

      JsonNode body = Api.JSON.readTree(got.body());
      assertThat(body.get("id").asText()).isEqualTo(id);
      assertThat(body.get("type").asText()).isEqualTo("case.decided");
      assertThat(Instant.parse(body.get("created_at").asText())).isNotNull();
      assertThat(body.get("data").get("case_id").asInt()).isEqualTo(42);
      assertThat(body.get("data").get("decision").asText()).isEqualTo("remove");

      WebhookReceiver.await("marked delivered", () -> deliveries(DeliveryStatus.DELIVERED, hook.id()).size() == 1);
      WebhookDelivery delivery = deliveries(null, hook.id()).getFirst();
      assertThat(delivery.attempts()).isEqualTo(1);
      assertThat(delivery.lastStatus()).isEqualTo(200);
      assertThat(delivery.deliveredAt()).isNotNull();
    }
  }

  @Test
  void failedAttemptsAreRetriedUntilOneSucceeds() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.answer(n -> n <= 2 ? 500 : 204);
      CreatedWebhook hook = endpoint(receiver, List.of("action.decided"));
      String id = enqueue("action.decided", Map.of("action", "remove"));

      WebhookReceiver.await("delivered on the third attempt", () -> deliveries(DeliveryStatus.DELIVERED, hook.id()).size() == 1);
      assertThat(receiver.eventIds()).containsExactly(id, id, id);
      WebhookDelivery delivery = deliveries(null, hook.id()).getFirst();
      assertThat(delivery.attempts()).isEqualTo(3);
      assertThat(delivery.lastStatus()).isEqualTo(204);
      assertThat(delivery.lastError()).isNull();
    }
  }

  @Test
  void deliveryIsDeadAfterMaxAttemptsAndAManualReplayDeliversIt() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.answer(n -> 503);
      CreatedWebhook hook = endpoint(receiver, List.of("*"));
      String id = enqueue("content.reinstated", Map.of("content_id", "c-1"));

      WebhookReceiver.await("dead after 3 attempts", () -> deliveries(DeliveryStatus.DEAD, hook.id()).size() == 1);
      WebhookDelivery dead = deliveries(DeliveryStatus.DEAD, hook.id()).getFirst();
      assertThat(dead.attempts()).isEqualTo(FAST.maxAttempts());
      assertThat(dead.lastStatus()).isEqualTo(503);
      assertThat(dead.lastError()).contains("503");
      assertThat(dead.eventId()).isEqualTo(id);
      assertThat(receiver.eventIds()).hasSize(FAST.maxAttempts()).containsOnly(id);

      receiver.answer(n -> 200);
      WebhookDelivery replayed = webhooks.replay(ADMIN, dead.id());
      assertThat(replayed.status()).isEqualTo(DeliveryStatus.PENDING);
      assertThat(replayed.attempts()).isZero();

      WebhookReceiver.await("delivered after the replay", () -> deliveries(DeliveryStatus.DELIVERED, hook.id()).size() == 1);
      assertThat(receiver.eventIds()).hasSize(FAST.maxAttempts() + 1).containsOnly(id);
      assertThat(deliveries(DeliveryStatus.DELIVERED, hook.id()).getFirst().attempts()).isEqualTo(1);
    }
  }

  @Test
  void unreachableReceiverCountsAsAFailedAttempt() {
    WebhookReceiver gone = new WebhookReceiver();
    String url = gone.url();
    gone.close();
    CreatedWebhook hook = webhooks.create(ADMIN, new WebhookChanges(url, "nobody listens", List.of("*"), null));
    enqueue("case.decided", Map.of("case_id", 1));

    WebhookReceiver.await("dead after 3 failed connections", () -> deliveries(DeliveryStatus.DEAD, hook.id()).size() == 1);
    WebhookDelivery dead = deliveries(DeliveryStatus.DEAD, hook.id()).getFirst();
    assertThat(dead.lastStatus()).isNull();
    assertThat(dead.lastError()).isNotBlank();
  }

  @Test
  void secretThatThisServersKeyCannotDecryptSpendsNoAttempt() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      // Stored by a server with another key file (a replica not given the shared one).
      SecretBox otherKey = SecretBox.fromKeyFile(dataDir.resolve("other.key"));
      CreatedWebhook hook = new WebhookService(database.jdbi(), otherKey, () -> { })
          .create(ADMIN, new WebhookChanges(receiver.url(), "sealed elsewhere", List.of("*"), null));
      enqueue("case.decided", Map.of("case_id", 5));

      // Claimed (its next attempt pushed a lease ahead) but neither sent nor counted.
      WebhookReceiver.await("the delivery is claimed", () -> deliveries(null, hook.id()).stream().anyMatch(d ->
          Instant.parse(d.nextAttemptAt()).isAfter(Instant.parse(d.createdAt()).plusSeconds(5))));
      WebhookDelivery held = deliveries(null, hook.id()).getFirst();
      assertThat(held.status()).isEqualTo(DeliveryStatus.PENDING);
      assertThat(held.attempts()).isZero();
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void receiverThatHangsHoldsOnlyItsOwnShareOfTheRequestsInFlight() {
    // Few requests in flight, two per endpoint, and a request timeout far longer than the test.
    dispatcher.close();
    SecretBox secrets = SecretBox.fromKeyFile(dataDir.resolve("secret.key"));
    dispatcher = new WebhookDispatcher(database.dataSource(), database.jdbi(), !database.isEmbedded(), secrets,
        FAST.withInFlight(8, 2).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60)));
    dispatcher.start();
    try (WebhookReceiver hanging = new WebhookReceiver(); WebhookReceiver healthy = new WebhookReceiver()) {
      hanging.hold();
      endpoint(hanging, List.of("*"));
      CreatedWebhook ok = endpoint(healthy, List.of("*"));
      for (int i = 0; i < 20; i++) {
        enqueue("case.decided", Map.of("case_id", i));
      }

      WebhookReceiver.await("all 20 reach the healthy receiver", () -> deliveries(DeliveryStatus.DELIVERED, ok.id()).size() == 20);
      assertThat(healthy.eventIds()).hasSize(20).doesNotHaveDuplicates();
      assertThat(hanging.arrivals()).as("requests to the hanging receiver").isLessThanOrEqualTo(2);
    }
  }

  @Test
  void disabledEndpointReceivesNothing() {
    try (WebhookReceiver on = new WebhookReceiver(); WebhookReceiver off = new WebhookReceiver()) {
      CreatedWebhook enabled = endpoint(on, List.of("*"));
      CreatedWebhook disabled = webhooks.create(ADMIN, new WebhookChanges(off.url(), "disabled", List.of("*"), false));
      String id = enqueue("case.decided", Map.of("case_id", 3));

      // Both endpoints were considered in the one fan-out that gave the enabled one its delivery.
      WebhookReceiver.await("the enabled endpoint has it", () -> deliveries(DeliveryStatus.DELIVERED, enabled.id()).size() == 1);
      assertThat(on.eventIds()).containsExactly(id);
      assertThat(deliveries(null, disabled.id())).isEmpty();
      assertThat(off.received()).isEmpty();
    }
  }

  @Test
  void endpointsReceiveOnlyTheTypesTheySubscribeTo() {
    try (WebhookReceiver cases = new WebhookReceiver(); WebhookReceiver all = new WebhookReceiver();
        WebhookReceiver actions = new WebhookReceiver()) {
      CreatedWebhook caseHook = endpoint(cases, List.of("case.decided"));
      CreatedWebhook allHook = endpoint(all, List.of("*"));
      CreatedWebhook actionHook = endpoint(actions, List.of("action.decided", "account.suspension_recommended"));
      String decided = enqueue("case.decided", Map.of("case_id", 9));
      String reinstated = enqueue("content.reinstated", Map.of("content_id", "c-9"));

      WebhookReceiver.await("all events reach the endpoint for all",
          () -> deliveries(DeliveryStatus.DELIVERED, allHook.id()).size() == 2);
      WebhookReceiver.await("case.decided reaches its subscriber",
          () -> deliveries(DeliveryStatus.DELIVERED, caseHook.id()).size() == 1);
      assertThat(all.eventIds()).containsExactlyInAnyOrder(decided, reinstated);
      assertThat(cases.eventIds()).containsExactly(decided);
      assertThat(deliveries(null, actionHook.id())).isEmpty();
      assertThat(actions.received()).isEmpty();
    }
  }
}
