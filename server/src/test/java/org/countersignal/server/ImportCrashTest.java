package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL while a bulk import is under way keeps every batch it
 * acknowledged, and of the batch it was writing all or nothing: after the restart the bank holds
 * whole batches only, each with its one audit record, and every entry it holds matches.
 */
class ImportCrashTest extends KilledServerTest {

  static final int BATCH = 2_000;

  /** A batch's worth of random PDQ hashes. */
  static List<String> hashes(Random random) {
    List<String> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(MatchTest.randomPdq(random));
    }
    return batch;
  }

  private static JsonNode readTree(String json) {
    try {
      return Api.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether each of {@code hashes} matches on the server, 1,000 a call. */
  static List<Boolean> matched(Api api, String key, List<String> hashes) {
    List<Boolean> matched = new ArrayList<>();
    for (int from = 0; from < hashes.size(); from += 1000) {
      StringBuilder body = new StringBuilder("{\"queries\":[");
      for (int i = from; i < Math.min(hashes.size(), from + 1000); i++) {
        body.append(i > from ? "," : "").append("{\"signals\":{\"pdq\":\"").append(hashes.get(i)).append("\"}}");
      }
      Api.Response response = api.post("/api/v1/match/batch", key, body.append("]}").toString());
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      response.json().get("results").forEach(r -> matched.add(r.get("matches").size() > 0));
    }
    return matched;
  }

  @Test
  void aKillDuringABulkImportKeepsWhatWasAcknowledgedAndNoHalfBatch() throws Exception {
    Random random = new Random(20261205);
    ServerProcess.Started first = startProcess("first");
    String admin = first.key().orElseThrow();
    Api api = new Api(first.port());
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"imported\"}").json().get("id").asLong();

    List<List<String>> acknowledged = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> batch = hashes(random);
      Api.Response done = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, EntryImportTest.batchOfPdq(batch));
      assertThat(done.status()).as(done.body()).isEqualTo(201);
      acknowledged.add(batch);
    }
    // The next batches go on from another thread; the process is killed while they are sent.
    List<List<String>> unanswered = new ArrayList<>();
    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
      while (true) {
        List<String> batch = hashes(random);
        synchronized (unanswered) {
          unanswered.add(batch);
        }
        Api.Response done;
        try {
          done = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, EntryImportTest.batchOfPdq(batch));
        } catch (RuntimeException e) {
          return; // the server is gone
        }
        if (done.status() != 201) {
          return;
        }
        synchronized (unanswered) {
          unanswered.remove(batch);
          acknowledged.add(batch);
        }
      }
    });
    Thread.sleep(700);
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    sending.get(60, TimeUnit.SECONDS);
    assertThat(unanswered).as("the batch in flight when the process died").hasSize(1);

    ServerProcess.Started second = startProcess("second");
    Api restarted = new Api(second.port());
    for (List<String> batch : acknowledged) {
      assertThat(matched(restarted, admin, batch)).as("an acknowledged batch").containsOnly(true);
    }
    List<Boolean> inFlight = matched(restarted, admin, unanswered.getFirst());
    assertThat(Set.copyOf(inFlight)).as("the unanswered batch: all of it or none").hasSize(1);
    boolean inFlightCommitted = inFlight.getFirst();
    second.process().destroy();
    assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    int batches = acknowledged.size() + (inFlightCommitted ? 1 : 0);
    try (Database database = TestServers.openDatabase(dataDir)) {
      List<String> stored = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT s.signal_value FROM entry_signals s JOIN entries e ON e.id = s.entry_id WHERE e.bank_id = :bank")
          .bind("bank", bank).mapTo(String.class).list());
      assertThat(stored).as("whole batches only").hasSize(batches * BATCH).doesNotHaveDuplicates();
      Set<String> expected = new HashSet<>();
      acknowledged.forEach(expected::addAll);
      if (inFlightCommitted) {
        expected.addAll(unanswered.getFirst());
      }
      assertThat(Set.copyOf(stored)).isEqualTo(expected);
      List<JsonNode> imports = new ArrayList<>();
      database.jdbi().withHandle(h -> h.createQuery("SELECT after_json FROM audit_log WHERE action = 'entries.imported'")
          .mapTo(String.class).list()).forEach(json -> imports.add(readTree(json)));
      assertThat(imports).as("one audit record per committed batch").hasSize(batches)
          .allSatisfy(record -> assertThat(record.get("count").asInt()).isEqualTo(BATCH));
    }
  }
}
