package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of delivering loses no event: the next start on
 * the same data (and database) sends everything not recorded as delivered, so every event id
 * reaches the receiver at least once.
 */
class WebhookCrashTest extends KilledServerTest {

  static final int EVENTS = 300;


  @Test
  void everyEventArrivesAtLeastOnceAcrossAKill() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(Duration.ofMillis(100))) {
      ServerProcess.Started first = startProcess("first");
      String admin = first.key().orElseThrow();
      Api api = new Api(first.port());
      Api.Response hook = api.post("/api/v1/webhooks", admin,
          "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"*\"]}");
      assertThat(hook.status()).as(hook.header()).isEqualTo(201);
      long id = hook.json().get("id").asLong();

      Set<String> enqueued = new HashSet<>();
      for (int i = 0; i < EVENTS; i++) {
        Api.Response test = api.post("/api/v1/webhooks/" + id + "/test", admin, null);
        assertThat(test.status()).as(test.header()).isEqualTo(202);
        enqueued.add(test.json().get("event_id").asText());
      }
      assertThat(enqueued).hasSize(EVENTS);

      // Killed as soon as the last event is acknowledged, with deliveries under way: on H2 too,
      // an acknowledged event is in the file by then, and the next start sends it.
      WebhookReceiver.await("deliveries under way", () -> !receiver.received().isEmpty());
      first.process().destroyForcibly();
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      Set<String> beforeKill = new HashSet<>(receiver.eventIds());
      assertThat(beforeKill).as("the kill came in the middle of delivering").hasSizeLessThan(EVENTS);

      ServerProcess.Started second = startProcess("second");
      WebhookReceiver.await("every event arrives after the restart",
          () -> new HashSet<>(receiver.eventIds()).containsAll(enqueued));

      assertThat(new HashSet<>(receiver.eventIds())).isEqualTo(enqueued);
      Api restarted = new Api(second.port());
      WebhookReceiver.await("every delivery recorded as delivered", () -> restarted
          .get("/api/v1/webhooks/deliveries?status=delivered&limit=1000", admin).json().get("items").size() == EVENTS);
      assertThat(restarted.get("/api/v1/webhooks/deliveries?status=pending", admin).json().get("items")).isEmpty();
      assertThat(restarted.get("/api/v1/webhooks/deliveries?status=dead", admin).json().get("items")).isEmpty();
      second.process().destroy();
      assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
