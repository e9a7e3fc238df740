package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.countersignal.server.store.Database;
import org.countersignal.server.webhook.SecretBox;
import org.countersignal.server.webhook.WebhookDispatcher;
import org.countersignal.server.webhook.WebhookSettings;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivered webhook events are kept 30 days; what is still to be delivered is never purged. */
class WebhookPurgeTest {

  @TempDir Path dataDir;

  @Test
  void onlyDeliveriesDeliveredOver30DaysAgoAndTheirEventsGo() {
    TestServers.start(dataDir).close(); // the schema
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Database database = TestServers.openDatabase(dataDir)) {
      UUID old = UUID.randomUUID();
      UUID recent = UUID.randomUUID();
      UUID dead = UUID.randomUUID();
      UUID split = UUID.randomUUID();
      database.jdbi().useTransaction(h -> {
        long endpoint = h.createUpdate("INSERT INTO webhook_endpoints (url, description, event_types, enabled, secret_cipher, "
                + "created_at, updated_at) VALUES ('http://127.0.0.1:1/', '', '[\"*\"]', TRUE, :cipher, :now, :now)")
            .bind("cipher", new byte[28]).bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        long other = h.createUpdate("INSERT INTO webhook_endpoints (url, description, event_types, enabled, secret_cipher, "
                + "created_at, updated_at) VALUES ('http://127.0.0.1:2/', '', '[\"*\"]', TRUE, :cipher, :now, :now)")
            .bind("cipher", new byte[28]).bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        event(h, old, now.minusDays(40));
        delivery(h, old, endpoint, "delivered", now.minusDays(40));
        event(h, recent, now.minusDays(40));
        delivery(h, recent, endpoint, "delivered", now.minusDays(10)); // delivered late, by a replay
        event(h, dead, now.minusDays(40));
        delivery(h, dead, endpoint, "dead", null);
        event(h, split, now.minusDays(40));
        delivery(h, split, endpoint, "delivered", now.minusDays(40));
        delivery(h, split, other, "pending", null);
      });
      WebhookDispatcher dispatcher = new WebhookDispatcher(database.dataSource(), database.jdbi(), !database.isEmbedded(),
          SecretBox.fromKeyFile(dataDir.resolve("secret.key")), WebhookSettings.DEFAULT);
      assertThat(dispatcher.purgeDelivered()).isEqualTo(2);

      List<String> events = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM webhook_events")
          .mapTo(UUID.class).list().stream().map(UUID::toString).sorted().toList());
      assertThat(events).containsExactlyInAnyOrderElementsOf(List.of(recent.toString(), dead.toString(), split.toString()));
      List<String> deliveries = database.jdbi().withHandle(h -> h.createQuery("SELECT status FROM webhook_deliveries ORDER BY id")
          .mapTo(String.class).list());
      assertThat(deliveries).containsExactly("delivered", "dead", "pending");
      assertThat(dispatcher.purgeDelivered()).isZero();
    }
  }

  private static void event(Handle h, UUID id, OffsetDateTime at) {
    h.createUpdate("INSERT INTO webhook_events (id, event_type, payload, fanned_out, created_at) VALUES (:id, 'case.decided', '{}', TRUE, :at)")
        .bind("id", id).bind("at", at).execute();
  }

  private static void delivery(Handle h, UUID event, long endpoint, String status, OffsetDateTime deliveredAt) {
    h.createUpdate("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, created_at, delivered_at) "
            + "VALUES (:e, :endpoint, :status, 1, :created, :delivered)")
        .bind("e", event).bind("endpoint", endpoint).bind("status", status)
        .bind("created", deliveredAt == null ? OffsetDateTime.now(ZoneOffset.UTC) : deliveredAt).bind("delivered", deliveredAt).execute();
  }
}
