package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.countersignal.server.transparency.ReportHtml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transparency reports in a real headless Chromium: an admin previews a period, is refused a
 * period not yet over with what was typed kept, publishes (audited as the API audits it), finds
 * the report listed and verified, opens it and downloads its files through the console session,
 * which are the API's files with the API's headers; an auditor reads and previews but has no
 * publish form, and a forged publish is refused; reviewers, curators and coordinators get none of
 * it; a title and statements an attacker wrote are shown as text.
 */
class ConsoleTransparencyBrowserTest {

  private static final String PASSWORD = "a long transparency password";
  private static final String HOSTILE = ConsoleAccessibilityTest.HOSTILE;
  private static final Random RANDOM = new Random(7_3);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dataDir;
  static final TestClock CLOCK = new TestClock();
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String platform;
  static String base;
  static ConsoleBrowser chromium;

  @BeforeAll
  static void start() throws Exception {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir, CLOCK);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    TestServers.user(api, admin, "ada", PASSWORD, "admin");
    TestServers.user(api, admin, "ines", PASSWORD, "auditor");
    chromium = ConsoleBrowser.launch();
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
  void anAdminPreviewsPublishesOpensAndDownloadsAReport() throws Exception {
    // Three uploads on one day, two of them matching a bank whose rule removes at once; then two days on, so the day is over.
    CLOCK.advance(Duration.ofDays(10));
    LocalDate day = today();
    long bank = bankWithRule("tr console bank");
    matchBanked(bank, "post-1");
    matchBanked(bank, "post-2");
    match(MatchTest.randomPdq(RANDOM), "post-3");
    CLOCK.advance(Duration.ofDays(2));
    String title = "Report " + HOSTILE;
    String measures = "Hash matching.\n" + HOSTILE;

    int before = api.get("/api/v1/transparency-reports", admin).json().get("items").size();
    try (BrowserContext context = chromium.browser().newContext()) {
      List<String> dialogs = new ArrayList<>();
      Page page = ConsoleBrowser.signIn(context, base, "ada", PASSWORD, "/console/queue");
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.click("nav a[href=\"/console/transparency\"]");
      page.waitForURL("**/console/transparency");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Transparency");
      assertThat(page.locator("#transparency-publish").count()).isEqualTo(1);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-01-list-admin");

      // The day previewed: counted now, not kept, and the publish form has its dates.
      page.fill("#transparency-preview input[name=from]", day.toString());
      page.fill("#transparency-preview input[name=to]", day.plusDays(1).toString());
      page.click("#transparency-preview button[type=submit]");
      page.waitForURL(url -> url.contains("/console/transparency/preview?from=" + day));
      assertThat(page.locator("h1").textContent()).startsWith("Preview: ");
      assertThat(page.locator("#transparency-preview-status").textContent()).contains("not published");
      assertThat(total(page, "content_checked")).isEqualTo("3");
      assertThat(total(page, "content_matched")).isEqualTo("2");
      assertThat(page.locator("#transparency-tco tbody tr").count()).isEqualTo(7);
      assertThat(page.locator("#transparency-publish input[name=from]").inputValue()).isEqualTo(day.toString());
      assertThat(page.locator("#transparency-publish input[name=to]").inputValue()).isEqualTo(day.plusDays(1).toString());
      assertThat(api.get("/api/v1/transparency-reports", admin).json().get("items").size()).isEqualTo(before);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-02-preview");

      // A period not yet over is refused, above the form, with everything typed kept.
      page.fill("#transparency-publish input[name=title]", title);
      page.fill("#transparency-publish input[name=to]", today().plusDays(1).toString());
      page.fill("#transparency-publish textarea[name=measures]", measures);
      page.fill("#transparency-publish input[name=review_proceedings]", "2");
      page.fill("#transparency-publish textarea[name=review_outcomes]", "Both pending. " + HOSTILE);
      Response refused = page.waitForResponse(r -> r.url().endsWith("/console/transparency") && r.request().method().equals("POST"),
          () -> page.click("#transparency-publish button[type=submit]"));
      assertThat(refused.status()).isEqualTo(422);
      assertThat(page.locator("p.notice.error[role=alert]").textContent()).contains("the period has not ended yet");
      assertThat(page.locator("#transparency-publish input[name=title]").inputValue()).isEqualTo(title);
      assertThat(page.locator("#transparency-publish input[name=from]").inputValue()).isEqualTo(day.toString());
      assertThat(page.locator("#transparency-publish textarea[name=measures]").inputValue()).isEqualTo(measures);
      assertThat(page.locator("#transparency-publish input[name=review_proceedings]").inputValue()).isEqualTo("2");
      assertThat(page.locator("#transparency-publish textarea[name=review_outcomes]").inputValue()).isEqualTo("Both pending. " + HOSTILE);
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-03-refused-kept");

      // Published: listed first, verified, by ada.
      page.fill("#transparency-publish input[name=to]", day.plusDays(1).toString());
      page.click("#transparency-publish button[type=submit]");
      page.waitForURL("**/console/transparency?published=*");
      long id = Long.parseLong(page.url().replaceAll(".*published=", ""));
      assertThat(page.locator("p.notice[role=status]").textContent()).isEqualTo("Report " + id + " published. Its figures are final.");
      var row = page.locator("#transparency-reports tbody tr").first();
      assertThat(row.getAttribute("data-report-id")).isEqualTo(Long.toString(id));
      assertThat(row.locator("td.transparency-title").textContent()).isEqualTo(title);
      assertThat(row.textContent()).contains(day.getDayOfMonth() + " ").contains("ada").contains("holds");
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-04-published-listed");

      // Audited as the API audits it, by ada's key.
      JsonNode published = audited(id);
      assertThat(published.get("actor_key_id").asLong()).isEqualTo(keyIdOfUser("ada"));
      assertThat(published.get("after").get("title").asText()).isEqualTo(title);

      // Its page: the headline figures, the publisher's statements as written, its verification.
      row.locator("td.transparency-title a").click();
      page.waitForURL("**/console/transparency/" + id);
      assertThat(page.title()).isEqualTo(title + " · Countersignal");
      assertThat(page.locator("#transparency-report-title").textContent()).isEqualTo(title);
      assertThat(page.locator("#transparency-intact").textContent()).startsWith("intact");
      assertThat(page.locator("#transparency-reproduced").textContent()).startsWith("reproduced");
      assertThat(page.locator("#transparency-tco tr[data-point=\"7(3)(a)\"] .transparency-answer").textContent()).isEqualTo(measures);
      assertThat(page.locator("#transparency-tco tr[data-point=\"7(3)(e)\"] .transparency-answer").textContent())
          .isEqualTo("2. Both pending. " + HOSTILE);
      assertThat(total(page, "content_checked")).isEqualTo("3");
      assertThat(total(page, "actions")).isEqualTo("2");
      JsonNode verification = api.get("/api/v1/transparency-reports/" + id + "/verification", admin).json();
      assertThat(page.locator("#transparency-verification").textContent()).contains(verification.get("sha256").asText());
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-05-report");

      // Its files through the session, each the API's, with the API's headers.
      APIResponse csv = page.request().get(base + "/console/transparency/" + id + "/report.csv");
      assertThat(csv.status()).isEqualTo(200);
      assertThat(csv.headers().get("content-type")).isEqualTo("text/csv; charset=utf-8");
      assertThat(csv.headers().get("content-disposition")).isEqualTo("attachment; filename=\"transparency-report-" + id + ".csv\"");
      assertThat(csv.headers().get("x-content-type-options")).isEqualTo("nosniff");
      assertThat(csv.text()).startsWith("figure,breakdown,value,count,unit\r\ncontent_checked,total,,3,")
          .isEqualTo(new String(apiFile(id, "report.csv"), StandardCharsets.UTF_8));

      APIResponse pdf = page.request().get(base + "/console/transparency/" + id + "/report.pdf");
      assertThat(pdf.status()).isEqualTo(200);
      assertThat(pdf.headers().get("content-type")).isEqualTo("application/pdf");
      assertThat(pdf.headers().get("content-disposition")).isEqualTo("attachment; filename=\"transparency-report-" + id + ".pdf\"");
      assertThat(pdf.headers().get("x-content-type-options")).isEqualTo("nosniff");
      // The same report as the API's file; only the PDF's own random file identifier differs between two renderings.
      assertThat(pdfText(pdf.body())).contains("Report <script>alert('x')</script>").contains("7(3)(a)")
          .isEqualTo(pdfText(apiFile(id, "report.pdf")));

      APIResponse html = page.request().get(base + "/console/transparency/" + id + "/report.html");
      assertThat(html.status()).isEqualTo(200);
      assertThat(html.headers().get("content-type")).isEqualToIgnoringWhitespace("text/html; charset=utf-8");
      assertThat(html.headers().get("content-security-policy")).isEqualTo(ReportHtml.POLICY);
      assertThat(html.headers().get("x-content-type-options")).isEqualTo("nosniff");
      assertThat(html.headers().get("content-disposition")).startsWith("attachment;");
      assertThat(html.text()).isEqualTo(new String(apiFile(id, "report.html"), StandardCharsets.UTF_8)).doesNotContain("<script>");

      APIResponse json = page.request().get(base + "/console/transparency/" + id + "/report.json");
      assertThat(json.status()).isEqualTo(200);
      assertThat(json.headers().get("content-type")).isEqualTo("application/json");
      assertThat(json.body()).isEqualTo(apiFile(id, ""));
      APIResponse sheet = page.request().get(base + "/console/transparency/" + id + "/dsa/4_notices.csv");
      assertThat(sheet.status()).isEqualTo(200);
      assertThat(sheet.text()).isEqualTo(new String(apiFile(id, "dsa/4_notices.csv"), StandardCharsets.UTF_8));
      assertThat(page.request().get(base + "/console/transparency/" + id + "/dsa/9_human_resources.csv").status()).isEqualTo(404);
      assertThat(page.request().get(base + "/console/transparency/999999/report.csv").status()).isEqualTo(404);
      // Every link on the page is served.
      for (String href : page.locator("#transparency-downloads a").all().stream().map(a -> a.getAttribute("href")).toList()) {
        assertThat(page.request().get(base + href).status()).as(href).isEqualTo(200);
      }
      assertThat(dialogs).isEmpty();
    }

    // Without a session, no file.
    try (BrowserContext stranger = chromium.browser().newContext()) {
      assertThat(stranger.request().get(base + "/console/transparency/1/report.csv").status()).isEqualTo(401);
    }
  }

  @Test
  void anAuditorReadsAndPreviewsButCannotPublish() {
    long id = publishByApi("Audited " + HOSTILE);
    int before = api.get("/api/v1/transparency-reports", admin).json().get("items").size();
    try (BrowserContext context = chromium.browser().newContext()) {
      List<String> dialogs = new ArrayList<>();
      Page page = ConsoleBrowser.signIn(context, base, "ines", PASSWORD, "/console/queue");
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.click("nav a[href=\"/console/transparency\"]");
      page.waitForURL("**/console/transparency");
      assertThat(page.locator("#transparency-publish").count()).isZero();
      assertThat(page.locator("#transparency-preview").count()).isEqualTo(1);
      var row = page.locator("#transparency-reports tr[data-report-id=\"" + id + "\"]");
      assertThat(row.locator("td.transparency-title").textContent()).isEqualTo("Audited " + HOSTILE);
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-06-list-auditor");

      row.locator("td.transparency-title a").click();
      page.waitForURL("**/console/transparency/" + id);
      assertThat(page.locator("#transparency-report-title").textContent()).isEqualTo("Audited " + HOSTILE);
      assertThat(page.locator("#transparency-verification").textContent()).contains("holds");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "transparency-07-report-auditor");
      assertThat(page.request().get(base + "/console/transparency/" + id + "/report.pdf").status()).isEqualTo(200);

      LocalDate day = today().minusDays(3);
      Response preview = page.navigate(base + "/console/transparency/preview?from=" + day + "&to=" + day.plusDays(1));
      assertThat(preview.status()).isEqualTo(200);
      assertThat(page.locator("#transparency-figures").count()).isEqualTo(1);
      assertThat(page.locator("#transparency-publish").count()).isZero();
      ConsoleBrowser.assertAccessible(page);

      // A bad period: refused with the form, the dates as typed.
      Response bad = page.navigate(base + "/console/transparency/preview?from=" + day + "&to=" + day.minusDays(1));
      assertThat(bad.status()).isEqualTo(422);
      assertThat(page.locator("p.notice.error[role=alert]").textContent()).contains("must come after from");
      assertThat(page.locator("#transparency-preview input[name=to]").inputValue()).isEqualTo(day.minusDays(1).toString());
      ConsoleBrowser.assertAccessible(page);

      // With the session's own token, so only the role stands in the way.
      String csrf = page.locator("header input[name=csrf]").getAttribute("value");
      APIResponse forged = page.request().post(base + "/console/transparency", RequestOptions.create()
          .setForm(FormData.create().set("csrf", csrf).set("title", "forged").set("from", day.toString()).set("to", day.plusDays(1).toString()))
          .setMaxRedirects(0));
      assertThat(forged.status()).isEqualTo(403);
      assertThat(dialogs).isEmpty();
    }
    assertThat(api.get("/api/v1/transparency-reports", admin).json().get("items").size()).isEqualTo(before);
  }

  @Test
  void otherRolesGetNoneOfIt() {
    long id = publishByApi("Not for everyone");
    for (String role : List.of("reviewer", "curator", "coordinator")) {
      String key = TestServers.key(api, admin, role);
      try (BrowserContext context = chromium.browser().newContext()) {
        Page page = signInWithKey(context, key, role.equals("coordinator") ? "/console/incidents" : "/console/queue");
        assertThat(page.locator("nav a[href=\"/console/transparency\"]").count()).as(role).isZero();
        for (String address : List.of("/console/transparency", "/console/transparency/" + id,
            "/console/transparency/preview?from=2026-01-01&to=2026-02-01")) {
          Response answer = page.navigate(base + address);
          assertThat(answer.status()).as(role + " " + address).isEqualTo(403);
          assertThat(page.locator("h1").textContent()).isEqualTo("Not allowed");
        }
        ConsoleBrowser.assertAccessible(page);
        chromium.shot(page, "transparency-08-refused-" + role);
        for (String file : List.of("report.csv", "report.pdf", "report.html", "report.json", "dsa/4_notices.csv")) {
          assertThat(page.request().get(base + "/console/transparency/" + id + "/" + file).status()).as(role + " " + file).isEqualTo(403);
        }
        String csrf = page.locator("header input[name=csrf]").getAttribute("value");
        APIResponse forged = page.request().post(base + "/console/transparency", RequestOptions.create()
            .setForm(FormData.create().set("csrf", csrf).set("title", "forged").set("from", "2026-01-01").set("to", "2026-02-01"))
            .setMaxRedirects(0));
        assertThat(forged.status()).as(role).isEqualTo(403);
      }
    }
  }

  private static String total(Page page, String figure) {
    return page.locator("#transparency-figures tr[data-figure=\"" + figure + "\"] td.num").textContent();
  }

  private static LocalDate today() {
    return CLOCK.now().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
  }

  /** A report of a day that is over, published through the API. */
  private static long publishByApi(String title) {
    LocalDate day = today().minusDays(1);
    Api.Response published = api.post("/api/v1/transparency-reports", admin, "{\"title\":" + ConsoleAccessibilityTest.quote(title)
        + ",\"from\":\"" + day + "\",\"to\":\"" + day.plusDays(1) + "\",\"measures\":" + ConsoleAccessibilityTest.quote(HOSTILE) + "}");
    assertThat(published.status()).as(published.body()).isEqualTo(201);
    return published.json().get("id").asLong();
  }

  private static String pdfText(byte[] pdf) throws Exception {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document);
    }
  }

  private static byte[] apiFile(long id, String file) throws Exception {
    HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/transparency-reports/" + id
        + (file.isEmpty() ? "" : "/" + file))).header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.statusCode()).isEqualTo(200);
    return answer.body();
  }

  private static JsonNode audited(long id) {
    for (JsonNode event : api.get("/api/v1/audit?limit=1000", admin).json().get("items")) {
      if ("transparency_report.published".equals(event.get("action").asText()) && Long.toString(id).equals(event.get("target_id").asText())) {
        return event;
      }
    }
    throw new AssertionError("no audit record of publishing report " + id);
  }

  private static long keyIdOfUser(String username) {
    for (JsonNode user : api.get("/api/v1/users", admin).json().get("items")) {
      if (username.equals(user.get("username").asText())) {
        return user.get("key_id").asLong();
      }
    }
    throw new AssertionError("no user named " + username);
  }

  private static long bankWithRule(String name) {
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\",\"labels\":[\"attacker_manifesto\"]}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    long id = bank.json().get("id").asLong();
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + " rule\",\"action\":\"remove\",\"review_first\":false,"
        + "\"conditions\":{\"banks\":[" + id + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    return id;
  }

  private static void matchBanked(long bank, String contentId) {
    String pdq = MatchTest.randomPdq(RANDOM);
    assertThat(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}").status()).isEqualTo(201);
    match(pdq, contentId);
  }

  private static void match(String pdq, String contentId) {
    Api.Response matched = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId + "\"}}");
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
  }

  private static Page signInWithKey(BrowserContext context, String key, String home) {
    Page page = context.newPage();
    page.navigate(base + "/console/sign-in");
    page.fill("#key-sign-in input[name=key]", key);
    page.click("#key-sign-in button[type=submit]");
    page.waitForURL("**" + home);
    return page;
  }
}
