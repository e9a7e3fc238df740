package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real headless Chromium: a reviewer signs in, works the queue and decides a
 * case, with media blurred and grey until revealed one item at a time. Screenshots of each step
 * go to the build folder's {@code console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one queue: the walk-through sees it before the appeal test changes it
class ConsoleBrowserTest {

  private static final String PASSWORD = "a long reviewer password";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String platform;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;
  static long bank;
  static long confirmedBank;
  static JsonNode caseA;
  static JsonNode caseB;
  static JsonNode caseC;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    // A kind with a credential besides the built-in ones, for the exchange form's credential fields.
    server = CountersignalServer.builder(TestServers.config(dataDir)).extraExchangeKinds(List.of(new ScriptedExchange())).start();
    try {
      assertThat(server.awaitReady(java.time.Duration.ofSeconds(20))).as("indexes loaded").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");

    // Three banked images, a rule that sends their matches to review, and three uploads that match.
    bank = api.post("/api/v1/banks", admin, "{\"name\":\"Incident 2026-11\",\"labels\":[\"attacker_manifesto\"],"
        + "\"entities\":[\"perpetrator\"]}").json().get("id").asLong();
    confirmedBank = api.post("/api/v1/banks", admin, "{\"name\":\"confirmed in review\",\"labels\":[\"attacker_manifesto\"]}")
        .json().get("id").asLong();
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"review manifestos\",\"action\":\"remove\",\"review_first\":true,"
        + "\"conditions\":{\"banks\":[" + bank + "]}}");
    assertThat(rule.status()).as(rule.header()).isEqualTo(201);
    caseA = submitted(image(1), "post-<script>alert(1)</script>");
    caseB = submitted(image(2), "post-2");
    caseC = submitted(image(3), "post-3");
    // A video submission: its media as the platform would keep it (the bytes need not play: nothing loads before "play").
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE submissions SET media = :media, media_type = 'video/webm' WHERE id = :id")
        .bind("media", new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3, 0, 0, 0, 0})
        .bind("id", caseC.get("submission_id").asLong())
        .execute());

    for (String username : List.of("rowan", "sasha")) {
      TestServers.user(api, admin, username, PASSWORD, "reviewer");
    }

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

  /** A picture of random coloured blocks (plenty of detail for a good PDQ hash), as PNG. */
  static byte[] image(int seed) throws IOException {
    Random random = new Random(seed);
    BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    for (int y = 0; y < 256; y += 32) {
      for (int x = 0; x < 256; x += 32) {
        g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        g.fillRect(x, y, 32, 32);
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** Banks {@code png}, then uploads it as the platform's content {@code contentId}; returns the submission. */
  static JsonNode submitted(byte[] png, String contentId) {
    Api.Response entry = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "image/png", png);
    assertThat(entry.status()).as(entry.header()).isEqualTo(201);
    Api.Response match = api.send("POST", "/api/v1/match/upload?account=acct-9&content_id="
        + java.net.URLEncoder.encode(contentId, java.nio.charset.StandardCharsets.UTF_8), platform, "image/png", png);
    assertThat(match.status()).as(match.header()).isEqualTo(200);
    JsonNode submission = match.json().get("submission");
    assertThat(submission.get("case_id").asLong()).as(match.body()).isPositive();
    return submission;
  }

  static String filter(Locator element) {
    return (String) element.evaluate("e => getComputedStyle(e).filter");
  }

  static Page signIn(BrowserContext context, String username) {
    return ConsoleBrowser.signIn(context, base, username, PASSWORD, "/console/queue");
  }

  @Test
  @Order(1)
  void aReviewerWorksTheQueueWithMediaBlurredAndGreyUntilRevealedOneAtATime() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      List<String> dialogs = new java.util.ArrayList<>();
      page.onDialog(d -> {
        dialogs.add(d.message());
        d.dismiss();
      });
      page.navigate(base + "/console");
      assertThat(page.url()).endsWith("/console/sign-in");
      chromium.shot(page, "01-sign-in");

      page.fill("#password-sign-in input[name=username]", "rowan");
      page.fill("#password-sign-in input[name=password]", "not my password");
      page.click("#password-sign-in button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).isEqualTo("The username or password is wrong.");
      chromium.shot(page, "02-sign-in-refused");

      page.fill("#password-sign-in input[name=password]", PASSWORD);
      page.click("#password-sign-in button[type=submit]");
      page.waitForURL("**/console/queue");
      assertThat(page.locator("#signed-in-as").textContent()).isEqualTo("rowan · reviewer");
      Cookie session = context.cookies().stream().filter(c -> c.name.equals("cs_console")).findFirst().orElseThrow();
      assertThat(session.httpOnly).isTrue();
      assertThat(session.sameSite).isEqualTo(com.microsoft.playwright.options.SameSiteAttribute.STRICT);

      // The queue: three cases, the content id shown as text (its markup never runs), image thumbnails blurred and grey.
      Locator rows = page.locator("#queue tbody tr");
      assertThat(rows.count()).isEqualTo(3);
      assertThat(page.locator("#queue").textContent()).contains("attacker_manifesto");
      assertThat(page.content()).contains("post-&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
      assertThat(dialogs).isEmpty();
      Locator thumbA = page.locator("tr[data-case-id=\"" + caseA.get("case_id").asLong() + "\"] .media-item");
      Locator thumbB = page.locator("tr[data-case-id=\"" + caseB.get("case_id").asLong() + "\"] .media-item");
      assertThat(filter(thumbA.locator("img.media"))).isEqualTo("blur(32px) grayscale(1)");
      assertThat(filter(thumbB.locator("img.media"))).isEqualTo("blur(32px) grayscale(1)");
      chromium.shot(page, "03-queue-blurred");
      thumbB.locator("button.reveal").click();
      assertThat(filter(thumbB.locator("img.media"))).isEqualTo("none");
      assertThat(filter(thumbA.locator("img.media"))).isEqualTo("blur(32px) grayscale(1)");
      assertThat(thumbB.locator("button.reveal").getAttribute("aria-pressed")).isEqualTo("true");
      chromium.shot(page, "04-queue-one-revealed");

      // The case: the image beside the bank entry it matched, blurred and grey until revealed.
      long a = caseA.get("case_id").asLong();
      page.click("a[href=\"/console/cases/" + a + "\"]");
      page.waitForURL("**/console/cases/" + a);
      Locator media = page.locator("#submission img.media");
      media.evaluate("e => e.decode()"); // loaded and decodable: the media route served a real image
      var served = context.request().get(base + "/console/media/" + caseA.get("submission_id").asLong());
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.headers()).containsEntry("content-type", "image/png").containsEntry("x-content-type-options", "nosniff")
          .containsEntry("cache-control", "no-store");
      assertThat(served.headers().get("content-security-policy")).contains("sandbox");
      try (BrowserContext stranger = browser.newContext()) {
        assertThat(stranger.request().get(base + "/console/media/" + caseA.get("submission_id").asLong()).status()).isEqualTo(401);
      }
      assertThat(filter(media)).isEqualTo("blur(32px) grayscale(1)");
      assertThat(page.locator("#matches").textContent()).contains("Incident 2026-11").contains("pdq").contains("perpetrator")
          .contains("threshold");
      assertThat(page.locator("#submission").textContent()).contains("post-<script>alert(1)</script>").contains("acct-9");
      assertThat(page.locator("#decision").count()).isZero(); // nothing to decide before claiming
      chromium.shot(page, "05-case-blurred");

      page.click("#claim");
      page.locator("#claim-status:has-text('You have claimed this case')").waitFor();
      chromium.shot(page, "06-case-claimed");

      page.click("#submission button.reveal");
      assertThat(filter(media)).isEqualTo("none");
      chromium.shot(page, "07-case-revealed");

      // A decision without a reason is refused, with the reason why on the page.
      page.selectOption("#decision select[name=policy]", "attacker_manifesto");
      page.click("#decide-confirm");
      assertThat(page.locator("p.notice.error").textContent()).contains("Give a reason for the decision");
      assertThat(page.locator("#decision select[name=policy]").inputValue()).isEqualTo("attacker_manifesto"); // kept for the retry
      assertThat(filter(page.locator("#submission img.media"))).isEqualTo("blur(32px) grayscale(1)"); // a new page starts blurred again
      chromium.shot(page, "08-decision-refused");

      page.fill("#decision textarea[name=reason]", "the attacker's manifesto, reposted");
      page.selectOption("#decision select[name=add_to_bank]", Long.toString(confirmedBank));
      page.click("#decide-confirm");
      page.waitForURL("**/console/queue?decided=" + a);
      assertThat(page.locator("p.notice").textContent()).isEqualTo("Case " + a + " decided.");
      assertThat(page.locator("tr[data-case-id=\"" + a + "\"]").count()).isZero();
      assertThat(page.locator("#queue tbody tr").count()).isEqualTo(2);
      chromium.shot(page, "09-queue-after-decision");
      assertThat(api.get("/api/v1/cases/" + a, admin).json().get("status").asText()).isEqualTo("confirmed");
      assertThat(api.get("/api/v1/cases/" + a, admin).json().get("reason").asText()).isEqualTo("the attacker's manifesto, reposted");
      // "Add to a bank": the confirmed content is now an entry of the chosen bank, and matches there.
      JsonNode added = api.get("/api/v1/banks/" + confirmedBank + "/entries", admin).json().get("items");
      assertThat(added).hasSize(1);
      assertThat(added.get(0).get("provenance").asText()).contains("case " + a);

      // A video: muted, never playing by itself, nothing loaded before "play", blurred and grey.
      long c = caseC.get("case_id").asLong();
      page.navigate(base + "/console/cases/" + c);
      Locator video = page.locator("#submission video.media");
      assertThat((Boolean) video.evaluate("v => v.muted")).isTrue();
      assertThat((Boolean) video.evaluate("v => v.autoplay")).isFalse();
      assertThat((Boolean) video.evaluate("v => v.paused")).isTrue();
      assertThat(video.getAttribute("preload")).isEqualTo("none");
      assertThat(filter(video)).isEqualTo("blur(32px) grayscale(1)");
      chromium.shot(page, "10-video-case");
    }
  }

  @Test
  @Order(2)
  void anOverdueAppealHeadsTheQueueWithAMarker() {
    // Case B confirmed through the API (so content post-2 is removed), then appealed, and the appeal made overdue.
    long b = caseB.get("case_id").asLong();
    String reviewer = TestServers.key(api, admin, "reviewer");
    assertThat(api.post("/api/v1/cases/" + b + "/claim", reviewer, null).status()).isEqualTo(200);
    Api.Response decided = api.post("/api/v1/cases/" + b + "/decision", reviewer,
        "{\"outcome\":\"confirm\",\"reason\":\"reposted still\",\"policy\":\"attacker_manifesto\"}");
    assertThat(decided.status()).as(decided.header()).isEqualTo(200);
    Api.Response appeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"post-2\",\"statement\":\"<b>it is news</b>\"}");
    assertThat(appeal.status()).as(appeal.header()).isEqualTo(201);
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE appeals SET due_at = :due WHERE id = :id")
        .bind("due", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1)).bind("id", appeal.json().get("id").asLong()).execute());

    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "rowan");
      Locator first = page.locator("#queue tbody tr").first();
      assertThat(first.getAttribute("class")).isEqualTo("overdue");
      assertThat(first.locator(".overdue-marker").textContent()).isEqualTo("OVERDUE");
      assertThat(first.textContent()).contains("appeal");
      chromium.shot(page, "11-queue-overdue-appeal");

      first.locator("a").click();
      assertThat(page.locator("#appeal").textContent()).contains("<b>it is news</b>").contains("OVERDUE");
      page.click("#claim");
      page.locator("#claim-status:has-text('You have claimed this case')").waitFor();
      assertThat(page.locator("#decide-uphold").count()).isEqualTo(1);
      assertThat(page.locator("#decide-reinstate").count()).isEqualTo(1);
      chromium.shot(page, "12-appeal-case");
      long appealCase = appeal.json().get("case_id").asLong();
      page.fill("#decision textarea[name=reason]", "not news: the attacker's own footage");
      page.click("#decide-uphold");
      page.waitForURL("**/console/queue?decided=" + appealCase);
      assertThat(page.locator("tr[data-case-id=\"" + appealCase + "\"]").count()).isZero();
    }
    JsonNode upheld = api.get("/api/v1/appeals/" + appeal.json().get("id").asLong(), admin).json();
    assertThat(upheld.get("status").asText()).isEqualTo("upheld");
    assertThat(upheld.get("reason").asText()).isEqualTo("not news: the attacker's own footage");
  }

  @Test
  @Order(3)
  void settingsChangeHowThisReviewerSeesMedia() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "sasha");
      page.click("nav a[href=\"/console/settings\"]");
      assertThat(page.locator("#settings input[name=blur]").isChecked()).isTrue();
      assertThat(page.locator("#settings input[name=greyscale]").isChecked()).isTrue();
      page.uncheck("#settings input[name=greyscale]");
      page.selectOption("#settings select[name=blur_strength]", "low");
      page.click("#settings button[type=submit]");
      assertThat(page.locator("p.notice").textContent()).startsWith("Saved.");
      chromium.shot(page, "13-settings-saved");

      page.navigate(base + "/console/cases/" + caseC.get("case_id").asLong());
      assertThat(filter(page.locator("#submission video.media"))).isEqualTo("blur(8px)");
      // Another reviewer keeps the protective defaults.
      try (BrowserContext other = browser.newContext()) {
        Page theirs = other.newPage();
        theirs.navigate(base + "/console/sign-in");
        theirs.fill("#key-sign-in input[name=key]", TestServers.key(api, admin, "reviewer"));
        theirs.click("#key-sign-in button[type=submit]");
        theirs.waitForURL("**/console/queue");
        theirs.navigate(base + "/console/cases/" + caseC.get("case_id").asLong());
        assertThat(filter(theirs.locator("#submission video.media"))).isEqualTo("blur(32px) grayscale(1)");
      }
      page.navigate(base + "/console/settings");
      page.uncheck("#settings input[name=blur]");
      page.click("#settings button[type=submit]");
      page.navigate(base + "/console/cases/" + caseC.get("case_id").asLong());
      assertThat(filter(page.locator("#submission video.media"))).isEqualTo("none");
      chromium.shot(page, "14-settings-no-filter");
    }
  }

  @Test
  @Order(5)
  void aReviewerRejectsACaseAsBenign() {
    long c = caseC.get("case_id").asLong();
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "rowan");
      page.navigate(base + "/console/cases/" + c);
      page.click("#claim");
      page.locator("#claim-status:has-text('You have claimed this case')").waitFor();
      page.check("#decision input[name=reject_as][value=benign]");
      page.fill("#decision textarea[name=reason]", "a news report about the attack");
      chromium.shot(page, "17-reject-as-benign");
      page.click("#decide-reject");
      page.waitForURL("**/console/queue?decided=" + c);
      assertThat(page.locator("tr[data-case-id=\"" + c + "\"]").count()).isZero();
    }
    JsonNode decided = api.get("/api/v1/cases/" + c, admin).json();
    assertThat(decided.get("status").asText()).isEqualTo("rejected");
    assertThat(decided.get("outcome").asText()).isEqualTo("reject");
    assertThat(decided.get("reject_as").asText()).isEqualTo("benign");
    assertThat(decided.get("reason").asText()).isEqualTo("a news report about the attack");
  }

  @Test
  @Order(6)
  void anAdminMakesAndDeletesAUserInTheConsole() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(base + "/console/sign-in");
      page.fill("#key-sign-in input[name=key]", admin);
      page.click("#key-sign-in button[type=submit]");
      page.waitForURL("**/console/queue");
      page.click("nav a[href=\"/console/users\"]");
      page.fill("#new-user input[name=username]", "jules");
      page.fill("#new-user input[name=password]", "short");
      page.click("#new-user button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).contains("password");
      page.fill("#new-user input[name=username]", "jules");
      page.fill("#new-user input[name=password]", PASSWORD);
      page.selectOption("#new-user select[name=role]", "reviewer");
      page.click("#new-user button[type=submit]");
      page.waitForURL("**/console/users?created=jules");
      assertThat(page.locator("p.notice").textContent()).isEqualTo("User jules created.");
      Locator row = page.locator("#users tr:has-text('jules')");
      assertThat(row.textContent()).contains("reviewer");
      chromium.shot(page, "18-users");

      try (BrowserContext julesContext = browser.newContext()) {
        Page jules = signIn(julesContext, "jules");
        assertThat(jules.locator("#signed-in-as").textContent()).isEqualTo("jules · reviewer");
        assertThat(jules.locator("nav a[href=\"/console/users\"]").count()).isZero();
        row.locator("button[type=submit]").click();
        page.locator("#users tr:has-text('jules')").waitFor(new Locator.WaitForOptions()
            .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        jules.reload();
        assertThat(jules.url()).endsWith("/console/sign-in"); // deleting the user ended its session
      }
    }
  }

  @Test
  @Order(4)
  void aMatcherKeyCannotSignInAndTheBanksPageListsBanks() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(base + "/console/sign-in");
      page.fill("#key-sign-in input[name=key]", platform);
      page.click("#key-sign-in button[type=submit]");
      assertThat(page.locator("p.notice.error").textContent()).contains("may not sign in to the console");
      assertThat(context.cookies().stream().noneMatch(c -> c.name.equals("cs_console"))).isTrue();
      chromium.shot(page, "15-matcher-refused");

      Page signedIn = signIn(context, "rowan");
      signedIn.click("nav a[href=\"/console/banks\"]");
      Locator row = signedIn.locator("#banks tr[data-bank-id=\"" + bank + "\"]");
      assertThat(row.textContent()).contains("Incident 2026-11").contains("attacker_manifesto").contains("perpetrator");
      assertThat(row.locator("td.num").first().textContent()).isEqualTo("3");
      chromium.shot(signedIn, "16-banks");

      signedIn.click(".who button[type=submit]");
      signedIn.waitForURL("**/console/sign-in");
      assertThat(context.cookies().stream().noneMatch(c -> c.name.equals("cs_console"))).isTrue();
    }
  }

  @Test
  @Order(8)
  void anAdminMakesAnExchangeWithACredentialThatNoPageShowsAgain() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(base + "/console/sign-in");
      page.fill("#key-sign-in input[name=key]", admin);
      page.click("#key-sign-in button[type=submit]");
      page.waitForURL("**/console/queue");
      page.click("nav a[href=\"/console/exchanges\"]");
      page.waitForURL("**/console/exchanges");
      // Only the chosen kind's credentials are shown and sent: none for a folder, a token for the scripted source.
      Locator token = page.locator("#new-exchange fieldset[data-kind=scripted]");
      page.selectOption("#new-exchange select[name=kind]", "folder");
      assertThat(token.isVisible()).isFalse();
      assertThat(token.locator("input").isDisabled()).as("not sent with another kind").isTrue();
      page.selectOption("#new-exchange select[name=kind]", "scripted");
      assertThat(token.isVisible()).isTrue();
      page.fill("#new-exchange input[name=name]", "hash sharing db");
      page.fill("#new-exchange textarea[name=config]", "{\"source\": \"s\"}");
      page.fill("#new-exchange input[name=\"credential.scripted.token\"]", "sesame");
      page.fill("#new-exchange textarea[name=label_map]", "christchurch = attacker_manifesto");
      chromium.shot(page, "21-new-exchange");
      page.click("#new-exchange button[type=submit]");
      page.waitForURL("**/console/exchanges?created=*");
      Locator row = page.locator("#exchanges tr:has-text('hash sharing db')");
      assertThat(row.textContent()).contains("scripted").contains("credentials set: token");
      assertThat(page.content()).doesNotContain("sesame");
      assertThat(page.locator("#new-exchange input[name=\"credential.scripted.token\"]").inputValue()).isEmpty();
      chromium.shot(page, "22-exchanges");

      row.locator("a.button:has-text('Edit')").click();
      page.waitForURL("**/console/exchanges/*/edit");
      assertThat(page.locator("#edit-exchange textarea[name=label_map]").inputValue()).contains("christchurch = attacker_manifesto");
      assertThat(page.locator("#edit-exchange input[name=\"credential.scripted.token\"]").inputValue()).isEmpty();
      page.fill("#edit-exchange input[name=fetch_interval_seconds]", "900");
      chromium.shot(page, "24-edit-exchange");
      page.click("#edit-exchange button[type=submit]");
      page.waitForURL("**/console/exchanges?changed=*");
      assertThat(api.get("/api/v1/exchanges", admin).json().at("/items/0/fetch_interval_seconds").asInt()).isEqualTo(900);

      row.locator("a.button:has-text('Delete')").click();
      page.waitForURL("**/console/exchanges/*/delete");
      assertThat(page.locator("#confirm-delete").textContent()).contains("hash sharing db").contains("stay, as a local bank");
      chromium.shot(page, "23-delete-exchange");
      page.click("#confirm-delete #confirm");
      page.waitForURL("**/console/exchanges?deleted=*");
      assertThat(page.locator("#exchanges tr:has-text('hash sharing db')").count()).isZero();
    }
    assertThat(api.get("/api/v1/exchanges", admin).json().get("items")).isEmpty();
  }

  @Test
  @Order(7)
  void aTextCaseSaysWhichPartMatchedWithThePostFoldedAway() {
    java.util.List<String> words = TextMatchTest.prose(41, 900);
    assertThat(api.post("/api/v1/banks/" + bank + "/entries/text", admin, TextMatchTest.json(TextMatchTest.text(words))).status())
        .isEqualTo(201);
    String post = Api.JSON.createObjectNode().put("text", String.join(" ", words.subList(200, 600)))
        .set("content", Api.JSON.createObjectNode().put("id", "text-post-1")).toString();
    long c = api.post("/api/v1/match/text", platform, post).json().at("/submission/case_id").asLong();
    try (BrowserContext context = browser.newContext()) {
      Page page = signIn(context, "sasha");
      page.navigate(base + "/console/cases/" + c);
      Locator excerpt = page.locator("details.excerpt blockquote");
      assertThat(page.locator(".part").first().textContent()).containsPattern("banked words \\d+–\\d+; \\d+ % of the post");
      assertThat(excerpt.isVisible()).as("the post stays folded until asked for").isFalse();
      chromium.shot(page, "19-text-case-folded");
      page.click("details.excerpt summary");
      assertThat(excerpt.isVisible()).isTrue();
      assertThat(excerpt.textContent()).contains(words.get(200) + " " + words.get(201));
      chromium.shot(page, "20-text-case-excerpt");
    }
  }
}
