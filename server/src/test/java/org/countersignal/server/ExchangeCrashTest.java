package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of fetching an exchange loses and doubles nothing:
 * the next start on the same data (and database) resumes from the last committed checkpoint, and
 * in the end the bank holds every signal of the source exactly once and the exchange counts each
 * update exactly once.
 */
class ExchangeCrashTest extends KilledServerTest {

  static final int SIGNALS = 20_000;
  static final int BATCH = 100;

  /** The exchange's status, or null while the server answers otherwise (busy, or over the key's request rate). */
  private static JsonNode status(Api api, String key, long id) {
    Api.Response response = api.get("/api/v1/exchanges/" + id, key);
    return response.status() == 200 ? response.json().get("status") : null;
  }

  @Test
  void aKillDuringAFetchLosesAndDoublesNothing() throws Exception {
    Random random = new Random(20261204);
    Set<String> hashes = new LinkedHashSet<>();
    while (hashes.size() < SIGNALS) {
      hashes.add(MatchTest.randomPdq(random));
    }
    Path feed = Files.createDirectories(dataDir.resolve("exchange-folders").resolve("feed"));
    StringBuilder lines = new StringBuilder();
    hashes.forEach(hash -> lines.append("pdq ").append(hash).append('\n'));
    Files.writeString(feed.resolve("list.txt"), lines);

    ServerProcess.Started first = startProcess("first");
    String admin = first.key().orElseThrow();
    Api api = new Api(first.port());
    Api.Response created = api.post("/api/v1/exchanges", admin, "{\"name\":\"hsdb\",\"kind\":\"folder\",\"trust\":\"trusted\","
        + "\"config\":{\"path\":\"feed\",\"batch_size\":" + BATCH + "}}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    long id = created.json().get("id").asLong();

    long[] seen = {0};
    WebhookReceiver.await("the fetch under way", () -> {
      JsonNode status = status(api, admin, id);
      seen[0] = status == null ? 0 : status.get("fetched_items").asLong();
      return seen[0] > 0;
    });
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen[0]).as("the kill came in the middle of the fetch").isLessThan(SIGNALS);

    ServerProcess.Started second = startProcess("second");
    Api restarted = new Api(second.port());
    JsonNode[] status = {null};
    WebhookReceiver.await("the fetch completes after the restart", () -> {
      status[0] = status(restarted, admin, id);
      return status[0] != null && status[0].get("up_to_date").asBoolean();
    });
    assertThat(status[0].get("last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(status[0].get("fetched_items").asLong()).as("each update counted once").isEqualTo(SIGNALS);
    assertThat(status[0].get("bank_entries").asLong()).isEqualTo(SIGNALS);
    assertThat(status[0].get("checkpoint").get("lines").asLong()).isEqualTo(SIGNALS);
    // Every hash of the source matches, the first and the last written alike.
    for (String hash : List.of(hashes.iterator().next(), List.copyOf(hashes).getLast())) {
      Api.Response match = restarted.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + hash + "\"}}");
      assertThat(match.json().get("matches")).as(hash).hasSize(1);
    }
    second.process().destroy();
    assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    try (Database database = TestServers.openDatabase(dataDir)) {
      List<String> stored = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT s.signal_value FROM entry_signals s JOIN entries e ON e.id = s.entry_id JOIN banks b ON b.id = e.bank_id "
              + "WHERE b.name = 'hsdb'").mapTo(String.class).list());
      assertThat(stored).hasSize(SIGNALS).doesNotHaveDuplicates();
      assertThat(Set.copyOf(stored)).isEqualTo(hashes);
      long batches = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.batch_applied'").mapTo(Long.class).one());
      assertThat(batches).as("each batch applied once").isEqualTo(SIGNALS / BATCH);
    }
  }
}
