package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.countersignal.server.store.Database;
import org.countersignal.server.webhook.Outbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events commit with the caller's transaction, or not at all. */
class WebhookOutboxTest {

  @TempDir Path dataDir;

  @Test
  void eventCommitsWithTheCallersTransaction() {
    try (Database database = TestServers.openDatabase(dataDir)) {
      String id = database.jdbi().inTransaction(h -> Outbox.enqueue(h, "case.decided", Map.of("case_id", 7)));
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);

      String payload = database.jdbi().withHandle(h -> h.createQuery(
              "SELECT payload FROM webhook_events WHERE id = :id AND event_type = 'case.decided'")
          .bind("id", UUID.fromString(id)).mapTo(String.class).one());
      assertThat(payload).isEqualTo("{\"case_id\":7}");
    }
  }

  @Test
  void eventOfARolledBackTransactionIsNotRecorded() {
    try (Database database = TestServers.openDatabase(dataDir)) {
      assertThatThrownBy(() -> database.jdbi().useTransaction(h -> {
        Outbox.enqueue(h, "action.decided", Map.of("action", "remove"));
        throw new IllegalStateException("the change failed");
      })).hasMessage("the change failed");

      int events = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_events")
          .mapTo(Integer.class).one());
      assertThat(events).isZero();
    }
  }

  @Test
  void eventTypeMustBeADottedName() {
    try (Database database = TestServers.openDatabase(dataDir)) {
      for (String bad : new String[] {"decided", "Case.Decided", "case..decided", "*", ""}) {
        assertThatThrownBy(() -> database.jdbi().useHandle(h -> Outbox.enqueue(h, bad, Map.of())))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }
}
