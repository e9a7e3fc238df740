package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opinions back to the publisher: A publishes a bank as a feed, B (and C) follow it; what B's
 * reviewers decide about matches of a followed entry (confirmed, false positive) and how often
 * B's platform saw it go back to A after B's next fetch, and A's entries show them. An entry
 * disputed by as many peers as its bank's {@code disable_when_disputed_by} is switched off on A,
 * and so leaves its followers at their next fetch. What travels names a signal and nothing else.
 */
class FederationOpinionsTest {

  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;
  final Random random = new Random(20261206);
  CountersignalServer a;
  CountersignalServer b;
  CountersignalServer c;
  Relay relay;
  Api apiA;
  Api apiB;
  String adminA;
  String adminB;

  @BeforeEach
  void start() throws InterruptedException {
    a = started(dirA);
    b = started(dirB);
    apiA = new Api(a.port());
    apiB = new Api(b.port());
    adminA = a.initialAdminKey().orElseThrow();
    adminB = b.initialAdminKey().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
    for (CountersignalServer server : new CountersignalServer[] {a, b, c}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static CountersignalServer started(Path dir) throws InterruptedException {
    CountersignalServer server = CountersignalServer.builder(TestServers.config(dir)).exchangeSettings(ExchangeTest.FAST).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    return server;
  }

  /** A bank on A published as feed {@code feed}; returns the bank's id. */
  private long publishedBank(String name, String feed) {
    Api.Response bank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"" + name + "\"}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    Api.Response created = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"" + feed + "\",\"bank_id\":" + bank.json().get("id").asLong() + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return bank.json().get("id").asLong();
  }

  /** Adds peer {@code name} to A's feed {@code feed}; returns its key. */
  private String peer(String feed, String name) {
    long id = 0;
    for (JsonNode listed : apiA.get("/api/v1/feeds", adminA).json().get("items")) {
      if (listed.get("name").asText().equals(feed)) {
        id = listed.get("id").asLong();
      }
    }
    Api.Response peer = apiA.post("/api/v1/feeds/" + id + "/peers", adminA, "{\"name\":\"" + name + "\"}");
    assertThat(peer.status()).as(peer.body()).isEqualTo(201);
    return peer.json().get("key").asText();
  }

  private long entry(long bank, String pdq) {
    Api.Response created = apiA.post("/api/v1/banks/" + bank + "/entries", adminA,
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"labels\":[\"attacker_manifesto\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  /** A subscriber of A's feed {@code feed}: its exchange (fetched once), and a rule that sends its matches to review. */
  private record Subscriber(Api api, String admin, String reviewer, long exchange, long bank) {}

  private Subscriber subscribe(Api api, String admin, String url, String feed, String peerKey) {
    return subscribe(api, admin, url, feed, peerKey, apiA.get("/api/v1/federation/key", adminA).json().get("public_key").asText());
  }

  private Subscriber subscribe(Api api, String admin, String url, String feed, String peerKey, String publicKey) {
    ObjectNode body = Api.JSON.createObjectNode().put("name", "from-a").put("kind", "countersignal").put("trust", "trusted");
    body.putObject("config").put("url", url).put("feed", feed).put("public_key", publicKey);
    body.putObject("credentials").put("key", peerKey);
    Api.Response created = api.post("/api/v1/exchanges", admin, body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long exchange = created.json().get("id").asLong();
    long bank = created.json().get("bank_id").asLong();
    assertThat(ExchangeTest.fetch(api, admin, exchange).at("/status/last_fetch_succeeded").asBoolean()).isTrue();
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"review-followed\",\"action\":\"remove\",\"review_first\":true,"
        + "\"conditions\":{\"banks\":[" + bank + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    return new Subscriber(api, admin, TestServers.key(api, admin, "reviewer"), exchange, bank);
  }

  /**
   * The platform of {@code s} sends content showing {@code pdq}; returns the case it opened (none,
   * -1, once a reviewer found the match a false positive).
   */
  private static long upload(Subscriber s, String pdq, String contentId, String account) {
    Api.Response match = s.api().post("/api/v1/match", s.admin(), "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\""
        + contentId + "\",\"account\":\"" + account + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    assertThat(match.json().get("matches")).as("matches the followed entry").hasSize(1);
    return match.json().at("/submission/case_id").asLong(-1);
  }

  private static void decide(Subscriber s, long caseId, String decision) {
    assertThat(s.api().post("/api/v1/cases/" + caseId + "/claim", s.reviewer(), "").status()).isEqualTo(200);
    Api.Response decided = s.api().post("/api/v1/cases/" + caseId + "/decision", s.reviewer(), decision);
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
  }

  private static void confirm(Subscriber s, long caseId) {
    decide(s, caseId, "{\"outcome\":\"confirm\",\"reason\":\"the attack video\",\"policy\":\"violent extremism\"}");
  }

  private static void falsePositive(Subscriber s, long caseId) {
    decide(s, caseId, "{\"outcome\":\"reject\",\"reason\":\"a film trailer\",\"reject_as\":\"false_positive\"}");
  }

  private static void fetch(Subscriber s) {
    JsonNode status = ExchangeTest.fetch(s.api(), s.admin(), s.exchange()).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
  }

  private static boolean matches(Subscriber s, String pdq) {
    Api.Response match = s.api().post("/api/v1/match", s.admin(), "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json().get("matches").size() > 0;
  }

  private JsonNode entryOnA(long id) {
    Api.Response entry = apiA.get("/api/v1/entries/" + id, adminA);
    assertThat(entry.status()).as(entry.body()).isEqualTo(200);
    return entry.json();
  }

  private String opinionsOnA(long id) {
    JsonNode o = entryOnA(id).get("opinions");
    return "seen_on=" + o.get("seen_on").asLong() + " seen=" + o.get("seen").asLong() + " positive=" + o.get("positive").asLong()
        + " negative=" + o.get("negative").asLong() + " disputed=" + o.get("disputed").asLong();
  }

  private JsonNode auditOnA() {
    return apiA.get("/api/v1/audit?limit=1000", adminA).json().get("items");
  }

  @Test
  void reviewsAndSightingsOnTheSubscriberGoBackToThePublisherAndNothingElseDoes() throws Exception {
    long bank = publishedBank("shared", "to-b");
    String peerKey = peer("to-b", "org-b");
    String confirmedPdq = MatchTest.randomPdq(random);
    String rejectedPdq = MatchTest.randomPdq(random);
    String unseenPdq = MatchTest.randomPdq(random);
    long confirmed = entry(bank, confirmedPdq);
    long rejected = entry(bank, rejectedPdq);
    long unseen = entry(bank, unseenPdq);
    // B reaches A through a relay that keeps what B sends back, to see exactly what leaves B.
    relay = new Relay(a::port);
    Subscriber onB = subscribe(apiB, adminB, "http://127.0.0.1:" + relay.port() + "/", "to-b", peerKey);

    long first = upload(onB, confirmedPdq, "post-1", "acct-1");
    upload(onB, confirmedPdq, "post-2", "acct-2");
    long third = upload(onB, rejectedPdq, "post-3", "acct-3");
    confirm(onB, first);
    falsePositive(onB, third);
    assertThat(opinionsOnA(confirmed)).as("nothing goes back before B's exchange runs").isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=0");

    fetch(onB);
    assertThat(opinionsOnA(confirmed)).isEqualTo("seen_on=1 seen=2 positive=1 negative=0 disputed=0");
    assertThat(opinionsOnA(rejected)).isEqualTo("seen_on=1 seen=1 positive=0 negative=1 disputed=1");
    assertThat(opinionsOnA(unseen)).isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=0");
    JsonNode listed = apiA.get("/api/v1/banks/" + bank + "/entries", adminA).json().get("items");
    assertThat(listed.get(0).get("id").asLong()).isEqualTo(confirmed);
    assertThat(listed.get(0).at("/opinions/seen").asLong()).as("the list shows them too").isEqualTo(2);
    assertThat(listed.get(1).at("/opinions/disputed").asLong()).isEqualTo(1);
    assertThat(entryOnA(rejected).get("enabled").asBoolean()).as("the bank sets no disable_when_disputed_by").isTrue();

    // What reached A: a signal's type and value, an opinion and a count, and nothing of the content.
    assertThat(relay.bodies("POST", "/opinions")).hasSize(1);
    JsonNode sent = Api.JSON.readTree(relay.bodies("POST", "/opinions").getFirst());
    assertThat(fieldNames(sent)).containsExactly("opinions", "platform");
    assertThat(sent.get("platform").asText()).as("B names its platform, whose words these are")
        .isEqualTo(instanceId(apiB, adminB));
    assertThat(sent.get("opinions")).hasSize(2);
    for (JsonNode item : sent.get("opinions")) {
      assertThat(fieldNames(item)).isSubsetOf("signal_type", "signal", "opinion", "seen");
    }
    assertThat(sent.toString()).doesNotContain("post-", "acct-", "attack video", "film trailer");
    try (Database database = TestServers.openDatabase(dirA)) {
      List<Map<String, Object>> rows = database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM feed_opinions").mapToMap().list());
      assertThat(rows).hasSize(2);
      assertThat(rows.getFirst().keySet()).containsExactlyInAnyOrder("feed_id", "peer", "platform", "signal_hash", "signal_type",
          "signal_value", "opinion", "seen", "updated_at");
      assertThat(rows.toString()).doesNotContain("post-", "acct-");
    }
    JsonNode received = find(auditOnA(), "feed.opinions_received");
    assertThat(received.at("/after/peer").asText()).isEqualTo("org-b");
    assertThat(received.at("/after/changed").asInt()).isEqualTo(2);
    assertThat(received.toString()).doesNotContain("post-", "acct-", confirmedPdq);

    // Fetched again with nothing new: nothing is sent. A new sighting sends that signal alone.
    fetch(onB);
    assertThat(relay.bodies("POST", "/opinions")).hasSize(1);
    upload(onB, rejectedPdq, "post-4", "acct-4");
    fetch(onB);
    assertThat(relay.bodies("POST", "/opinions")).hasSize(2);
    JsonNode again = Api.JSON.readTree(relay.bodies("POST", "/opinions").get(1)).get("opinions");
    assertThat(again).hasSize(1);
    assertThat(again.get(0).get("signal").asText()).isEqualTo(rejectedPdq);
    assertThat(opinionsOnA(rejected)).isEqualTo("seen_on=1 seen=2 positive=0 negative=1 disputed=1");
    assertThat(opinionsOnA(confirmed)).isEqualTo("seen_on=1 seen=2 positive=1 negative=0 disputed=0");

    // A curator on B sends an opinion of one signal by hand; "saw this too" is counted from matches instead.
    Api.Response byHand = apiB.post("/api/v1/exchanges/" + onB.exchange() + "/opinions", adminB,
        "{\"signal_type\":\"pdq\",\"signal\":\"" + unseenPdq + "\",\"opinion\":\"disputed\"}");
    assertThat(byHand.status()).as(byHand.body()).isEqualTo(204);
    assertThat(opinionsOnA(unseen)).isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=1");
    Api.Response sawIt = apiB.post("/api/v1/exchanges/" + onB.exchange() + "/opinions", adminB,
        "{\"signal_type\":\"pdq\",\"signal\":\"" + unseenPdq + "\",\"opinion\":\"saw_this_too\"}");
    assertThat(sawIt.status()).as(sawIt.body()).isEqualTo(409);
    assertThat(apiB.get("/api/v1/exchanges/kinds", adminB).json().get("items").findParents("name").stream()
        .filter(k -> k.get("name").asText().equals("countersignal")).findFirst().orElseThrow().get("takes_opinions").asBoolean()).isTrue();
  }

  @Test
  void aPeerSendsOpinionsOnlyToItsOwnFeedsOfSignalsTheBankHeldAndBadBodiesAreRefused() {
    long bank = publishedBank("shared", "to-b");
    String peerKey = peer("to-b", "org-b");
    publishedBank("other", "to-c");
    String otherPeer = peer("to-c", "org-c");
    String held = MatchTest.randomPdq(random);
    long heldEntry = entry(bank, held);
    String deleted = MatchTest.randomPdq(random);
    assertThat(apiA.delete("/api/v1/entries/" + entry(bank, deleted), adminA).status()).isEqualTo(204);
    String path = "/api/v1/feeds/to-b/opinions";
    String good = "{\"opinions\":[{\"signal_type\":\"pdq\",\"signal\":\"" + held + "\",\"opinion\":\"negative\",\"seen\":3}]}";

    Api.Response notItsFeed = apiA.post("/api/v1/feeds/to-c/opinions", peerKey, good);
    assertThat(notItsFeed.status()).as("not its feed").isEqualTo(404);
    assertThat(notItsFeed.contentType()).startsWith("application/problem+json");
    assertThat(apiA.post(path, otherPeer, good).status()).as("a peer of another feed").isEqualTo(404);
    assertThat(apiA.post(path, adminA, good).status()).as("only peers send opinions").isEqualTo(403);
    assertThat(apiA.post(path, TestServers.key(apiA, adminA, "curator"), good).status()).isEqualTo(403);
    assertThat(opinionsOnA(heldEntry)).isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=0");

    assertProblem(apiA.post(path, peerKey, "{\"opinions\":"), 400, null);
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[],\"more\":1}"), 400, "more");
    assertProblem(apiA.send("POST", path, peerKey, "text/plain", good.getBytes(StandardCharsets.UTF_8)), 415, null);
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[]}"), 422, "opinions");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"opinion\":\"positive\"") + ","
        + item(held, "\"opinion\":\"helpful\"") + "]}"), 422, "opinions[1].opinion");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[{\"signal_type\":\"phash\",\"signal\":\"ab\",\"seen\":1}]}"), 422,
        "opinions[0].signal_type");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"seen\":1") + "," + item("zz", "\"seen\":1") + "]}"),
        422, "opinions[1].signal");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"seen\":-1") + "]}"), 422, "opinions[0].seen");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"seen\":\"many\"") + "]}"), 400, "opinions[0].seen");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "") + "]}"), 422, "opinions[0]");
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"seen\":1") + "," + item(held.toUpperCase(), "\"seen\":2")
        + "]}"), 422, "opinions[1].signal");
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i < 5001; i++) {
      tooMany.add(item(held, "\"seen\":1"));
    }
    assertProblem(apiA.post(path, peerKey, "{\"opinions\":[" + String.join(",", tooMany) + "]}"), 422, "opinions");
    assertThat(opinionsOnA(heldEntry)).as("a refused report keeps nothing").isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=0");

    // Signals the bank holds or held are kept; one it never held is answered as such and not kept.
    String never = MatchTest.randomPdq(random);
    Api.Response kept = apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"opinion\":\"negative\",\"seen\":3") + ","
        + item(never, "\"opinion\":\"negative\"") + "," + item(deleted, "\"opinion\":\"positive\",\"seen\":1") + "]}");
    assertThat(kept.status()).as(kept.body()).isEqualTo(200);
    assertThat(kept.json().get("changed").asInt()).isEqualTo(2);
    assertThat(kept.json().get("not_held").toString()).isEqualTo("[1]");
    assertThat(opinionsOnA(heldEntry)).isEqualTo("seen_on=1 seen=3 positive=0 negative=1 disputed=1");
    // A text is named by its identity, as the feed and the subscriber's entry name it.
    Api.Response text = apiA.post("/api/v1/banks/" + bank + "/entries/text", adminA,
        TextMatchTest.json(TextMatchTest.text(TextMatchTest.prose(17, 300))));
    assertThat(text.status()).as(text.body()).isEqualTo(201);
    String identity = text.json().at("/signals/text").asText();
    assertThat(identity).startsWith("t");
    Api.Response byIdentity = apiA.post(path, peerKey, "{\"opinions\":[{\"signal_type\":\"text\",\"signal\":\"" + identity
        + "\",\"opinion\":\"positive\",\"seen\":1}]}");
    assertThat(byIdentity.status()).as(byIdentity.body()).isEqualTo(200);
    assertThat(opinionsOnA(text.json().get("id").asLong())).isEqualTo("seen_on=1 seen=1 positive=1 negative=0 disputed=0");
    // Sent again: the same words change nothing, and are not audited again.
    int audited = auditOnA().findValues("action").stream().filter(x -> x.asText().equals("feed.opinions_received")).toList().size();
    Api.Response resent = apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"opinion\":\"negative\",\"seen\":3") + "]}");
    assertThat(resent.json().get("unchanged").asInt()).isEqualTo(1);
    assertThat(auditOnA().findValues("action").stream().filter(x -> x.asText().equals("feed.opinions_received")).toList())
        .hasSize(audited);
    // A later word replaces the earlier; a field left out stays as it was.
    assertThat(apiA.post(path, peerKey, "{\"opinions\":[" + item(held, "\"opinion\":\"positive\"") + "]}").status()).isEqualTo(200);
    assertThat(opinionsOnA(heldEntry)).isEqualTo("seen_on=1 seen=3 positive=1 negative=0 disputed=0");

    // A peer removed takes its words with it.
    long feed = apiA.get("/api/v1/feeds", adminA).json().get("items").get(0).get("id").asLong();
    assertThat(apiA.delete("/api/v1/feeds/" + feed + "/peers/org-b", adminA).status()).isEqualTo(204);
    assertThat(opinionsOnA(heldEntry)).isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=0");
  }

  @Test
  void anEntryDisputedByEnoughPeersIsSwitchedOffAndLeavesItsFollowers() throws Exception {
    long bank = publishedBank("shared", "shared-feed");
    String keyB = peer("shared-feed", "org-b");
    String keyC = peer("shared-feed", "org-c");
    String curatorA = TestServers.key(apiA, adminA, "curator");
    Api.Response setting = apiA.patch("/api/v1/banks/" + bank, curatorA, "{\"disable_when_disputed_by\":2}");
    assertThat(setting.status()).as(setting.body()).isEqualTo(200);
    assertThat(setting.json().get("disable_when_disputed_by").asInt()).isEqualTo(2);
    assertThat(apiA.patch("/api/v1/banks/" + bank, curatorA, "{\"disable_when_disputed_by\":-1}").json().get("field").asText())
        .isEqualTo("disable_when_disputed_by");
    String twice = MatchTest.randomPdq(random);
    String once = MatchTest.randomPdq(random);
    long twiceEntry = entry(bank, twice);
    long onceEntry = entry(bank, once);
    c = started(dirC);
    Api apiC = new Api(c.port());
    String adminC = c.initialAdminKey().orElseThrow();
    String url = "http://127.0.0.1:" + a.port() + "/";
    Subscriber onB = subscribe(apiB, adminB, url, "shared-feed", keyB);
    Subscriber onC = subscribe(apiC, adminC, url, "shared-feed", keyC);

    falsePositive(onB, upload(onB, twice, "b-1", "b-acct"));
    falsePositive(onB, upload(onB, once, "b-2", "b-acct"));
    fetch(onB);
    assertThat(opinionsOnA(twiceEntry)).isEqualTo("seen_on=1 seen=1 positive=0 negative=1 disputed=1");
    assertThat(entryOnA(twiceEntry).get("enabled").asBoolean()).as("one peer of the two it takes").isTrue();

    // C's reviewer finds the same: two peers dispute it, and A switches it off.
    long onCCase = upload(onC, twice, "c-1", "c-acct");
    confirm(onC, upload(onC, twice, "c-2", "c-acct"));
    falsePositive(onC, onCCase);
    fetch(onC);
    JsonNode off = entryOnA(twiceEntry);
    assertThat(off.get("enabled").asBoolean()).isFalse();
    assertThat(off.get("disabled_reason").asText()).contains("disputed by 2 platforms");
    assertThat(opinionsOnA(twiceEntry)).as("C both confirmed and rejected it: disputed")
        .isEqualTo("seen_on=2 seen=3 positive=0 negative=1 disputed=2");
    JsonNode audited = find(auditOnA(), "entry.disabled_disputed");
    assertThat(audited.get("target_id").asLong()).isEqualTo(twiceEntry);
    assertThat(audited.at("/after/disabled_reason").asText()).contains("disputed by 2 platforms");
    assertThat(entryOnA(onceEntry).get("enabled").asBoolean()).isTrue();
    fetch(onB);
    assertThat(matches(onB, twice)).as("gone from B after its next fetch").isFalse();
    fetch(onC);
    assertThat(matches(onC, twice)).isFalse();
    assertThat(matches(onB, once)).isTrue();

    // Lowered to one peer, the entry one peer disputes goes at once, and then from B.
    Api.Response lowered = apiA.patch("/api/v1/banks/" + bank, curatorA, "{\"disable_when_disputed_by\":1}");
    assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
    assertThat(entryOnA(onceEntry).get("enabled").asBoolean()).isFalse();
    assertThat(entryOnA(onceEntry).get("disabled_reason").asText()).contains("disputed by 1 platform ");
    assertThat(auditOnA().findParents("action").stream().filter(e -> e.get("action").asText().equals("entry.disabled_disputed"))
        .map(e -> e.get("target_id").asLong()).toList()).containsExactly(twiceEntry, onceEntry);
    fetch(onB);
    assertThat(matches(onB, once)).isFalse();
    Api.Response never = apiA.patch("/api/v1/banks/" + bank, curatorA, "{\"disable_when_disputed_by\":0}");
    assertThat(never.json().get("disable_when_disputed_by").isNull()).isTrue();
  }

  @Test
  void aHubPassesOnTheWordsOfThePlatformsFollowingItAndEachPlatformCountsOnce() throws Exception {
    long bank = publishedBank("shared", "to-b");
    assertThat(apiA.patch("/api/v1/banks/" + bank, adminA, "{\"sharing\":\"green\",\"disable_when_disputed_by\":2}").status())
        .isEqualTo(200);
    String keyB = peer("to-b", "org-b");
    String pdq = MatchTest.randomPdq(random);
    long entry = entry(bank, pdq);
    relay = new Relay(a::port);
    Subscriber onB = subscribe(apiB, adminB, "http://127.0.0.1:" + relay.port() + "/", "to-b", keyB);
    // B is the hub: it publishes the bank it follows from A to C.
    Api.Response onward = apiB.post("/api/v1/feeds", adminB, "{\"name\":\"to-c\",\"bank_id\":" + onB.bank() + "}");
    assertThat(onward.status()).as(onward.body()).isEqualTo(201);
    String keyC = apiB.post("/api/v1/feeds/" + onward.json().get("id").asLong() + "/peers", adminB, "{\"name\":\"org-c\"}")
        .json().get("key").asText();
    c = started(dirC);
    Api apiC = new Api(c.port());
    String adminC = c.initialAdminKey().orElseThrow();
    Subscriber onC = subscribe(apiC, adminC, "http://127.0.0.1:" + b.port() + "/", "to-c", keyC,
        apiB.get("/api/v1/federation/key", adminB).json().get("public_key").asText());
    String platformA = instanceId(apiA, adminA);
    String platformB = instanceId(apiB, adminB);
    String platformC = instanceId(apiC, adminC);

    // C's reviewer finds A's entry a false positive; C tells B, and B, at its next fetch, tells A.
    falsePositive(onC, upload(onC, pdq, "c-1", "c-acct"));
    fetch(onC);
    assertThat(opinionsOnA(entry)).as("C's word is on B so far").isEqualTo("seen_on=0 seen=0 positive=0 negative=0 disputed=0");
    fetch(onB);
    assertThat(opinionsOnA(entry)).isEqualTo("seen_on=1 seen=1 positive=0 negative=1 disputed=1");
    assertThat(entryOnA(entry).get("enabled").asBoolean()).as("one platform of the two it takes").isTrue();
    JsonNode sent = Api.JSON.readTree(relay.bodies("POST", "/opinions").getLast());
    assertThat(sent.get("platform").asText()).isEqualTo(platformB);
    assertThat(sent.get("opinions")).hasSize(1);
    JsonNode passed = sent.get("opinions").get(0);
    assertThat(fieldNames(passed)).containsExactly("opinion", "platform", "seen", "signal", "signal_type");
    assertThat(passed.get("platform").asText()).as("C's word, named by C's platform").isEqualTo(platformC);
    assertThat(passed.get("opinion").asText()).isEqualTo("negative");
    assertThat(sent.toString()).doesNotContain("c-1", "c-acct", "org-c", "film trailer");
    fetch(onB);
    assertThat(relay.bodies("POST", "/opinions")).as("nothing changed: nothing sent again").hasSize(1);

    // C's platform reached by a second route (its own peer key on A) counts once. Its words from
    // before it named its platform count as its own peer's, until a report of it names one.
    String direct = peer("to-b", "org-c-direct");
    assertThat(apiA.post("/api/v1/feeds/to-b/opinions", direct, "{\"opinions\":["
        + item(pdq, "\"opinion\":\"negative\",\"seen\":1") + "]}").status()).isEqualTo(200);
    assertThat(opinionsOnA(entry)).as("unnamed: counted by peer").isEqualTo("seen_on=2 seen=2 positive=0 negative=2 disputed=2");
    assertThat(entryOnA(entry).get("enabled").asBoolean()).isFalse();
    assertThat(apiA.post("/api/v1/entries/" + entry + "/enable", adminA, null).status()).isEqualTo(200);
    Api.Response twice = apiA.post("/api/v1/feeds/to-b/opinions", direct, "{\"platform\":\"" + platformC + "\",\"opinions\":["
        + item(pdq, "\"opinion\":\"negative\",\"seen\":1") + "]}");
    assertThat(twice.status()).as(twice.body()).isEqualTo(200);
    assertThat(twice.json().get("platform").asText()).isEqualTo(platformA);
    assertThat(opinionsOnA(entry)).isEqualTo("seen_on=1 seen=1 positive=0 negative=1 disputed=1");
    assertThat(entryOnA(entry).get("enabled").asBoolean()).isTrue();
    // A word naming A itself came around a loop: it is not kept.
    Api.Response loop = apiA.post("/api/v1/feeds/to-b/opinions", direct, "{\"opinions\":["
        + item(pdq, "\"opinion\":\"negative\",\"seen\":5,\"platform\":\"" + platformA + "\"") + "]}");
    assertThat(loop.json().get("ignored").asInt()).as(loop.body()).isEqualTo(1);
    assertThat(opinionsOnA(entry)).isEqualTo("seen_on=1 seen=1 positive=0 negative=1 disputed=1");

    // B's own reviewer disputes it too: two platforms, and A switches the entry off. (B follows
    // A's switching it off and on again by itself; a fetch asked for now has applied both.)
    fetch(onB);
    assertThat(matches(onB, pdq)).as("B has the entry A enabled again").isTrue();
    falsePositive(onB, upload(onB, pdq, "b-1", "b-acct"));
    fetch(onB);
    assertThat(opinionsOnA(entry)).isEqualTo("seen_on=2 seen=2 positive=0 negative=2 disputed=2");
    JsonNode off = entryOnA(entry);
    assertThat(off.get("enabled").asBoolean()).isFalse();
    assertThat(off.get("disabled_reason").asText()).contains("disputed by 2 platforms");
    fetch(onB);
    assertThat(matches(onB, pdq)).as("gone from B after its next fetch").isFalse();
  }

  private static String instanceId(Api api, String admin) {
    return api.get("/api/v1/federation/key", admin).json().get("instance_id").asText();
  }

  private static String item(String pdq, String rest) {
    return "{\"signal_type\":\"pdq\",\"signal\":\"" + pdq + "\"" + (rest.isEmpty() ? "" : "," + rest) + "}";
  }

  private static void assertProblem(Api.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    if (field != null) {
      assertThat(response.json().get("field").asText()).as(response.body()).isEqualTo(field);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The last audit event of {@code action}. */
  private static JsonNode find(JsonNode items, String action) {
    JsonNode found = null;
    for (JsonNode item : items) {
      if (item.get("action").asText().equals(action)) {
        found = item;
      }
    }
    assertThat(found).as("an audit event " + action).isNotNull();
    return found;
  }
}
