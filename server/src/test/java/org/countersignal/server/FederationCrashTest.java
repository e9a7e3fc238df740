package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances in processes of their own, B following A's feed through a relay that stays put
 * while A's port changes: B killed with SIGKILL in the middle of the sync, then A killed in the
 * middle of it. After both restart, B's bank holds every signal of A's exactly once, and B counts
 * each update and applies each page exactly once.
 */
class FederationCrashTest {

  static final int SIGNALS = 20_000;
  static final int PAGE = 50;

  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path logs;
  final List<Process> processes = new ArrayList<>();
  final AtomicInteger portOfA = new AtomicInteger();
  Relay relay;

  @AfterEach
  void stop() throws InterruptedException {
    if (relay != null) {
      relay.close();
    }
    ServerProcess.stopAll(processes);
  }

  private static JsonNode status(Api api, String key, long id) {
    Api.Response response = api.get("/api/v1/exchanges/" + id, key);
    return response.status() == 200 ? response.json().get("status") : null;
  }

  private static long fetched(Api api, String key, long id) {
    JsonNode status = status(api, key, id);
    return status == null ? 0 : status.get("fetched_items").asLong();
  }

  @Test
  void killingEitherSideDuringASyncLosesAndDoublesNothing() throws Exception {
    ServerProcess.Started a = ServerProcess.start(dirA, logs, "a-first", processes);
    String adminA = a.key().orElseThrow();
    portOfA.set(a.port());
    Api apiA = new Api(a.port());
    long bank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"shared\"}").json().get("id").asLong();
    Random random = new Random(20261205);
    Set<String> hashes = new LinkedHashSet<>();
    while (hashes.size() < SIGNALS) {
      hashes.add(MatchTest.randomPdq(random));
    }
    List<String> all = List.copyOf(hashes);
    for (int from = 0; from < SIGNALS; from += 10_000) {
      ObjectNode batch = Api.JSON.createObjectNode();
      ArrayNode entries = batch.putArray("entries");
      all.subList(from, from + 10_000).forEach(hash -> entries.addObject().putObject("signals").put("pdq", hash));
      assertThat(apiA.post("/api/v1/banks/" + bank + "/entries/batch", adminA, batch.toString()).status()).isEqualTo(201);
    }
    long feed = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"to-b\",\"bank_id\":" + bank + "}").json().get("id").asLong();
    String peerKey = apiA.post("/api/v1/feeds/" + feed + "/peers", adminA, "{\"name\":\"org-b\"}").json().get("key").asText();
    String publicKey = apiA.get("/api/v1/federation/key", adminA).json().get("public_key").asText();
    // Passes every request on to A's current port; 502 while A is down.
    relay = new Relay(portOfA::get);
    int relayPort = relay.port();

    ServerProcess.Started b = ServerProcess.start(dirB, logs, "b-first", processes);
    String adminB = b.key().orElseThrow();
    Api apiB = new Api(b.port());
    ObjectNode body = Api.JSON.createObjectNode().put("name", "from-a").put("kind", "countersignal").put("trust", "trusted");
    body.putObject("config").put("url", "http://127.0.0.1:" + relayPort + "/").put("feed", "to-b").put("public_key", publicKey)
        .put("page_size", PAGE);
    body.putObject("credentials").put("key", peerKey);
    Api.Response created = apiB.post("/api/v1/exchanges", adminB, body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long id = created.json().get("id").asLong();

    WebhookReceiver.await("B's sync under way", () -> fetched(apiB, adminB, id) > 0);
    b.process().destroyForcibly();
    assertThat(b.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    ServerProcess.Started b2 = ServerProcess.start(dirB, logs, "b-second", processes);
    Api apiB2 = new Api(b2.port());
    long[] before = {fetched(apiB2, adminB, id)};
    assertThat(before[0]).as("B was killed in the middle of the sync").isLessThan(SIGNALS);
    WebhookReceiver.await("B's sync resumed", () -> fetched(apiB2, adminB, id) > before[0]);
    a.process().destroyForcibly();
    assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    long whileADown = fetched(apiB2, adminB, id);
    assertThat(whileADown).as("A was killed in the middle of the sync").isLessThan(SIGNALS);

    ServerProcess.Started a2 = ServerProcess.start(dirA, logs, "a-second", processes);
    portOfA.set(a2.port());
    JsonNode[] status = {null};
    WebhookReceiver.await("B's sync completes once A is back", () -> {
      status[0] = status(apiB2, adminB, id);
      if (status[0] != null && !status[0].get("up_to_date").asBoolean() && status[0].get("running_fetch_start_ts").isNull()) {
        apiB2.post("/api/v1/exchanges/" + id + "/fetch", adminB, null); // rather than wait out the retry's back-off
      }
      return status[0] != null && status[0].get("up_to_date").asBoolean();
    });
    assertThat(status[0].get("fetched_items").asLong()).as("each update counted once").isEqualTo(SIGNALS);
    assertThat(status[0].get("bank_entries").asLong()).isEqualTo(SIGNALS);
    b2.process().destroy();
    assertThat(b2.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    try (Database database = TestServers.openDatabase(dirB)) {
      List<String> stored = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT s.signal_value FROM entry_signals s JOIN entries e ON e.id = s.entry_id JOIN banks b ON b.id = e.bank_id "
              + "WHERE b.name = 'from-a'").mapTo(String.class).list());
      assertThat(stored).hasSize(SIGNALS).doesNotHaveDuplicates();
      assertThat(Set.copyOf(stored)).isEqualTo(hashes);
      long pages = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.batch_applied'").mapTo(Long.class).one());
      assertThat(pages).as("each page applied once").isEqualTo(SIGNALS / PAGE);
    }
  }
}
