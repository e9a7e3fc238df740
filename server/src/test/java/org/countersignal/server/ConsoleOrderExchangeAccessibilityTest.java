package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The removal order and exchange pages, checked by axe-core for WCAG 2.2 A and AA, with markup and
 * script in everything an authority, a platform's staff or an exchange's source could have written
 * there (references, content ids, statements, notes, complaints, names, fetch errors) and in the
 * forms' refusals: it must show as text, run nothing and add no element.
 */
class ConsoleOrderExchangeAccessibilityTest {

  static final String HOSTILE = ConsoleAccessibilityTest.HOSTILE;
  /** A file name may hold neither a slash nor a double quote: the rest of the markup, then. */
  static final String HOSTILE_FILE = "<img src=x onerror=alert('y')>'<b>bold.pdf";
  static final byte[] PDF = "%PDF-1.7\n% Removal order, Annex I\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;
  static long received;
  static long acted;
  static long notComplied;
  static long reinstated;
  static long folder;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    ConsoleBrowser.requireChromium();
    server = CountersignalServer.builder(TestServers.config(dataDir)).extraExchangeKinds(List.of(new ScriptedExchange())).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    String coordinator = TestServers.key(api, admin, "coordinator");
    long authority = TestServers.authority(api, admin, "{\"name\":" + quote(HOSTILE) + ",\"member_state\":\"FR\",\"contact\":"
        + quote(HOSTILE) + "}");

    received = order(coordinator, authority, "received");
    Api.Response document = api.send("PUT", "/api/v1/orders/" + received + "/document?file_name="
        + URLEncoder.encode(HOSTILE_FILE, StandardCharsets.UTF_8), coordinator, "application/pdf", PDF);
    assertThat(document.status()).as(document.body()).isEqualTo(200);

    acted = order(coordinator, authority, "acted");
    ok(api.post("/api/v1/orders/" + acted + "/removal", coordinator, "{\"action\":\"removed\",\"note\":" + quote(HOSTILE) + "}"));
    ok(api.post("/api/v1/orders/" + acted + "/complaints", coordinator, "{\"complainant\":" + quote(HOSTILE) + ",\"text\":"
        + quote(HOSTILE + "\n\n" + HOSTILE) + "}"));

    reinstated = order(coordinator, authority, "reinstated");
    ok(api.post("/api/v1/orders/" + reinstated + "/removal", coordinator, "{\"action\":\"disabled\",\"note\":" + quote(HOSTILE) + "}"));
    ok(api.post("/api/v1/orders/" + reinstated + "/complaints", coordinator, "{\"complainant\":" + quote(HOSTILE) + ",\"text\":"
        + quote(HOSTILE) + "}"));
    long complaint = api.get("/api/v1/orders/" + reinstated, admin).json().at("/complaints/0/id").asLong();
    ok(api.post("/api/v1/orders/" + reinstated + "/complaints/" + complaint + "/decision", coordinator,
        "{\"outcome\":\"upheld\",\"reason\":" + quote(HOSTILE) + "}"));
    ok(api.post("/api/v1/orders/" + reinstated + "/holds", coordinator, "{\"until\":\"2099-01-01T00:00:00Z\",\"reason\":"
        + quote(HOSTILE) + "}"));
    ok(api.post("/api/v1/orders/" + reinstated + "/final", coordinator, "{}"));

    notComplied = order(coordinator, authority, "not complied");
    ok(api.post("/api/v1/orders/" + notComplied + "/not-complied", coordinator, "{\"reason\":\"manifest_errors\",\"reply\":"
        + quote(HOSTILE + "\n" + HOSTILE) + "}"));

    // A folder that does not exist: its fetch fails, and the error names the path, markup and all.
    Api.Response made = api.post("/api/v1/exchanges", admin, "{\"name\":" + quote(HOSTILE) + ",\"kind\":\"folder\",\"config\":{\"path\":"
        + quote("feeds/" + HOSTILE.replace("/", "")) + "},\"bank\":" + quote("bank " + HOSTILE) + ",\"label_map\":{"
        + quote(HOSTILE) + ":\"attacker_manifesto\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    folder = made.json().get("id").asLong();
    WebhookReceiver.await("the folder exchange's first fetch ends", () -> {
      JsonNode status = api.get("/api/v1/exchanges/" + folder, admin).json().get("status");
      return !status.path("running_fetch_start_ts").isTextual() && status.path("last_fetch_complete_ts").isTextual();
    });
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

  static long order(String coordinator, long authority, String what) {
    Api.Response made = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority + ",\"reference\":" + quote(what + " "
        + HOSTILE) + ",\"content_url\":\"https://video.example/watch/abc\",\"content_id\":" + quote(HOSTILE) + ",\"reasons\":"
        + quote(HOSTILE + "\n\n" + HOSTILE + "\n" + HOSTILE) + ",\"threat_to_life\":true}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().get("id").asLong();
  }

  static void ok(Api.Response response) {
    assertThat(response.status()).as(response.body()).isBetween(200, 299);
  }

  static String quote(String text) {
    return ConsoleAccessibilityTest.quote(text);
  }

  /** The page as it stands: accessible, the hostile text on it as text, no element or script of it. */
  static void check(Page page, String shot) {
    chromium.shot(page, "order-exchange-a11y-" + shot);
    assertThat(page.title()).as(shot).endsWith("· Countersignal");
    ConsoleBrowser.assertAccessible(page);
    assertThat(page.locator("img[src=x], main b, main script").count()).as("markup from stored text on " + shot).isZero();
    assertThat(page.locator("main").textContent()).as(shot).contains(HOSTILE);
  }

  static Page signIn(BrowserContext context, String key, List<String> dialogs) {
    Page page = context.newPage();
    page.navigate(base + "/console/sign-in");
    page.fill("#key-sign-in input[name=key]", key);
    page.click("#key-sign-in button[type=submit]");
    page.waitForURL("**/console/queue");
    page.onDialog(dialog -> {
      dialogs.add(dialog.message());
      dialog.dismiss();
    });
    return page;
  }

  @Test
  void theOrderPagesAreAccessibleAndShowHostileTextAsText() {
    List<String> dialogs = new ArrayList<>();
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, admin, dialogs);
      page.navigate(base + "/console/orders");
      check(page, "orders-list");
      assertThat(page.locator("#exposure-orders").textContent()).contains("reinstated " + HOSTILE).contains("(" + HOSTILE + ")");
      assertThat(page.locator("#orders tr[data-order-id=\"" + received + "\"]").textContent()).contains("received " + HOSTILE)
          .contains(HOSTILE + " FR");
      page.navigate(base + "/console/orders?state=not_complied");
      check(page, "orders-not-complied");

      for (long id : List.of(received, acted, reinstated, notComplied)) {
        page.navigate(base + "/console/orders/" + id);
        check(page, "order-" + id);
        assertThat(page.locator("#facts").textContent()).contains(HOSTILE + " (FR)");
        assertThat(page.locator("#reasons p").count()).as("two paragraphs").isEqualTo(2);
      }
      page.navigate(base + "/console/orders/" + received);
      assertThat(page.locator("#download-document").textContent()).isEqualTo(HOSTILE_FILE);
      page.navigate(base + "/console/orders/" + reinstated);
      assertThat(page.locator("#holds tbody").textContent()).contains(HOSTILE);
      assertThat(page.locator("#complaints").textContent()).contains("upheld").contains(HOSTILE);

      // A refused removal: the page again, with the service's reason and what was typed.
      page.navigate(base + "/console/orders/" + received);
      page.fill("#record-removal input[name=submission_id]", HOSTILE);
      page.fill("#record-removal textarea[name=note]", HOSTILE);
      page.click("#record-removal button[type=submit]");
      page.waitForSelector("p.notice.error");
      check(page, "order-refused-removal");
      assertThat(page.locator("#record-removal input[name=submission_id]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#record-removal textarea[name=note]").inputValue()).isEqualTo(HOSTILE);

      page.navigate(base + "/console/orders/new");
      chromium.shot(page, "order-exchange-a11y-intake");
      ConsoleBrowser.assertAccessible(page);
      assertThat(page.locator("#intake option").allTextContents()).contains(HOSTILE + " (FR)");
      // Refused (received in the future): the form again with everything typed but the file.
      page.selectOption("#intake select[name=authority_id]", new com.microsoft.playwright.options.SelectOption().setIndex(1));
      page.fill("#intake input[name=reference]", HOSTILE);
      page.fill("#intake input[name=content_id]", HOSTILE);
      page.fill("#intake textarea[name=reasons]", HOSTILE);
      page.fill("#intake input[name=received_at]", "2099-01-01T00:00");
      page.click("#intake button[type=submit]");
      page.waitForSelector("p.notice.error");
      check(page, "order-refused-intake");
      assertThat(page.locator("#intake input[name=reference]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#intake input[name=content_id]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#intake textarea[name=reasons]").inputValue()).isEqualTo(HOSTILE);
    }
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, TestServers.key(api, admin, "auditor"), dialogs);
      page.navigate(base + "/console/orders/" + acted);
      check(page, "order-auditor");
    }
    assertThat(dialogs).as("script from stored text ran").isEmpty();
  }

  @Test
  void theExchangePagesAreAccessibleAndShowHostileTextAsText() {
    List<String> dialogs = new ArrayList<>();
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, admin, dialogs);
      page.navigate(base + "/console/exchanges");
      check(page, "exchanges");
      String row = page.locator("#exchanges tr[data-exchange-id=\"" + folder + "\"]").textContent();
      assertThat(row).contains(HOSTILE).contains("bank " + HOSTILE).contains("failed");
      assertThat(page.locator("#exchanges tr[data-exchange-id=\"" + folder + "\"] .failed").last().textContent()).contains("feeds/");

      // Refused: an exchange of that name exists; the refusal names it, and the form keeps it.
      page.fill("#new-exchange input[name=name]", HOSTILE);
      page.selectOption("#new-exchange select[name=kind]", "folder");
      page.fill("#new-exchange textarea[name=config]", "{\"path\": " + quote(HOSTILE.replace("/", "")) + "}");
      page.fill("#new-exchange textarea[name=label_map]", HOSTILE + " = attacker_manifesto");
      page.click("#new-exchange button[type=submit]");
      page.waitForSelector("p.notice.error");
      check(page, "exchanges-refused");
      assertThat(page.locator("p.notice.error").textContent()).contains(HOSTILE);
      assertThat(page.locator("#new-exchange input[name=name]").inputValue()).isEqualTo(HOSTILE);
      assertThat(page.locator("#new-exchange textarea[name=label_map]").inputValue()).isEqualTo(HOSTILE + " = attacker_manifesto");

      page.navigate(base + "/console/exchanges/" + folder + "/edit");
      check(page, "exchange-edit");
      assertThat(page.locator("#edit-exchange textarea[name=label_map]").inputValue()).contains(HOSTILE + " = attacker_manifesto");
      page.fill("#edit-exchange textarea[name=label_map]", HOSTILE + " = " + HOSTILE);
      page.click("#edit-exchange button[type=submit]");
      page.waitForSelector("p.notice.error");
      check(page, "exchange-edit-refused");
      assertThat(page.locator("#edit-exchange textarea[name=label_map]").inputValue()).isEqualTo(HOSTILE + " = " + HOSTILE);

      page.navigate(base + "/console/exchanges/" + folder + "/delete");
      check(page, "exchange-delete");
      assertThat(page.locator("h1").textContent()).isEqualTo("Delete exchange " + HOSTILE + "?");
    }
    for (String role : List.of("curator", "auditor")) {
      try (BrowserContext context = browser.newContext()) {
        Page page = signIn(context, TestServers.key(api, admin, role), dialogs);
        page.navigate(base + "/console/exchanges");
        check(page, "exchanges-" + role);
      }
    }
    assertThat(dialogs).as("script from stored text ran").isEmpty();
  }
}
