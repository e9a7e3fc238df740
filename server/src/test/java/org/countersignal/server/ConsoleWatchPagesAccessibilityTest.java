package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersignal.server.ConsoleAccessibilityTest.HOSTILE;
import static org.countersignal.server.ConsoleAccessibilityTest.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.countersignal.server.flood.Flood;
import org.countersignal.server.store.Database;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proposals, rules, floods and livestreams pages in a real headless Chromium, checked by
 * axe-core for WCAG 2.2 A and AA, with markup and script in every field of theirs that a platform
 * or a person writes: bank names, key names, rule names and descriptions, content ids, accounts,
 * stream ids, reasons, and what was typed into a refused form. It must show as text, run nothing
 * and add no element, on the lists, the detail pages, and the forms with their error messages.
 * Screenshots go to the build folder's {@code console-screenshots}, named {@code watch-…}.
 */
class ConsoleWatchPagesAccessibilityTest {

  static final TestClock CLOCK = new TestClock();

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String auditor;
  static String base;
  static ConsoleBrowser chromium;

  /** A curator key whose name is hostile: the pages name it as who decided. */
  static String curator;
  static long bank;
  static long openProposal;
  static long mediaProposal;
  static long rejectedProposal;
  static Flood heldFlood;
  static Flood releasedFlood;
  static long stream;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    auditor = TestServers.key(api, admin, "auditor");
    Api.Response made = api.post("/api/v1/keys", admin, "{\"role\":\"curator\",\"name\":" + quote(HOSTILE) + "}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    curator = made.json().get("key").asText();
    Random random = new Random(2029);

    ConsoleProposalsTest.turnOn(api, admin);
    bank = ConsoleProposalsTest.bank(api, admin, "bank " + HOSTILE);
    openProposal = nearMiss(random, HOSTILE, "post-2");
    rejectedProposal = nearMiss(random, "post-3", HOSTILE);
    Api.Response rejected = api.post("/api/v1/proposals/" + rejectedProposal + "/reject", curator,
        "{\"reason\":" + quote(HOSTILE + "\nsecond line " + HOSTILE) + "}");
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
    byte[] png = TestImages.encode(TestImages.shapes(256, 256, 13), "png");
    mediaProposal = ConsoleProposalsTest.imageNearMiss(api, admin, database, bank, png, random, HOSTILE).proposal().get("id").asLong();

    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":" + quote("rule " + HOSTILE) + ",\"description\":" + quote(HOSTILE)
        + ",\"action\":\"remove\",\"priority\":5,\"review_first\":true}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);

    ConsoleStreamsTest.Banked still = ConsoleStreamsTest.banked(api, admin, random, "stills " + HOSTILE);
    ConsoleStreamsTest.Declared crisis = ConsoleStreamsTest.incident(api, TestServers.key(api, admin, "coordinator"), random, HOSTILE);
    String platform = TestServers.key(api, admin, "matcher");
    stream = ConsoleStreamsTest.open(api, platform, HOSTILE, HOSTILE);
    JsonNode alerts = ConsoleStreamsTest.send(api, platform, stream, ConsoleStreamsTest.frame(MatchTest.flip(still.pdq(), 4, random), 61.0),
        ConsoleStreamsTest.frame(MatchTest.flip(crisis.entry().pdq(), 2, random), 62.0));
    assertThat(alerts).hasSize(2);

    // Floods last: each moves the server's clock on by an hour, past the proposals' uploads.
    releasedFlood = ConsoleFloodsTest.heldEntry(api, admin, server, CLOCK, random, "flood " + HOSTILE);
    Api.Response released = api.post("/api/v1/floods/" + releasedFlood.id() + "/release", curator,
        "{\"reason\":" + quote(HOSTILE + "\nsecond line") + "}");
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    heldFlood = ConsoleFloodsTest.heldEntry(api, admin, server, CLOCK, random, "held " + HOSTILE);

    chromium = ConsoleBrowser.launch();
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

  /** A near miss of a new entry in the hostile bank, uploaded as {@code contentId} by {@code account}; returns the proposal's id. */
  private static long nearMiss(Random random, String contentId, String account) {
    String pdq = MatchTest.randomPdq(random);
    ConsoleProposalsTest.banked(api, admin, bank, pdq, "\"attacker_manifesto\"");
    String edited = MatchTest.flip(pdq, 40, random);
    ConsoleProposalsTest.upload(api, admin, edited, contentId, account);
    return ConsoleProposalsTest.proposalOf(api, admin, edited).get("id").asLong();
  }

  @Test
  void theProposalsPagesAreAccessibleAndShowHostileTextAsText() {
    try (BrowserContext context = chromium.browser().newContext()) {
      Checked page = signIn(context, admin);
      page.visit("/console/proposals", "proposals-list").shows("#proposals", "bank " + HOSTILE);
      page.visit("/console/proposals?state=all", "proposals-all").shows("#proposals", "bank " + HOSTILE);
      page.visit("/console/proposals/" + openProposal, "proposal-open").shows("#found", "bank " + HOSTILE)
          .shows("#evidence", HOSTILE).shows("#accept", "bank " + HOSTILE);
      page.visit("/console/proposals/" + mediaProposal, "proposal-media").shows("#evidence", HOSTILE);
      assertThat(page.page.locator("#evidence img.media").getAttribute("alt")).isEqualTo("image of upload " + HOSTILE);
      page.visit("/console/proposals/" + rejectedProposal + "?decided=rejected", "proposal-rejected")
          .shows("#decided", "key ").shows("#decided", HOSTILE).shows("#decided", "second line " + HOSTILE).shows("#evidence", HOSTILE);

      // Refused: a label that is not one, typed with a hostile note; both come back in the form, as text.
      page.visit("/console/proposals/" + openProposal, "proposal-open-again");
      page.page.fill("#accept input[name=labels]", HOSTILE);
      page.page.fill("#accept textarea[name=note]", HOSTILE);
      page.page.click("#accept button[type=submit]");
      page.page.waitForURL("**/console/proposals/" + openProposal + "/accept");
      page.checked("proposal-accept-refused").shows("p.notice.error", "labels");
      assertThat(page.page.inputValue("#accept input[name=labels]")).isEqualTo(HOSTILE);
      assertThat(page.page.inputValue("#accept textarea[name=note]")).isEqualTo(HOSTILE);

      // Refused: a reason too long, put back in its form.
      page.visit("/console/proposals/" + openProposal, "proposal-open-once-more");
      String tooLong = HOSTILE + "x".repeat(2000);
      page.page.fill("#reject textarea[name=reason]", tooLong);
      page.page.click("#reject button[type=submit]");
      page.page.waitForURL("**/console/proposals/" + openProposal + "/reject");
      page.checked("proposal-reject-refused").shows("p.notice.error", "reason");
      assertThat(page.page.inputValue("#reject textarea[name=reason]")).isEqualTo(tooLong);
      page.noDialogs();
    }
    try (BrowserContext context = chromium.browser().newContext()) {
      Checked page = signIn(context, auditor);
      page.visit("/console/proposals/" + openProposal, "proposal-auditor").shows("#decide", "Curators and admins accept or reject proposals.")
          .shows("#evidence", HOSTILE);
      page.noDialogs();
    }
  }

  @Test
  void theRulesPageIsAccessibleAndShowsHostileTextAsText() {
    try (BrowserContext context = chromium.browser().newContext()) {
      Checked page = signIn(context, curator);
      page.visit("/console/rules", "rules").shows("#rules", "rule " + HOSTILE).shows("#rules", "after review");
      assertThat(page.page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
          new Page.GetByRoleOptions().setName("Delete rule rule " + HOSTILE)).count()).isEqualTo(1);

      // Refused: a priority that is no number; what was typed stays in the form, as text.
      page.page.fill("#new-rule input[name=name]", HOSTILE);
      page.page.fill("#new-rule input[name=description]", HOSTILE);
      page.page.fill("#new-rule input[name=action]", "remove");
      page.page.fill("#new-rule input[name=priority]", HOSTILE);
      page.page.click("#new-rule button[type=submit]");
      page.page.waitForLoadState();
      page.checked("rules-refused").shows("p.notice.error", "priority: a whole number, got '" + HOSTILE.strip() + "'");
      assertThat(page.page.inputValue("#new-rule input[name=name]")).isEqualTo(HOSTILE);
      assertThat(page.page.inputValue("#new-rule input[name=priority]")).isEqualTo(HOSTILE);
      page.noDialogs();
    }
    try (BrowserContext context = chromium.browser().newContext()) {
      Checked page = signIn(context, auditor);
      page.visit("/console/rules", "rules-auditor").shows("#rules", "rule " + HOSTILE);
      assertThat(page.page.locator("#new-rule").count()).isZero();
      page.noDialogs();
    }
  }

  @Test
  void theFloodsPageIsAccessibleAndShowsHostileTextAsText() {
    String held = "#held-floods tr[data-flood-id=\"" + heldFlood.id() + "\"]";
    String decided = "#decided-floods tr[data-flood-id=\"" + releasedFlood.id() + "\"]";
    try (BrowserContext context = chromium.browser().newContext()) {
      Checked page = signIn(context, admin);
      page.visit("/console/floods", "floods").shows(held, "held " + HOSTILE).shows(decided, "flood " + HOSTILE)
          .shows(decided, HOSTILE + "second line").shows(decided, "key ");

      // Refused: a reason too long, put back in the disable form only.
      String tooLong = HOSTILE + "x".repeat(2000);
      page.page.fill("#disable-" + heldFlood.id() + " textarea[name=reason]", tooLong);
      page.page.click("#disable-" + heldFlood.id() + " button[type=submit]");
      page.page.waitForURL("**/console/floods/" + heldFlood.id() + "/disable");
      page.checked("floods-refused").shows("p.notice.error", "reason");
      assertThat(page.page.inputValue("#disable-" + heldFlood.id() + " textarea[name=reason]")).isEqualTo(tooLong);
      assertThat(page.page.inputValue("#release-" + heldFlood.id() + " textarea[name=reason]")).isEmpty();
      page.noDialogs();
    }
    try (BrowserContext context = chromium.browser().newContext()) {
      Checked page = signIn(context, auditor);
      page.visit("/console/floods", "floods-auditor").shows(held, "held " + HOSTILE).shows(decided, HOSTILE);
      page.noDialogs();
    }
  }

  @Test
  void theStreamsPageIsAccessibleAndShowsHostileTextAsText() {
    String rows = "#streams tbody[data-stream-id=\"" + stream + "\"]";
    for (String key : List.of(admin, auditor)) {
      try (BrowserContext context = chromium.browser().newContext()) {
        Checked page = signIn(context, key);
        String who = key.equals(admin) ? "admin" : "auditor";
        page.visit("/console/streams", "streams-" + who).shows(rows + " > tr:first-child", HOSTILE + "stream " + stream)
            .shows(rows + " > tr:first-child", HOSTILE).shows(rows + " tr.stream-alerts", "stills " + HOSTILE);
        page.visit("/console/streams?state=open", "streams-open-" + who).shows(rows, "stills " + HOSTILE);
        page.noDialogs();
      }
    }
  }

  private static Checked signIn(BrowserContext context, String key) {
    Page page = context.newPage();
    page.navigate(base + "/console/sign-in");
    page.fill("#key-sign-in input[name=key]", key);
    page.click("#key-sign-in button[type=submit]");
    page.waitForURL("**/console/queue");
    return new Checked(page);
  }

  /** A signed-in page that counts the dialogs script opened, and checks each page it is on. */
  private static final class Checked {

    final Page page;
    final List<String> dialogs = new ArrayList<>();

    Checked(Page page) {
      this.page = page;
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
    }

    Checked visit(String path, String name) {
      page.navigate(base + path);
      return checked(name);
    }

    /** The page as it stands: a screenshot, axe-core's check, and no element that stored text could have added. */
    Checked checked(String name) {
      assertThat(page.title()).as(name).endsWith("· Countersignal");
      chromium.shot(page, "watch-" + name);
      ConsoleBrowser.assertAccessible(page);
      assertThat(page.locator("img[src=x], main b, main script, [onerror]").count()).as("markup from stored text on " + name).isZero();
      return this;
    }

    Checked shows(String selector, String text) {
      assertThat(page.locator(selector).first().textContent()).as(selector + " on " + page.url()).contains(text);
      return this;
    }

    void noDialogs() {
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }
}
