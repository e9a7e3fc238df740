package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.countersignal.server.store.Database;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variant discovery's proposals in a real headless Chromium: an admin opens Proposals from the
 * navigation, opens a near miss of a banked photo and sees its uploads' images blurred and grey
 * until revealed one at a time; a curator accepts another into a bank they choose, with labels
 * and a note, through the form, and sees the decision. Screenshots go to the build folder's
 * {@code console-screenshots}.
 */
class ConsoleProposalsBrowserTest {

  private static final String PASSWORD = "a long console password";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    ConsoleProposalsTest.turnOn(api, admin);
    TestServers.user(api, admin, "ash", PASSWORD, "admin");
    TestServers.user(api, admin, "rowan", PASSWORD, "curator");
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

  @Test
  void anAdminSeesTheUploadsOfANearMissBlurredAndGreyUntilRevealedOneAtATime() {
    long bank = ConsoleProposalsTest.bank(api, admin, "attack photos");
    byte[] png = TestImages.encode(TestImages.shapes(256, 256, 11), "png");
    ConsoleProposalsTest.Upload upload = ConsoleProposalsTest.imageNearMiss(api, admin, database, bank, png, new Random(51),
        "photo-1", "photo-2");
    long id = upload.proposal().get("id").asLong();
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "ash", PASSWORD, "/console/queue");
      page.click("nav a[href=\"/console/proposals\"]");
      page.waitForURL("**/console/proposals");
      assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Proposals");
      assertThat(page.locator("#proposals tr[data-proposal-id=\"" + id + "\"]").textContent()).contains("near miss")
          .contains("entry " + upload.proposal().get("entry_id").asLong() + " at distance 40").contains("attack photos").contains("open");
      chromium.shot(page, "proposals-01-list");

      page.click("#proposals a[href=\"/console/proposals/" + id + "\"]");
      page.waitForURL("**/console/proposals/" + id);
      assertThat(page.locator("h1").textContent()).isEqualTo("Proposal " + id + " · near miss · open");
      assertThat(page.locator("#found code.signal").textContent()).isEqualTo(upload.proposal().get("value").asText());
      assertThat((String) page.locator("#found code.signal").evaluate("e => getComputedStyle(e).fontFamily")).contains("monospace");
      Locator newest = thumbnail(page, upload.submissionIds().get(0));
      Locator older = thumbnail(page, upload.submissionIds().get(1));
      for (Locator item : new Locator[] {newest, older}) {
        item.locator("img.media").scrollIntoViewIfNeeded();
        item.locator("img.media").evaluate("e => e.decode()"); // loaded and decodable: the media route served the image
        assertThat(ConsoleBrowserTest.filter(item.locator("img.media"))).isEqualTo("blur(32px) grayscale(1)");
      }
      assertThat(page.locator("#evidence").textContent()).contains("photo-1").contains("photo-2").contains("acct-photo-1");
      chromium.shot(page, "proposals-02-detail-blurred");

      newest.locator("button.reveal").click();
      assertThat(ConsoleBrowserTest.filter(newest.locator("img.media"))).isEqualTo("none");
      assertThat(ConsoleBrowserTest.filter(older.locator("img.media"))).isEqualTo("blur(32px) grayscale(1)");
      assertThat(newest.locator("button.reveal").getAttribute("aria-pressed")).isEqualTo("true");
      chromium.shot(page, "proposals-03-detail-one-revealed");
      newest.locator("button.reveal").click();
      assertThat(ConsoleBrowserTest.filter(newest.locator("img.media"))).isEqualTo("blur(32px) grayscale(1)");
    }
  }

  @Test
  void aCuratorAcceptsANearMissIntoABankTheyChooseThroughTheForm() {
    Random random = new Random(52);
    long near = ConsoleProposalsTest.bank(api, admin, "imported stills");
    long chosen = ConsoleProposalsTest.bank(api, admin, "confirmed variants");
    String pdq = MatchTest.randomPdq(random);
    long entry = ConsoleProposalsTest.banked(api, admin, near, pdq, "\"attacker_manifesto\"");
    String edited = MatchTest.flip(pdq, 38, random);
    ConsoleProposalsTest.upload(api, admin, edited, "clip-17", "acct-3");
    ConsoleProposalsTest.upload(api, admin, edited, "clip-18", "acct-4");
    long id = ConsoleProposalsTest.proposalOf(api, admin, edited).get("id").asLong();
    try (BrowserContext context = chromium.browser().newContext()) {
      Page page = ConsoleBrowser.signIn(context, base, "rowan", PASSWORD, "/console/queue");
      page.click("nav a[href=\"/console/proposals\"]");
      page.click("#proposals a[href=\"/console/proposals/" + id + "\"]");
      page.waitForURL("**/console/proposals/" + id);
      assertThat(page.locator("#found").textContent()).contains("entry " + entry + " at distance 38").contains("attacker_manifesto");
      assertThat(page.locator("#evidence").textContent()).contains("clip-18").contains("Media, when kept, are shown to reviewers and admins only.");
      assertThat(page.locator("#evidence img").count()).isZero();
      assertThat(page.locator("#accept select[name=bank_id]").inputValue()).as("the near entry's bank").isEqualTo(Long.toString(near));
      assertThat(page.getByLabel("Labels").count()).as("a labelled field").isEqualTo(1);

      page.selectOption("#accept select[name=bank_id]", Long.toString(chosen));
      page.fill("#accept input[name=labels]", "attacker_manifesto, glorification_of_terrorist_acts");
      page.fill("#accept textarea[name=note]", "Mirrored and captioned copy of the imported still.");
      page.click("#accept button[type=submit]");
      page.waitForURL("**/console/proposals/" + id + "?decided=accepted");
      assertThat(page.locator("p.notice").textContent()).startsWith("Accepted: the signal is banked as entry ")
          .contains("in confirmed variants (bank " + chosen + ")");
      assertThat(page.locator("#decided").textContent()).contains("accepted").contains("rowan").contains("confirmed variants");
      assertThat(page.locator("#accept").count()).isZero();
      chromium.shot(page, "proposals-04-accepted");
    }
    JsonNode proposal = api.get("/api/v1/proposals/" + id, admin).json();
    assertThat(proposal.get("state").asText()).isEqualTo("accepted");
    assertThat(proposal.get("accepted_bank_id").asLong()).isEqualTo(chosen);
    JsonNode created = api.get("/api/v1/entries/" + proposal.get("accepted_entry_id").asLong(), admin).json();
    assertThat(created.get("labels")).extracting(JsonNode::asText)
        .containsExactly("attacker_manifesto", "glorification_of_terrorist_acts");
    assertThat(created.get("note").asText()).isEqualTo("Mirrored and captioned copy of the imported still.");
  }

  private static Locator thumbnail(Page page, long submissionId) {
    return page.locator("#evidence tr[data-submission-id=\"" + submissionId + "\"] .media-item");
  }
}
