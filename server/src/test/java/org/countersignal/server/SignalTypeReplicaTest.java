package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal type defined only in test code ({@link ToyType}) reaches another replica through the
 * change sequence like any built-in type (PostgreSQL only: replicas share one database server).
 */
class SignalTypeReplicaTest {

  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void anotherReplicaFollowsTheTypesChanges() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(ReplicaTest.replica(dirA, database), List.of(new ToyType()));
        CountersignalServer b = TestServers.start(ReplicaTest.replica(dirB, database), List.of(new ToyType()))) {
      String admin = a.initialAdminKey().orElseThrow();
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      long entry = SignalTypeContractTest.bankOne(apiA, admin);
      long deadline = System.nanoTime() + ReplicaTest.WAIT_NANOS;
      JsonNode hits = apiB.post("/api/v1/match", admin, SignalTypeContractTest.match(SignalTypeContractTest.NEAR)).json().get("matches");
      while (hits.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        hits = apiB.post("/api/v1/match", admin, SignalTypeContractTest.match(SignalTypeContractTest.NEAR)).json().get("matches");
      }
      assertThat(hits).as("replica B follows what A banked").hasSize(1);
      assertThat(hits.get(0).get("entry_id").asLong()).isEqualTo(entry);

      assertThat(apiA.post("/api/v1/entries/" + entry + "/disable", admin, "{\"reason\":\"test\"}").status()).isEqualTo(200);
      deadline = System.nanoTime() + ReplicaTest.WAIT_NANOS;
      while (ReplicaTest.indexSize(apiB, admin, ToyType.NAME) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(ReplicaTest.indexSize(apiB, admin, ToyType.NAME)).as("B's index drops the disabled entry's value").isZero();
    }
  }

  @Test
  void textsAndLinksReachAnotherReplica() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(ReplicaTest.replica(dirA, database));
        CountersignalServer b = TestServers.start(ReplicaTest.replica(dirB, database))) {
      String admin = a.initialAdminKey().orElseThrow();
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      long bank = apiA.post("/api/v1/banks", admin, "{\"name\":\"shared\"}").json().get("id").asLong();
      java.util.List<String> words = TextMatchTest.prose(21, 900);
      long text = apiA.post("/api/v1/banks/" + bank + "/entries/text", admin, TextMatchTest.json(TextMatchTest.text(words)))
          .json().get("id").asLong();
      long link = apiA.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"url\":\"domain:evil.example\"}}")
          .json().get("id").asLong();
      String post = TextMatchTest.json(TextMatchTest.text(words.subList(200, 600)) + " see https://www.evil.example/x");
      long deadline = System.nanoTime() + ReplicaTest.WAIT_NANOS;
      JsonNode hits = apiB.post("/api/v1/match/text", admin, post).json().get("matches");
      while (hits.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        hits = apiB.post("/api/v1/match/text", admin, post).json().get("matches");
      }
      java.util.List<String> found = new java.util.ArrayList<>();
      hits.forEach(hit -> found.add(hit.get("signal_type").asText() + ":" + hit.get("entry_id").asLong()));
      assertThat(found).as("replica B follows the text and the link A banked").containsExactlyInAnyOrder("text:" + text, "url:" + link);

      assertThat(apiA.post("/api/v1/entries/" + text + "/disable", admin, "{\"reason\":\"test\"}").status()).isEqualTo(200);
      deadline = System.nanoTime() + ReplicaTest.WAIT_NANOS;
      while (ReplicaTest.indexSize(apiB, admin, "text") > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(ReplicaTest.indexSize(apiB, admin, "text")).as("B's index drops the disabled text").isZero();
    }
  }
}
