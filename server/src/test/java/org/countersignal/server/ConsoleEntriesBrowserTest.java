package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersignal.server.ConsoleAccessibilityTest.HOSTILE;
import static org.countersignal.server.ConsoleAccessibilityTest.quote;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank's page and an entry's page in a real headless Chromium: a curator pages through a bank's
 * entries, filters them by state and by a text, and opens an entry to read its note, provenance,
 * history and what a peer said of it. Names and notes an attacker wrote show as text.
 */
class ConsoleEntriesBrowserTest {

  private static final String PASSWORD = "a long curator password";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;
  static long bank;
  static final List<Long> entries = new ArrayList<>();
  static final List<String> hashes = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    TestServers.user(api, admin, "cora", PASSWORD, "curator");
    Api.Response created = api.post("/api/v1/banks", admin, "{\"name\":" + quote("bank " + HOSTILE) + ",\"description\":" + quote(HOSTILE)
        + ",\"labels\":[\"attacker_manifesto\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    bank = created.json().get("id").asLong();
    Random random = new Random(7);
    for (int i = 0; i < 7; i++) {
      String pdq = hex(random);
      String note = i == 3 ? "needle " + HOSTILE : "flag number " + i;
      String provenance = i == 3 ? "https://example.org/" + HOSTILE : "imported list";
      Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"},"
          + "\"labels\":[\"attacker_manifesto\"],\"note\":" + quote(note) + ",\"provenance\":" + quote(provenance) + "}");
      assertThat(entry.status()).as(entry.body()).isEqualTo(201);
      entries.add(entry.json().get("id").asLong());
      hashes.add(pdq);
    }
    Api.Response disabled = api.post("/api/v1/entries/" + entries.get(3) + "/disable", admin, "{\"reason\":\"a false positive\"}");
    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
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

  static String hex(Random random) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      out.append(Character.forDigit(random.nextInt(16), 16));
    }
    return out.toString();
  }

  /** Nothing an attacker wrote became an element or ran. */
  static void nothingInjected(Page page, AtomicInteger dialogs) {
    assertThat(dialogs.get()).isZero();
    assertThat(page.locator("main img[src=x]").count()).isZero();
    assertThat(page.locator("main b").count()).isZero();
    assertThat(page.locator("main script").count()).isZero();
  }

  @Test
  void aCuratorPagesFiltersAndOpensEntries() {
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "cora", PASSWORD, "/console/queue");
      AtomicInteger dialogs = new AtomicInteger();
      page.onDialog(dialog -> {
        dialogs.incrementAndGet();
        dialog.dismiss();
      });
      page.navigate(base + "/console/banks");
      page.click("#banks a[href=\"/console/banks/" + bank + "\"]");
      page.waitForURL("**/console/banks/" + bank);
      assertThat(page.locator("#bank-name").textContent()).isEqualTo("bank " + HOSTILE);
      assertThat(page.locator("#bank-details").textContent()).contains(HOSTILE).contains("attacker_manifesto").contains("match");
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(7);
      nothingInjected(page, dialogs);
      ConsoleBrowser.assertAccessible(page);

      // Pages of five: the first five entries, then the last two.
      page.navigate(base + "/console/banks/" + bank + "?size=5");
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(5);
      assertThat(page.locator("#entries tbody tr").first().getAttribute("data-entry-id")).isEqualTo(entries.get(0).toString());
      chromium.shot(page, "entries-01-bank-first-page");
      page.click("#next-page");
      page.waitForURL("**after=" + entries.get(4));
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(2);
      assertThat(page.locator("#entries tbody tr").last().getAttribute("data-entry-id")).isEqualTo(entries.get(6).toString());
      assertThat(page.locator("#next-page").count()).isZero();
      assertThat(page.locator("#first-page").count()).isEqualTo(1);
      chromium.shot(page, "entries-02-bank-second-page");

      // Filters: disabled entries only, then a text in a note, then the start of a hash.
      page.selectOption("#entry-search select[name=state]", "disabled");
      page.click("#entry-search button[type=submit]");
      page.waitForURL("**state=disabled**");
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(1);
      assertThat(page.locator("#entries tbody tr").getAttribute("data-entry-id")).isEqualTo(entries.get(3).toString());
      page.navigate(base + "/console/banks/" + bank);
      page.fill("#entry-search input[name=q]", "NEEDLE");
      page.click("#entry-search button[type=submit]");
      page.waitForURL("**q=NEEDLE**");
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(1);
      assertThat(page.locator("#entries td.bank-note").textContent()).isEqualTo("needle " + HOSTILE);
      nothingInjected(page, dialogs);
      chromium.shot(page, "entries-03-bank-searched");
      page.fill("#entry-search input[name=q]", hashes.get(5).substring(0, 10));
      page.click("#entry-search button[type=submit]");
      page.waitForURL("**q=" + hashes.get(5).substring(0, 10) + "**");
      assertThat(page.locator("#entries tbody tr").count()).isEqualTo(1);
      assertThat(page.locator("#entries tbody tr").getAttribute("data-entry-id")).isEqualTo(entries.get(5).toString());
      page.fill("#entry-search input[name=q]", "nothing has this");
      page.click("#entry-search button[type=submit]");
      page.waitForURL("**q=nothing**");
      assertThat(page.locator("#no-entries").count()).isEqualTo(1);
      ConsoleBrowser.assertAccessible(page);

      // The entry: its note, provenance, state, history and a peer's word.
      long feed = feedWithOpinion(entries.get(3), hashes.get(3));
      assertThat(feed).isPositive();
      page.navigate(base + "/console/banks/" + bank + "?state=disabled");
      page.click("#entries a[href=\"/console/entries/" + entries.get(3) + "\"]");
      page.waitForURL("**/console/entries/" + entries.get(3));
      assertThat(page.locator("#entry-note").textContent()).isEqualTo("needle " + HOSTILE);
      assertThat(page.locator("#entry-provenance").textContent()).isEqualTo("https://example.org/" + HOSTILE);
      assertThat(page.locator("#entry-state").textContent()).isEqualTo("disabled");
      assertThat(page.locator("#entry-details").textContent()).contains("a false positive").contains("bank " + HOSTILE);
      assertThat(page.locator("#entry-signals").textContent()).contains("pdq").contains(hashes.get(3));
      String history = page.locator("#entry-history").textContent();
      assertThat(history).contains("created").contains("disabled");
      assertThat(page.locator("#entry-history tbody tr").count()).isEqualTo(2);
      assertThat(page.locator("#entry-opinions tbody td").allTextContents()).containsExactly("1", "3", "1", "0", "0");
      nothingInjected(page, dialogs);
      ConsoleBrowser.assertAccessible(page);
      chromium.shot(page, "entries-04-entry");
    }
  }

  /** A feed of the bank with one peer, who says it saw the entry's hash three times and that it was right. */
  private static long feedWithOpinion(long entry, String pdq) {
    Api.Response feed = api.post("/api/v1/feeds", admin, "{\"name\":\"console-feed\",\"bank_id\":" + bank + "}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    long id = feed.json().get("id").asLong();
    Api.Response peer = api.post("/api/v1/feeds/" + id + "/peers", admin, "{\"name\":\"peer-one\"}");
    assertThat(peer.status()).as(peer.body()).isEqualTo(201);
    String key = peer.json().get("key").asText();
    Api.Response said = api.post("/api/v1/feeds/console-feed/opinions", key,
        "{\"opinions\":[{\"signal_type\":\"pdq\",\"signal\":\"" + pdq + "\",\"opinion\":\"positive\",\"seen\":3}]}");
    assertThat(said.status()).as(said.body()).isEqualTo(200);
    assertThat(api.get("/api/v1/entries/" + entry, admin).json().at("/opinions/positive").asLong()).isEqualTo(1);
    return id;
  }
}
