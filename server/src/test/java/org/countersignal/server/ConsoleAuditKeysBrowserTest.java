package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log and keys pages in a real headless Chromium: an auditor's search by action, actor,
 * target and time, its pages and the messages bad filters get; an admin making a key (whose
 * secret is shown once and works) and revoking it (audited as the API does); an auditor who may
 * look at keys but not make or revoke them, however the request is forged; and names that an
 * attacker wrote, shown as text everywhere.
 */
class ConsoleAuditKeysBrowserTest {

  private static final String PASSWORD = "a long audit and keys password";
  private static final String HOSTILE = ConsoleAccessibilityTest.HOSTILE;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  @TempDir static Path dataDir;
  static final TestClock CLOCK = new TestClock();
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;

  @BeforeAll
  static void start() throws Exception {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir, CLOCK);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "ines", PASSWORD, "auditor");
    TestServers.user(api, admin, "ada", PASSWORD, "admin");
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
  void anAuditorSearchesTheLogAndPagesThroughIt() {
    bank("bank " + HOSTILE);
    for (int i = 0; i < 55; i++) {
      bank("audit page bank " + i);
    }
    CLOCK.advance(Duration.ofHours(2));
    OffsetDateTime mark = CLOCK.now().truncatedTo(ChronoUnit.MINUTES);
    for (int i = 0; i < 3; i++) {
      bank("audit late bank " + i);
    }
    long adminKey = keyId("initial admin key");

    try (BrowserContext context = chromium.browser().newContext()) {
      List<String> dialogs = new ArrayList<>();
      Page page = ConsoleBrowser.signIn(context, base, "ines", PASSWORD, "/console/queue");
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.click("nav a[href=\"/console/audit\"]");
      page.waitForURL("**/console/audit");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Audit log");
      assertThat(page.locator("#audit tbody tr").count()).isEqualTo(50);
      assertThat(page.locator("#audit-newer").count()).isZero();
      // Newest first: the auditor's own sign-in, then the banks made last.
      assertThat(page.locator("#audit tbody tr").first().textContent()).contains("console.signed_in").contains("ines");
      assertThat(page.locator("#audit tbody tr").nth(1).textContent()).contains("bank.created").contains("audit late bank 2");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "audit-01-newest");

      // By action, then the next page and back: the filter stays with the pages.
      page.fill("#audit-filters input[name=action]", "bank.created");
      page.click("#audit-filters button[type=submit]");
      page.waitForURL(url -> url.contains("/console/audit?action=bank.created"));
      assertThat(actions(page)).hasSize(50).containsOnly("bank.created");
      String newest = page.locator("#audit tbody tr").first().getAttribute("data-audit-id");
      page.click("#audit-older");
      page.waitForURL(url -> url.contains("before=") && url.contains("action=bank.created"));
      // 59 banks made: the hostile one, 55, and 3 later.
      assertThat(actions(page)).hasSize(9).containsOnly("bank.created");
      assertThat(page.locator("#audit-filters input[name=action]").inputValue()).isEqualTo("bank.created");
      assertThat(page.locator("#audit-older").count()).isZero();
      // The oldest bank's record: its name, in the JSON of its details, as text.
      String hostileRow = page.locator("#audit tbody tr").last().textContent();
      assertThat(hostileRow).contains("bank <script>alert('x')</script><img src=x onerror=alert('y')>\\\"'><b>bold</b>");
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "audit-02-older-page-hostile-details");
      page.click("#audit-newer");
      page.waitForURL(url -> url.contains("after=") && url.contains("action=bank.created"));
      assertThat(actions(page)).hasSize(50);
      assertThat(page.locator("#audit tbody tr").first().getAttribute("data-audit-id")).isEqualTo(newest);
      assertThat(page.locator("#audit-newer").count()).isZero();

      // A prefix; the server as actor; a target.
      page.navigate(base + "/console/audit?action=user.*");
      assertThat(actions(page)).containsOnly("user.created").hasSize(2);
      page.navigate(base + "/console/audit?actor=server&target_type=key&target_id=" + adminKey);
      assertThat(actions(page)).containsExactly("key.created");
      assertThat(page.locator("#audit td.audit-actor").textContent()).isEqualTo("server");
      page.navigate(base + "/console/audit?actor=" + adminKey + "&action=bank.created");
      assertThat(page.locator("#audit td.audit-actor").allTextContents()).hasSize(50).allMatch(who -> who.startsWith("key " + adminKey));

      // A time range, typed in the form as UTC: from the mark, only the three later banks; before it, the rest.
      page.navigate(base + "/console/audit");
      page.fill("#audit-filters input[name=action]", "bank.created");
      page.fill("#audit-filters input[name=from]", LOCAL.format(mark));
      page.click("#audit-filters button[type=submit]");
      page.waitForURL(url -> url.contains("from="));
      assertThat(page.locator("#audit tbody tr").allTextContents()).hasSize(3).allMatch(row -> row.contains("audit late bank"));
      page.navigate(base + "/console/audit?action=bank.created&until=" + LOCAL.format(mark));
      assertThat(page.locator("#audit tbody tr").count()).isEqualTo(50);
      page.click("#audit-older");
      page.waitForURL(url -> url.contains("before=") && url.contains("until="));
      assertThat(page.locator("#audit tbody tr").count()).isEqualTo(6);

      // Bad filters: the page says what is wrong, with the form, and searches nothing.
      assertRefused(page, "/console/audit?from=yesterday", "from: a date and time in UTC");
      assertRefused(page, "/console/audit?actor=nobody-here", "no user is named 'nobody-here'");
      assertRefused(page, "/console/audit?from=2026-01-02T00:00&until=2026-01-01T00:00", "until: must be later than from");
      assertRefused(page, "/console/audit?before=first", "before: a record id");
      assertRefused(page, "/console/audit?action=" + "x".repeat(65), "action: at most 64 characters");
      assertThat(page.locator("#audit-filters input[name=action]").inputValue()).isEqualTo("x".repeat(65));
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "audit-03-bad-filter");
      page.navigate(base + "/console/audit?action=no.such.action");
      assertThat(page.locator("#audit-empty").textContent()).isEqualTo("No records match this search.");
      assertThat(dialogs).isEmpty();
    }
  }

  @Test
  void anAdminMakesAKeyWhoseSecretIsShownOnceAndRevokesIt() {
    try (BrowserContext context = chromium.browser().newContext()) {
      List<String> dialogs = new ArrayList<>();
      Page page = ConsoleBrowser.signIn(context, base, "ada", PASSWORD, "/console/queue");
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.click("nav a[href=\"/console/keys\"]");
      page.waitForURL("**/console/keys");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Keys");
      ConsoleBrowser.assertAccessible(page);

      // An end in the past is refused, and the form keeps what was typed.
      page.fill("#new-key input[name=name]", "pipeline " + HOSTILE);
      page.selectOption("#new-key select[name=role]", "auditor");
      page.fill("#new-key input[name=expires_at]", LOCAL.format(CLOCK.now().minusDays(1)));
      page.click("#new-key button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).contains("expires_at").contains("must be in the future");
      assertThat(page.locator("#new-key input[name=name]").inputValue()).isEqualTo("pipeline " + HOSTILE);
      assertThat(page.locator("#new-key select[name=role]").inputValue()).isEqualTo("auditor");
      assertThat(page.locator("#new-key-secret").count()).isZero();

      OffsetDateTime ends = CLOCK.now().plusDays(2).truncatedTo(ChronoUnit.MINUTES);
      page.fill("#new-key input[name=expires_at]", LOCAL.format(ends));
      page.click("#new-key button[type=submit]");
      String secret = page.locator("#new-key-secret").textContent();
      assertThat(secret).startsWith("cs_").hasSizeGreaterThan(40);
      String heading = page.locator("#created-key h2").textContent();
      long id = Long.parseLong(heading.replaceAll("[^0-9]", ""));
      Locator row = page.locator("#keys tr[data-key-id=\"" + id + "\"]");
      assertThat(row.locator("td.key-name").textContent()).isEqualTo("pipeline " + HOSTILE);
      assertThat(row.textContent()).contains("auditor").contains("active").contains(ends.toInstant().toString()).contains("ada");
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "keys-01-created-secret-shown-once");

      // The secret works, and is never on the page again.
      assertThat(api.get("/api/v1/keys", secret).status()).isEqualTo(200);
      page.navigate(base + "/console/keys");
      assertThat(page.locator("#new-key-secret").count()).isZero();
      assertThat(page.content()).doesNotContain(secret).doesNotContain(secret.substring(10));
      assertThat(row.getAttribute("data-status")).isEqualTo("active");

      page.click("#keys tr[data-key-id=\"" + id + "\"] button[type=submit]");
      page.waitForURL("**/console/keys?revoked=" + id);
      assertThat(page.locator("p.notice").textContent()).isEqualTo("Key " + id + " revoked: it no longer works.");
      assertThat(row.getAttribute("data-status")).isEqualTo("revoked");
      assertThat(row.locator("button").count()).isZero();
      assertThat(api.get("/api/v1/keys", secret).status()).isEqualTo(401);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "keys-02-revoked");

      // Audited as the API audits it: made and revoked by ada's key; the audit log finds them by her name.
      page.navigate(base + "/console/audit?actor=ada&target_type=key&target_id=" + id);
      assertThat(actions(page)).containsExactly("key.revoked", "key.created");
      assertThat(page.locator("#audit td.audit-actor").allTextContents()).containsOnly("ada");
      assertThat(page.locator("#audit").textContent()).doesNotContain(secret).contains("pipeline <script>alert('x')</script>");
      assertThat(page.locator("img[src=x], main b, main script").count()).isZero();
      JsonNode events = api.get("/api/v1/audit?limit=1000", admin).json().get("items");
      long adaKey = keyIdOfUser("ada");
      List<String> keyEvents = new ArrayList<>();
      for (JsonNode event : events) {
        if ("key".equals(event.get("target_type").asText()) && Long.toString(id).equals(event.get("target_id").asText())) {
          assertThat(event.get("actor_key_id").asLong()).isEqualTo(adaKey);
          keyEvents.add(event.get("action").asText());
        }
      }
      assertThat(keyEvents).containsExactly("key.created", "key.revoked");
      assertThat(dialogs).isEmpty();
    }
  }

  @Test
  void anAuditorSeesTheKeysButCannotMakeOrRevokeOne() {
    String target = TestServers.key(api, admin, "matcher");
    long targetId = keyId("test matcher");
    int keysBefore = api.get("/api/v1/keys", admin).json().get("items").size();
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "ines", PASSWORD, "/console/queue");
      page.navigate(base + "/console/keys");
      assertThat(page.locator("#keys tbody tr").count()).isEqualTo(keysBefore);
      assertThat(page.locator("#new-key").count()).isZero();
      assertThat(page.locator("#keys button, #keys form").count()).isZero();
      assertThat(page.locator("#keys tr[data-key-id=\"" + targetId + "\"]").textContent()).contains("matcher").contains("active");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "keys-03-auditor");

      // With the session's own token, so only the role stands in the way.
      String csrf = page.locator("header input[name=csrf]").getAttribute("value");
      var made = page.request().post(base + "/console/keys", RequestOptions.create()
          .setForm(FormData.create().set("csrf", csrf).set("name", "forged").set("role", "admin")).setMaxRedirects(0));
      assertThat(made.status()).isEqualTo(403);
      assertThat(made.text()).doesNotContain("cs_");
      var revoked = page.request().post(base + "/console/keys/" + targetId + "/revoke", RequestOptions.create()
          .setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
      assertThat(revoked.status()).isEqualTo(403);
    }
    assertThat(api.get("/api/v1/keys", admin).json().get("items").size()).isEqualTo(keysBefore);
    assertThat(TestServers.matches(api, target, "pdq", MatchTest.randomPdq(new java.util.Random(5)))).isFalse();
  }

  private static void assertRefused(Page page, String address, String message) {
    var answer = page.navigate(base + address);
    assertThat(answer.status()).as(address).isEqualTo(400);
    assertThat(page.locator("p.notice.error[role=alert]").textContent()).as(address).contains(message);
    assertThat(page.locator("#audit").count()).isZero();
    assertThat(page.locator("#audit-filters").count()).isEqualTo(1);
  }

  private static List<String> actions(Page page) {
    return page.locator("#audit tbody tr td:nth-child(4)").allTextContents();
  }

  private static void bank(String name) {
    Api.Response made = api.post("/api/v1/banks", admin, "{\"name\":" + ConsoleAccessibilityTest.quote(name) + ",\"description\":"
        + ConsoleAccessibilityTest.quote("made for the audit log's pages") + ",\"labels\":[\"attacker_manifesto\"]}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
  }

  private static long keyId(String name) {
    for (JsonNode key : api.get("/api/v1/keys", admin).json().get("items")) {
      if (name.equals(key.path("name").asText())) {
        return key.get("id").asLong();
      }
    }
    throw new AssertionError("no key named " + name);
  }

  private static long keyIdOfUser(String username) {
    for (JsonNode user : api.get("/api/v1/users", admin).json().get("items")) {
      if (username.equals(user.get("username").asText())) {
        return user.get("key_id").asLong();
      }
    }
    throw new AssertionError("no user named " + username);
  }
}
