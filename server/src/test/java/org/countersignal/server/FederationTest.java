package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on loopback: A publishes a bank as a feed to its peer B, and B follows it with an
 * exchange of the kind {@code countersignal}. What A adds matches on B after a fetch, what A
 * disables or deletes stops matching there, and B refuses a page not signed by the key it pinned,
 * a page played back from earlier, and A refuses a peer it removed. Entries travel no wider than
 * their bank's sharing level, and B passes on no wider than A shared.
 */
class FederationTest {

  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;
  final Random random = new Random(20261205);
  CountersignalServer a;
  CountersignalServer b;
  Api apiA;
  Api apiB;
  String adminA;
  String adminB;

  @BeforeEach
  void start() throws InterruptedException {
    a = CountersignalServer.builder(TestServers.config(dirA)).exchangeSettings(ExchangeTest.FAST).start();
    b = CountersignalServer.builder(TestServers.config(dirB)).exchangeSettings(ExchangeTest.FAST).start();
    assertThat(a.awaitReady(Duration.ofSeconds(30))).isTrue();
    assertThat(b.awaitReady(Duration.ofSeconds(30))).isTrue();
    apiA = new Api(a.port());
    apiB = new Api(b.port());
    adminA = a.initialAdminKey().orElseThrow();
    adminB = b.initialAdminKey().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  /** A's bank "shared", its feed "to-b" with the peer "org-b"; returns the feed's id and the peer's key. */
  private String[] publish() {
    long bank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"shared\"}").json().get("id").asLong();
    Api.Response feed = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"to-b\",\"bank_id\":" + bank + "}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    Api.Response peer = apiA.post("/api/v1/feeds/" + feed.json().get("id").asLong() + "/peers", adminA, "{\"name\":\"org-b\"}");
    assertThat(peer.status()).as(peer.body()).isEqualTo(201);
    return new String[] {Long.toString(bank), feed.json().get("id").asText(), peer.json().get("key").asText()};
  }

  private String publicKeyOfA() {
    Api.Response key = apiA.get("/api/v1/federation/key", adminA);
    assertThat(key.status()).as(key.body()).isEqualTo(200);
    return key.json().get("public_key").asText();
  }

  /** B's exchange following A's feed "to-b" at {@code url} with {@code pinned} as A's key. */
  private long follow(String name, String url, String pinned, String peerKey) {
    return follow(name, url, pinned, peerKey, true);
  }

  private long follow(String name, String url, String pinned, String peerKey, boolean enabled) {
    ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("kind", "countersignal").put("trust", "trusted")
        .put("enabled", enabled);
    body.putObject("config").put("url", url).put("feed", "to-b").put("public_key", pinned).put("page_size", 2);
    body.putObject("credentials").put("key", peerKey);
    body.putObject("label_map").put("attacker_manifesto", "attacker_manifesto");
    Api.Response created = apiB.post("/api/v1/exchanges", adminB, body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private long entry(long bank, String type, String value) {
    Api.Response created = apiA.post("/api/v1/banks/" + bank + "/entries", adminA,
        "{\"signals\":{\"" + type + "\":\"" + value + "\"},\"labels\":[\"attacker_manifesto\"],\"provenance\":\"case 7\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private boolean matchesOnB(String type, String value) {
    return TestServers.matches(apiB, adminB, type, value);
  }

  @Test
  void whatThePublisherAddsDisablesAndDeletesFollowsOnTheSubscriber() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String pdq = MatchTest.randomPdq(random);
    String md5 = "0123456789abcdef0123456789abcdef";
    String url = "https://example.org/manifesto";
    long pdqEntry = entry(bank, "pdq", pdq);
    long md5Entry = entry(bank, "md5", md5);
    entry(bank, "url", url);
    String otherBankPdq = MatchTest.randomPdq(random);
    long other = apiA.post("/api/v1/banks", adminA, "{\"name\":\"private\"}").json().get("id").asLong();
    entry(other, "pdq", otherBankPdq);

    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2]);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(status.get("fetched_items").asLong()).isEqualTo(3);
    assertThat(matchesOnB("pdq", pdq)).isTrue();
    assertThat(matchesOnB("md5", md5)).isTrue();
    assertThat(matchesOnB("url", url)).isTrue();
    assertThat(matchesOnB("pdq", otherBankPdq)).as("another bank of A is not in the feed").isFalse();
    JsonNode banked = apiB.get("/api/v1/entries?signal_type=md5&signal=" + md5, adminB).json().at("/items/0");
    assertThat(banked.get("labels").toString()).isEqualTo("[\"attacker_manifesto\"]");
    assertThat(banked.get("note").asText()).isEqualTo("case 7");

    Api.Response disabled = apiA.post("/api/v1/entries/" + pdqEntry + "/disable", adminA, "{\"reason\":\"false positive\"}");
    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
    assertThat(apiA.delete("/api/v1/entries/" + md5Entry, adminA).status()).isEqualTo(204);
    String later = MatchTest.randomPdq(random);
    entry(bank, "pdq", later);
    status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB("pdq", pdq)).as("disabled on A").isFalse();
    assertThat(matchesOnB("md5", md5)).as("deleted on A").isFalse();
    assertThat(matchesOnB("pdq", later)).isTrue();
    assertThat(matchesOnB("url", url)).isTrue();

    // Enabled again on A: it matches on B again.
    assertThat(apiA.post("/api/v1/entries/" + pdqEntry + "/enable", adminA, null).status()).isEqualTo(200);
    ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(matchesOnB("pdq", pdq)).isTrue();
  }

  @Test
  void aSubscriberBehindThePublishersCompactionFetchesFromTheStartAndLosesWhatWasRemoved() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String removed = MatchTest.randomPdq(random);
    String stays = MatchTest.randomPdq(random);
    long removedEntry = entry(bank, "pdq", removed);
    entry(bank, "pdq", stays);
    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2]);
    ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(matchesOnB("pdq", removed)).isTrue();
    // B stops following for a while (else A's announcement brings B the deletion at once).
    assertThat(apiB.patch("/api/v1/exchanges/" + exchange, adminB, "{\"enabled\":false}").status()).isEqualTo(200);

    // Deleted on A, and A's sequence compacted past B's position before B read the deletion.
    assertThat(apiA.delete("/api/v1/entries/" + removedEntry, adminA).status()).isEqualTo(204);
    String later = MatchTest.randomPdq(random);
    entry(bank, "pdq", later);
    try (org.countersignal.server.store.Database database = TestServers.openDatabase(dirA)) {
      org.countersignal.server.store.ChangeCompaction.compact(database.jdbi(), java.time.OffsetDateTime.now().plusMinutes(1), List.of());
    }
    assertThat(apiB.patch("/api/v1/exchanges/" + exchange, adminB, "{\"enabled\":true}").status()).isEqualTo(200);

    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB("pdq", removed)).as("swept: the fetch from the start did not bring it").isFalse();
    assertThat(matchesOnB("pdq", stays)).isTrue();
    assertThat(matchesOnB("pdq", later)).isTrue();
    assertThat(AuditTest.all(apiB, adminB)).extracting(r -> r.get("action").asText()).contains("exchange.entries_swept");
  }

  @Test
  void changesOnThePublisherReachTheSubscriberWithoutWaitingForItsInterval() throws Exception {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String first = MatchTest.randomPdq(random);
    long firstEntry = entry(bank, "pdq", first);
    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2]);
    // A day between scheduled fetches: only the publisher's announcements can bring what follows.
    Api.Response daily = apiB.patch("/api/v1/exchanges/" + exchange, adminB, "{\"fetch_interval_seconds\":86400}");
    assertThat(daily.status()).as(daily.body()).isEqualTo(200);
    ReplicaTest.await(() -> matchesOnB("pdq", first), "the first fetch brings the entry A had");

    String later = MatchTest.randomPdq(random);
    entry(bank, "pdq", later);
    ReplicaTest.await(() -> matchesOnB("pdq", later), "an entry A adds afterwards matches on B with no fetch asked for");
    assertThat(apiA.post("/api/v1/entries/" + firstEntry + "/disable", adminA, "{\"reason\":\"wrong\"}").status()).isEqualTo(200);
    ReplicaTest.await(() -> !matchesOnB("pdq", first), "an entry A disables stops matching on B");
    JsonNode status = apiB.get("/api/v1/exchanges/" + exchange, adminB).json().get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
  }

  @Test
  void aBankSwitchedOffOnThePublisherStopsMatchingOnTheSubscriberUntilItIsOnAgain() throws Exception {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String kept = MatchTest.randomPdq(random);
    String alone = MatchTest.randomPdq(random);
    entry(bank, "pdq", kept);
    long aloneEntry = entry(bank, "pdq", alone);
    assertThat(apiA.post("/api/v1/entries/" + aloneEntry + "/disable", adminA, "{\"reason\":\"on its own\"}").status()).isEqualTo(200);
    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2]);
    ReplicaTest.await(() -> matchesOnB("pdq", kept), "B follows A");

    assertThat(apiA.patch("/api/v1/banks/" + bank, adminA, "{\"enabled\":false}").status()).isEqualTo(200);
    ReplicaTest.await(() -> !matchesOnB("pdq", kept), "A's bank switched off: its entries stop matching on B");
    String meanwhile = MatchTest.randomPdq(random);
    entry(bank, "pdq", meanwhile);
    assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(matchesOnB("pdq", meanwhile)).as("made while A's bank is off").isFalse();

    assertThat(apiA.patch("/api/v1/banks/" + bank, adminA, "{\"enabled\":true}").status()).isEqualTo(200);
    ReplicaTest.await(() -> matchesOnB("pdq", kept) && matchesOnB("pdq", meanwhile), "A's bank on again: its entries match on B");
    assertThat(matchesOnB("pdq", alone)).as("an entry disabled on its own stays off").isFalse();
    Api.Response onA = apiA.post("/api/v1/match", adminA, "{\"signals\":{\"pdq\":\"" + meanwhile + "\"}}");
    assertThat(onA.json().get("matches").size()).as("and on A").isEqualTo(1);
  }

  @Test
  void aFeedWithLabelsPublishesOnlyTheEntriesThatCarryOne() {
    long bank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"mixed\"}").json().get("id").asLong();
    Api.Response bad = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"x\",\"bank_id\":" + bank + ",\"labels\":[\"no_such_label\"]}");
    assertThat(bad.status()).as(bad.body()).isEqualTo(422);
    Api.Response feed = apiA.post("/api/v1/feeds", adminA,
        "{\"name\":\"to-b\",\"bank_id\":" + bank + ",\"labels\":[\"attacker_manifesto\"]}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    assertThat(feed.json().get("labels").toString()).isEqualTo("[\"attacker_manifesto\"]");
    String peerKey = apiA.post("/api/v1/feeds/" + feed.json().get("id").asLong() + "/peers", adminA, "{\"name\":\"org-b\"}")
        .json().get("key").asText();
    String manifesto = MatchTest.randomPdq(random);
    long manifestoEntry = entry(bank, "pdq", manifesto);
    String other = MatchTest.randomPdq(random);
    Api.Response otherEntry = apiA.post("/api/v1/banks/" + bank + "/entries", adminA,
        "{\"signals\":{\"pdq\":\"" + other + "\"},\"labels\":[\"recruitment_and_instruction\"]}");
    assertThat(otherEntry.status()).isEqualTo(201);
    // Many changes outside the view ahead of one inside it: pages of two leave them out and go on.
    for (int i = 0; i < 5; i++) {
      apiA.post("/api/v1/banks/" + bank + "/entries", adminA, "{\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(random) + "\"}}");
    }
    String later = MatchTest.randomPdq(random);
    entry(bank, "pdq", later);

    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), peerKey);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("up_to_date").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB("pdq", manifesto)).isTrue();
    assertThat(matchesOnB("pdq", later)).as("after the changes the view leaves out").isTrue();
    assertThat(matchesOnB("pdq", other)).as("no label of the feed's").isFalse();
    assertThat(status.get("bank_entries").asLong()).isEqualTo(2);
    String page = apiA.get("/api/v1/feeds/to-b/pages?after=0", peerKey).json().get("payload").asText();
    assertThat(new String(Base64.getDecoder().decode(page), java.nio.charset.StandardCharsets.UTF_8))
        .as("nothing of the entries outside the view").doesNotContain(other);

    assertThat(apiA.delete("/api/v1/entries/" + manifestoEntry, adminA).status()).isEqualTo(204);
    ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(matchesOnB("pdq", manifesto)).isFalse();
    assertThat(matchesOnB("pdq", later)).isTrue();
  }

  @Test
  void aWaitForUpdatesAnswersWhenThePublisherChangesTheFeed() throws Exception {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    entry(bank, "pdq", MatchTest.randomPdq(random));
    Api peer = apiA;
    JsonNode now = peer.get("/api/v1/feeds/to-b/updates?after=0", published[2]).json();
    long head = now.get("next").asLong();
    assertThat(head).as(now.toString()).isPositive();
    JsonNode quiet = peer.get("/api/v1/feeds/to-b/updates?after=" + head, published[2]).json();
    assertThat(quiet.hasNonNull("next")).as("nothing after the last change, and no wait asked: " + quiet).isFalse();

    // Changes to another bank do not answer the wait; one to the feed's bank does.
    java.util.concurrent.CompletableFuture<Api.Response> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> peer.get("/api/v1/feeds/to-b/updates?after=" + head + "&wait=60", published[2]));
    long other = apiA.post("/api/v1/banks", adminA, "{\"name\":\"private\"}").json().get("id").asLong();
    entry(other, "pdq", MatchTest.randomPdq(random));
    Thread.sleep(300);
    assertThat(waiting).as("a change to a bank the feed does not publish").isNotDone();
    entry(bank, "pdq", MatchTest.randomPdq(random));
    Api.Response answered = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    assertThat(answered.json().get("next").asLong()).isGreaterThan(head);

    Api.Response tooLong = peer.get("/api/v1/feeds/to-b/updates?after=0&wait=61", published[2]);
    assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
  }

  @Test
  void subscribersFollowTheKeyRotationsThePinnedKeyAnnounced() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String first = publicKeyOfA();
    String instance = apiA.get("/api/v1/federation/key", adminA).json().get("instance_id").asText();
    String before = MatchTest.randomPdq(random);
    entry(bank, "pdq", before);
    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", first, published[2]);
    assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();

    Api.Response rotated = apiA.post("/api/v1/federation/key/rotate", adminA, null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String second = rotated.json().get("public_key").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(publicKeyOfA()).isEqualTo(second);
    assertThat(rotated.json().get("instance_id").asText()).as("the instance stays the same").isEqualTo(instance);
    assertThat(apiA.get("/api/v1/audit?limit=100", adminA).body()).contains("federation.key_rotated");

    String after = MatchTest.randomPdq(random);
    entry(bank, "pdq", after);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB("pdq", after)).isTrue();

    // Two more rotations: a subscriber that pinned the first key, new or old, follows the chain.
    apiA.post("/api/v1/federation/key/rotate", adminA, null);
    String fourth = apiA.post("/api/v1/federation/key/rotate", adminA, null).json().get("public_key").asText();
    String latest = MatchTest.randomPdq(random);
    entry(bank, "pdq", latest);
    status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB("pdq", latest)).isTrue();
    JsonNode kept = apiB.get("/api/v1/exchanges/" + exchange, adminB).json().at("/status/checkpoint");
    assertThat(kept.toString()).as("the key reached is kept with the checkpoint").contains(fourth);

    String peer2 = apiA.post("/api/v1/feeds/" + published[1] + "/peers", adminA, "{\"name\":\"org-b-2\"}").json().get("key").asText();
    long fresh = follow("from-a-again", "http://127.0.0.1:" + a.port() + "/", first, peer2);
    status = ExchangeTest.fetch(apiB, adminB, fresh).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(status.get("fetched_items").asLong()).isEqualTo(3);
  }

  @Test
  void aRecordPassedOnThroughAHubKeepsItsOrigin() throws InterruptedException {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    assertThat(apiA.patch("/api/v1/banks/" + bank, adminA, "{\"sharing\":\"green\"}").status()).isEqualTo(200);
    String fromA = MatchTest.randomPdq(random);
    entry(bank, "pdq", fromA);
    String originA = apiA.get("/api/v1/federation/key", adminA).json().get("instance_id").asText();
    String originB = apiB.get("/api/v1/federation/key", adminB).json().get("instance_id").asText();
    assertThat(originA).isNotEqualTo(originB);

    // B is the hub: it follows A, and publishes what it follows to C, with entries of its own.
    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2]);
    assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
    long followed = apiB.get("/api/v1/exchanges/" + exchange, adminB).json().get("bank_id").asLong();
    assertThat(apiB.get("/api/v1/entries?signal_type=pdq&signal=" + fromA, adminB).json().at("/items/0/origin").asText()).isEqualTo(originA);
    Api.Response onward = apiB.post("/api/v1/feeds", adminB, "{\"name\":\"to-c\",\"bank_id\":" + followed + "}");
    assertThat(onward.status()).as(onward.body()).isEqualTo(201);
    String peerC = apiB.post("/api/v1/feeds/" + onward.json().get("id").asLong() + "/peers", adminB, "{\"name\":\"org-c\"}")
        .json().get("key").asText();
    long own = apiB.post("/api/v1/banks", adminB, "{\"name\":\"hub-own\"}").json().get("id").asLong();
    Api.Response ownFeed = apiB.post("/api/v1/feeds", adminB, "{\"name\":\"hub-own\",\"bank_id\":" + own + "}");
    String peerOwn = apiB.post("/api/v1/feeds/" + ownFeed.json().get("id").asLong() + "/peers", adminB, "{\"name\":\"org-c\"}")
        .json().get("key").asText();
    String fromB = MatchTest.randomPdq(random);
    assertThat(apiB.post("/api/v1/banks/" + own + "/entries", adminB, "{\"signals\":{\"pdq\":\"" + fromB + "\"}}").status()).isEqualTo(201);

    try (CountersignalServer c = CountersignalServer.builder(TestServers.config(dirC)).exchangeSettings(ExchangeTest.FAST).start()) {
      assertThat(c.awaitReady(Duration.ofSeconds(30))).isTrue();
      Api apiC = new Api(c.port());
      String adminC = c.initialAdminKey().orElseThrow();
      String keyOfB = apiB.get("/api/v1/federation/key", adminB).json().get("public_key").asText();
      long viaHub = followOn(apiC, adminC, "via-b", "to-c", "http://127.0.0.1:" + b.port() + "/", keyOfB, peerC);
      long direct = followOn(apiC, adminC, "b-own", "hub-own", "http://127.0.0.1:" + b.port() + "/", keyOfB, peerOwn);
      assertThat(ExchangeTest.fetch(apiC, adminC, viaHub).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
      assertThat(ExchangeTest.fetch(apiC, adminC, direct).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
      JsonNode passedOn = apiC.get("/api/v1/entries?signal_type=pdq&signal=" + fromA, adminC).json().at("/items/0");
      assertThat(passedOn.get("origin").asText()).as("made on A, passed on by B").isEqualTo(originA);
      JsonNode hubs = apiC.get("/api/v1/entries?signal_type=pdq&signal=" + fromB, adminC).json().at("/items/0");
      assertThat(hubs.get("origin").asText()).as("made on B").isEqualTo(originB);
      long onC = apiC.get("/api/v1/exchanges/" + viaHub, adminC).json().get("bank_id").asLong();
      assertThat(apiC.get("/api/v1/banks/" + onC, adminC).json().get("received_sharing").asText()).isEqualTo("green");
    }
  }

  /** {@code api}'s exchange following {@code feed} at {@code url}. */
  private static long followOn(Api api, String admin, String name, String feed, String url, String pinned, String peerKey) {
    ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("kind", "countersignal").put("trust", "trusted");
    body.putObject("config").put("url", url).put("feed", feed).put("public_key", pinned);
    body.putObject("credentials").put("key", peerKey);
    Api.Response created = api.post("/api/v1/exchanges", admin, body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  @Test
  void aBankedTextTravelsAndItsDeletionToo() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    java.util.List<String> words = TextMatchTest.prose(16, 900);
    Api.Response text = apiA.post("/api/v1/banks/" + bank + "/entries/text", adminA, TextMatchTest.json(TextMatchTest.text(words)));
    assertThat(text.status()).as(text.body()).isEqualTo(201);
    String excerpt = TextMatchTest.json(TextMatchTest.text(words.subList(100, 500)));

    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2]);
    assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(apiB.post("/api/v1/match/text", adminB, excerpt).json().get("matches")).as("an excerpt matches on B").hasSize(1);

    // Deleted on A, its whole text is gone there: the removal names it by identity, and B drops it.
    assertThat(apiA.delete("/api/v1/entries/" + text.json().get("id").asLong(), adminA).status()).isEqualTo(204);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("malformed_items").asLong()).isZero();
    assertThat(status.get("bank_entries").asLong()).isZero();
    assertThat(apiB.post("/api/v1/match/text", adminB, excerpt).json().get("matches")).isEmpty();
  }

  @Test
  void aPageNotSignedByThePinnedKeyIsRefusedAndNothingOfItApplies() throws Exception {
    String[] published = publish();
    String pdq = MatchTest.randomPdq(random);
    entry(Long.parseLong(published[0]), "pdq", pdq);
    String stranger = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());

    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", stranger, published[2]);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("signature is not the pinned key's");
    assertThat(matchesOnB("pdq", pdq)).isFalse();
  }

  @Test
  void aPagePlayedBackFromEarlierCannotUndoALaterDeletion() throws Exception {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String first = MatchTest.randomPdq(random);
    String second = MatchTest.randomPdq(random);
    long firstEntry = entry(bank, "pdq", first);
    entry(bank, "pdq", second);
    // A relay between B and A that, once told to, answers every page asked for with the first page it passed on.
    try (Relay relay = new Relay(a::port)) {
      long exchange = follow("via-relay", "http://127.0.0.1:" + relay.port() + "/", publicKeyOfA(), published[2]);
      assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
      assertThat(matchesOnB("pdq", first)).isTrue();

      assertThat(apiA.delete("/api/v1/entries/" + firstEntry, adminA).status()).isEqualTo(204);
      byte[] firstPage = relay.firstAnswer("/pages");
      relay.instead = path -> path.endsWith("/pages") ? firstPage : null;
      JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
      assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
      assertThat(status.get("last_error").asText()).contains("played back");

      relay.instead = path -> null;
      assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
      assertThat(matchesOnB("pdq", first)).as("the deletion arrives once the relay stops playing back").isFalse();
      assertThat(matchesOnB("pdq", second)).isTrue();
    }
  }

  @Test
  void aPeerReadsOnlyItsFeedsAndNothingOnceRemoved() {
    String[] published = publish();
    long feed = Long.parseLong(published[1]);
    String peerKey = published[2];
    long otherBank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"other\"}").json().get("id").asLong();
    assertThat(apiA.post("/api/v1/feeds", adminA, "{\"name\":\"to-c\",\"bank_id\":" + otherBank + "}").status()).isEqualTo(201);

    assertThat(apiA.get("/api/v1/feeds/to-b/pages", peerKey).status()).isEqualTo(200);
    assertThat(apiA.get("/api/v1/feeds/to-c/pages", peerKey).status()).as("not its feed").isEqualTo(404);
    assertThat(apiA.get("/api/v1/banks", peerKey).status()).as("a peer key reads no bank").isEqualTo(403);
    assertThat(apiA.post("/api/v1/match", peerKey, "{\"signals\":{\"md5\":\"" + "0".repeat(32) + "\"}}").status()).isEqualTo(403);
    JsonNode listed = apiA.get("/api/v1/feeds/" + feed, adminA).json();
    assertThat(listed.at("/peers/0/name").asText()).isEqualTo("org-b");
    assertThat(listed.toString()).doesNotContain(peerKey);

    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), peerKey);
    assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(apiA.delete("/api/v1/feeds/" + feed + "/peers/org-b", adminA).status()).isEqualTo(204);
    assertThat(apiA.get("/api/v1/feeds/to-b/pages", peerKey).status()).isEqualTo(401);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("HTTP 401");
    JsonNode audit = apiA.get("/api/v1/audit?limit=100", adminA).json();
    assertThat(audit.toString()).contains("feed.created", "feed.peer_added", "feed.peer_removed");
  }

  @Test
  void sharingLevelsBoundWhereEntriesTravel() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    assertThat(apiA.get("/api/v1/banks/" + bank, adminA).json().get("sharing").asText()).as("a local bank's default").isEqualTo("amber");
    long inner = apiA.post("/api/v1/banks", adminA, "{\"name\":\"inner\",\"sharing\":\"red\"}").json().get("id").asLong();
    Api.Response red = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"inner\",\"bank_id\":" + inner + "}");
    assertThat(red.status()).as(red.body()).isEqualTo(409);
    assertThat(red.json().get("detail").asText()).contains("never leave this instance");
    entry(bank, "pdq", MatchTest.randomPdq(random));

    // Received amber: B keeps it to itself.
    long exchange = follow("from-a", "http://127.0.0.1:" + a.port() + "/", publicKeyOfA(), published[2], false);
    long followed = apiB.get("/api/v1/exchanges/" + exchange, adminB).json().get("bank_id").asLong();
    assertThat(apiB.get("/api/v1/banks/" + followed, adminB).json().get("sharing").asText()).as("nothing received yet").isEqualTo("red");
    assertThat(apiB.patch("/api/v1/exchanges/" + exchange, adminB, "{\"enabled\":true}").status()).isEqualTo(200);
    assertThat(ExchangeTest.fetch(apiB, adminB, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
    JsonNode onB = apiB.get("/api/v1/banks/" + followed, adminB).json();
    assertThat(onB.get("sharing").asText()).isEqualTo("amber");
    assertThat(onB.get("received_sharing").asText()).isEqualTo("amber");
    Api.Response republish = apiB.post("/api/v1/feeds", adminB, "{\"name\":\"onward\",\"bank_id\":" + followed + "}");
    assertThat(republish.status()).as(republish.body()).isEqualTo(409);
    assertThat(republish.json().get("detail").asText()).contains("is shared amber");
    Api.Response wider = apiB.patch("/api/v1/banks/" + followed, adminB, "{\"sharing\":\"green\"}");
    assertThat(wider.status()).as(wider.body()).isEqualTo(422);

    // A shares it green (an admin's decision, not a curator's): B may pass it on, green or narrower, never wider.
    String curatorA = TestServers.key(apiA, adminA, "curator");
    assertThat(apiA.patch("/api/v1/banks/" + bank, curatorA, "{\"sharing\":\"green\"}").status()).isEqualTo(403);
    assertThat(apiA.patch("/api/v1/banks/" + bank, curatorA, "{\"description\":\"shared with org-b\"}").status()).isEqualTo(200);
    assertThat(apiA.patch("/api/v1/banks/" + bank, adminA, "{\"sharing\":\"green\"}").status()).isEqualTo(200);
    entry(bank, "pdq", MatchTest.randomPdq(random));
    ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(apiB.get("/api/v1/banks/" + followed, adminB).json().get("sharing").asText()).isEqualTo("green");
    Api.Response onward = apiB.post("/api/v1/feeds", adminB, "{\"name\":\"onward\",\"bank_id\":" + followed + "}");
    assertThat(onward.status()).as(onward.body()).isEqualTo(201);
    assertThat(apiB.patch("/api/v1/banks/" + followed, adminB, "{\"sharing\":\"clear\"}").status()).isEqualTo(422);
    Api.Response capped = apiB.patch("/api/v1/banks/" + followed, adminB, "{\"sharing\":\"amber\"}");
    assertThat(capped.status()).as(capped.body()).isEqualTo(200);
    assertThat(capped.json().get("sharing").asText()).isEqualTo("amber");
    assertThat(capped.json().get("received_sharing").asText()).isEqualTo("green");
    Api.Response capPage = apiB.get("/api/v1/feeds/onward/pages", adminB);
    assertThat(capPage.status()).as("followed and capped amber: no longer passed on").isEqualTo(403);

    // A takes it back to red: nothing more of it leaves A.
    assertThat(apiA.patch("/api/v1/banks/" + bank, adminA, "{\"sharing\":\"red\"}").status()).isEqualTo(200);
    assertThat(apiA.get("/api/v1/feeds/to-b/pages", published[2]).status()).isEqualTo(403);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("HTTP 403");

    // B stops following: the bank stays, as a local bank holding another source's list, red.
    assertThat(apiB.delete("/api/v1/exchanges/" + exchange, adminB).status()).isEqualTo(204);
    assertThat(apiB.get("/api/v1/banks/" + followed, adminB).json().get("sharing").asText()).isEqualTo("red");
  }

  @Test
  void feedsAreCheckedAsTheyAreMade() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    assertThat(apiA.post("/api/v1/feeds", adminA, "{\"name\":\"to-b\",\"bank_id\":" + bank + "}").status()).isEqualTo(409);
    assertThat(apiA.post("/api/v1/feeds", adminA, "{\"name\":\"Bad Name\",\"bank_id\":" + bank + "}").status()).isEqualTo(422);
    assertThat(apiA.post("/api/v1/feeds", adminA, "{\"name\":\"x\",\"bank_id\":999999}").status()).isEqualTo(422);
    assertThat(apiA.get("/api/v1/feeds/to-b/pages?after=-1", adminA).status()).isEqualTo(400);
    assertThat(apiA.get("/api/v1/feeds/to-b/pages?limit=5001", adminA).status()).isEqualTo(400);
    Api.Response badKey = apiB.post("/api/v1/exchanges", adminB, "{\"name\":\"bad\",\"kind\":\"countersignal\",\"config\":{\"url\":"
        + "\"http://127.0.0.1:1/\",\"feed\":\"to-b\",\"public_key\":\"not a key\"},\"credentials\":{\"key\":\"k\"}}");
    assertThat(badKey.status()).as(badKey.body()).isEqualTo(422);
    assertThat(badKey.json().get("detail").asText()).contains("public_key");
    Api.Response plainHttp = apiB.post("/api/v1/exchanges", adminB, "{\"name\":\"bad\",\"kind\":\"countersignal\",\"config\":{\"url\":"
        + "\"http://peer.example.org/\",\"feed\":\"to-b\",\"public_key\":\"" + publicKeyOfA() + "\"},\"credentials\":{\"key\":\"k\"}}");
    assertThat(plainHttp.status()).as(plainHttp.body()).isEqualTo(422);
    assertThat(plainHttp.json().get("detail").asText()).contains("must be https");
  }
}
