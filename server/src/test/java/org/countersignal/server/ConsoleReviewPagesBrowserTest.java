package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's filters and pages, a case's matched entries with their note and provenance, and an
 * appeal's case with the decision appealed, in a real headless Chromium. Notes, provenances,
 * reasons, statements, content ids and accounts carry markup and script that must show as text,
 * run nothing and add no element.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test claims and escalates cases, which the filters then find
class ConsoleReviewPagesBrowserTest {

  private static final String HOSTILE = ConsoleAccessibilityTest.HOSTILE;
  private static final String PASSWORD = "a long reviewer password";
  private static final Random RANDOM = new Random(11);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String platform;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;
  /** The open cases in the queue's order: the overdue appeal, page-1 to page-7, the hostile case, recruit-1, the newer appeal. */
  static final List<Long> ORDER = new ArrayList<>();
  static long hostileCase;
  static long recruitCase;
  static long confirmedCase;
  static long overdueAppealCase;
  static long ruleAppealCase;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    TestServers.user(api, admin, "quinn", PASSWORD, "reviewer");

    String manifesto = MatchTest.randomPdq(RANDOM);
    String recruitment = MatchTest.randomPdq(RANDOM);
    String automatic = MatchTest.randomPdq(RANDOM);
    long manifestos = bank("manifestos", "attacker_manifesto", manifesto, "Banked after the attack.\n" + HOSTILE, "hub share " + HOSTILE);
    long recruiting = bank("recruiting", "recruitment_and_instruction", recruitment, null, null);
    long removedAtOnce = bank("removed at once", "attacker_manifesto", automatic, null, null);
    rule("review first", "[" + manifestos + "," + recruiting + "]", true);
    rule("remove at once", "[" + removedAtOnce + "]", false);

    // Decided and appealed first, so that its appeal is the oldest open case.
    confirmedCase = caseOf(submit(manifesto, "appealed-1", "acct-a"));
    String decider = TestServers.key(api, admin, "reviewer");
    assertThat(api.post("/api/v1/cases/" + confirmedCase + "/claim", decider, null).status()).isEqualTo(200);
    Api.Response decided = api.post("/api/v1/cases/" + confirmedCase + "/decision", decider, "{\"outcome\":\"confirm\",\"reason\":"
        + ConsoleAccessibilityTest.quote("the attacker's text " + HOSTILE) + ",\"policy\":\"attacker_manifesto\"}");
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
    Api.Response appeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"appealed-1\",\"statement\":"
        + ConsoleAccessibilityTest.quote("it is news " + HOSTILE) + "}");
    assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
    overdueAppealCase = appeal.json().get("case_id").asLong();
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE appeals SET due_at = :due WHERE id = :id")
        .bind("due", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1)).bind("id", appeal.json().get("id").asLong()).execute());
    ORDER.add(overdueAppealCase);

    for (int i = 1; i <= 7; i++) {
      ORDER.add(caseOf(submit(manifesto, "page-" + i, "acct-page")));
    }
    hostileCase = caseOf(submit(manifesto, "post-" + HOSTILE, HOSTILE));
    ORDER.add(hostileCase);
    recruitCase = caseOf(submit(recruitment, "recruit-1", "acct-r"));
    ORDER.add(recruitCase);

    // Removed by a rule with nobody reviewing it, then appealed.
    assertThat(submit(automatic, "auto-1", "acct-auto").at("/submission/status").asText()).isEqualTo("actioned");
    Api.Response ruleAppeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"auto-1\",\"statement\":\"satire\"}");
    assertThat(ruleAppeal.status()).as(ruleAppeal.body()).isEqualTo(201);
    ruleAppealCase = ruleAppeal.json().get("case_id").asLong();
    ORDER.add(ruleAppealCase);

    chromium = ConsoleBrowser.launch();
    browser = chromium.browser();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (database != null) {
      database.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static long bank(String name, String label, String pdq, String note, String provenance) {
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\",\"labels\":[\"" + label + "\"]}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    long id = bank.json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + id + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}"
        + (note == null ? "" : ",\"note\":" + ConsoleAccessibilityTest.quote(note))
        + (provenance == null ? "" : ",\"provenance\":" + ConsoleAccessibilityTest.quote(provenance)) + "}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    return id;
  }

  static void rule(String name, String banks, boolean reviewFirst) {
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + "\",\"action\":\"remove\",\"review_first\":" + reviewFirst
        + ",\"conditions\":{\"banks\":" + banks + "}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
  }

  static JsonNode submit(String pdq, String contentId, String account) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":"
        + ConsoleAccessibilityTest.quote(contentId) + ",\"account\":" + ConsoleAccessibilityTest.quote(account) + "}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json();
  }

  static long caseOf(JsonNode match) {
    long id = match.at("/submission/case_id").asLong();
    assertThat(id).as(match.toString()).isPositive();
    return id;
  }

  /** The case ids the queue page lists, top to bottom. */
  static List<Long> listed(Page page) {
    return page.locator("#queue tbody tr").all().stream().map(row -> Long.parseLong(row.getAttribute("data-case-id"))).toList();
  }

  /** Fails on a dialog (script that ran) or on an element that stored text added. */
  static void assertNothingInjected(Page page, List<String> dialogs) {
    assertThat(page.locator("img[src=x], main b, main script").count()).as("markup from stored text on " + page.url()).isZero();
    assertThat(dialogs).as("script from stored text ran").isEmpty();
  }

  static List<String> dialogsOf(Page page) {
    List<String> dialogs = new ArrayList<>();
    page.onDialog(dialog -> {
      dialogs.add(dialog.message());
      dialog.dismiss();
    });
    return dialogs;
  }

  @Test
  @Order(1)
  void theQueueIsPagedInItsOrderWithLinksThatKeepTheFilters() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      List<String> dialogs = dialogsOf(page);
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("11 open cases; showing 1–11.");
      assertThat(listed(page)).isEqualTo(ORDER);
      assertThat(page.locator("#queue-next").count()).isZero();

      page.navigate(base + "/console/queue?per_page=4");
      assertThat(listed(page)).isEqualTo(ORDER.subList(0, 4));
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("11 open cases; showing 1–4.");
      assertThat(page.locator("#queue-previous").count()).isZero();
      assertThat(page.locator("#queue tbody tr").first().getAttribute("class")).isEqualTo("overdue");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-01-queue-page-1");

      page.click("#queue-next");
      page.waitForURL("**after=" + ORDER.get(3));
      assertThat(page.url()).contains("per_page=4");
      assertThat(listed(page)).isEqualTo(ORDER.subList(4, 8));
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("11 open cases; showing 5–8.");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-02-queue-page-2");

      page.click("#queue-next");
      page.waitForURL("**after=" + ORDER.get(7));
      assertThat(listed(page)).isEqualTo(ORDER.subList(8, 11));
      assertThat(page.locator("#queue-next").count()).isZero();
      assertThat(page.locator("#queue").textContent()).contains("post-" + HOSTILE).contains("account " + HOSTILE);

      page.click("#queue-previous");
      page.waitForURL("**before=" + ORDER.get(8));
      assertThat(listed(page)).isEqualTo(ORDER.subList(4, 8));
      page.click("#queue-previous");
      page.waitForURL("**before=" + ORDER.get(4));
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("11 open cases; showing 1–4.");
      assertThat(listed(page)).isEqualTo(ORDER.subList(0, 4));
      assertNothingInjected(page, dialogs);
    }
  }

  @Test
  @Order(2)
  void theFiltersNarrowTheQueueAndPagingKeepsThem() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      List<String> dialogs = dialogsOf(page);

      page.selectOption("#queue-filters select[name=kind]", "match");
      page.selectOption("#queue-filters select[name=label]", "recruitment_and_instruction");
      page.click("#queue-filters button[type=submit]");
      page.waitForURL("**label=recruitment_and_instruction**");
      assertThat(listed(page)).containsExactly(recruitCase);
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("1 open case matches the filters; showing 1–1.");
      assertThat(page.locator("#queue-filters select[name=label]").inputValue()).isEqualTo("recruitment_and_instruction");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-03-queue-by-label");

      page.click("#queue-clear");
      page.waitForURL("**/console/queue");
      page.selectOption("#queue-filters select[name=kind]", "appeal");
      page.click("#queue-filters button[type=submit]");
      page.waitForURL("**kind=appeal**");
      assertThat(listed(page)).containsExactly(overdueAppealCase, ruleAppealCase);
      page.selectOption("#queue-filters select[name=status]", "overdue");
      page.click("#queue-filters button[type=submit]");
      page.waitForURL("**status=overdue**");
      assertThat(listed(page)).containsExactly(overdueAppealCase);

      // A search on content id or account, paged: the next page's link keeps the search and the page size.
      page.click("#queue-clear");
      page.waitForURL("**/console/queue");
      page.fill("#queue-filters input[name=q]", "PAGE-");
      page.fill("#queue-filters input[name=per_page]", "3");
      page.click("#queue-filters button[type=submit]");
      page.waitForURL("**q=PAGE-**");
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("7 open cases match the filters; showing 1–3.");
      assertThat(listed(page)).isEqualTo(ORDER.subList(1, 4));
      page.click("#queue-next");
      page.waitForURL("**after=**");
      assertThat(page.url()).contains("q=PAGE-").contains("per_page=3");
      assertThat(page.locator("#queue-filters input[name=q]").inputValue()).isEqualTo("PAGE-");
      assertThat(listed(page)).isEqualTo(ORDER.subList(4, 7));
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("7 open cases match the filters; showing 4–6.");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-04-queue-search-page-2");
      page.click("#queue-next");
      page.waitForURL("**after=" + ORDER.get(6) + "**");
      assertThat(listed(page)).containsExactly(ORDER.get(7));
      assertThat(page.locator("#queue-next").count()).isZero();

      // Markup typed into the search is searched for as text, and shown back as text.
      page.navigate(base + "/console/queue?q=" + URLEncoder.encode("<img src=x onerror", StandardCharsets.UTF_8));
      assertThat(listed(page)).containsExactly(hostileCase);
      assertThat(page.locator("#queue-filters input[name=q]").inputValue()).isEqualTo("<img src=x onerror");
      page.navigate(base + "/console/queue?q=" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8));
      assertThat(page.locator("#queue-filters input[name=q]").inputValue()).isEqualTo(HOSTILE);
      ConsoleBrowser.assertAccessible(page);
      assertNothingInjected(page, dialogs);

      page.navigate(base + "/console/queue?q=nothing-like-this");
      assertThat(page.locator("#queue-empty").textContent()).isEqualTo("No open cases match these filters.");
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("0 open cases match the filters.");
    }
  }

  @Test
  @Order(3)
  void aFilterTheFormCouldNotHaveSentIsRefusedWithWhy() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      List<String> dialogs = dialogsOf(page);
      for (String[] bad : new String[][] {
          {"kind=nonsense", "There is no case kind “nonsense”"},
          {"status=lost", "There is no status “lost”"},
          {"label=" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8), "There is no label “" + HOSTILE + "”"},
          {"claimed=theirs", "is not a choice for who claimed a case"},
          {"per_page=0", "Show from 1 to 200 cases a page."},
          {"per_page=ten", "Show from 1 to 200 cases a page."},
          {"q=" + "x".repeat(201), "Search for at most 200 characters"},
          {"after=abc", "The page to show is not a case number"},
          {"after=1&before=2", "either after a case or before one"},
          {"after=999999", "The page was to start at case 999999, which does not exist."}}) {
        Response response = page.navigate(base + "/console/queue?" + bad[0]);
        assertThat(response.status()).as(bad[0]).isEqualTo(400);
        assertThat(page.locator("p.notice.error").textContent()).as(bad[0]).contains(bad[1]);
        assertThat(page.locator("#queue").count()).isZero();
        assertThat(page.locator("#queue-filters").count()).as("the form is there to correct it").isEqualTo(1);
      }
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-05-queue-refused-filter");
      assertNothingInjected(page, dialogs);
    }
  }

  @Test
  @Order(4)
  void aCaseShowsEachMatchedEntrysNoteAndProvenanceAsText() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      List<String> dialogs = dialogsOf(page);
      page.click("a[href=\"/console/cases/" + hostileCase + "\"]");
      page.waitForURL("**/console/cases/" + hostileCase);
      Locator match = page.locator("#matches .match").first();
      assertThat(match.locator("dd.case-entry-note").textContent()).isEqualTo("Banked after the attack.\n" + HOSTILE);
      assertThat(match.locator("dd.case-entry-provenance").textContent()).isEqualTo("hub share " + HOSTILE);
      assertThat(match.textContent()).contains("manifestos (bank").contains("pdq: distance 0");
      assertThat(page.locator("#submission").textContent()).contains("post-" + HOSTILE).contains(HOSTILE);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-06-case-note-provenance");

      // An entry banked without either says so.
      page.navigate(base + "/console/cases/" + recruitCase);
      assertThat(page.locator("#matches dd.case-entry-note").textContent()).isEqualTo("none");
      assertThat(page.locator("#matches dd.case-entry-provenance").textContent()).isEqualTo("none");
      assertNothingInjected(page, dialogs);
    }
  }

  @Test
  @Order(5)
  void anAppealsCaseShowsTheDecisionAppealedWithItsReasonAndPolicy() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      List<String> dialogs = dialogsOf(page);
      page.navigate(base + "/console/cases/" + overdueAppealCase);
      assertThat(page.locator("#appeal").textContent()).contains("it is news " + HOSTILE).contains("OVERDUE");
      Locator appealed = page.locator("#appealed-decision");
      assertThat(appealed.locator("h2").textContent()).isEqualTo("The decision appealed");
      assertThat(appealed.textContent()).contains("decided by").contains("reviewer key ").contains("outcome").contains("confirm")
          .contains("reason").contains("the attacker's text " + HOSTILE).contains("policy").contains("attacker_manifesto")
          .contains("at").contains("Case " + confirmedCase);
      assertThat(appealed.locator("a[href=\"/console/cases/" + confirmedCase + "\"]").count()).isEqualTo(1);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-07-appeal-decision-appealed");

      page.click("#claim");
      page.locator("#claim-status:has-text('You have claimed this case')").waitFor();
      assertThat(page.locator("#decide-uphold").count()).isEqualTo(1);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-08-appeal-claimed");

      page.navigate(base + "/console/cases/" + ruleAppealCase);
      assertThat(page.locator("#appealed-decision").textContent()).contains("rule remove at once, with no review").contains("remove")
          .contains("none recorded")
          .contains("none named");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-09-appeal-of-a-rule-removal");

      // The decided case the appeal is against shows its decision too.
      page.navigate(base + "/console/cases/" + confirmedCase);
      assertThat(page.locator("#decided").textContent()).contains("the attacker's text " + HOSTILE);
      ConsoleBrowser.assertAccessible(page);
      assertNothingInjected(page, dialogs);
    }
  }

  @Test
  @Order(6)
  void claimedAndEscalatedCasesAreFoundByTheirFilters() {
    String other = TestServers.key(api, admin, "reviewer");
    long escalated = ORDER.get(5);
    assertThat(api.post("/api/v1/cases/" + escalated + "/claim", other, null).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/cases/" + escalated + "/decision", other, "{\"outcome\":\"escalate\",\"reason\":\"not sure\"}").status())
        .isEqualTo(200);
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      // Claimed in the previous test by this reviewer.
      page.navigate(base + "/console/queue?claimed=mine");
      assertThat(listed(page)).containsExactly(overdueAppealCase);
      assertThat(page.locator("#queue tbody tr td").last().textContent()).isEqualTo("you");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "review-10-queue-mine");

      page.navigate(base + "/console/queue?claimed=unclaimed&kind=appeal");
      assertThat(listed(page)).containsExactly(ruleAppealCase);

      page.navigate(base + "/console/queue?status=escalated");
      assertThat(listed(page)).containsExactly(escalated);
      assertThat(page.locator("#queue").textContent()).contains("escalated");
      page.navigate(base + "/console/queue?status=open&kind=match");
      assertThat(listed(page)).hasSize(8).doesNotContain(escalated);
      // An escalated case goes above everything not escalated, after the overdue appeal.
      page.navigate(base + "/console/queue");
      assertThat(listed(page).subList(0, 2)).containsExactly(overdueAppealCase, escalated);
    }
  }

  @Test
  @Order(7)
  void theNextPageStartsAfterTheLastCaseShownWhenCasesAboveItAreDecided() {
    try (BrowserContext context = browser.newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "quinn", PASSWORD, "/console/queue");
      page.navigate(base + "/console/queue?kind=match&status=open&per_page=3");
      List<Long> first = listed(page);
      assertThat(first).hasSize(3);
      List<Long> open = new ArrayList<>(ORDER.subList(1, 10));
      open.remove(ORDER.get(5)); // escalated in the previous test
      assertThat(first).isEqualTo(open.subList(0, 3));
      // Someone decides the top case while this reviewer reads the page: counting rows would now skip a case.
      String other = TestServers.key(api, admin, "reviewer");
      assertThat(api.post("/api/v1/cases/" + first.get(0) + "/claim", other, null).status()).isEqualTo(200);
      assertThat(api.post("/api/v1/cases/" + first.get(0) + "/decision", other,
          "{\"outcome\":\"reject\",\"reason\":\"news report\",\"reject_as\":\"benign\"}").status()).isEqualTo(200);
      page.click("#queue-next");
      page.waitForURL("**after=" + first.get(2));
      assertThat(listed(page)).isEqualTo(open.subList(3, 6));
      assertThat(page.locator("#queue-count").textContent()).isEqualTo("7 open cases match the filters; showing 3–5.");
    }
  }
}
