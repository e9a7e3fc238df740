package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching over HTTP: PDQ within the bank's threshold with the true Hamming distance, digests
 * exactly, and nothing from disabled entries, disabled banks or deleted entries. Query hashes are
 * made by flipping a known number of distinct bits, so the expected distances come from the
 * construction, not from the code under test.
 */
class MatchTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String curator;
  static String matcher;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    String admin = server.initialAdminKey().orElseThrow();
    curator = TestServers.key(api, admin, "curator");
    matcher = TestServers.key(api, admin, "matcher");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A random 64-hex-digit hash. */
  static String randomPdq(Random random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** {@code hex} with {@code count} distinct bits flipped (bits chosen at random). */
  static String flip(String hex, int count, Random random) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    List<Integer> bits = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      bits.add(i);
    }
    java.util.Collections.shuffle(bits, random);
    for (int i = 0; i < count; i++) {
      int bit = bits.get(i);
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return HexFormat.of().formatHex(bytes);
  }

  static long bank(String name, String extraJson) {
    Api.Response response = api.post("/api/v1/banks", curator, "{\"name\":\"" + name + "\"" + extraJson + "}");
    assertThat(response.status()).as(response.header()).isEqualTo(201);
    return response.json().get("id").asLong();
  }

  static long entry(long bank, String signalsJson, String labelsJson) {
    Api.Response response = api.post("/api/v1/banks/" + bank + "/entries", curator,
        "{\"signals\":" + signalsJson + ",\"labels\":" + labelsJson + "}");
    assertThat(response.status()).as(response.header()).isEqualTo(201);
    return response.json().get("id").asLong();
  }

  static JsonNode match(String bodyJson) {
    Api.Response response = api.post("/api/v1/match", matcher, bodyJson);
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    return response.json().get("matches");
  }

  static List<Long> entryIds(JsonNode matches) {
    List<Long> ids = new ArrayList<>();
    matches.forEach(m -> ids.add(m.get("entry_id").asLong()));
    return ids;
  }

  @Test
  void pdqMatchesWithinThresholdAndReportsTheDistance() {
    Random random = new Random(1);
    String banked = randomPdq(random);
    long bank = bank("pdq distances", ",\"labels\":[\"glorification_of_terrorist_acts\"],\"entities\":[\"org a\"]");
    long entry = entry(bank, "{\"pdq\":\"" + banked + "\"}", "[\"attacker_manifesto\"]");

    for (int distance : new int[] {0, 1, 17, 31}) {
      String query = flip(banked, distance, random);
      JsonNode matches = match("{\"signals\":{\"pdq\":\"" + query + "\"},\"banks\":[" + bank + "]}");
      assertThat(matches).as("distance %d", distance).hasSize(1);
      JsonNode hit = matches.get(0);
      assertThat(hit.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(hit.get("bank_id").asLong()).isEqualTo(bank);
      assertThat(hit.get("bank_name").asText()).isEqualTo("pdq distances");
      assertThat(hit.get("signal_type").asText()).isEqualTo("pdq");
      assertThat(hit.get("query").asText()).isEqualTo(query);
      assertThat(hit.get("distance").asInt()).isEqualTo(distance);
      assertThat(hit.get("threshold").asInt()).isEqualTo(31);
      List<String> labels = new ArrayList<>();
      hit.get("labels").forEach(l -> labels.add(l.asText()));
      assertThat(labels).containsExactlyInAnyOrder("attacker_manifesto", "glorification_of_terrorist_acts");
      assertThat(hit.get("entities").get(0).asText()).isEqualTo("org a");
    }
    for (int distance : new int[] {32, 60}) {
      String query = flip(banked, distance, random);
      assertThat(match("{\"signals\":{\"pdq\":\"" + query + "\"},\"banks\":[" + bank + "]}")).as("distance %d", distance).isEmpty();
    }
  }

  @Test
  void eachBankAppliesItsOwnPdqThreshold() {
    Random random = new Random(2);
    String banked = randomPdq(random);
    long strict = bank("strict", ",\"thresholds\":{\"pdq\":8}");
    long loose = bank("loose", "");
    long strictEntry = entry(strict, "{\"pdq\":\"" + banked + "\"}", "[]");
    long looseEntry = entry(loose, "{\"pdq\":\"" + banked + "\"}", "[]");
    String body = "{\"signals\":{\"pdq\":\"%s\"},\"banks\":[" + strict + "," + loose + "]}";

    assertThat(entryIds(match(body.formatted(flip(banked, 8, random))))).containsExactlyInAnyOrder(strictEntry, looseEntry);
    assertThat(entryIds(match(body.formatted(flip(banked, 9, random))))).containsExactly(looseEntry);
  }

  @Test
  void digestsMatchExactlyInAnyCase() {
    long bank = bank("digests", "");
    String md5 = "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e5";
    String sha = "5f".repeat(32);
    long entry = entry(bank, "{\"md5\":\"" + md5 + "\",\"sha256\":\"" + sha + "\"}", "[]");

    JsonNode matches = match("{\"signals\":{\"md5\":\"" + md5.toUpperCase() + "\"},\"banks\":[" + bank + "]}");
    assertThat(matches).hasSize(1);
    assertThat(matches.get(0).get("entry_id").asLong()).isEqualTo(entry);
    assertThat(matches.get(0).get("signal_type").asText()).isEqualTo("md5");
    assertThat(matches.get(0).get("distance").asInt()).isZero();

    JsonNode both = match("{\"signals\":{\"md5\":\"" + md5 + "\",\"sha256\":\"" + sha + "\"},\"banks\":[" + bank + "]}");
    assertThat(both).extracting(m -> m.get("signal_type").asText()).containsExactlyInAnyOrder("md5", "sha256");

    String other = "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e6";
    assertThat(match("{\"signals\":{\"md5\":\"" + other + "\"},\"banks\":[" + bank + "]}")).isEmpty();
  }

  @Test
  void aListOfPdqHashesMatchesAnyOfThem() {
    Random random = new Random(3);
    String banked = randomPdq(random);
    long bank = bank("variants", "");
    long entry = entry(bank, "{\"pdq\":\"" + banked + "\"}", "[]");
    String near = flip(banked, 5, random);
    String far = randomPdq(random);
    JsonNode matches = match("{\"signals\":{\"pdq\":[\"" + far + "\",\"" + near + "\"]},\"banks\":[" + bank + "]}");
    assertThat(matches).hasSize(1);
    assertThat(matches.get(0).get("entry_id").asLong()).isEqualTo(entry);
    assertThat(matches.get(0).get("query").asText()).isEqualTo(near);
    assertThat(matches.get(0).get("distance").asInt()).isEqualTo(5);
  }

  @Test
  void disabledEntriesNeverMatchAndEnabledOnesMatchAgain() {
    Random random = new Random(4);
    String banked = randomPdq(random);
    long bank = bank("disable entries", "");
    long entry = entry(bank, "{\"pdq\":\"" + banked + "\",\"md5\":\"" + "0".repeat(31) + "7\"}", "[]");
    String query = "{\"signals\":{\"pdq\":\"" + flip(banked, 3, random) + "\",\"md5\":\"" + "0".repeat(31) + "7\"},\"banks\":[" + bank + "]}";
    assertThat(match(query)).hasSize(2);

    assertThat(api.post("/api/v1/entries/" + entry + "/disable", curator, "{\"reason\":\"false positive\"}").status()).isEqualTo(200);
    assertThat(match(query)).isEmpty();

    assertThat(api.post("/api/v1/entries/" + entry + "/enable", curator, null).status()).isEqualTo(200);
    assertThat(entryIds(match(query))).containsExactly(entry, entry);

    assertThat(api.delete("/api/v1/entries/" + entry, curator).status()).isEqualTo(204);
    assertThat(match(query)).isEmpty();
  }

  @Test
  void disabledBanksNeverMatch() {
    Random random = new Random(5);
    String banked = randomPdq(random);
    long bank = bank("disable bank", "");
    long entry = entry(bank, "{\"pdq\":\"" + banked + "\"}", "[]");
    String query = "{\"signals\":{\"pdq\":\"" + banked + "\"}}";
    assertThat(entryIds(match(query))).contains(entry);

    assertThat(api.patch("/api/v1/banks/" + bank, curator, "{\"enabled\":false}").status()).isEqualTo(200);
    assertThat(entryIds(match(query))).doesNotContain(entry);
    assertThat(match("{\"signals\":{\"pdq\":\"" + banked + "\"},\"banks\":[" + bank + "]}")).isEmpty();

    assertThat(api.patch("/api/v1/banks/" + bank, curator, "{\"enabled\":true}").status()).isEqualTo(200);
    assertThat(entryIds(match(query))).contains(entry);
  }

  @Test
  void withoutABankListEveryEnabledBankIsSearchedAndWithOneOnlyThose() {
    Random random = new Random(6);
    String banked = randomPdq(random);
    long first = bank("all banks 1", "");
    long second = bank("all banks 2", "");
    long a = entry(first, "{\"pdq\":\"" + banked + "\"}", "[]");
    long b = entry(second, "{\"pdq\":\"" + banked + "\"}", "[]");
    assertThat(entryIds(match("{\"signals\":{\"pdq\":\"" + banked + "\"}}"))).contains(a, b);
    assertThat(entryIds(match("{\"signals\":{\"pdq\":\"" + banked + "\"},\"banks\":[" + second + "]}"))).containsExactly(b);
  }

  @Test
  void unknownBankInTheFilterIsRefused() {
    Api.Response response = api.post("/api/v1/match", matcher, "{\"signals\":{\"md5\":\"" + "1".repeat(32) + "\"},\"banks\":[987654]}");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("field").asText()).isEqualTo("banks[0]");
  }
}
