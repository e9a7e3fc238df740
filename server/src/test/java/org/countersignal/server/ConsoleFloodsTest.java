package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.server.flood.Flood;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flood guard's page without a browser: curators see the entries held and release or disable
 * them with a reason, through the same service and with the same audit records as the API; a
 * decision without a reason, or on an entry no longer held, is refused on the page; auditors read
 * without forms and are refused a decision; reviewers and coordinators have no such page; bank
 * names and reasons with markup in them are shown as text. Each test makes its own flood: an
 * hour passes on the server's (test) clock after an entry is banked, then it is hit 110 times.
 */
class ConsoleFloodsTest {

  static final TestClock CLOCK = new TestClock();
  static final Random RANDOM = new Random(2026);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static Map<String, String> form(String csrf, String... pairs) {
    return ConsoleIncidentsTest.form(csrf, pairs);
  }

  /**
   * A new entry in a new bank named {@code bankName}, held by the flood guard. It is looked up
   * among the held floods rather than taken from the check's answer: the server's own
   * once-a-minute check may hold it first.
   */
  static Flood heldEntry(Api api, String key, CountersignalServer server, TestClock clock, Random random, String bankName) {
    Api.Response bank = api.post("/api/v1/banks", key, Api.JSON.createObjectNode().put("name", bankName).toString());
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    String pdq = MatchTest.randomPdq(random);
    long entry = ReplicaTest.entry(api, key, bank.json().get("id").asLong(), "pdq", pdq);
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 110; i++) {
      assertThat(TestServers.matches(api, key, "pdq", pdq)).isTrue();
    }
    server.floodGuard().check();
    return server.floodGuard().list("held", null, 500).stream().filter(f -> f.entryId() == entry).findFirst()
        .orElseThrow(() -> new AssertionError("entry " + entry + " is not held"));
  }

  static Flood heldEntry(String bankName) {
    return heldEntry(api, admin, server, CLOCK, RANDOM, bankName);
  }

  /** The row of flood {@code id} in the table {@code table} ({@code held-floods} or {@code decided-floods}). */
  static String row(String page, String table, long id) {
    Matcher section = Pattern.compile("<table id=\"" + table + "\">.*?</table>", Pattern.DOTALL).matcher(page);
    assertThat(section.find()).as("the table " + table + " is on the page").isTrue();
    Matcher m = Pattern.compile("<tr data-flood-id=\"" + id + "\">.*?</tr>", Pattern.DOTALL).matcher(section.group());
    assertThat(m.find()).as("flood " + id + " in " + table).isTrue();
    return m.group();
  }

  /** The page's section {@code id}. */
  static String section(String page, String id) {
    Matcher m = Pattern.compile("<section id=\"" + id + "\">.*?</section>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("the section " + id + " is on the page").isTrue();
    return m.group();
  }

  /** The error message above the page's content. */
  static String alert(String page) {
    Matcher m = Pattern.compile("<p class=\"notice error\" role=\"alert\">(.*?)</p>").matcher(page);
    assertThat(m.find()).as("an error message is shown").isTrue();
    return m.group(1);
  }

  /** The audit records of entry {@code entryId}: action and key, oldest first. */
  static List<String> audit(long entryId) {
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT action, actor_key_id FROM audit_log WHERE target_type = 'entry' AND target_id = :id ORDER BY id")
        .bind("id", Long.toString(entryId))
        .map((rs, ctx) -> rs.getString("action") + " by " + rs.getObject("actor_key_id", Long.class)).list());
  }

  static String state(long floodId) {
    return api.get("/api/v1/floods/" + floodId, admin).json().get("state").asText();
  }

  @Test
  void aCuratorReleasesAHeldEntryWithAReason() {
    Flood flood = heldEntry("attack stills");
    Api.Response made = api.post("/api/v1/keys", admin, "{\"role\":\"curator\",\"name\":\"night curator\"}");
    assertThat(made.status()).isEqualTo(201);
    long curatorKey = made.json().get("id").asLong();
    ConsoleClient curator = signedIn(made.json().get("key").asText());

    ConsoleClient.Page page = curator.get("/console/floods");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"/console/floods\" aria-current=\"page\">Floods</a>");
    String row = row(page.body(), "held-floods", flood.id());
    assertThat(row).contains("<td class=\"num\">" + flood.entryId() + "</td>").contains("attack stills")
        .contains("(bank " + flood.bankId() + ")").contains("<td class=\"num\">" + flood.matches() + "</td>")
        .contains("<td class=\"num\">0</td>")
        .contains("<time datetime=\"" + flood.heldAt() + "\">").contains("status-held")
        .contains("action=\"/console/floods/" + flood.id() + "/release\"").contains("action=\"/console/floods/" + flood.id() + "/disable\"");
    String csrf = page.csrf();

    assertThat(curator.post("/console/floods/" + flood.id() + "/release", Map.of("reason", "real copies")).status())
        .as("no CSRF token").isEqualTo(403);
    ConsoleClient.Page empty = curator.post("/console/floods/" + flood.id() + "/release", form(csrf, "reason", "  "));
    assertThat(empty.status()).isEqualTo(422);
    assertThat(alert(empty.body())).contains("reason: say why");
    assertThat(row(empty.body(), "held-floods", flood.id())).contains("id=\"release-" + flood.id() + "\"");
    assertThat(state(flood.id())).isEqualTo("held");

    ConsoleClient.Page released = curator.post("/console/floods/" + flood.id() + "/release",
        form(csrf, "reason", "The attack video is spreading:\nthese are real copies."));
    assertThat(released.status()).as(released.body()).isEqualTo(303);
    assertThat(released.header("Location")).isEqualTo("/console/floods?released=" + flood.id());
    assertThat(state(flood.id())).isEqualTo("released");
    assertThat(audit(flood.entryId())).containsSubsequence("flood.held by null", "flood.released by " + curatorKey)
        .noneMatch(action -> action.startsWith("entry.disabled"));

    ConsoleClient.Page after = curator.get(released.header("Location"));
    assertThat(after.body()).contains("<p class=\"notice\" role=\"status\">Entry " + flood.entryId()
        + " released: its hits act again, and it is not held again for 24 hours.</p>");
    assertThat(section(after.body(), "held")).doesNotContain("data-flood-id=\"" + flood.id() + "\"");
    assertThat(row(after.body(), "decided-floods", flood.id())).contains("status-released").contains("key " + curatorKey + " (night curator)")
        .contains("The attack video is spreading:<br>these are real copies.").doesNotContain("<form");

    // Decided once: a second decision is refused above the list, and changes nothing.
    ConsoleClient.Page again = curator.post("/console/floods/" + flood.id() + "/disable", form(csrf, "reason", "changed my mind"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(alert(again.body())).isEqualTo("flood " + flood.id() + " is released, not held");
    assertThat(again.body()).contains("id=\"decided-floods\"");
    assertThat(state(flood.id())).isEqualTo("released");
    assertThat(api.get("/api/v1/entries/" + flood.entryId(), admin).json().get("enabled").asBoolean()).isTrue();
    assertThat(curator.post("/console/floods/999999/release", form(csrf, "reason", "none")).status()).isEqualTo(404);
  }

  @Test
  void anAdminDisablesAnEntryAndMarkupInNamesAndReasonsIsShownAsText() {
    Flood flood = heldEntry("<script>alert(1)</script> imported list");
    String escapedName = "&lt;script&gt;alert(1)&lt;/script&gt; imported list";
    ConsoleClient console = signedIn(admin);
    ConsoleClient.Page page = console.get("/console/floods");
    assertThat(row(page.body(), "held-floods", flood.id())).contains(escapedName);
    assertThat(page.body()).doesNotContain("<script>alert(1)");

    // A refused reason is put back in its own form only, as text.
    String tooLong = "<b>meme</b> " + "x".repeat(2000);
    ConsoleClient.Page refused = console.post("/console/floods/" + flood.id() + "/disable", form(page.csrf(), "reason", tooLong));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(alert(refused.body())).contains("reason: at most 2000 characters");
    String refusedRow = row(refused.body(), "held-floods", flood.id());
    assertThat(refusedRow).contains("&lt;b&gt;meme&lt;/b&gt; xxx").doesNotContain("<b>meme");
    assertThat(refusedRow.indexOf("&lt;b&gt;meme")).as("in the disable form, not the release form")
        .isGreaterThan(refusedRow.indexOf("id=\"disable-" + flood.id() + "\""));

    String reason = "A meme <script>alert(2)</script> banked by mistake";
    ConsoleClient.Page disabled = console.post("/console/floods/" + flood.id() + "/disable", form(page.csrf(), "reason", reason));
    assertThat(disabled.header("Location")).isEqualTo("/console/floods?disabled=" + flood.id());
    ConsoleClient.Page after = console.get(disabled.header("Location"));
    assertThat(after.body()).contains("Entry " + flood.entryId() + " disabled: it no longer matches.");
    assertThat(row(after.body(), "decided-floods", flood.id())).contains(escapedName).contains("status-disabled")
        .contains("A meme &lt;script&gt;alert(2)&lt;/script&gt; banked by mistake");
    assertThat(after.body()).doesNotContain("<script>alert");

    assertThat(state(flood.id())).isEqualTo("disabled");
    var entry = api.get("/api/v1/entries/" + flood.entryId(), admin).json();
    assertThat(entry.get("enabled").asBoolean()).isFalse();
    assertThat(entry.get("disabled_reason").asText()).isEqualTo(reason);
    assertThat(audit(flood.entryId())).extracting(s -> s.substring(0, s.indexOf(" by ")))
        .containsSubsequence("flood.held", "entry.disabled", "flood.disabled");
  }

  @Test
  void auditorsReadWithoutFormsAndReviewersAndCoordinatorsHaveNoPage() {
    Flood flood = heldEntry("auditor's view");
    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));
    ConsoleClient.Page page = auditor.get("/console/floods");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"/console/floods\" aria-current=\"page\">Floods</a>");
    assertThat(row(page.body(), "held-floods", flood.id())).contains("auditor&#39;s view").doesNotContain("<form")
        .doesNotContain("<textarea");
    assertThat(page.body()).doesNotContain("action=\"/console/floods").doesNotContain("<th>decide</th>");
    ConsoleClient.Page refused = auditor.post("/console/floods/" + flood.id() + "/release", form(page.csrf(), "reason", "looks real"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("the auditor role may not use this page");
    assertThat(auditor.post("/console/floods/" + flood.id() + "/disable", form(page.csrf(), "reason", "looks fake")).status())
        .isEqualTo(403);
    assertThat(state(flood.id())).isEqualTo("held");

    // Only a decision that was taken is spoken of: a link cannot claim one.
    for (String link : List.of("?released=" + flood.id(), "?disabled=" + flood.id(), "?released=%3Cb%3E")) {
      assertThat(auditor.get("/console/floods" + link).body()).as(link).doesNotContain("class=\"notice");
    }

    for (String role : List.of("reviewer", "coordinator")) {
      ConsoleClient other = signedIn(TestServers.key(api, admin, role));
      assertThat(other.get("/console/floods").status()).as(role).isEqualTo(403);
      assertThat(other.get(role.equals("reviewer") ? "/console/queue" : "/console/incidents").body()).as(role)
          .doesNotContain("/console/floods");
    }
  }
}
