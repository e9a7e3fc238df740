package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import javax.imageio.ImageIO;
import org.countersignal.server.hma.KeylessAccess;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HMA's API as an HMA client drives it, over HTTP: banks by HMA-style name, content banked from
 * hashes and from multipart uploads, lookups answering per bank with distances as strings, the
 * ratio's coin flip, {@code disable_until_ts}, compare, and HMA's errors (400 with a
 * {@code message}). Expected distances come from flipping known bits, and an upload's hash from
 * this service's own hashing route, so nothing expected is produced by the routes under test.
 */
class HmaContractTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String curator;
  static String matcher;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    curator = TestServers.key(api, admin, "curator");
    matcher = TestServers.key(api, admin, "matcher");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode ok(Api.Response response) {
    assertThat(response.status()).as(response.header()).isBetween(200, 201);
    return response.json();
  }

  private static String createBank(String name) {
    Api.Response created = api.post("/c/banks", curator, "{\"name\":\"" + name + "\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    assertThat(created.json().get("name").asText()).isEqualTo(name);
    assertThat(created.json().get("matching_enabled_ratio").asDouble()).isEqualTo(1.0);
    return name;
  }

  private static long addPdq(String bank, String pdq) {
    JsonNode added = ok(api.post("/c/bank/" + bank + "/signal", curator, "{\"pdq\":\"" + pdq + "\",\"note\":\"seen on a forum\"}"));
    assertThat(added.get("signals").get("pdq").asText()).isEqualTo(pdq);
    return added.get("id").asLong();
  }

  @Test
  void statusAnswersWithoutAKeyAndEverythingElseNeedsOne() {
    Api.Response status = api.get("/status", null);
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body()).isEqualTo("I-AM-ALIVE");
    assertThat(api.get("/status/live", null).body()).isEqualTo("I-AM-ALIVE");
    assertThat(api.get("/c/banks", null).status()).isEqualTo(401);
    assertThat(api.get("/m/raw_lookup?signal_type=pdq&signal=" + "0".repeat(64), null).status()).isEqualTo(401);
  }

  @Test
  void banksAreCreatedRenamedAndDeletedByHmaName() {
    createBank("HMA_BANKS_A");
    Api.Response lower = api.post("/c/banks", curator, "{\"name\":\"lower_case\"}");
    assertThat(lower.status()).isEqualTo(400);
    assertThat(lower.json().get("message").asText()).contains("UPPER_WITH_UNDERSCORE");
    assertThat(lower.json().get("status").asInt()).as("still a problem detail").isEqualTo(400);
    assertThat(api.post("/c/banks", curator, "{\"name\":\"HMA_BANKS_A\"}").status()).as("HMA's answer to a taken name").isEqualTo(403);

    JsonNode renamed = ok(api.send("PUT", "/c/bank/HMA_BANKS_A", curator, "application/json",
        "{\"name\":\"HMA_BANKS_B\",\"enabled_ratio\":0.25}".getBytes(StandardCharsets.UTF_8)));
    assertThat(renamed.get("name").asText()).isEqualTo("HMA_BANKS_B");
    assertThat(renamed.get("matching_enabled_ratio").asDouble()).isEqualTo(0.25);
    assertThat(ok(api.get("/c/bank/HMA_BANKS_B", matcher)).get("matching_enabled_ratio").asDouble()).isEqualTo(0.25);
    assertThat(api.get("/c/bank/HMA_BANKS_A", curator).status()).isEqualTo(404);
    JsonNode list = ok(api.get("/c/banks", matcher));
    assertThat(list.findValuesAsText("name")).contains("HMA_BANKS_B");

    assertThat(ok(api.delete("/c/bank/HMA_BANKS_B", curator)).get("message").asText()).isEqualTo("Done");
    assertThat(api.get("/c/bank/HMA_BANKS_B", curator).status()).isEqualTo(404);
    assertThat(ok(api.delete("/c/bank/HMA_BANKS_B", curator)).get("message").asText()).as("HMA deletes what is gone").isEqualTo("Done");
  }

  @Test
  void aBankNameHmaWouldRefuseGetsAnAlias() {
    long first = ok(api.post("/api/v1/banks", curator, "{\"name\":\"christchurch-2019\"}")).get("id").asLong();
    long second = ok(api.post("/api/v1/banks", curator, "{\"name\":\"Christchurch 2019\"}")).get("id").asLong();
    assertThat(ok(api.get("/c/banks", curator)).findValuesAsText("name"))
        .contains("CHRISTCHURCH_2019", "CHRISTCHURCH_2019_" + second);
    String pdq = MatchTest.randomPdq(new Random(first));
    long id = addPdq("CHRISTCHURCH_2019", pdq);
    assertThat(ok(api.get("/api/v1/entries/" + id, curator)).get("bank_id").asLong()).isEqualTo(first);
    JsonNode hits = ok(api.get("/m/lookup?signal_type=pdq&signal=" + pdq, matcher));
    assertThat(hits.get("CHRISTCHURCH_2019").get(0).get("bank_content_id").asLong()).isEqualTo(id);
  }

  @Test
  void lookupsAnswerPerBankWithDistancesAsStrings() {
    String bank = createBank("HMA_LOOKUP");
    Random random = new Random(11);
    String pdq = MatchTest.randomPdq(random);
    long id = addPdq(bank, pdq);
    String near = MatchTest.flip(pdq, 7, random);

    JsonNode raw = ok(api.get("/m/raw_lookup?signal_type=pdq&signal=" + near, matcher));
    assertThat(raw.get("matches").get(0).asLong()).isEqualTo(id);
    JsonNode withDistance = ok(api.get("/m/raw_lookup?signal_type=pdq&include_distance=true&signal=" + near, matcher));
    assertThat(withDistance.get("matches").get(0).get("bank_content_id").asLong()).isEqualTo(id);
    assertThat(withDistance.get("matches").get(0).get("distance").isTextual()).isTrue();
    assertThat(withDistance.get("matches").get(0).get("distance").asText()).isEqualTo("7");
    assertThat(ok(api.get("/m/raw_lookup?signal_type=pdq&banks=OTHER_BANK&signal=" + near, matcher)).get("matches")).isEmpty();

    JsonNode lookup = ok(api.get("/m/lookup?signal_type=pdq&signal=" + near + "&banks=" + bank, matcher));
    assertThat(lookup.fieldNames()).toIterable().containsExactly(bank);
    assertThat(lookup.get(bank).get(0).get("bank_content_id").asLong()).isEqualTo(id);
    assertThat(lookup.get(bank).get(0).get("distance").asText()).isEqualTo("7");
    assertThat(ok(api.get("/m/lookup?signal_type=pdq&signal=" + MatchTest.flip(pdq, 60, random), matcher)).has(bank)).isFalse();

    Api.Response bad = api.get("/m/raw_lookup?signal_type=pdq&signal=nothex", matcher);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("message").asText()).isNotBlank();
    assertThat(api.get("/m/raw_lookup?signal_type=no_such_type&signal=abc", matcher).json().get("message").asText())
        .contains("No such SignalType");
    assertThat(api.get("/m/lookup?signal_type=pdq", matcher).status()).isEqualTo(400);
  }

  @Test
  void aBanksRatioMatchesOnThatShareOfLookupsTheSameForTheSameSeed() {
    String bank = createBank("HMA_RATIO");
    Random random = new Random(5);
    String pdq = MatchTest.randomPdq(random);
    addPdq(bank, pdq);
    ok(api.send("PUT", "/c/bank/" + bank, curator, "application/json", "{\"enabled_ratio\":0.5}".getBytes(StandardCharsets.UTF_8)));
    int matched = 0;
    for (int seed = 0; seed < 60; seed++) {
      String path = "/m/lookup?signal_type=pdq&signal=" + pdq + "&seed=s" + seed;
      boolean first = ok(api.get(path, matcher)).has(bank);
      assertThat(ok(api.get(path, matcher)).has(bank)).as("seed %d again", seed).isEqualTo(first);
      matched += first ? 1 : 0;
    }
    assertThat(matched).as("of 60 seeds at ratio 0.5").isBetween(10, 50);
    assertThat(ok(api.get("/m/lookup?signal_type=pdq&bypass_coinflip=true&signal=" + pdq, matcher)).has(bank)).isTrue();

    ok(api.send("PUT", "/c/bank/" + bank, curator, "application/json", "{\"enabled\":false}".getBytes(StandardCharsets.UTF_8)));
    assertThat(ok(api.get("/c/bank/" + bank, curator)).get("matching_enabled_ratio").asDouble()).isEqualTo(0.0);
    assertThat(ok(api.get("/m/lookup?signal_type=pdq&bypass_coinflip=true&signal=" + pdq, matcher)).has(bank)).isFalse();
  }

  @Test
  void contentIsReadDisabledForAWhileEnabledAndDeleted() {
    String bank = createBank("HMA_CONTENT");
    Random random = new Random(21);
    String pdq = MatchTest.randomPdq(random);
    long id = addPdq(bank, pdq);
    String path = "/c/bank/" + bank + "/content/" + id;

    JsonNode content = ok(api.get(path + "?include_signals=true", curator));
    assertThat(content.get("id").asLong()).isEqualTo(id);
    assertThat(content.get("disable_until_ts").asLong()).isEqualTo(1);
    assertThat(content.get("signals").get("pdq").asText()).isEqualTo(pdq);
    assertThat(content.get("note").asText()).isEqualTo("seen on a forum");
    assertThat(content.get("bank").get("name").asText()).isEqualTo(bank);
    assertThat(ok(api.get(path, curator)).has("signals")).isFalse();
    assertThat(api.get("/c/bank/HMA_LOOKUP_NONE/content/" + id, curator).status()).isEqualTo(404);

    assertThat(ok(put(path, "{\"disable_until_ts\":0}")).get("disable_until_ts").asLong()).isZero();
    assertThat(ok(api.get("/api/v1/entries/" + id, curator)).get("enabled").asBoolean()).isFalse();
    assertThat(ok(api.get("/m/lookup?signal_type=pdq&signal=" + pdq, matcher)).has(bank)).isFalse();

    long later = Instant.now().getEpochSecond() + 3600;
    assertThat(ok(put(path, "{\"disable_until_ts\":" + later + "}")).get("disable_until_ts").asLong()).isEqualTo(later);
    assertThat(ok(api.get("/api/v1/entries/" + id, curator)).get("disabled_until").asText())
        .isEqualTo(Instant.ofEpochSecond(later).toString());

    assertThat(ok(put(path, "{\"disable_until_ts\":1,\"note\":\"confirmed\"}")).get("disable_until_ts").asLong()).isEqualTo(1);
    assertThat(ok(api.get(path, curator)).get("note").asText()).isEqualTo("confirmed");
    assertThat(ok(api.get("/m/lookup?signal_type=pdq&signal=" + pdq, matcher)).get(bank).get(0).get("bank_content_id").asLong())
        .isEqualTo(id);

    assertThat(put(path, "{\"disable_until_ts\":\"soon\"}").status()).isEqualTo(400);
    assertThat(put(path, "{\"disable_until_ts\":" + (later + 6L * 365 * 24 * 3600) + "}").status()).isEqualTo(400);

    assertThat(ok(api.delete(path, curator)).get("deleted").asInt()).isEqualTo(1);
    assertThat(ok(api.delete(path, curator)).get("deleted").asInt()).isZero();
    assertThat(api.get("/api/v1/entries/" + id, curator).status()).isEqualTo(404);
  }

  private static Api.Response put(String path, String json) {
    return api.send("PUT", path, curator, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void uploadsAreHashedBankedAndLookedUpAsMultipartForms() throws IOException {
    String bank = createBank("HMA_UPLOADS");
    byte[] png = picture(31);
    String expectedPdq = ok(api.send("POST", "/api/v1/hash", matcher, "image/png", png)).get("signals").get("pdq").asText();

    JsonNode hashed = ok(multipart("/h/hash", matcher, "photo", png, null, null));
    assertThat(hashed.get("pdq").asText()).isEqualTo(expectedPdq);
    assertThat(ok(multipart("/h/hash?types=pdq", matcher, "photo", png, null, null)).fieldNames()).toIterable().containsExactly("pdq");
    assertThat(multipart("/h/hash", matcher, "sound", png, null, null).status()).isEqualTo(400);
    assertThat(api.send("POST", "/h/hash", matcher, "image/png", png).status()).as("not a form").isEqualTo(400);

    JsonNode added = ok(multipart("/c/bank/" + bank + "/content", curator, "photo", png,
        "{\"content_id\":\"post-77\",\"json\":{\"source\":\"report\"}}", "from a report"));
    long id = added.get("id").asLong();
    assertThat(added.get("signals").get("pdq").asText()).isEqualTo(expectedPdq);
    JsonNode content = ok(api.get("/c/bank/" + bank + "/content/" + id, curator));
    assertThat(content.get("metadata").get("content_id").asText()).isEqualTo("post-77");
    assertThat(content.get("metadata").get("json").get("source").asText()).isEqualTo("report");
    assertThat(content.get("note").asText()).isEqualTo("from a report");

    JsonNode lookup = ok(multipart("/m/lookup", matcher, "photo", png, null, null));
    assertThat(lookup.get("pdq").get(bank).get(0).get("bank_content_id").asLong()).isEqualTo(id);
    assertThat(lookup.get("pdq").get(bank).get(0).get("distance").asText()).isEqualTo("0");
    assertThat(lookup.get("md5").get(bank).get(0).get("bank_content_id").asLong()).isEqualTo(id);

    Api.Response badMetadata = multipart("/c/bank/" + bank + "/content", curator, "photo", png, "{\"owner\":1}", null);
    assertThat(badMetadata.status()).isEqualTo(400);
    assertThat(badMetadata.json().get("message").asText()).contains("owner");
    assertThat(api.send("POST", "/c/bank/" + bank + "/content", curator, "application/json", "{}".getBytes(StandardCharsets.UTF_8))
        .json().get("message").asText()).contains("Neither `url` nor multipart");
    assertThat(multipart("/c/bank/" + bank + "/content", curator, "photo", "not an image".getBytes(StandardCharsets.UTF_8), null, null)
        .status()).isEqualTo(400);
  }

  @Test
  void aVideoIsHashedBankedAndLookedUpWhileTheRequestWaits() throws Exception {
    byte[] video = java.nio.file.Files.readAllBytes(ConformanceData.directory("vpdq").resolve("videos/pattern-sd-grey-bar.mp4"));
    String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(video));
    String bank = createBank("HMA_VIDEOS");

    JsonNode hashed = ok(multipart("/h/hash", matcher, "video", video, null, null));
    assertThat(hashed.get("video_md5").asText()).isEqualTo(md5);
    JsonNode frames = Api.JSON.readTree(hashed.get("vpdq").asText());
    assertThat(frames.isArray() && frames.size() > 0).as("the field's JSON list of frames").isTrue();
    assertThat(frames.get(0).asText()).matches("[0-9a-f]{64},\\d+,[0-9.]+");

    long id = ok(multipart("/c/bank/" + bank + "/content", curator, "video", video, null, null)).get("id").asLong();
    assertThat(ok(api.get("/api/v1/entries/" + id, curator)).get("signals").has("vpdq")).isTrue();
    JsonNode lookup = ok(multipart("/m/lookup", matcher, "video", video, null, null));
    assertThat(lookup.get("video_md5").get(bank).get(0).get("bank_content_id").asLong()).isEqualTo(id);
    assertThat(lookup.get("vpdq").get(bank).get(0).get("bank_content_id").asLong()).isEqualTo(id);
    assertThat(lookup.get("vpdq").get(bank).get(0).get("distance").asText()).isEqualTo("100%[100%]");
    assertThat(multipart("/h/hash", matcher, "photo", video, null, null).status()).as("a video in the photo field").isEqualTo(400);
  }

  @Test
  void exchangesAreCreatedReadSwitchedOffAndDeletedByHmaName() {
    assertThat(api.get("/c/exchanges/apis", curator).json().toString()).contains("\"fb_threatexchange\"", "\"folder\"");
    Api.Response created = api.post("/c/exchanges", admin,
        "{\"bank\":\"HMA_DROPS\",\"api\":\"folder\",\"api_json\":{\"path\":\"drops\",\"enabled\":true}}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    assertThat(created.json().get("message").asText()).isEqualTo("Created successfully");
    assertThat(api.get("/c/exchanges", curator).json().toString()).contains("\"HMA_DROPS\"");
    JsonNode exchange = ok(api.get("/c/exchange/HMA_DROPS", curator));
    assertThat(exchange.get("api").asText()).isEqualTo("folder");
    assertThat(exchange.get("enabled").asBoolean()).isTrue();
    assertThat(exchange.get("path").asText()).isEqualTo("drops");
    assertThat(ok(api.get("/c/exchange/HMA_DROPS/status", curator)).has("last_fetch_succeeded")).isTrue();
    assertThat(ok(api.get("/c/bank/HMA_DROPS", curator)).get("name").asText()).as("its bank, as in HMA").isEqualTo("HMA_DROPS");

    assertThat(ok(api.send("PUT", "/c/exchange/HMA_DROPS", admin, "application/json", "{\"enabled\":false}"
        .getBytes(StandardCharsets.UTF_8))).get("enabled").asBoolean()).isFalse();
    assertThat(api.post("/c/exchanges", admin, "{\"bank\":\"lower\",\"api\":\"folder\"}").status()).isEqualTo(400);
    assertThat(api.post("/c/exchanges", admin, "{\"bank\":\"HMA_X\",\"api\":\"ncmec\"}").json().get("message").asText())
        .contains("No such exchange type");
    assertThat(api.post("/c/exchanges", curator, "{\"bank\":\"HMA_Y\",\"api\":\"folder\"}").status()).isEqualTo(403);
    assertThat(ok(api.delete("/c/exchange/HMA_DROPS", admin)).get("message").asText()).isEqualTo("Exchange deleted");
    assertThat(api.get("/c/exchange/HMA_DROPS", curator).status()).isEqualTo(404);
  }

  @Test
  void compareSaysWhetherTwoHashesMatchAndHowFarApart() {
    Random random = new Random(3);
    String a = MatchTest.randomPdq(random);
    JsonNode near = ok(api.post("/m/compare", matcher, "{\"pdq\":[\"" + a + "\",\"" + MatchTest.flip(a, 9, random) + "\"]}"));
    assertThat(near.get("pdq").get(0).asBoolean()).isTrue();
    assertThat(near.get("pdq").get(1).get("distance").asInt()).isEqualTo(9);
    JsonNode far = ok(api.post("/m/compare", matcher, "{\"pdq\":[\"" + a + "\",\"" + MatchTest.flip(a, 100, random) + "\"]}"));
    assertThat(far.get("pdq").get(0).asBoolean()).isFalse();
    assertThat(far.get("pdq").get(1).get("distance").asInt()).isEqualTo(100);
    assertThat(api.post("/m/compare", matcher, "{\"pdq\":[\"" + a + "\"]}").status()).isEqualTo(400);
    assertThat(api.post("/m/compare", matcher, "{\"pdq\":[\"" + a + "\",\"zz\"]}").status()).isEqualTo(400);
  }

  @Test
  void rolesLimitWhatAnHmaClientsKeyMayDo() {
    assertThat(api.post("/c/banks", matcher, "{\"name\":\"HMA_BY_MATCHER\"}").status()).isEqualTo(403);
    assertThat(api.get("/m/raw_lookup?signal_type=pdq&signal=" + "0".repeat(64), curator).status()).isEqualTo(403);
    assertThat(api.get("/c/signal_type", matcher).json().findValuesAsText("name")).contains("pdq", "md5", "video_md5");
    assertThat(api.get("/c/content_type", matcher).json().findValuesAsText("name")).contains("photo", "video", "text");
    assertThat(ok(api.get("/m/index/status?signal_type=pdq", matcher)).get("pdq").get("present").asBoolean()).isTrue();
  }

  @Test
  void anUnchangedClientCallsFromAPrivateNetworkAsTheKeyTheOperatorChose(@TempDir Path otherDir) {
    // A second server, its HMA routes under /hma, callable without a key from loopback.
    try (CountersignalServer keyless = TestServers.start(TestServers.config(otherDir)
        .withHma(org.countersignal.server.hma.HmaSettings.DEFAULT.withPrefix("/hma").withKeyless("2@127.0.0.0/8")))) {
      Api other = new Api(keyless.port());
      String otherAdmin = keyless.initialAdminKey().orElseThrow();
      TestServers.key(other, otherAdmin, "matcher"); // key 2: the admin key is 1
      String pdq = "0".repeat(64);
      Api.Response lookup = other.get("/hma/m/lookup?signal_type=pdq&signal=" + pdq, null);
      assertThat(lookup.status()).as(lookup.header()).isEqualTo(200);
      assertThat(other.post("/hma/c/banks", null, "{\"name\":\"NOT_A_MATCHERS\"}").status()).as("the key's role holds").isEqualTo(403);
      assertThat(other.get("/api/v1/banks", null).status()).as("only HMA's routes").isEqualTo(401);
      assertThat(other.get("/m/lookup?signal_type=pdq&signal=" + pdq, otherAdmin).status()).as("not at the root").isEqualTo(404);
      assertThat(other.get("/hma/status", null).body()).isEqualTo("I-AM-ALIVE");
      assertThat(other.delete("/api/v1/keys/2", otherAdmin).status()).isEqualTo(204);
      assertThat(other.get("/hma/m/lookup?signal_type=pdq&signal=" + pdq, null).status()).as("revoked").isEqualTo(401);
    }
  }

  @Test
  void onlyPrivateBlocksMayCallWithoutAKey() {
    assertThat(KeylessAccess.parse("7@10.0.0.0/8,192.168.1.0/24,fd00::/8,127.0.0.1").networks()).hasSize(4);
    for (String open : new String[] {"7@0.0.0.0/0", "7@8.8.8.0/24", "7@10.0.0.0/7", "7@2001:db8::/16", "7@::/0"}) {
      assertThatThrownBy(() -> KeylessAccess.parse(open)).as(open).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> KeylessAccess.parse("10.0.0.0/8")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTakeoverKeepsHmasIdsAndNewContentIsNumberedAfterThem() {
    String pdq = MatchTest.randomPdq(new Random(77));
    String batch = "{\"bank\":\"HMA_TAKEN_OVER\",\"enabled_ratio\":0.75,\"highest_id\":900000,\"contents\":["
        + "{\"id\":800001,\"signals\":{\"pdq\":\"" + pdq + "\"},\"disable_until_ts\":1,\"note\":\"from HMA\","
        + "\"original_media_uri\":\"https://store.internal/1.jpg\",\"metadata\":{\"content_id\":\"c-1\"}},"
        + "{\"id\":800002,\"signals\":{\"md5\":\"" + "ab".repeat(16) + "\"},\"disable_until_ts\":0}]}";
    Api.Response dry = api.post("/api/v1/hma/import?dry_run=true", admin, batch);
    assertThat(dry.status()).as(dry.header()).isEqualTo(200);
    assertThat(api.get("/c/bank/HMA_TAKEN_OVER", curator).status()).as("a dry run writes nothing").isEqualTo(404);
    assertThat(api.post("/api/v1/hma/import", curator, batch).status()).as("keeping ids is an admin's").isEqualTo(403);

    Api.Response done = api.post("/api/v1/hma/import", admin, batch);
    assertThat(done.status()).as(done.header()).isEqualTo(201);
    assertThat(done.json().get("entry_ids").get(0).asLong()).isEqualTo(800001);
    assertThat(done.json().get("disabled").asInt()).isEqualTo(1);
    assertThat(ok(api.get("/c/bank/HMA_TAKEN_OVER", curator)).get("matching_enabled_ratio").asDouble()).isEqualTo(0.75);
    assertThat(ok(api.get("/m/lookup?bypass_coinflip=true&signal_type=pdq&signal=" + pdq, matcher)).get("HMA_TAKEN_OVER").get(0)
        .get("bank_content_id").asLong()).isEqualTo(800001);
    JsonNode content = ok(api.get("/c/bank/HMA_TAKEN_OVER/content/800001", curator));
    assertThat(content.get("original_media_uri").asText()).isEqualTo("https://store.internal/1.jpg");
    assertThat(content.get("metadata").get("content_id").asText()).isEqualTo("c-1");
    assertThat(ok(api.get("/c/bank/HMA_TAKEN_OVER/content/800002", curator)).get("disable_until_ts").asLong()).isZero();

    Api.Response again = api.post("/api/v1/hma/import", admin, batch);
    assertThat(again.json().get("already_imported").asInt()).as("a second run leaves them").isEqualTo(2);
    Api.Response taken = api.post("/api/v1/hma/import?dry_run=true", admin,
        "{\"bank\":\"HMA_OTHER\",\"contents\":[{\"id\":800001,\"signals\":{\"md5\":\"" + "cd".repeat(16) + "\"}}]}");
    assertThat(taken.status()).isEqualTo(422);
    assertThat(taken.json().get("errors").get(0).get("field").asText()).isEqualTo("contents[0].id");

    long next = ok(api.post("/api/v1/banks/" + ok(api.get("/api/v1/entries/800001", curator)).get("bank_id").asLong() + "/entries",
        curator, "{\"signals\":{\"md5\":\"" + "ef".repeat(16) + "\"}}")).get("id").asLong();
    assertThat(next).as("above HMA's highest id").isGreaterThan(900000);
  }

  /** One file in a field named by its content type, and HMA's optional metadata and note fields. */
  private static Api.Response multipart(String path, String key, String field, byte[] file, String metadata, String note) {
    String boundary = "----hma" + Long.toHexString(new Random().nextLong());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder();
    if (metadata != null) {
      head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n").append(metadata).append("\r\n");
    }
    if (note != null) {
      head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n").append(note).append("\r\n");
    }
    head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(field)
        .append("\"; filename=\"upload.png\"\r\nContent-Type: image/png\r\n\r\n");
    body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return api.send("POST", path, key, "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  /** A picture of random coloured blocks, as PNG. */
  static byte[] picture(long seed) throws IOException {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int i = 0; i < 40; i++) {
      g.setColor(new Color(random.nextInt(0xFFFFFF)));
      g.fillRect(random.nextInt(256), random.nextInt(256), 20 + random.nextInt(100), 20 + random.nextInt(100));
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
