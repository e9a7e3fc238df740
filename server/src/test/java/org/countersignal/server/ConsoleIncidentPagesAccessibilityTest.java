package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident pages (list, declare form, an incident with its timeline and forms, a peer's
 * proposal, an incident's entries) and a report case's reports, with text an attacker or a user
 * could write in every field they show: names, regions, descriptions, notes, labels, the reasons
 * an entry was disabled, key names, peers' names, what a timeline event carries, what a reporter
 * wrote. Each page, its refusals included, must pass axe-core's WCAG 2.2 A and AA rules and show
 * that text as text: no dialog opens and no element is added.
 */
class ConsoleIncidentPagesAccessibilityTest {

  static final String HOSTILE = ConsoleAccessibilityTest.HOSTILE;
  /** A peer's instance id has at most 64 characters: the hostile text without its script element. */
  static final String HOSTILE_PEER = "<img src=x onerror=alert('y')>\"'><b>bold</b>";
  static final String PASSWORD = "a long coordinator password";
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String MD5 = "0123456789abcdef0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;
  /** The coordinator key, named by someone hostile, that declared the incident and filled its bank. */
  static long hostileKeyId;
  static long incident;
  static long proposal;
  static long reportCase;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "morgan", PASSWORD, "coordinator");
    TestServers.user(api, admin, "avery", PASSWORD, "auditor");
    TestServers.user(api, admin, "riley", PASSWORD, "reviewer");
    Api.Response key = api.post("/api/v1/keys", admin, "{\"role\":\"coordinator\",\"name\":" + json(HOSTILE) + "}");
    assertThat(key.status()).as(key.body()).isEqualTo(201);
    String coordinator = key.json().get("key").asText();
    hostileKeyId = key.json().get("id").asLong();

    Api.Response made = api.post("/api/v1/incidents", coordinator, "{\"name\":" + json("Attack " + HOSTILE) + ",\"kind\":\"manifesto\","
        + "\"level\":\"content_incident\",\"region\":" + json(HOSTILE) + ",\"description\":" + json(HOSTILE + "\n\nsecond " + HOSTILE
        + "\nits last line") + "}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    incident = made.json().get("id").asLong();
    long bank = made.json().get("bank_id").asLong();
    for (String signal : List.of("\"pdq\":\"" + PDQ + "\"", "\"md5\":\"" + MD5 + "\"")) {
      Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", coordinator, "{\"signals\":{" + signal + "},\"note\":"
          + json(HOSTILE) + "}");
      assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    }
    proposal = api.post("/api/v1/incidents", admin, "{\"name\":" + json("Shared " + HOSTILE) + ",\"kind\":\"threat_to_life\","
        + "\"level\":\"incident\"}").json().get("id").asLong();

    // What the API checks or never takes from a person (labels from the taxonomy, a peer's name, what the
    // service saw), written as a peer's feed or a later version could bring it.
    try (Database database = TestServers.openDatabase(dataDir)) {
      database.jdbi().useHandle(h -> {
        h.createUpdate("UPDATE banks SET labels = :labels WHERE id = :bank").bind("labels", json(List.of(HOSTILE))).bind("bank", bank)
            .execute();
        h.createUpdate("UPDATE entries SET labels = :labels WHERE bank_id = :bank").bind("labels", json(List.of(HOSTILE)))
            .bind("bank", bank).execute();
        h.createUpdate("UPDATE entries SET enabled = FALSE, disabled_reason = :reason WHERE bank_id = :bank AND id = "
            + "(SELECT MAX(id) FROM entries WHERE bank_id = :bank)").bind("reason", HOSTILE).bind("bank", bank).execute();
        event(h, incident, "first_match_on_peer", HOSTILE_PEER, Map.of("submissions", HOSTILE));
        event(h, incident, "variant_found", null, Map.of("signal_type", "text", "signal", HOSTILE, "distance", HOSTILE, "entry_id", 1));
        event(h, incident, "entry_removed", null, Map.of("signal_type", "pdq", "signal", HOSTILE, "origin", HOSTILE_PEER));
        event(h, incident, "changed", null, Map.of(HOSTILE, HOSTILE));
        event(h, incident, "kind_" + "from_a_later_version", HOSTILE_PEER, Map.of(HOSTILE, HOSTILE));
        h.createUpdate("UPDATE incidents SET status = 'proposed', origin = :peer, origin_id = 7 WHERE id = :id").bind("peer", HOSTILE_PEER)
            .bind("id", proposal).execute();
        event(h, proposal, "proposed", HOSTILE_PEER, Map.of("note", HOSTILE));
      });
    }

    String platform = TestServers.key(api, admin, "matcher");
    Api.Response report = api.post("/api/v1/reports", platform, "{\"reporter_id\":" + json("tf " + HOSTILE_PEER) + ",\"reporter_kind\":"
        + "\"trusted_flagger\",\"reporter_account_age_days\":3000,\"reason\":\"glorification\",\"details\":" + json(HOSTILE)
        + ",\"content_id\":\"post-77\",\"account\":\"acct-9\"}");
    assertThat(report.status()).as(report.body()).isEqualTo(201);
    reportCase = report.json().at("/report/case_id").asLong();

    chromium = ConsoleBrowser.launch();
    browser = chromium.browser();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theListAndTheDeclareFormWithItsRefusal() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "morgan", PASSWORD, "/console/incidents");
      List<String> dialogs = watchDialogs(page);
      assertThat(page.locator("#incidents tr[data-incident-id=\"" + incident + "\"]").textContent())
          .contains("Attack " + HOSTILE).contains("manifesto" + "content incident" + "active" + HOSTILE);
      checked(page, "incident-a11y-01-list");

      page.navigate(base + "/console/incidents?status=proposed");
      assertThat(page.locator("#incidents tbody tr").allTextContents()).singleElement().asString().contains("Shared " + HOSTILE);
      checked(page, "incident-a11y-02-list-proposed");
      page.navigate(base + "/console/incidents?status=declined");
      assertThat(page.locator("#no-incidents").textContent()).isEqualTo("No incidents declined.");
      checked(page, "incident-a11y-03-list-none");

      // Refused for its empty name: the message, and what was typed kept as it was typed.
      page.navigate(base + "/console/incidents");
      page.fill("#declare-incident input[name=name]", " ");
      page.fill("#declare-incident input[name=region]", HOSTILE);
      page.fill("#declare-incident textarea[name=description]", HOSTILE);
      page.check("#declare-incident input[name=sharing][value=red]");
      page.click("#declare-incident button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).contains("name");
      assertThat(page.locator("#declare-incident input[name=region]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#declare-incident textarea[name=description]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#declare-incident input[name=sharing][value=red]").isChecked()).isTrue();
      checked(page, "incident-a11y-04-declare-refused");
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }

  @Test
  void anIncidentItsTimelineAndItsRefusedHash() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "morgan", PASSWORD, "/console/incidents");
      List<String> dialogs = watchDialogs(page);
      page.navigate(base + "/console/incidents/" + incident);
      assertThat(page.title()).isEqualTo("Attack " + HOSTILE + " · Countersignal");
      assertThat(page.locator("h1").textContent()).isEqualTo("Attack " + HOSTILE + " active");
      assertThat(page.locator("#facts").textContent()).contains("Region" + HOSTILE).contains("labels " + HOSTILE);
      assertThat(page.locator("#facts .description p").allTextContents()).containsExactly(HOSTILE, "second " + HOSTILE + "its last line");
      String key = "key " + hostileKeyId + " (" + HOSTILE + ")";
      // It declared the incident and added both entries.
      assertThat(page.locator("#timeline tbody tr td:nth-child(3)").allTextContents()).contains("peer " + HOSTILE_PEER)
          .filteredOn(key::equals).hasSize(3);
      assertThat(page.locator("#timeline td.what").allTextContents()).contains("First match at peer " + HOSTILE_PEER,
          "Variant found at distance " + HOSTILE, "Details changed: " + HOSTILE, "kind from a later version");
      assertThat(page.locator("#timeline td.detail").allTextContents()).contains("submissions: " + HOSTILE, "from " + HOSTILE_PEER,
          HOSTILE + ": " + HOSTILE);
      assertThat(page.locator("#timeline tr[data-kind=variant_found] code").getAttribute("title")).isEqualTo(HOSTILE);
      assertThat(page.locator("#timeline tr[data-kind=entry_removed] td.what").textContent()).isEqualTo("Hash removed (pdq <script>…)");
      checked(page, "incident-a11y-05-detail");

      page.fill("#add-hash input[name=signal]", HOSTILE);
      page.fill("#add-hash input[name=note]", HOSTILE);
      page.click("#add-hash button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).contains("pdq");
      assertThat(page.locator("#add-hash input[name=signal]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#add-hash input[name=note]").inputValue()).isEqualTo(HOSTILE);
      checked(page, "incident-a11y-06-hash-refused");
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }

  @Test
  void aPeersProposal() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "morgan", PASSWORD, "/console/incidents");
      List<String> dialogs = watchDialogs(page);
      page.navigate(base + "/console/incidents/" + proposal);
      assertThat(page.locator("#proposal p").textContent()).startsWith("Shared by peer " + HOSTILE_PEER + ": accept it");
      assertThat(page.locator("#proposal button").allTextContents()).containsExactly("Accept", "Decline");
      assertThat(page.locator("#facts").textContent()).contains("Shared bypeer " + HOSTILE_PEER + ", its incident 7");
      assertThat(page.locator("#timeline td.what").allTextContents()).contains("Proposed by peer " + HOSTILE_PEER);
      checked(page, "incident-a11y-07-proposal");
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }

  @Test
  void anIncidentsEntriesAsAnAuditorReadsThem() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "avery", PASSWORD, "/console/queue");
      List<String> dialogs = watchDialogs(page);
      page.navigate(base + "/console/incidents/" + incident);
      assertThat(page.locator("#change-level, #change-status, #add-hash").count()).isZero();
      checked(page, "incident-a11y-08-detail-auditor");
      page.click("#entries-link");
      page.waitForURL("**/console/incidents/" + incident + "/entries");
      assertThat(page.locator("h1").textContent()).isEqualTo("Entries of Attack " + HOSTILE);
      assertThat(page.locator("p.back a").textContent()).isEqualTo("← Attack " + HOSTILE);
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(2);
      assertThat(page.locator("#entries tbody td:nth-child(3)").allTextContents()).allSatisfy(cell -> assertThat(cell).contains(HOSTILE));
      assertThat(page.locator("#entries tbody td:nth-child(4)").allTextContents()).containsExactly(HOSTILE, HOSTILE);
      assertThat(page.locator("#entries tbody td:nth-child(5) .muted").allTextContents())
          .containsOnly("by key " + hostileKeyId + " (" + HOSTILE + ")");
      assertThat(page.locator("#entries tbody td:nth-child(6)").allTextContents()).contains("no" + HOSTILE);
      checked(page, "incident-a11y-09-entries");
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }

  @Test
  void aReportCasesReports() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "riley", PASSWORD, "/console/queue");
      List<String> dialogs = watchDialogs(page);
      page.navigate(base + "/console/cases/" + reportCase);
      assertThat(page.locator("#report-list tbody tr").count()).isEqualTo(1);
      assertThat(page.locator("#report-list tbody td:nth-child(2)").textContent()).startsWith("trusted flagger tf " + HOSTILE_PEER);
      assertThat(page.locator("#report-list tbody td:nth-child(4)").textContent()).isEqualTo(HOSTILE);
      assertThat(page.locator("#reports > p").textContent()).isEqualTo("1 reporter, 1 of them trusted flaggers.");
      checked(page, "incident-a11y-10-reports");
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }

  /** Takes the screenshot, checks the page with axe-core and that no stored text became an element. */
  static void checked(Page page, String name) {
    chromium.shot(page, name);
    ConsoleBrowser.assertAccessible(page);
    assertThat(page.locator("img[src=x], main b, main script").count()).as("markup from stored text on " + page.url()).isZero();
  }

  static List<String> watchDialogs(Page page) {
    List<String> dialogs = new ArrayList<>();
    page.onDialog(dialog -> {
      dialogs.add(dialog.message());
      dialog.dismiss();
    });
    return dialogs;
  }

  /** Puts an event on an incident's timeline, as the service or a peer's feed does. */
  static void event(org.jdbi.v3.core.Handle h, long incidentId, String kind, String peer, Map<String, Object> detail) {
    h.createUpdate("INSERT INTO incident_events (incident_id, occurred_at, kind, actor_key_id, peer, detail) "
            + "VALUES (:incident, CURRENT_TIMESTAMP, :kind, NULL, :peer, :detail)")
        .bind("incident", incidentId).bind("kind", kind).bind("peer", peer).bind("detail", json(detail)).execute();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
