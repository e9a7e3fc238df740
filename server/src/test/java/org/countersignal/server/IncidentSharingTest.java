package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents between two instances on loopback. A declares an incident; its peer B learns of it
 * through the exchange that follows A's feed, as a proposal; once a coordinator of B accepts it
 * (or at once, when B's exchange accepts A's incidents), B follows the incident's own feed and its
 * entries match on B, fetched ahead of the rest of A's feed. What B matches goes back to A's
 * figures and timeline. A red incident, or an exchange that ignores incidents, shares nothing.
 */
class IncidentSharingTest {

  @TempDir Path dirA;
  @TempDir Path dirB;
  final Random random = new Random(20261205);
  CountersignalServer a;
  CountersignalServer b;
  Api apiA;
  Api apiB;
  String adminA;
  String adminB;
  String coordinatorA;
  String coordinatorB;

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
    coordinatorA = TestServers.key(apiA, adminA, "coordinator");
    coordinatorB = TestServers.key(apiB, adminB, "coordinator");
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

  /** A's bank "shared" published as feed "to-b" to the peer "org-b"; returns the bank's id and the peer's key. */
  private String[] publish() {
    long bank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"shared\"}").json().get("id").asLong();
    Api.Response feed = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"to-b\",\"bank_id\":" + bank + "}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    Api.Response peer = apiA.post("/api/v1/feeds/" + feed.json().get("id").asLong() + "/peers", adminA, "{\"name\":\"org-b\"}");
    assertThat(peer.status()).as(peer.body()).isEqualTo(201);
    return new String[] {Long.toString(bank), peer.json().get("key").asText()};
  }

  /** B's exchange "from-a" following A's feed "to-b", doing {@code incidents} with A's incidents; returns its id. */
  private long follow(String peerKey, String incidents, int pageSize) {
    String publicKey = apiA.get("/api/v1/federation/key", adminA).json().get("public_key").asText();
    ObjectNode body = Api.JSON.createObjectNode().put("name", "from-a").put("kind", "countersignal").put("trust", "review")
        .put("incidents", incidents);
    body.putObject("config").put("url", "http://127.0.0.1:" + a.port() + "/").put("feed", "to-b").put("public_key", publicKey)
        .put("page_size", pageSize);
    body.putObject("credentials").put("key", peerKey);
    Api.Response created = apiB.post("/api/v1/exchanges", adminB, body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private JsonNode declareOnA(String name, String sharing) {
    Api.Response declared = apiA.post("/api/v1/incidents", coordinatorA, "{\"name\":\"" + name + "\",\"kind\":\"attack_livestreamed\","
        + "\"level\":\"content_incident\",\"region\":\"Oceania\",\"sharing\":\"" + sharing + "\"}");
    assertThat(declared.status()).as(declared.body()).isEqualTo(201);
    return declared.json();
  }

  private String addOnA(JsonNode incident, String pdq) {
    Api.Response entry = apiA.post("/api/v1/banks/" + incident.get("bank_id").asLong() + "/entries", coordinatorA,
        "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    return pdq;
  }

  private boolean matchesOnB(String pdq) {
    Api.Response match = apiB.post("/api/v1/match", adminB, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json().get("matches").size() > 0;
  }

  private List<JsonNode> incidentsOnB(String status) {
    List<JsonNode> out = new ArrayList<>();
    apiB.get("/api/v1/incidents?status=" + status, coordinatorB).json().get("items").forEach(out::add);
    return out;
  }

  private static List<String> kinds(Api api, String key, long id) {
    List<String> kinds = new ArrayList<>();
    api.get("/api/v1/incidents/" + id + "/timeline", key).json().get("items").forEach(e -> kinds.add(e.get("kind").asText()));
    return kinds;
  }

  @Test
  void aSharedIncidentArrivesAsAProposalAndOnceACoordinatorAcceptsItItsEntriesMatch() {
    String[] published = publish();
    JsonNode incident = declareOnA("Attack streamed live", "amber");
    String first = addOnA(incident, MatchTest.randomPdq(random));
    long exchange = follow(published[1], "propose", 1000);

    ExchangeTest.fetch(apiB, adminB, exchange);
    List<JsonNode> proposed = incidentsOnB("proposed");
    assertThat(proposed).hasSize(1);
    JsonNode proposal = proposed.getFirst();
    long id = proposal.get("id").asLong();
    assertThat(proposal.get("name").asText()).isEqualTo("Attack streamed live");
    assertThat(proposal.get("origin").asText()).isEqualTo(apiA.get("/api/v1/federation/key", adminA).json().get("instance_id").asText());
    assertThat(proposal.get("origin_id").asLong()).isEqualTo(incident.get("id").asLong());
    assertThat(proposal.get("bank_id").isNull()).isTrue();
    assertThat(matchesOnB(first)).as("a proposal's entries do not match").isFalse();
    // A proposal is not changed like an incident of B's own.
    assertThat(apiB.patch("/api/v1/incidents/" + id, coordinatorB, "{\"status\":\"closed\"}").status()).isEqualTo(409);

    Api.Response accepted = apiB.post("/api/v1/incidents/" + id + "/accept", coordinatorB, null);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    assertThat(accepted.json().get("status").asText()).isEqualTo("active");
    WebhookReceiver.await("the incident's entry matches on B", () -> matchesOnB(first));
    assertThat(apiB.post("/api/v1/incidents/" + id + "/accept", coordinatorB, null).status()).as("accepted once").isEqualTo(409);

    // What A adds later arrives by itself: B waits on the incident's feed.
    String later = addOnA(incident, MatchTest.randomPdq(random));
    WebhookReceiver.await("a hash A adds later matches on B", () -> matchesOnB(later));

    // A raises the level: B hears of it with A's next announcement and puts it on its timeline.
    Api.Response raised = apiA.patch("/api/v1/incidents/" + incident.get("id").asLong(), coordinatorA,
        "{\"level\":\"content_incident_protocol\"}");
    assertThat(raised.status()).as(raised.body()).isEqualTo(200);
    WebhookReceiver.await("B has A's new level", () ->
        apiB.get("/api/v1/incidents/" + id, coordinatorB).json().get("level").asText().equals("content_incident_protocol"));
    assertThat(kinds(apiB, coordinatorB, id)).containsSubsequence("proposed", "accepted", "level_changed", "publisher_changed");
    assertThat(kinds(apiB, coordinatorB, id)).contains("entry_added");

    // B's platform matches the incident's content: the count goes back to A, on A's timeline and figures.
    Api.Response recorded = apiB.post("/api/v1/match", adminB, "{\"signals\":{\"pdq\":\"" + first + "\"},\"content\":{\"id\":\"post-1\"}}");
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
    long follows = apiB.get("/api/v1/exchanges", adminB).json().findValues("name").stream().filter(n -> n.asText().contains("incident"))
        .count();
    assertThat(follows).isEqualTo(1);
    long child = 0;
    for (JsonNode ex : apiB.get("/api/v1/exchanges", adminB).json().get("items")) {
      if (ex.get("urgent").asBoolean()) {
        child = ex.get("id").asLong();
        assertThat(ex.get("trust").asText()).isEqualTo("trusted");
      }
    }
    ExchangeTest.fetch(apiB, adminB, child);
    long onA = incident.get("id").asLong();
    WebhookReceiver.await("A's timeline has B's first match", () -> kinds(apiA, coordinatorA, onA).contains("first_match_on_peer"));
    JsonNode firstOnPeer = null;
    for (JsonNode event : apiA.get("/api/v1/incidents/" + onA + "/timeline", coordinatorA).json().get("items")) {
      if (event.get("kind").asText().equals("first_match_on_peer")) {
        firstOnPeer = event;
      }
    }
    assertThat(firstOnPeer.get("peer").asText()).isEqualTo("org-b");
    assertThat(firstOnPeer.get("detail").get("matches").asLong()).isEqualTo(1);
  }

  @Test
  void aDeclinedProposalNeverMatchesAndARedIncidentIsNeverShared() {
    String[] published = publish();
    JsonNode shared = declareOnA("Threat to a school", "amber");
    String sharedPdq = addOnA(shared, MatchTest.randomPdq(random));
    JsonNode kept = declareOnA("Kept here", "red");
    addOnA(kept, MatchTest.randomPdq(random));
    long exchange = follow(published[1], "propose", 1000);

    ExchangeTest.fetch(apiB, adminB, exchange);
    List<JsonNode> proposed = incidentsOnB("proposed");
    assertThat(proposed).extracting(i -> i.get("name").asText()).containsExactly("Threat to a school");
    long id = proposed.getFirst().get("id").asLong();
    // B's coordinator sees the proposal in the console, and declines it there.
    ConsoleClient console = new ConsoleClient(b.port());
    assertThat(console.signInWithKey(coordinatorB).status()).isEqualTo(303);
    ConsoleClient.Page page = console.get("/console/incidents/" + id);
    assertThat(page.body()).contains("/console/incidents/" + id + "/accept").contains("/console/incidents/" + id + "/decline");
    ConsoleClient.Page declined = console.post("/console/incidents/" + id + "/decline", java.util.Map.of("csrf", page.csrf()));
    assertThat(declined.status()).isEqualTo(303);
    assertThat(console.get(declined.header("location")).body()).contains("Declined");
    assertThat(apiB.get("/api/v1/incidents/" + id, coordinatorB).json().get("status").asText()).isEqualTo("declined");
    assertThat(apiB.post("/api/v1/incidents/" + id + "/accept", coordinatorB, null).status()).isEqualTo(409);
    // The red incident's feed is no feed for B either.
    assertThat(apiA.get("/api/v1/feeds", adminA).json().get("items")).noneSatisfy(f ->
        assertThat(f.get("bank_id").asLong()).isEqualTo(kept.get("bank_id").asLong()));

    ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(incidentsOnB("proposed")).isEmpty();
    assertThat(matchesOnB(sharedPdq)).isFalse();
    assertThat(kinds(apiB, coordinatorB, id)).containsExactly("proposed", "declined");
  }

  @Test
  void anIncidentDeclaredWhileBIsBusyFetchingAnotherFeedIsProposedAtOnce() {
    String[] published = publish();
    long exchange = follow(published[1], "propose", 1000);
    ExchangeTest.fetch(apiB, adminB, exchange);
    // A second feed of A's that B follows a record a page: B's fetch loop is busy with it for a while.
    long bulkBank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"bulk\"}").json().get("id").asLong();
    int backlog = 4000;
    for (int start = 0; start < backlog; start += 1000) {
      StringBuilder entries = new StringBuilder();
      for (int i = start; i < start + 1000; i++) {
        entries.append(i == start ? "" : ",").append("{\"signals\":{\"md5\":\"").append(String.format("%032x", i)).append("\"}}");
      }
      Api.Response imported = apiA.post("/api/v1/banks/" + bulkBank + "/entries/batch", adminA, "{\"entries\":[" + entries + "]}");
      assertThat(imported.status()).as(imported.body()).isLessThan(300);
    }
    long bulkFeed = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"bulk\",\"bank_id\":" + bulkBank + "}").json().get("id").asLong();
    String bulkKey = apiA.post("/api/v1/feeds/" + bulkFeed + "/peers", adminA, "{\"name\":\"org-b-bulk\"}").json().get("key").asText();
    ObjectNode body = Api.JSON.createObjectNode().put("name", "bulk").put("kind", "countersignal").put("trust", "trusted")
        .put("incidents", "ignore");
    body.putObject("config").put("url", "http://127.0.0.1:" + a.port() + "/").put("feed", "bulk")
        .put("public_key", apiA.get("/api/v1/federation/key", adminA).json().get("public_key").asText()).put("page_size", 1);
    body.putObject("credentials").put("key", bulkKey);
    long bulk = apiB.post("/api/v1/exchanges", adminB, body.toString()).json().get("id").asLong();
    WebhookReceiver.await("B fetches the bulk feed", () ->
        apiB.get("/api/v1/exchanges/" + bulk, adminB).json().at("/status/fetched_items").asLong() > 0);

    declareOnA("Declared mid-sync", "amber");
    WebhookReceiver.await("the proposal reaches B", () -> !incidentsOnB("proposed").isEmpty());
    JsonNode status = apiB.get("/api/v1/exchanges/" + bulk, adminB).json().get("status");
    assertThat(status.get("fetched_items").asLong()).as("heard while the other fetch goes on, not after it").isLessThan(backlog);
    assertThat(apiB.delete("/api/v1/exchanges/" + bulk, adminB).status()).isEqualTo(204);
  }

  @Test
  void aPeerWaitsOnTheFeedsOfManyIncidentsAtOnce() throws Exception {
    String[] published = publish();
    String peerKey = published[1];
    List<java.util.concurrent.CompletableFuture<Api.Response>> waits = new ArrayList<>();
    List<JsonNode> incidents = new ArrayList<>();
    var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    for (int i = 0; i < 6; i++) {
      JsonNode incident = declareOnA("Incident " + i, "amber");
      incidents.add(incident);
      String feed = "incident-" + incident.get("id").asLong();
      long head = apiA.get("/api/v1/feeds/" + feed + "/updates?after=0", peerKey).json().path("next").asLong(0);
      waits.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> apiA.get("/api/v1/feeds/" + feed + "/updates?after=" + head + "&wait=30", peerKey), threads));
    }
    Thread.sleep(500);
    assertThat(waits).as("each incident's feed holds its own wait, beyond the few a caller holds on one feed").noneMatch(w -> w.isDone());
    addOnA(incidents.get(5), MatchTest.randomPdq(random));
    Api.Response answered = waits.get(5).get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    assertThat(answered.json().hasNonNull("next")).as(answered.body()).isTrue();
    assertThat(waits.subList(0, 5)).noneMatch(w -> w.isDone());
    threads.shutdownNow();
  }

  @Test
  void anExchangeThatIgnoresIncidentsGetsNone() {
    String[] published = publish();
    declareOnA("Not for B", "amber");
    long exchange = follow(published[1], "ignore", 1000);
    ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(apiB.get("/api/v1/incidents", coordinatorB).json().get("items")).isEmpty();
  }

  @Test
  void anExchangeThatAcceptsAPublishersIncidentsFollowsThemAheadOfTheRestOfItsFeed() {
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    int backlog = 3000;
    for (int start = 0; start < backlog; start += 1000) {
      StringBuilder entries = new StringBuilder();
      for (int i = start; i < start + 1000; i++) {
        entries.append(i == start ? "" : ",").append("{\"signals\":{\"md5\":\"").append(String.format("%032x", i)).append("\"}}");
      }
      Api.Response imported = apiA.post("/api/v1/banks/" + bank + "/entries/batch", adminA, "{\"entries\":[" + entries + "]}");
      assertThat(imported.status()).as(imported.body()).isLessThan(300);
    }
    JsonNode incident = declareOnA("Spreading now", "amber");
    String pdq = addOnA(incident, MatchTest.randomPdq(random));
    long exchange = follow(published[1], "accept", 100);

    JsonNode parent = ExchangeTest.fetch(apiB, adminB, exchange);
    assertThat(parent.get("status").get("fetched_items").asLong()).as("nothing lost by stepping aside").isEqualTo(backlog);
    assertThat(parent.get("status").get("bank_entries").asLong()).isEqualTo(backlog);
    List<JsonNode> active = incidentsOnB("active");
    assertThat(active).hasSize(1);
    assertThat(kinds(apiB, coordinatorB, active.getFirst().get("id").asLong())).containsSubsequence("proposed", "accepted");
    assertThat(matchesOnB(pdq)).isTrue();
    JsonNode child = null;
    for (JsonNode ex : apiB.get("/api/v1/exchanges", adminB).json().get("items")) {
      if (ex.get("urgent").asBoolean()) {
        child = ex;
      }
    }
    OffsetDateTime childDone = OffsetDateTime.parse(child.get("status").get("last_fetch_complete_ts").asText());
    OffsetDateTime parentDone = OffsetDateTime.parse(parent.get("status").get("last_fetch_complete_ts").asText());
    assertThat(childDone).as("the incident's feed was fetched before the rest of A's feed").isBefore(parentDone);
  }
}
