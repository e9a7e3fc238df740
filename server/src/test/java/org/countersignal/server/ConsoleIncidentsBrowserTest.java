package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents in a real headless Chromium: a coordinator declares one, fills its bank, raises its
 * level, takes it to monitoring and closes it, reading each step on its timeline; an auditor and
 * a curator read it without its forms. Screenshots go to the build folder's
 * {@code console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the readers look at the incident the coordinator ran
class ConsoleIncidentsBrowserTest {

  private static final String PASSWORD = "a long coordinator password";
  /** A still of the attack, as platforms hash it. */
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  /** The same still re-encoded and cropped: its first three hex digits inverted, 12 bits away. */
  private static final String VARIANT = "070" + PDQ.substring(3);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String platform;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;
  static long incident;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    for (String[] user : List.of(new String[] {"morgan", "coordinator"}, new String[] {"avery", "auditor"},
        new String[] {"casey", "curator"})) {
      TestServers.user(api, admin, user[0], PASSWORD, user[1]);
    }
    // Earlier incidents, so the list has more than one to tell apart.
    long manifesto = declared("{\"name\":\"Manifesto posted before the attack\",\"kind\":\"manifesto\",\"level\":\"content_incident\","
        + "\"region\":\"Northern Europe\"}");
    assertThat(api.patch("/api/v1/incidents/" + manifesto, admin, "{\"status\":\"closed\"}").status()).isEqualTo(200);
    long threat = declared("{\"name\":\"Threat against a school\",\"kind\":\"threat_to_life\",\"level\":\"incident\"}");
    assertThat(api.patch("/api/v1/incidents/" + threat, admin, "{\"status\":\"monitoring\"}").status()).isEqualTo(200);

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

  static long declared(String json) {
    Api.Response made = api.post("/api/v1/incidents", admin, json);
    assertThat(made.status()).as(made.header()).isEqualTo(201);
    return made.json().get("id").asLong();
  }

  static Page signIn(BrowserContext context, String username, String home) {
    return ConsoleBrowser.signIn(context, base, username, PASSWORD, home);
  }

  /** The timeline's "what" column, oldest first. */
  static List<String> timeline(Page page) {
    return page.locator("#timeline td.what").allTextContents();
  }

  /** A lookup by a platform that keeps what it asked: a submission of content {@code contentId}. */
  static void uploaded(String pdq, String contentId) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\""
        + contentId + "\"}}");
    assertThat(match.status()).as(match.header()).isEqualTo(200);
    assertThat(match.json().get("matches")).as(match.body()).hasSize(1);
  }

  @Test
  @Order(1)
  void aCoordinatorDeclaresAnIncidentAndRunsItToItsCloseOnTheTimeline() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "morgan", "/console/incidents");
      assertThat(page.locator("#signed-in-as").textContent()).isEqualTo("morgan · coordinator");
      assertThat(page.locator("nav a[href=\"/console/incidents\"]").getAttribute("aria-current")).isEqualTo("page");
      assertThat(page.locator("nav a[href=\"/console/queue\"]").count()).isZero();
      assertThat(page.locator("#declare-incident input[name=sharing][value=amber]").isChecked()).isTrue();

      page.fill("#declare-incident input[name=name]", "Harbour City attack, livestreamed");
      page.selectOption("#declare-incident select[name=kind]", "attack_livestreamed");
      page.selectOption("#declare-incident select[name=level]", "content_incident");
      page.fill("#declare-incident input[name=region]", "Harbour City");
      page.fill("#declare-incident input[name=started_at]", "2026-11-30T08:15");
      page.fill("#declare-incident textarea[name=description]", "The attacker streamed the attack for 17 minutes; copies are being "
          + "re-uploaded.");
      page.click("#declare-incident button[type=submit]");
      page.waitForURL("**/console/incidents?declared=*");
      incident = Long.parseLong(page.url().replaceAll(".*=", ""));
      assertThat(page.locator("p.notice").textContent()).isEqualTo("Incident " + incident + " declared.");
      Locator row = page.locator("#incidents tr[data-incident-id=\"" + incident + "\"]");
      assertThat(row.textContent()).contains("Harbour City attack, livestreamed").contains("attack livestreamed").contains("content incident")
          .contains("active").contains("Harbour City");
      assertThat(page.locator("#incidents tbody tr").count()).isEqualTo(3);
      chromium.shot(page, "incidents-01-list");

      page.click("#status-filter a:has-text('monitoring')");
      page.waitForURL("**/console/incidents?status=monitoring");
      assertThat(page.locator("#incidents tbody tr").allTextContents()).singleElement().asString().contains("Threat against a school");

      page.navigate(base + "/console/incidents");
      row.locator("a").click();
      page.waitForURL("**/console/incidents/" + incident);
      assertThat(page.locator("#facts").textContent()).contains("Attack livestreamed").contains("Content incident")
          .contains("2026-11-30 08:15 UTC").contains("0 entries").contains("amber");
      assertThat(timeline(page)).containsExactly("Declared as content incident: attack livestreamed");

      // A hash the form refuses, shown as the console shows refusals, with what was typed kept; then the right one.
      page.selectOption("#add-hash select[name=signal_type]", "pdq");
      page.fill("#add-hash input[name=signal]", "f8f8f0ce");
      page.fill("#add-hash input[name=note]", "first re-upload, video still");
      page.click("#add-hash button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).contains("pdq");
      assertThat(page.locator("#add-hash input[name=note]").inputValue()).isEqualTo("first re-upload, video still");
      chromium.shot(page, "incidents-02-hash-refused");
      page.fill("#add-hash input[name=signal]", PDQ);
      page.click("#add-hash button[type=submit]");
      page.waitForURL("**/console/incidents/" + incident + "?added=*");
      assertThat(page.locator("p.notice").textContent()).startsWith("Added to the incident's bank as entry ");
      assertThat(page.locator("#entry-count").textContent()).isEqualTo("1 entry");
      assertThat(timeline(page)).last().isEqualTo("Hash added (pdq f8f8f0ce…)");
      assertThat(page.locator("#timeline code").last().getAttribute("title")).isEqualTo(PDQ);

      page.selectOption("#change-level select[name=level]", "content_incident_protocol");
      page.click("#change-level button[type=submit]");
      page.waitForURL("**/console/incidents/" + incident + "?changed=level");
      assertThat(page.locator("p.notice").textContent()).isEqualTo("Level changed.");
      assertThat(timeline(page)).last().isEqualTo("Level raised from content incident to CIP");

      // Copies reach a platform: one exact, one edited.
      uploaded(PDQ, "video-4411");
      uploaded(VARIANT, "video-4412");
      page.reload();
      assertThat(timeline(page)).contains("First match here", "Variant found at distance 12");

      page.click("#status-monitoring");
      page.waitForURL("**/console/incidents/" + incident + "?changed=status");
      assertThat(page.locator("h1 .status").textContent()).isEqualTo("monitoring");
      assertThat(timeline(page)).last().isEqualTo("Moved to monitoring");
      chromium.shot(page, "incidents-03-detail");

      page.click("#status-closed");
      page.waitForURL("**/console/incidents/" + incident + "?changed=status");
      assertThat(page.locator("h1 .status").textContent()).isEqualTo("closed");
      assertThat(page.locator("#facts").textContent()).contains("Closed");
      assertThat(page.locator("#status-active").textContent()).isEqualTo("Reopen");
      assertThat(timeline(page)).containsExactly(
          "Declared as content incident: attack livestreamed",
          "Hash added (pdq f8f8f0ce…)",
          "Level raised from content incident to CIP",
          "First match here",
          "Variant found at distance 12",
          "Moved to monitoring",
          "Closed");
      // Who did it: the coordinator for each change and the hash (read from the entry), nobody for what the service saw.
      assertThat(page.locator("#timeline tbody tr td:nth-child(3)").allTextContents())
          .containsExactly("morgan", "morgan", "morgan", "—", "—", "morgan", "morgan");
      // The charts are drawn by the server and load under the console's policy; the debrief kept at the closing opens from them.
      for (String chart : List.of("matches", "peers")) {
        Object width = page.evalOnSelector("#charts img[src='/console/incidents/" + incident + "/charts/" + chart + ".png']",
            "img => img.complete ? img.naturalWidth : -1");
        assertThat(((Number) width).intValue()).as(chart).isEqualTo(900);
      }
      chromium.shot(page, "incidents-04-closed");
      APIResponse pdf = context.request().get(base + "/console/incidents/" + incident + "/debrief.pdf");
      assertThat(pdf.status()).isEqualTo(200);
      assertThat(pdf.headers().get("content-type")).isEqualTo("application/pdf");
      assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
      page.click("#charts a[href$='/debrief.html']");
      page.waitForURL("**/console/incidents/" + incident + "/debrief.html");
      assertThat(page.locator("h1").textContent()).contains("Incident " + incident);
      assertThat(page.locator("p.kept").textContent()).startsWith("Made when the incident was closed");
      page.goBack();

      page.click("#entries-link");
      page.waitForURL("**/console/incidents/" + incident + "/entries");
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(1);
      assertThat(page.locator("#entries").textContent()).contains("pdq f8f8f0ce…").contains("first re-upload, video still");
      chromium.shot(page, "incidents-05-entries");
    }
    JsonNode after = api.get("/api/v1/incidents/" + incident, admin).json();
    assertThat(after.get("level").asText()).isEqualTo("content_incident_protocol");
    assertThat(after.get("status").asText()).isEqualTo("closed");
    assertThat(after.get("closed_at").isNull()).isFalse();
  }

  @Test
  @Order(2)
  void anAuditorReadsTheIncidentWithoutFormsAndIsRefusedAChange() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "avery", "/console/queue");
      page.click("nav a[href=\"/console/incidents\"]");
      page.waitForURL("**/console/incidents");
      assertThat(page.locator("#declare-incident").count()).isZero();
      page.click("#incidents a[href=\"/console/incidents/" + incident + "\"]");
      page.waitForURL("**/console/incidents/" + incident);
      assertThat(timeline(page)).hasSize(7);
      assertThat(page.locator("#change-level, #change-status, #add-hash").count()).isZero();
      chromium.shot(page, "incidents-06-auditor");

      // Through the browser's own session and token, a change is still refused.
      String csrf = page.locator("input[name=csrf]").first().inputValue();
      APIResponse refused = context.request().post(base + "/console/incidents/" + incident + "/status",
          RequestOptions.create().setForm(FormData.create().set("csrf", csrf).set("status", "active")).setMaxRedirects(0));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.text()).contains("the auditor role may not use this page");
    }
    assertThat(api.get("/api/v1/incidents/" + incident, admin).json().get("status").asText()).isEqualTo("closed");
  }

  @Test
  @Order(3)
  void aCuratorCannotDeclareAnIncident() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "casey", "/console/queue");
      page.navigate(base + "/console/incidents");
      assertThat(page.locator("#incidents tbody tr").count()).isEqualTo(3);
      assertThat(page.locator("#declare-incident").count()).isZero();
      String csrf = page.locator("input[name=csrf]").first().inputValue();
      APIResponse refused = context.request().post(base + "/console/incidents", RequestOptions.create()
          .setForm(FormData.create().set("csrf", csrf).set("name", "not mine to declare").set("kind", "manifesto").set("level", "incident"))
          .setMaxRedirects(0));
      assertThat(refused.status()).isEqualTo(403);
    }
    assertThat(api.get("/api/v1/incidents", admin).json().get("items")).hasSize(3);
  }
}
