package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Removal orders in a real headless Chromium: a coordinator takes an order in through the form,
 * choosing its document as a file, reads its clock and records its removal; an auditor reads it
 * without forms and is refused a change. Screenshots go to the build folder's
 * {@code console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the auditor looks at the order the coordinator took in
class ConsoleOrdersBrowserTest {

  private static final String PASSWORD = "a long coordinator password";
  private static final byte[] PDF = ("%PDF-1.7\n% Removal order FR-TCO-2026-0042, Annex I\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;
  static long order;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    for (String[] user : List.of(new String[] {"morgan", "coordinator"}, new String[] {"avery", "auditor"})) {
      TestServers.user(api, admin, user[0], PASSWORD, user[1]);
    }
    for (String authority : List.of("{\"name\":\"Pôle national de lutte contre la haine en ligne\",\"member_state\":\"FR\"}",
        "{\"name\":\"Bundeskriminalamt\",\"member_state\":\"DE\"}")) {
      assertThat(api.post("/api/v1/order-authorities", admin, authority).status()).isEqualTo(201);
    }
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

  static Page signIn(BrowserContext context, String username, String home) {
    return ConsoleBrowser.signIn(context, base, username, PASSWORD, home);
  }

  @Test
  @Order(1)
  void aCoordinatorTakesAnOrderInWithItsDocumentAndRecordsTheRemoval() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "morgan", "/console/incidents");
      page.click("nav a[href=\"/console/orders\"]");
      page.waitForURL("**/console/orders");
      assertThat(page.locator("#exposure").textContent()).contains("Not exposed");
      assertThat(page.locator("#no-orders").count()).isEqualTo(1);
      page.click("#new-order");
      page.waitForURL("**/console/orders/new");

      page.selectOption("#intake select[name=authority_id]", new com.microsoft.playwright.options.SelectOption()
          .setLabel("Pôle national de lutte contre la haine en ligne (FR)"));
      page.fill("#intake input[name=reference]", "FR-TCO-2026-0042");
      page.fill("#intake input[name=content_url]", "https://video.example/watch/abc");
      page.fill("#intake input[name=content_id]", "video-abc");
      page.fill("#intake textarea[name=reasons]", "Glorifies the attack of 15 March; Art. 2(7)(a).");
      page.check("#intake input[name=threat_to_life]");
      page.setInputFiles("#intake input[name=document]", new FilePayload("order-0042.pdf", "application/pdf", PDF));
      chromium.shot(page, "orders-01-intake");
      page.click("#intake button[type=submit]");
      page.waitForURL("**/console/orders/*?done=received");
      order = Long.parseLong(page.url().replaceAll(".*/console/orders/(\\d+).*", "$1"));
      assertThat(page.locator("p.notice").textContent()).startsWith("Order taken in");
      assertThat(page.locator("h1").textContent()).contains("FR-TCO-2026-0042").contains("received").contains("threat to life");
      assertThat(page.locator("#clock .clock").textContent()).matches("(59|60) min \\d\\d s left");
      assertThat(page.locator("#document-sha256").textContent()).hasSize(64);
      chromium.shot(page, "orders-02-received");

      APIResponse document = context.request().get(base + "/console/orders/" + order + "/document");
      assertThat(document.status()).isEqualTo(200);
      assertThat(document.body()).isEqualTo(PDF);

      page.check("#record-removal input[name=action][value=disabled]");
      page.fill("#record-removal textarea[name=note]", "geo-blocked in every Member State");
      page.click("#record-removal button[type=submit]");
      page.waitForURL("**/console/orders/" + order + "?done=removal");
      assertThat(page.locator("h1 .status").textContent()).isEqualTo("acted");
      assertThat(page.locator("#clock").textContent()).contains("acted within the hour");
      assertThat(page.locator("#holds tbody tr").count()).isEqualTo(1);
      assertThat(page.locator("#record-removal").count()).isZero();
      chromium.shot(page, "orders-03-acted");

      page.click("p.back a");
      page.waitForURL("**/console/orders");
      assertThat(page.locator("#orders tr[data-order-id=\"" + order + "\"]").textContent()).contains("FR-TCO-2026-0042")
          .contains("acted").contains("threat to life");
      chromium.shot(page, "orders-04-list");
    }
    JsonNode after = api.get("/api/v1/orders/" + order, admin).json();
    assertThat(after.get("action").asText()).isEqualTo("disabled");
    assertThat(after.at("/document/file_name").asText()).isEqualTo("order-0042.pdf");
  }

  @Test
  @Order(2)
  void anAuditorReadsTheOrderWithoutFormsAndIsRefusedAChange() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "avery", "/console/queue");
      page.click("nav a[href=\"/console/orders\"]");
      page.waitForURL("**/console/orders");
      assertThat(page.locator("#new-order").count()).isZero();
      page.click("#orders a[href=\"/console/orders/" + order + "\"]");
      page.waitForURL("**/console/orders/" + order);
      assertThat(page.locator("form[method=post]:not([action=\"/console/sign-out\"])").count()).isZero();
      chromium.shot(page, "orders-05-auditor");

      String csrf = page.locator("input[name=csrf]").first().inputValue();
      APIResponse refused = context.request().post(base + "/console/orders/" + order + "/final",
          RequestOptions.create().setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.text()).contains("the auditor role may not use this page");
    }
    assertThat(api.get("/api/v1/orders/" + order, admin).json().get("final_at").isNull()).isTrue();
  }
}
