package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.match.ChangeFollower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal type defined only in test code ({@link ToyType}) is banked, matched and snapshotted
 * with no change to the server but the list of types it is given ({@link SignalTypeReplicaTest}:
 * and followed by another replica).
 */
class SignalTypeContractTest {

  static final String BANKED = "00ff00ff00ff00ff";
  /** One bit away from {@link #BANKED}. */
  static final String NEAR = "00FF00FF00FF00FE";
  /** Five bits away: beyond the default threshold of 4. */
  static final String FAR = "00ff00ff00ff00e0";

  @TempDir Path dataDir;

  static String match(String value) {
    return "{\"signals\":{\"" + ToyType.NAME + "\":\"" + value + "\"}}";
  }

  static long bankOne(Api api, String key) {
    Api.Response bank = api.post("/api/v1/banks", key, "{\"name\":\"toys\"}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    assertThat(bank.json().get("thresholds").get(ToyType.NAME).asInt()).as("the type's default threshold").isEqualTo(4);
    long id = bank.json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + id + "/entries", key,
        "{\"signals\":{\"" + ToyType.NAME + "\":\"" + BANKED.toUpperCase() + "\"}}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    assertThat(entry.json().get("signals").get(ToyType.NAME).asText()).as("stored in the type's canonical form").isEqualTo(BANKED);
    return entry.json().get("id").asLong();
  }

  @Test
  void aTypeDefinedOutsideTheServerIsBankedMatchedAndSurvivesARestartThroughTheSnapshot() {
    String admin;
    long entry;
    ServerConfig config = TestServers.config(dataDir);
    try (CountersignalServer server = TestServers.start(config, List.of(new ToyType()))) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      entry = bankOne(api, admin);

      Api.Response near = api.post("/api/v1/match", admin, match(NEAR));
      assertThat(near.status()).as(near.body()).isEqualTo(200);
      JsonNode hits = near.json().get("matches");
      assertThat(hits).as(near.body()).hasSize(1);
      assertThat(hits.get(0).get("entry_id").asLong()).isEqualTo(entry);
      assertThat(hits.get(0).get("signal_type").asText()).isEqualTo(ToyType.NAME);
      assertThat(hits.get(0).get("distance").asInt()).isEqualTo(1);
      assertThat(api.post("/api/v1/match", admin, match(FAR)).json().get("matches")).isEmpty();

      Api.Response bad = api.post("/api/v1/match", admin, match("xyz"));
      assertThat(bad.status()).isEqualTo(422);
      assertThat(bad.body()).contains("signals." + ToyType.NAME);

      JsonNode openApi = api.get("/api/v1/openapi.json", admin).json();
      assertThat(openApi.findValues("enum")).as("the rules' signal types come from the catalogue")
          .anySatisfy(values -> assertThat(values.toString()).contains("\"" + ToyType.NAME + "\"", "\"pdq\""));
      assertThat(openApi.findValuesAsText("description")).anySatisfy(text -> assertThat(text).contains(ToyType.NAME + " 0..64 (default 4)"));

      assertThat(api.get("/metrics", admin).body())
          .containsPattern("countersignal_index_entries\\{signal_type=\"" + ToyType.NAME + "\"\\} 1\\.0");
    }
    assertThat(dataDir.resolve("index-snapshot")).isDirectoryRecursivelyContaining("glob:**/" + ToyType.NAME + ".snapshot");

    try (CountersignalServer server = TestServers.start(config, List.of(new ToyType()))) {
      ChangeFollower.LoadReport report = server.indexLoadReport();
      assertThat(report.snapshotSeq()).as("loaded from the snapshot").isPositive();
      assertThat(report.replayedChanges()).as("nothing to replay: the toy index came from its file").isZero();
      JsonNode hits = new Api(server.port()).post("/api/v1/match", admin, match(NEAR)).json().get("matches");
      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).get("entry_id").asLong()).isEqualTo(entry);
    }
  }
}
