package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A negative bank holds content known to be harmless: a query near one of its entries has its
 * hits from other banks cancelled, answered apart with the entry that cancelled them, and leads
 * to no action. Distances come from flipping known bits.
 */
class NegativeBankTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** {@code hex} with the given bits flipped. */
  static String flipped(String hex, int... bits) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    for (int bit : bits) {
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static long bank(String json) {
    return ReplicaTest.created(api.post("/api/v1/banks", admin, json));
  }

  private static JsonNode match(String json) {
    Api.Response response = api.post("/api/v1/match", admin, json);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  @Test
  void aQueryNearANegativeEntryHasItsHitsCancelledAndNamesTheEntryThatCancelledThem() {
    String banked = MatchTest.randomPdq(new Random(1));
    long terror = bank("{\"name\":\"terror stills\"}");
    long entry = ReplicaTest.entry(api, admin, terror, "pdq", banked);
    String query = flipped(banked, 1, 2);
    assertThat(match("{\"signals\":{\"pdq\":\"" + query + "\"}}").at("/matches/0/entry_id").asLong()).isEqualTo(entry);

    long harmless = bank("{\"name\":\"news photos\",\"purpose\":\"negative\"}");
    assertThat(api.get("/api/v1/banks/" + harmless, admin).json().get("purpose").asText()).isEqualTo("negative");
    long benign = ReplicaTest.entry(api, admin, harmless, "pdq", flipped(banked, 1, 2, 3, 4, 5));

    JsonNode answer = match("{\"signals\":{\"pdq\":\"" + query + "\"}}");
    assertThat(answer.get("matches")).as("the hit is cancelled, and the negative entry is no hit").isEmpty();
    JsonNode cancelled = answer.at("/cancelled/0");
    assertThat(cancelled.get("entry_id").asLong()).isEqualTo(entry);
    assertThat(cancelled.get("distance").asInt()).isEqualTo(2);
    assertThat(cancelled.at("/cancelled_by/bank_id").asLong()).isEqualTo(harmless);
    assertThat(cancelled.at("/cancelled_by/entry_id").asLong()).isEqualTo(benign);
    assertThat(cancelled.at("/cancelled_by/distance").asInt()).isEqualTo(3);

    // Whichever banks the request names, the negative banks are asked too.
    JsonNode named = match("{\"signals\":{\"pdq\":\"" + query + "\"},\"banks\":[" + terror + "]}");
    assertThat(named.get("matches")).isEmpty();
    assertThat(named.at("/cancelled/0/entry_id").asLong()).isEqualTo(entry);

    // Switched off, the negative bank cancels nothing.
    assertThat(api.patch("/api/v1/banks/" + harmless, admin, "{\"enabled\":false}").status()).isEqualTo(200);
    JsonNode off = match("{\"signals\":{\"pdq\":\"" + query + "\"}}");
    assertThat(off.at("/matches/0/entry_id").asLong()).isEqualTo(entry);
    assertThat(off.has("cancelled")).isFalse();
    assertThat(api.patch("/api/v1/banks/" + harmless, admin, "{\"enabled\":true}").status()).isEqualTo(200);
    assertThat(match("{\"signals\":{\"pdq\":\"" + query + "\"}}").get("matches")).isEmpty();

    // Beyond the negative bank's own threshold it cancels nothing either.
    assertThat(api.patch("/api/v1/banks/" + harmless, admin, "{\"thresholds\":{\"pdq\":2}}").status()).isEqualTo(200);
    assertThat(match("{\"signals\":{\"pdq\":\"" + query + "\"}}").at("/matches/0/entry_id").asLong()).isEqualTo(entry);

    assertThat(api.delete("/api/v1/banks/" + harmless, admin).status()).isEqualTo(204);
  }

  @Test
  void onlyTheSignalNearTheNegativeEntryIsCancelledAndCancelledHitsLeadToNoAction() {
    String banked = MatchTest.randomPdq(new Random(2));
    String md5 = "0123456789abcdef0123456789abcdef";
    long terror = bank("{\"name\":\"attack video stills\"}");
    long byPdq = ReplicaTest.entry(api, admin, terror, "pdq", banked);
    long byMd5 = ReplicaTest.entry(api, admin, terror, "md5", md5);
    long harmless = bank("{\"name\":\"a common flag\",\"purpose\":\"negative\"}");
    ReplicaTest.entry(api, admin, harmless, "pdq", flipped(banked, 7));
    Api.Response rule = api.post("/api/v1/rules", admin,
        "{\"name\":\"remove attack stills\",\"action\":\"remove\",\"conditions\":{\"banks\":[" + terror + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);

    String query = flipped(banked, 9);
    JsonNode pdqOnly = match("{\"signals\":{\"pdq\":\"" + query + "\"},\"content\":{\"id\":\"flag-photo\"}}");
    assertThat(pdqOnly.get("matches")).isEmpty();
    assertThat(pdqOnly.at("/cancelled/0/entry_id").asLong()).isEqualTo(byPdq);
    assertThat(pdqOnly.at("/submission/status").asText()).as("nothing acts on a cancelled hit").isEqualTo("clean");
    assertThat(pdqOnly.at("/submission/decisions")).isEmpty();

    JsonNode both = match("{\"signals\":{\"pdq\":\"" + query + "\",\"md5\":\"" + md5 + "\"},\"content\":{\"id\":\"exact-copy\"}}");
    assertThat(both.get("matches")).hasSize(1);
    assertThat(both.at("/matches/0/entry_id").asLong()).as("the exact bytes are not near anything harmless").isEqualTo(byMd5);
    assertThat(both.at("/cancelled/0/entry_id").asLong()).isEqualTo(byPdq);
    assertThat(both.at("/submission/status").asText()).isEqualTo("actioned");

    // The batch route answers each item's cancelled hits with the item.
    Api.Response batch = api.post("/api/v1/match/batch", admin, "{\"queries\":[{\"id\":\"a\",\"signals\":{\"pdq\":\"" + query
        + "\"}},{\"id\":\"b\",\"signals\":{\"md5\":\"" + md5 + "\"}}]}");
    assertThat(batch.status()).as(batch.body()).isEqualTo(200);
    assertThat(batch.json().at("/results/0/matches")).isEmpty();
    assertThat(batch.json().at("/results/0/cancelled/0/entry_id").asLong()).isEqualTo(byPdq);
    assertThat(batch.json().at("/results/1/matches/0/entry_id").asLong()).isEqualTo(byMd5);
    assertThat(batch.json().at("/results/1").has("cancelled")).isFalse();

    api.delete("/api/v1/rules/" + rule.json().get("id").asLong(), admin);
    assertThat(api.delete("/api/v1/banks/" + harmless, admin).status()).isEqualTo(204);
  }

  @Test
  void aNegativeEntryBeyondTheHitCapStillCancels() {
    // 101 banked hashes one bit from the query fill the per-signal cap of 100 before the walk
    // reaches the negative entry two bits away.
    String query = MatchTest.randomPdq(new Random(3));
    long crowd = bank("{\"name\":\"a crowd of near copies\"}");
    StringBuilder batch = new StringBuilder("{\"entries\":[");
    for (int bit = 0; bit < 101; bit++) {
      batch.append(bit == 0 ? "" : ",").append("{\"signals\":{\"pdq\":\"").append(flipped(query, bit)).append("\"}}");
    }
    Api.Response added = api.post("/api/v1/banks/" + crowd + "/entries/batch", admin, batch.append("]}").toString());
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    JsonNode before = match("{\"signals\":{\"pdq\":\"" + query + "\"}}");
    assertThat(before.get("matches")).hasSize(100);
    assertThat(before.get("truncated").asBoolean()).isTrue();

    long harmless = bank("{\"name\":\"a blank frame\",\"purpose\":\"negative\"}");
    long benign = ReplicaTest.entry(api, admin, harmless, "pdq", flipped(query, 200, 201));
    JsonNode after = match("{\"signals\":{\"pdq\":\"" + query + "\"}}");
    assertThat(after.get("matches")).isEmpty();
    assertThat(after.get("cancelled")).hasSize(100);
    assertThat(after.at("/cancelled/99/cancelled_by/entry_id").asLong()).isEqualTo(benign);

    assertThat(api.delete("/api/v1/banks/" + harmless, admin).status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/banks/" + crowd, admin).status()).isEqualTo(204);
  }

  @Test
  void anUnknownPurposeIsRefused() {
    Api.Response refused = ProblemDetailsTest.assertProblem(api.post("/api/v1/banks", admin,
        "{\"name\":\"what for\",\"purpose\":\"maybe\"}"), 422);
    assertThat(refused.json().get("detail").asText()).contains("negative");
    long bank = bank("{\"name\":\"ordinary\"}");
    assertThat(api.get("/api/v1/banks/" + bank, admin).json().get("purpose").asText()).isEqualTo("match");
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/banks/" + bank, admin, "{\"purpose\":\"\"}"), 422);
    assertThat(api.delete("/api/v1/banks/" + bank, admin).status()).isEqualTo(204);
  }
}
