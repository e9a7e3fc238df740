package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many items matched in one call, each answered on its own. */
class MatchBatchTest {

  static final String PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PDQ_A_NEAR = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  static final String PDQ_FAR = "0000000000000000000000000000000000000000000000000000000000000000";
  static final String MD5_B = "b".repeat(32);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static long entryA;
  static long entryB;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"batch\"}").json().get("id").asLong();
    entryA = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + PDQ_A + "\"}}").json().get("id").asLong();
    entryB = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + MD5_B + "\"}}").json().get("id").asLong();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eachItemGetsItsOwnMatchesInOrder() {
    Api.Response response = api.post("/api/v1/match/batch", admin, "{\"queries\":["
        + "{\"id\":\"upload-1\",\"signals\":{\"pdq\":\"" + PDQ_A_NEAR + "\"}},"
        + "{\"id\":\"upload-2\",\"signals\":{\"md5\":\"" + MD5_B + "\",\"pdq\":[\"" + PDQ_FAR + "\"]}},"
        + "{\"id\":\"upload-3\",\"signals\":{\"pdq\":\"" + PDQ_FAR + "\"}},"
        + "{\"signals\":{\"pdq\":\"" + PDQ_A_NEAR + "\"}}]}");
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    JsonNode results = response.json().get("results");
    assertThat(results).hasSize(4);
    assertThat(results.get(0).get("id").asText()).isEqualTo("upload-1");
    assertThat(results.get(0).get("matches").findValuesAsText("entry_id")).containsExactly(Long.toString(entryA));
    assertThat(results.get(1).get("matches").findValuesAsText("entry_id")).containsExactly(Long.toString(entryB));
    assertThat(results.get(2).get("matches")).isEmpty();
    // No id: the item's position; a value two items share is answered for both.
    assertThat(results.get(3).get("id").asText()).isEqualTo("3");
    assertThat(results.get(3).get("matches").findValuesAsText("entry_id")).containsExactly(Long.toString(entryA));
  }

  @Test
  void badBatchesAreRefusedNamingTheItem() {
    Api.Response bad = api.post("/api/v1/match/batch", admin,
        "{\"queries\":[{\"signals\":{\"md5\":\"" + MD5_B + "\"}},{\"signals\":{\"pdq\":\"xyz\"}}]}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("field").asText()).startsWith("queries[1]");
    assertThat(api.post("/api/v1/match/batch", admin, "{\"queries\":[]}").status()).isEqualTo(422);
    StringBuilder many = new StringBuilder("{\"queries\":[");
    for (int i = 0; i < 1001; i++) {
      many.append(i == 0 ? "" : ",").append("{\"signals\":{\"md5\":\"").append(MD5_B).append("\"}}");
    }
    assertThat(api.post("/api/v1/match/batch", admin, many.append("]}").toString()).status()).isEqualTo(413);
    assertThat(api.post("/api/v1/match/batch", admin, "{\"queries\":[{\"sigs\":{}}]}").status()).isEqualTo(400);
  }
}
