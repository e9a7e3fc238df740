package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The livestreams page without a browser: reviewers, coordinators, auditors and admins see every
 * platform key's streams, open ones first, with the alerts each raised (an incident's tagged);
 * the page filters by state; external ids, accounts and bank names with markup in them are shown
 * as text; curators have no such page, and matcher keys cannot sign in. Streams are opened and
 * fed over the API as a platform does: a frame a few bits from a banked PDQ hash raises an alert.
 */
class ConsoleStreamsTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String platform;
  static String otherPlatform;
  static String coordinator;
  static final Random RANDOM = new Random(2027);

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    otherPlatform = TestServers.key(api, admin, "matcher");
    coordinator = TestServers.key(api, admin, "coordinator");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static String frame(String pdq, double at) {
    return "{\"pdq\":\"" + pdq + "\",\"quality\":90,\"at_seconds\":" + at + "}";
  }

  /** A stream opened by {@code key} with the platform's names for it and its streamer. */
  static long open(Api api, String key, String externalId, String account) {
    return ReplicaTest.created(api.post("/api/v1/streams", key,
        Api.JSON.createObjectNode().put("external_id", externalId).put("account", account).toString()));
  }

  /** Sends the frames; answers the alerts they raised. */
  static JsonNode send(Api api, String key, long stream, String... frames) {
    Api.Response sent = api.post("/api/v1/streams/" + stream + "/frames", key, "{\"frames\":[" + String.join(",", frames) + "]}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    return sent.json().get("alerts");
  }

  /** A banked PDQ hash in a new bank named {@code bankName}: its entry id and the hash. */
  record Banked(long bankId, long entryId, String pdq) {}

  static Banked banked(Api api, String key, Random random, String bankName) {
    long bank = ReplicaTest.created(api.post("/api/v1/banks", key, Api.JSON.createObjectNode().put("name", bankName)
        .set("labels", Api.JSON.createArrayNode().add("attacker_manifesto")).toString()));
    String pdq = MatchTest.randomPdq(random);
    return new Banked(bank, ReplicaTest.entry(api, key, bank, "pdq", pdq), pdq);
  }

  /** An incident declared by {@code coordinatorKey}, with a hash in its bank: the incident's id, and the entry. */
  record Declared(long incidentId, Banked entry) {}

  static Declared incident(Api api, String coordinatorKey, Random random, String name) {
    Api.Response declared = api.post("/api/v1/incidents", coordinatorKey, Api.JSON.createObjectNode().put("name", name)
        .put("kind", "attack_livestreamed").put("level", "incident").toString());
    assertThat(declared.status()).as(declared.body()).isEqualTo(201);
    long bank = declared.json().get("bank_id").asLong();
    String pdq = MatchTest.randomPdq(random);
    return new Declared(declared.json().get("id").asLong(), new Banked(bank, ReplicaTest.entry(api, coordinatorKey, bank, "pdq", pdq), pdq));
  }

  /** The rows of stream {@code id}: its facts, then its alerts. */
  static String stream(String page, long id) {
    Matcher m = Pattern.compile("<tbody data-stream-id=\"" + id + "\">.*?</tbody>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("stream " + id + " is on the page").isTrue();
    return m.group();
  }

  /** The row of alert {@code id}. */
  static String alert(String page, long id) {
    Matcher m = Pattern.compile("<tr data-alert-id=\"" + id + "\"[^>]*>.*?</tr>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("alert " + id + " is on the page").isTrue();
    return m.group();
  }

  @Test
  void everyKeysStreamsAreListedWithTheirAlertsAndIncidentAlertsTagged() {
    Banked still = banked(api, admin, RANDOM, "attack stills");
    Declared crisis = incident(api, coordinator, RANDOM, "Attack streamed live");
    long first = open(api, platform, "live-a", "acct-a");
    send(api, platform, first, frame(MatchTest.randomPdq(RANDOM), 0.0));
    // A near copy of the banked still at 1:03, the incident's content at 1:04.
    JsonNode firstAlerts = send(api, platform, first, frame(MatchTest.flip(still.pdq(), 5, RANDOM), 63.0),
        frame(MatchTest.flip(crisis.entry().pdq(), 2, RANDOM), 64.5));
    assertThat(firstAlerts).hasSize(2);
    long incidentAlert = firstAlerts.get(0).get("id").asLong();
    long stillAlert = firstAlerts.get(1).get("id").asLong();
    long second = open(api, otherPlatform, "live-b", "acct-b");
    JsonNode secondAlerts = send(api, otherPlatform, second, frame(MatchTest.flip(still.pdq(), 3, RANDOM), 5.5));
    assertThat(secondAlerts).hasSize(1);

    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    ConsoleClient.Page page = reviewer.get("/console/streams");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"/console/streams\" aria-current=\"page\">Streams</a>")
        .contains("<a href=\"/console/streams\" aria-current=\"page\">all</a>").doesNotContain("<form method=\"post\" action=\"/console/streams");
    assertThat(page.body().indexOf("data-stream-id=\"" + second + "\"")).as("newest first")
        .isLessThan(page.body().indexOf("data-stream-id=\"" + first + "\""));

    String firstRows = stream(page.body(), first);
    assertThat(firstRows).contains("live-a").contains("stream " + first).contains("acct-a").contains("status-open")
        .contains("<td class=\"num\">3</td>").contains("<td class=\"num\">01:04</td>").contains("<td class=\"num\">2</td>");
    assertThat(alert(firstRows, stillAlert)).contains("<td>image</td>").contains("attack stills")
        .contains("(bank " + still.bankId() + ")").contains("<td class=\"num\">" + still.entryId() + "</td>")
        .contains("<td class=\"num\">01:03</td>").contains("distance 5").contains("<span class=\"tag\">attacker_manifesto</span>")
        .contains("<time datetime=\"").doesNotContain("incident ");
    assertThat(alert(firstRows, incidentAlert)).contains("class=\"incident\"")
        .contains("<span class=\"tag threat\">incident " + crisis.incidentId() + "</span>")
        .contains("<td class=\"num\">" + crisis.entry().entryId() + "</td>").contains("<td class=\"num\">01:04</td>")
        .doesNotContain("href=\"/console/incidents/");
    assertThat(firstRows.indexOf("data-alert-id=\"" + incidentAlert + "\"")).as("in the order raised: the incident's first")
        .isLessThan(firstRows.indexOf("data-alert-id=\"" + stillAlert + "\""));

    String secondRows = stream(page.body(), second);
    assertThat(secondRows).contains("live-b").contains("acct-b").contains("<td class=\"num\">00:05</td>");
    assertThat(alert(secondRows, secondAlerts.get(0).get("id").asLong())).contains("attack stills").contains("distance 3");

    // Those who may read incidents get the incident's page from the tag.
    ConsoleClient coordinatorConsole = signedIn(coordinator);
    assertThat(alert(coordinatorConsole.get("/console/streams").body(), incidentAlert))
        .contains("<a href=\"/console/incidents/" + crisis.incidentId() + "\"><span class=\"tag threat\">incident " + crisis.incidentId());
  }

  @Test
  void thePageFiltersByStateAndShowsOpenStreamsFirst() {
    long live = open(api, platform, "still live", "acct-live");
    long ended = open(api, otherPlatform, "ended", "acct-ended");
    send(api, otherPlatform, ended, frame(MatchTest.randomPdq(RANDOM), 12.0));
    assertThat(api.post("/api/v1/streams/" + ended + "/close", otherPlatform, null).status()).isEqualTo(200);
    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));

    String all = auditor.get("/console/streams").body();
    assertThat(all.indexOf("data-stream-id=\"" + live + "\"")).as("the open stream before the newer closed one")
        .isGreaterThan(0).isLessThan(all.indexOf("data-stream-id=\"" + ended + "\""));
    String endedRows = stream(all, ended);
    assertThat(endedRows).contains("status-closed").contains("<td class=\"num\">1</td>").contains("<td class=\"num\">00:12</td>")
        .doesNotContain("data-alert-id");
    assertThat(stream(all, live)).contains("<td class=\"num\">0</td>").contains("<span class=\"muted\">—</span>");

    ConsoleClient.Page closed = auditor.get("/console/streams?state=closed");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.body()).contains("<a href=\"/console/streams?state=closed\" aria-current=\"page\">closed</a>")
        .contains("data-stream-id=\"" + ended + "\"").doesNotContain("data-stream-id=\"" + live + "\"").doesNotContain("status-open");
    ConsoleClient.Page open = auditor.get("/console/streams?state=open");
    assertThat(open.body()).contains("data-stream-id=\"" + live + "\"").doesNotContain("data-stream-id=\"" + ended + "\"")
        .doesNotContain("status-closed");

    ConsoleClient.Page wrong = auditor.get("/console/streams?state=%3Cb%3Elive");
    assertThat(wrong.status()).isEqualTo(422);
    assertThat(wrong.body()).contains("open or closed").doesNotContain("<b>live");
  }

  @Test
  void markupInExternalIdsAccountsAndBankNamesIsShownAsText() {
    Banked banked = banked(api, admin, RANDOM, "<b>imported</b> list");
    long stream = open(api, platform, "<script>alert(1)</script>", "<img src=x onerror=alert(2)>");
    JsonNode alerts = send(api, platform, stream, frame(MatchTest.flip(banked.pdq(), 4, RANDOM), 2.0));
    assertThat(alerts).hasSize(1);

    String page = signedIn(admin).get("/console/streams").body();
    String rows = stream(page, stream);
    assertThat(rows).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;");
    assertThat(alert(rows, alerts.get(0).get("id").asLong())).contains("&lt;b&gt;imported&lt;/b&gt; list");
    assertThat(page).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>imported");
  }

  @Test
  void curatorsHaveNoStreamsPageAndMatcherKeysNoConsole() {
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    ConsoleClient.Page refused = curator.get("/console/streams");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("the curator role may not use this page");
    assertThat(curator.get("/console/banks").body()).doesNotContain("/console/streams");

    TestServers.user(api, admin, "cass", "a long curator password", "curator");
    ConsoleClient curatorUser = new ConsoleClient(server.port());
    assertThat(curatorUser.signIn("cass", "a long curator password").status()).isEqualTo(303);
    assertThat(curatorUser.get("/console/streams").status()).isEqualTo(403);

    // The keys that open streams are machines: they cannot sign in to see them here.
    ConsoleClient machine = new ConsoleClient(server.port());
    assertThat(machine.signInWithKey(platform).status()).isEqualTo(403);
    assertThat(machine.get("/console/streams").status()).as("no session: to the sign-in page").isEqualTo(303);

    for (String role : List.of("reviewer", "coordinator", "auditor")) {
      ConsoleClient reader = signedIn(TestServers.key(api, admin, role));
      assertThat(reader.get(role.equals("coordinator") ? "/console/incidents" : "/console/queue").body()).as(role)
          .contains("<a href=\"/console/streams\">Streams</a>");
      assertThat(reader.get("/console/streams").status()).as(role).isEqualTo(200);
    }
  }
}
