package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The livestreams page in a real headless Chromium: a reviewer opens Streams from the
 * navigation and sees a platform's stream with its alerts, the incident's tagged, then the stream
 * among the closed ones once the platform closes it. Screenshots go to the build folder's
 * {@code console-screenshots}.
 */
class ConsoleStreamsBrowserTest {

  private static final String PASSWORD = "a long reviewer password";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "noor", PASSWORD, "reviewer");
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
  void aReviewerSeesAStreamsAlertsFromTheNavigation() {
    Random random = new Random(41);
    String platform = TestServers.key(api, admin, "matcher");
    ConsoleStreamsTest.Banked still = ConsoleStreamsTest.banked(api, admin, random, "attack stills");
    ConsoleStreamsTest.Declared crisis = ConsoleStreamsTest.incident(api, TestServers.key(api, admin, "coordinator"), random,
        "Attack streamed live");
    long stream = ConsoleStreamsTest.open(api, platform, "live-4411", "streamer-77");
    ConsoleStreamsTest.send(api, platform, stream, ConsoleStreamsTest.frame(MatchTest.randomPdq(random), 0.0));
    JsonNode alerts = ConsoleStreamsTest.send(api, platform, stream,
        ConsoleStreamsTest.frame(MatchTest.flip(still.pdq(), 4, random), 81.0),
        ConsoleStreamsTest.frame(MatchTest.flip(crisis.entry().pdq(), 2, random), 82.0));
    assertThat(alerts).hasSize(2);
    String rows = "#streams tbody[data-stream-id=\"" + stream + "\"]";

    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "noor", PASSWORD, "/console/queue");
      page.click("nav a[href=\"/console/streams\"]");
      page.waitForURL("**/console/streams");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Streams");
      String facts = page.locator(rows + " > tr").first().textContent();
      assertThat(facts).contains("live-4411").contains("streamer-77").contains("open").contains("01:22");
      String stillAlert = page.locator(rows + " tr[data-alert-id=\"" + alerts.get(1).get("id").asLong() + "\"]").textContent();
      assertThat(stillAlert).contains("image").contains("attack stills").contains(Long.toString(still.entryId())).contains("01:21")
          .contains("distance 4").contains("attacker_manifesto");
      assertThat(page.locator(rows + " tr.incident .tag.threat").textContent()).isEqualTo("incident " + crisis.incidentId());
      chromium.shot(page, "streams-01-alerts");

      assertThat(api.post("/api/v1/streams/" + stream + "/close", platform, null).status()).isEqualTo(200);
      page.click("#state-filter a[href=\"/console/streams?state=closed\"]");
      page.waitForURL("**/console/streams?state=closed");
      assertThat(page.locator("#state-filter a[aria-current=page]").textContent()).isEqualTo("closed");
      assertThat(page.locator(rows + " .status").textContent()).isEqualTo("closed");
      assertThat(page.locator(rows + " tr[data-alert-id]").count()).as("its alerts are kept").isEqualTo(2);
      chromium.shot(page, "streams-02-closed");
    }
  }
}
