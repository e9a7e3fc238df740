package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersignal.server.ConsoleAccessibilityTest.HOSTILE;
import static org.countersignal.server.ConsoleAccessibilityTest.quote;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The match tester in a real headless Chromium: a reviewer tests a banked text, a banked image
 * (uploaded) and a banked hash and sees each hit and why, sees a miss as a miss and bad input as
 * a message, and the trials leave no submission and no case behind.
 */
class ConsoleMatchTesterBrowserTest {

  private static final String PASSWORD = "a long reviewer password";
  private static final String TEXT = "We call on every brother to rise against the unbelievers and strike them in their markets, "
      + "their schools and their places of worship, for the day of reckoning has come and no one shall be spared when the "
      + "banners are raised over the ruins of their cities and the names of the martyrs are sung in every land that hears "
      + "this call to arms, so take up whatever weapon you can find and go out tonight before the chance is lost forever.";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;
  static long bank;
  static long textEntry;
  static long imageEntry;
  static long hashEntry;
  static String hash;
  static String harmless;
  static long cancelledEntry;
  static byte[] image;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "rhea", PASSWORD, "reviewer");
    Api.Response created = api.post("/api/v1/banks", admin, "{\"name\":" + quote("bank " + HOSTILE) + ",\"labels\":[\"attacker_manifesto\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    bank = created.json().get("id").asLong();
    Api.Response text = api.post("/api/v1/banks/" + bank + "/entries/text", admin, "{\"text\":" + quote(TEXT) + "}");
    assertThat(text.status()).as(text.body()).isEqualTo(201);
    textEntry = text.json().get("id").asLong();
    image = ConsoleBrowserTest.image(41);
    Api.Response banked = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "image/png", image);
    assertThat(banked.status()).as(banked.body()).isEqualTo(201);
    imageEntry = banked.json().get("id").asLong();
    hash = ConsoleEntriesBrowserTest.hex(new Random(5));
    Api.Response hashed = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + hash + "\"}}");
    assertThat(hashed.status()).as(hashed.body()).isEqualTo(201);
    hashEntry = hashed.json().get("id").asLong();
    harmless = ConsoleEntriesBrowserTest.hex(new Random(6));
    Api.Response cancelled = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + harmless + "\"}}");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(201);
    cancelledEntry = cancelled.json().get("id").asLong();
    Api.Response negative = api.post("/api/v1/banks", admin, "{\"name\":\"known harmless\",\"purpose\":\"negative\"}");
    assertThat(negative.status()).as(negative.body()).isEqualTo(201);
    Api.Response known = api.post("/api/v1/banks/" + negative.json().get("id").asLong() + "/entries", admin,
        "{\"signals\":{\"pdq\":\"" + harmless + "\"}}");
    assertThat(known.status()).as(known.body()).isEqualTo(201);
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

  private static void submit(Page page) {
    page.click("#match-test button[type=submit]");
    page.waitForLoadState();
  }

  @Test
  void aReviewerTestsTextImageAndHashWithoutLeavingASubmission() {
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "rhea", PASSWORD, "/console/queue");
      AtomicInteger dialogs = new AtomicInteger();
      page.onDialog(dialog -> {
        dialogs.incrementAndGet();
        dialog.dismiss();
      });
      page.click("nav a[href=\"/console/match\"]");
      page.waitForURL("**/console/match");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Match tester");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "match-test-01-form");

      // A banked text, pasted again: the text hit says which words of the banked text matched.
      page.fill("#match-test textarea[name=text]", TEXT);
      submit(page);
      String hits = page.locator("#match-test-hits").textContent();
      assertThat(hits).contains("bank " + HOSTILE).contains("entry " + textEntry).contains("text").contains("banked words");
      assertThat(page.locator("#match-test-hits tr[data-entry-id=\"" + textEntry + "\"]").count()).isPositive();
      ConsoleEntriesBrowserTest.nothingInjected(page, dialogs);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "match-test-02-text");

      // A banked image, uploaded.
      page.navigate(base + "/console/match");
      page.setInputFiles("#match-test input[name=file]", new FilePayload("flag.png", "image/png", image));
      submit(page);
      String row = page.locator("#match-test-hits tr[data-entry-id=\"" + imageEntry + "\"]").first().textContent();
      assertThat(row).contains("pdq").contains("0 / ");
      assertThat(page.locator("#match-test-result h2").textContent()).isEqualTo("What the file flag.png matches");
      chromium.shot(page, "match-test-03-image");

      // A banked hash, in capitals; then one far from everything: a miss.
      page.navigate(base + "/console/match");
      page.selectOption("#match-test select[name=hash_type]", "pdq");
      page.fill("#match-test input[name=hash]", hash.toUpperCase(java.util.Locale.ROOT));
      submit(page);
      assertThat(page.locator("#match-test-hits tr[data-entry-id=\"" + hashEntry + "\"]").textContent())
          .contains("pdq").contains("0 / 31").contains("the same value");
      page.fill("#match-test input[name=hash]", flipped(hash));
      submit(page);
      assertThat(page.locator("#match-test-miss").count()).isEqualTo(1);
      assertThat(page.locator("#match-test-hits").count()).isZero();
      chromium.shot(page, "match-test-04-miss");

      // A hash a negative bank knows as harmless: its hit is shown as cancelled, not as a hit.
      page.fill("#match-test input[name=hash]", harmless);
      submit(page);
      assertThat(page.locator("#match-test-miss").count()).isEqualTo(1);
      assertThat(page.locator("#match-test-cancelled tr[data-entry-id=\"" + cancelledEntry + "\"]").textContent())
          .contains("bank " + HOSTILE).contains("known harmless");
      chromium.shot(page, "match-test-05-cancelled");

      // Bad input: a malformed hash, an image that does not decode, nothing at all.
      page.fill("#match-test input[name=hash]", "not a hash");
      submit(page);
      assertThat(page.locator("p.notice.error").textContent()).startsWith("Not tested:").contains("pdq");
      assertThat(page.locator("#match-test input[name=hash]").inputValue()).isEqualTo("not a hash");
      page.navigate(base + "/console/match");
      byte[] broken = new byte[600];
      System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, broken, 0, 8);
      page.setInputFiles("#match-test input[name=file]", new FilePayload("broken.png", "image/png", broken));
      submit(page);
      assertThat(page.locator("p.notice.error").textContent()).startsWith("Not tested:");
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "match-test-06-broken-image");
      submit(page);
      assertThat(page.locator("p.notice.error").textContent()).isEqualTo("Give a text, a URL, a hash or a file to test.");

      // Hostile text, pasted: shown back as text, nothing runs.
      page.fill("#match-test textarea[name=text]", HOSTILE + " " + HOSTILE + " and more words to make it a text worth hashing");
      submit(page);
      assertThat(page.locator("#match-test textarea[name=text]").inputValue()).startsWith(HOSTILE);
      ConsoleEntriesBrowserTest.nothingInjected(page, dialogs);
      chromium.shot(page, "match-test-07-hostile");
    }
    // A trial leaves nothing behind: no case now, and no submission in the database.
    assertThat(api.get("/api/v1/cases", admin).json().get("items").size()).isZero();
    server.close();
    server = null;
    try (Database database = TestServers.openDatabase(dataDir)) {
      long submissions = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM submissions").mapTo(Long.class).one());
      assertThat(submissions).isZero();
    }
  }

  private static String flipped(String hex) {
    StringBuilder out = new StringBuilder();
    for (char c : hex.toCharArray()) {
      out.append(Character.forDigit(15 - Character.digit(c, 16), 16));
    }
    return out.toString();
  }
}
