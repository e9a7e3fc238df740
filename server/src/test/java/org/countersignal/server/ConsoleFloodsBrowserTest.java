package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.countersignal.server.flood.Flood;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flood guard's page in a real headless Chromium: a curator opens Floods from the navigation,
 * sees the entry held, disables it as a false positive with a reason through the form, and sees
 * the decision. Screenshots go to the build folder's {@code console-screenshots}.
 */
class ConsoleFloodsBrowserTest {

  private static final String PASSWORD = "a long curator password";

  @TempDir static Path dataDir;
  static final TestClock CLOCK = new TestClock();
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir, CLOCK);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "rowan", PASSWORD, "curator");
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
  void aCuratorDisablesAHeldEntryThroughTheForm() {
    Flood flood = ConsoleFloodsTest.heldEntry(api, admin, server, CLOCK, new Random(31), "imported flags");
    String row = "#held-floods tr[data-flood-id=\"" + flood.id() + "\"]";
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "rowan", PASSWORD, "/console/queue");
      page.click("nav a[href=\"/console/floods\"]");
      page.waitForURL("**/console/floods");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Floods");
      assertThat(page.locator(row).textContent()).contains(Long.toString(flood.entryId())).contains("imported flags").contains("held");
      assertThat(page.locator("#no-decided").count()).isEqualTo(1);
      chromium.shot(page, "floods-01-held");

      page.fill("#disable-" + flood.id() + " textarea[name=reason]", "A flag banked by mistake with the imported list.");
      page.click("#disable-" + flood.id() + " button[type=submit]");
      page.waitForURL("**/console/floods?disabled=" + flood.id());
      assertThat(page.locator("p.notice").textContent()).isEqualTo("Entry " + flood.entryId() + " disabled: it no longer matches.");
      assertThat(page.locator("#no-held").count()).isEqualTo(1);
      String decided = page.locator("#decided-floods tr[data-flood-id=\"" + flood.id() + "\"]").textContent();
      assertThat(decided).contains("disabled").contains("rowan").contains("A flag banked by mistake with the imported list.");
      chromium.shot(page, "floods-02-disabled");
    }
    JsonNode entry = api.get("/api/v1/entries/" + flood.entryId(), admin).json();
    assertThat(entry.get("enabled").asBoolean()).isFalse();
    assertThat(api.get("/api/v1/floods/" + flood.id(), admin).json().get("state").asText()).isEqualTo("disabled");
  }
}
