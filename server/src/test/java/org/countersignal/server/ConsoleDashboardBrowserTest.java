package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.countersignal.server.exchange.ExchangeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium: its figures agree with what the test made through
 * the API (matches by the hour, cases open, claimed and escalated, an appeal and a removal order
 * past their deadlines, a working and a failing exchange), each figure leads to its list when
 * the viewer may open it, and an exchange's hostile name shows as text.
 */
class ConsoleDashboardBrowserTest {

  private static final String PASSWORD = "a long dashboard password";
  private static final String HOSTILE = ConsoleAccessibilityTest.HOSTILE;

  @TempDir static Path dataDir;
  static final TestClock CLOCK = new TestClock();
  static final Random RANDOM = new Random(43);
  static final ExchangeSettings FAST = ExchangeSettings.DEFAULT.withPollInterval(Duration.ofMillis(200))
      .withRequestTimeout(Duration.ofSeconds(2));
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    ConsoleBrowser.requireChromium();
    server = CountersignalServer.builder(TestServers.config(dataDir)).clock(CLOCK).exchangeSettings(FAST).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "morgan", PASSWORD, "curator");
    TestServers.user(api, admin, "sasha", PASSWORD, "coordinator");
    TestServers.user(api, admin, "remy", PASSWORD, "reviewer");
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
  void theFiguresAgreeWithWhatWasMadeAndLeadToTheirLists() throws IOException {
    String platform = TestServers.key(api, admin, "matcher");
    String alice = TestServers.key(api, admin, "reviewer");
    String bob = TestServers.key(api, admin, "reviewer");
    String coordinator = TestServers.key(api, admin, "coordinator");

    // Content removed, and its appeal; an order; then fifteen days: the appeal and the order are overdue.
    String removedPdq = MatchTest.randomPdq(RANDOM);
    long removing = bank("dash removing", removedPdq);
    rule("dash remove", removing, "remove", false);
    submit(platform, removedPdq, "dash-removed");
    Api.Response appeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"dash-removed\",\"statement\":\"news reporting\"}");
    assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
    long authority = TestServers.authority(api, admin, "{\"name\":\"Dashboard authority\",\"member_state\":\"DE\",\"contact\":\"x@example.de\"}");
    order(coordinator, authority, "DASH-1");
    CLOCK.advance(Duration.ofDays(15));

    // Matches sent to review: two in one hour, three (and one that matches nothing) three hours later.
    String reviewPdq = MatchTest.randomPdq(RANDOM);
    long reviewing = bank("dash reviewing", reviewPdq);
    rule("dash review", reviewing, "remove", true);
    List<Long> cases = new ArrayList<>();
    var earlier = CLOCK.now().truncatedTo(ChronoUnit.HOURS);
    for (int i = 0; i < 2; i++) {
      cases.add(submit(platform, reviewPdq, "dash-early-" + i).get("submission").get("case_id").asLong());
    }
    CLOCK.advance(Duration.ofHours(3));
    var later = CLOCK.now().truncatedTo(ChronoUnit.HOURS);
    for (int i = 0; i < 3; i++) {
      cases.add(submit(platform, reviewPdq, "dash-late-" + i).get("submission").get("case_id").asLong());
    }
    submit(platform, MatchTest.randomPdq(RANDOM), "dash-clean");
    order(coordinator, authority, "DASH-2");
    // One case claimed, one escalated (which leaves it unclaimed).
    assertThat(api.post("/api/v1/cases/" + cases.get(0) + "/claim", alice, "").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/cases/" + cases.get(1) + "/claim", bob, "").status()).isEqualTo(200);
    Api.Response escalated = api.post("/api/v1/cases/" + cases.get(1) + "/decision", bob, "{\"outcome\":\"escalate\",\"reason\":\"unsure\"}");
    assertThat(escalated.status()).as(escalated.body()).isEqualTo(200);

    // A folder exchange that fetches, and one whose folder is missing: it fails.
    Path feed = Files.createDirectories(dataDir.resolve("exchange-folders").resolve("dash-feed"));
    Files.writeString(feed.resolve("2026-12-01.txt"), "pdq " + MatchTest.randomPdq(RANDOM) + "\npdq " + MatchTest.randomPdq(RANDOM) + "\n");
    long working = folderExchange("feed " + HOSTILE, "dash-feed");
    long failing = folderExchange("missing feed", "dash-missing");
    JsonNode workingNow = fetched(working);
    JsonNode failingNow = fetched(failing);

    try (BrowserContext context = chromium.browser().newContext()) {
      List<String> dialogs = new ArrayList<>();
      Page page = ConsoleBrowser.signIn(context, base, "morgan", PASSWORD, "/console/queue");
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.click("nav a[href=\"/console/dashboard\"]");
      page.waitForURL("**/console/dashboard");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Dashboard");

      // 6 matches in the day: the removed content is fifteen days old and the clean one matched nothing.
      assertThat(page.locator("#matches-total .dash-value").textContent()).isEqualTo("5");
      assertThat(bar(page, earlier)).isEqualTo("2");
      assertThat(bar(page, later)).isEqualTo("3");
      assertThat(page.locator("rect.dash-bar").count()).isEqualTo(24);
      assertThat(page.locator("#matches-by-hour tr[data-hour=\"" + later.toInstant() + "\"] td.num").textContent()).isEqualTo("3");
      assertThat(page.locator("svg.dash-chart").getAttribute("aria-label")).contains("5 matches in all");

      // Five match cases and the appeal's wait; one is claimed; one escalated.
      assertThat(figure(page, "cases-waiting")).isEqualTo("6");
      assertThat(figure(page, "cases-unclaimed")).isEqualTo("5");
      assertThat(figure(page, "cases-escalated")).isEqualTo("1");
      assertThat(figure(page, "appeals-overdue")).isEqualTo("1");
      assertThat(page.locator("#appeals-overdue").getAttribute("class")).contains("alarm");
      assertThat(page.locator("#cases-waiting a").getAttribute("href")).isEqualTo("/console/queue");
      assertThat(figure(page, "orders-open")).isEqualTo("2");
      assertThat(figure(page, "orders-overdue")).isEqualTo("1");
      // A curator does not read removal orders: the figures are there, the links are not.
      assertThat(page.locator("#orders-overdue a").count()).isZero();

      String workingRow = page.locator("#exchange-health tr[data-exchange-id=\"" + working + "\"]").textContent();
      assertThat(workingRow).contains("feed " + HOSTILE).contains("working")
          .contains(workingNow.get("status").get("last_fetch_complete_ts").asText())
          .endsWith(Long.toString(workingNow.get("status").get("fetched_items").asLong()));
      assertThat(workingNow.get("status").get("fetched_items").asLong()).isEqualTo(2);
      String failingRow = page.locator("#exchange-health tr[data-exchange-id=\"" + failing + "\"]").textContent();
      assertThat(failingRow).contains("failing").contains(failingNow.get("status").get("last_error").asText()).contains("failed");
      assertThat(page.locator("#dash-exchanges a").getAttribute("href")).isEqualTo("/console/exchanges");

      assertThat(page.locator("img[src=x], main b").count()).isZero();
      assertThat(dialogs).isEmpty();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "dashboard-01-curator");

      page.click("#cases-waiting a");
      page.waitForURL("**/console/queue");
    }

    // A coordinator reads orders but not the queue: the other way round.
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "sasha", PASSWORD, "/console/incidents");
      page.navigate(base + "/console/dashboard");
      assertThat(page.locator("#cases-waiting a").count()).isZero();
      assertThat(page.locator("#orders-overdue a").getAttribute("href")).isEqualTo("/console/orders?state=overdue");
      ConsoleBrowser.assertAccessible(page);
      page.click("#orders-overdue a");
      page.waitForURL("**/console/orders?state=overdue");
      chromium.shot(page, "dashboard-02-coordinator-overdue-orders");
    }

    // Reviewers start at the queue; the dashboard is not theirs.
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "remy", PASSWORD, "/console/queue");
      assertThat(page.locator("nav a[href=\"/console/dashboard\"]").count()).isZero();
      assertThat(page.navigate(base + "/console/dashboard").status()).isEqualTo(403);
    }
  }

  private static String bar(Page page, java.time.OffsetDateTime hour) {
    return page.locator("rect.dash-bar[data-hour=\"" + hour.toInstant() + "\"]").getAttribute("data-count");
  }

  private static String figure(Page page, String id) {
    return page.locator("#" + id + " .dash-value").textContent();
  }

  private static long bank(String name, String pdq) {
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\",\"labels\":[\"attacker_manifesto\"]}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    long id = bank.json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + id + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    return id;
  }

  private static void rule(String name, long bankId, String action, boolean reviewFirst) {
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + "\",\"action\":\"" + action + "\",\"review_first\":"
        + reviewFirst + ",\"conditions\":{\"banks\":[" + bankId + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
  }

  private static JsonNode submit(String platform, String pdq, String contentId) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json();
  }

  private static void order(String coordinator, long authority, String reference) {
    Api.Response made = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority + ",\"reference\":\"" + reference
        + "\",\"content_id\":\"dash-order-" + reference + "\",\"reasons\":\"Glorifies an attack.\"}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
  }

  private static long folderExchange(String name, String folder) {
    Api.Response made = api.post("/api/v1/exchanges", admin, "{\"name\":" + ConsoleAccessibilityTest.quote(name)
        + ",\"kind\":\"folder\",\"config\":{\"path\":\"" + folder + "\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().get("id").asLong();
  }

  /** Waits until a fetch of exchange {@code id} has ended; the exchange as the API shows it then. */
  private static JsonNode fetched(long id) {
    JsonNode[] now = {null};
    WebhookReceiver.await("a fetch of exchange " + id + " ends", () -> {
      now[0] = api.get("/api/v1/exchanges/" + id, admin).json();
      JsonNode status = now[0].get("status");
      return !status.path("running_fetch_start_ts").isTextual() && status.path("last_fetch_complete_ts").isTextual();
    });
    return now[0];
  }
}
