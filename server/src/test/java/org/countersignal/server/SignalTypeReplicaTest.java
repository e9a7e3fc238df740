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
}
