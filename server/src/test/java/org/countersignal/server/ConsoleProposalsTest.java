package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.server.store.Database;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variant discovery's proposals page without a browser: curators see the open proposals and a
 * proposal's evidence, accept one (its signal is banked, in the nearest entry's bank or one they
 * choose) and reject another with a reason, through the same service and with the same audit
 * records as the API; a rejection without a reason, a cluster accepted without a bank, or a
 * second decision is refused on the page; the list filters by state and kind; auditors and
 * coordinators read without forms and are refused a decision; reviewers have no such page and
 * matcher keys cannot sign in; the uploads' kept media are shown, blurred, to admins only;
 * content ids, bank names and reasons with markup in them are shown as text. Proposals are made
 * as platforms' uploads make them: a PDQ hash 40 bits from a banked one is a near miss, and the
 * test runs discovery as the server's schedule would.
 */
class ConsoleProposalsTest {

  static final Random RANDOM = new Random(2028);

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    turnOn(api, admin);
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  /** Discovery on, with clusters small enough for a test to make one. */
  static void turnOn(Api api, String admin) {
    Api.Response changed = api.patch("/api/v1/discovery/settings", admin,
        "{\"enabled\":true,\"cluster_min_uploads\":6,\"cluster_min_accounts\":3}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
  }

  static long bank(Api api, String admin, String name) {
    return ReplicaTest.created(api.post("/api/v1/banks", admin, Api.JSON.createObjectNode().put("name", name).toString()));
  }

  /** A banked PDQ hash labelled {@code labels}; returns the entry's id. */
  static long banked(Api api, String admin, long bank, String pdq, String labels) {
    return ReplicaTest.created(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"labels\":[" + labels + "]}"));
  }

  /** An upload of {@code pdq} as the platform's content {@code contentId} by {@code account}; it must match nothing. */
  static void upload(Api api, String admin, String pdq, String contentId, String account) {
    Api.Response match = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":"
        + Api.JSON.createObjectNode().put("id", contentId).put("account", account) + "}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    assertThat(match.json().get("matches")).as("an upload that matched nothing").isEmpty();
  }

  /** Runs discovery, then the proposal of {@code value} (of any state). */
  static JsonNode proposalOf(Api api, String admin, String value) {
    Api.Response ran = api.post("/api/v1/discovery/run", admin, "{}");
    assertThat(ran.status()).as(ran.body()).isEqualTo(200);
    for (JsonNode proposal : api.get("/api/v1/proposals?limit=500", admin).json().get("items")) {
      if (proposal.get("value").asText().equals(value)) {
        return proposal;
      }
    }
    throw new AssertionError("no proposal of " + value);
  }

  /** A near miss of a new entry in a new bank {@code bankName}, uploaded as {@code contentIds} from as many accounts. */
  static JsonNode nearMiss(String bankName, String... contentIds) {
    long bank = bank(api, admin, bankName);
    String pdq = MatchTest.randomPdq(RANDOM);
    banked(api, admin, bank, pdq, "\"attacker_manifesto\"");
    String edited = MatchTest.flip(pdq, 40, RANDOM);
    for (int i = 0; i < contentIds.length; i++) {
      upload(api, admin, edited, contentIds[i], "acct-" + i);
    }
    return proposalOf(api, admin, edited);
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static Map<String, String> form(String csrf, String... pairs) {
    return ConsoleIncidentsTest.form(csrf, pairs);
  }

  /** The row of proposal {@code id} in the list, or null when it is not listed. */
  static String row(String page, long id) {
    Matcher m = Pattern.compile("<tr data-proposal-id=\"" + id + "\">.*?</tr>", Pattern.DOTALL).matcher(page);
    return m.find() ? m.group() : null;
  }

  /** The page's section {@code id}. */
  static String section(String page, String id) {
    Matcher m = Pattern.compile("<section( class=\"card\")? id=\"" + id + "\">.*?</section>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("the section " + id + " is on the page").isTrue();
    return m.group();
  }

  static String alert(String page) {
    return ConsoleFloodsTest.alert(page);
  }

  static String state(long id) {
    return api.get("/api/v1/proposals/" + id, admin).json().get("state").asText();
  }

  /** The audit records of proposal {@code id}: action and key, oldest first. */
  static List<String> audit(long id) {
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT action, actor_key_id FROM audit_log WHERE target_type = 'proposal' AND target_id = :id ORDER BY id")
        .bind("id", Long.toString(id))
        .map((rs, ctx) -> rs.getString("action") + " by " + rs.getObject("actor_key_id", Long.class)).list());
  }

  @Test
  void aCuratorAcceptsANearMissIntoItsBankAndRejectsAnotherWithAReason() {
    JsonNode first = nearMiss("attack stills <b>2026</b>", "post-1", "post-<script>alert(1)</script>");
    JsonNode second = nearMiss("manifesto scans", "scan-1");
    long id = first.get("id").asLong();
    long other = second.get("id").asLong();
    Api.Response made = api.post("/api/v1/keys", admin, "{\"role\":\"curator\",\"name\":\"day curator\"}");
    long curatorKey = made.json().get("id").asLong();
    ConsoleClient curator = signedIn(made.json().get("key").asText());

    ConsoleClient.Page list = curator.get("/console/proposals");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("href=\"/console/proposals\" aria-current=\"page\">Proposals</a>")
        .contains("<a href=\"/console/proposals\" aria-current=\"page\">open</a>").doesNotContain("id=\"discovery-off\"");
    assertThat(row(list.body(), id)).contains("<a href=\"/console/proposals/" + id + "\">Proposal " + id + "</a>")
        .contains("<td>near miss</td>").contains("pdq <code title=\"" + first.get("value").asText() + "\">")
        .contains("entry " + first.get("entry_id").asLong() + " at distance 40")
        .contains("attack stills &lt;b&gt;2026&lt;/b&gt; (bank " + first.get("bank_id").asLong() + ")")
        .contains("<td class=\"num\">2</td>").contains("<time datetime=\"" + first.get("first_seen").asText() + "\">")
        .contains("status-open");
    assertThat(list.body()).doesNotContain("<b>2026");

    ConsoleClient.Page page = curator.get("/console/proposals/" + id);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"/console/proposals\" aria-current=\"page\">Proposals</a>");
    String found = section(page.body(), "found");
    assertThat(found).contains("<code class=\"signal\">" + first.get("value").asText() + "</code>")
        .contains("<span class=\"tag\">attacker_manifesto</span>");
    String evidence = section(page.body(), "evidence");
    assertThat(evidence).contains("<th>content id</th>").contains("post-&lt;script&gt;alert(1)&lt;/script&gt;").contains("acct-1")
        .contains("Media, when kept, are shown to reviewers and admins only.").doesNotContain("/console/media/")
        .doesNotContain("<th>distance to the leader</th>");
    assertThat(evidence.indexOf("post-&lt;script")).as("newest first").isLessThan(evidence.indexOf("post-1"));
    assertThat(page.body()).doesNotContain("<script>alert(1)");
    String decide = section(page.body(), "decide");
    assertThat(decide).contains("action=\"/console/proposals/" + id + "/accept\"").contains("action=\"/console/proposals/" + id + "/reject\"")
        .contains("<option value=\"" + first.get("bank_id").asLong() + "\" selected>")
        .contains("<label>Labels").contains("<label>Why reject it");
    String csrf = page.csrf();

    assertThat(curator.post("/console/proposals/" + id + "/accept", Map.of()).status()).as("no CSRF token").isEqualTo(403);
    assertThat(curator.post("/console/proposals/" + id + "/accept", Map.of("csrf", "not the token")).status()).isEqualTo(403);
    assertThat(state(id)).isEqualTo("open");

    ConsoleClient.Page accepted = curator.post("/console/proposals/" + id + "/accept",
        form(csrf, "bank_id", first.get("bank_id").asText(), "labels", "", "note", ""));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(303);
    assertThat(accepted.header("Location")).isEqualTo("/console/proposals/" + id + "?decided=accepted");
    JsonNode after = api.get("/api/v1/proposals/" + id, admin).json();
    assertThat(after.get("state").asText()).isEqualTo("accepted");
    long entry = after.get("accepted_entry_id").asLong();
    JsonNode created = api.get("/api/v1/entries/" + entry, admin).json();
    assertThat(created.get("bank_id").asLong()).isEqualTo(first.get("bank_id").asLong());
    assertThat(created.get("labels")).extracting(JsonNode::asText).as("the near entry's").containsExactly("attacker_manifesto");
    assertThat(created.get("note").asText()).contains("proposal " + id);
    assertThat(audit(id)).containsExactly("proposal.opened by null", "proposal.accepted by " + curatorKey);
    assertThat(TestServers.matches(api, admin, "pdq", first.get("value").asText())).as("the variant matches now").isTrue();

    ConsoleClient.Page shown = curator.get(accepted.header("Location"));
    assertThat(shown.body()).contains("<p class=\"notice\" role=\"status\">Accepted: the signal is banked as entry " + entry
        + " in attack stills &lt;b&gt;2026&lt;/b&gt; (bank " + first.get("bank_id").asLong() + "), and uploads of it match from now on.</p>");
    assertThat(section(shown.body(), "decided")).contains("status-accepted").contains("key " + curatorKey + " (day curator)")
        .contains("entry " + entry);
    assertThat(shown.body()).doesNotContain("<form method=\"post\" action=\"/console/proposals/");

    // A rejection needs a reason: refused on the page, which keeps the forms.
    ConsoleClient.Page empty = curator.post("/console/proposals/" + other + "/reject", form(csrf, "reason", "  "));
    assertThat(empty.status()).isEqualTo(422);
    assertThat(alert(empty.body())).contains("reason: say why");
    assertThat(empty.body()).contains("id=\"reject\"");
    assertThat(state(other)).isEqualTo("open");

    String reason = "A scan of a <i>news</i> report:\nnot the manifesto.";
    ConsoleClient.Page rejected = curator.post("/console/proposals/" + other + "/reject", form(csrf, "reason", reason));
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(303);
    assertThat(rejected.header("Location")).isEqualTo("/console/proposals/" + other + "?decided=rejected");
    assertThat(state(other)).isEqualTo("rejected");
    assertThat(audit(other)).containsExactly("proposal.opened by null", "proposal.rejected by " + curatorKey);
    ConsoleClient.Page closed = curator.get(rejected.header("Location"));
    assertThat(closed.body()).contains("Rejected: this signal is not proposed again.");
    assertThat(section(closed.body(), "decided")).contains("status-rejected")
        .contains("A scan of a &lt;i&gt;news&lt;/i&gt; report:<br>not the manifesto.");

    // Decided once: a second decision is refused on the page, and changes nothing.
    ConsoleClient.Page again = curator.post("/console/proposals/" + id + "/reject", form(csrf, "reason", "changed my mind"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(alert(again.body())).isEqualTo("proposal " + id + " is accepted, not open");
    assertThat(state(id)).isEqualTo("accepted");
    assertThat(curator.post("/console/proposals/999999/accept", form(csrf)).status()).isEqualTo(404);
    assertThat(curator.get("/console/proposals/999999").status()).isEqualTo(404);

    // Decided proposals leave the list of open ones, and are under their state.
    assertThat(row(curator.get("/console/proposals").body(), id)).isNull();
    assertThat(row(curator.get("/console/proposals?state=accepted").body(), id)).contains("status-accepted");
    assertThat(row(curator.get("/console/proposals?state=accepted").body(), other)).isNull();
    assertThat(row(curator.get("/console/proposals?state=rejected").body(), other)).contains("status-rejected");
    String all = curator.get("/console/proposals?state=all").body();
    assertThat(row(all, id)).isNotNull();
    assertThat(row(all, other)).isNotNull();
    assertThat(curator.get("/console/proposals?state=maybe").status()).isEqualTo(422);
  }

  @Test
  void aClusterNearNoEntryIsBankedWhereTheCuratorChoosesWithTheirLabelsAndNote() {
    long chosen = bank(api, admin, "new variants");
    String variant = MatchTest.randomPdq(RANDOM);
    for (int i = 0; i < 7; i++) {
      upload(api, admin, i < 3 ? variant : MatchTest.flip(variant, 1 + RANDOM.nextInt(5), RANDOM), "viral-" + i, "acct-" + (i % 3));
    }
    JsonNode cluster = proposalOf(api, admin, variant);
    long id = cluster.get("id").asLong();
    assertThat(cluster.get("kind").asText()).isEqualTo("cluster");
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));

    String clusters = curator.get("/console/proposals?kind=cluster").body();
    assertThat(clusters).contains("<a href=\"/console/proposals?kind=cluster\" aria-current=\"page\">cluster</a>");
    assertThat(row(clusters, id)).contains("<td>cluster</td>").contains("no banked entry").contains("<td class=\"num\">7</td>")
        .contains("<td class=\"num\">3</td>");
    assertThat(clusters).doesNotContain("<td>near miss</td>");
    assertThat(row(curator.get("/console/proposals?kind=near_miss").body(), id)).isNull();

    ConsoleClient.Page page = curator.get("/console/proposals/" + id);
    assertThat(section(page.body(), "evidence")).contains("<th>distance to the leader</th>").contains("viral-6");
    String decide = section(page.body(), "decide");
    assertThat(decide).contains("<select name=\"bank_id\" required><option value=\"\">choose a bank…</option>")
        .contains("<option value=\"" + chosen + "\">new variants (bank " + chosen + ")</option>");

    ConsoleClient.Page refused = curator.post("/console/proposals/" + id + "/accept",
        form(page.csrf(), "bank_id", "", "labels", "attacker_manifesto", "note", "kept <b>note</b>"));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(alert(refused.body())).startsWith("bank_id: name the bank");
    assertThat(section(refused.body(), "decide")).as("what was typed is kept, as text")
        .contains("name=\"labels\" value=\"attacker_manifesto\"").contains(">kept &lt;b&gt;note&lt;/b&gt;</textarea>");
    assertThat(state(id)).isEqualTo("open");

    ConsoleClient.Page accepted = curator.post("/console/proposals/" + id + "/accept", form(page.csrf(), "bank_id", Long.toString(chosen),
        "labels", "attacker_manifesto, recruitment_and_instruction", "note", "A captioned edit\r\nspreading since this morning."));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(303);
    JsonNode after = api.get("/api/v1/proposals/" + id, admin).json();
    assertThat(after.get("accepted_bank_id").asLong()).isEqualTo(chosen);
    JsonNode created = api.get("/api/v1/entries/" + after.get("accepted_entry_id").asLong(), admin).json();
    assertThat(created.get("labels")).extracting(JsonNode::asText).containsExactly("attacker_manifesto", "recruitment_and_instruction");
    assertThat(created.get("note").asText()).isEqualTo("A captioned edit\nspreading since this morning.");
  }

  @Test
  void auditorsAndCoordinatorsReadWithoutFormsReviewersHaveNoPageAndMatchersCannotSignIn() {
    JsonNode proposal = nearMiss("auditor's view", "seen-1");
    long id = proposal.get("id").asLong();
    for (String role : List.of("auditor", "coordinator")) {
      ConsoleClient reader = signedIn(TestServers.key(api, admin, role));
      ConsoleClient.Page list = reader.get("/console/proposals");
      assertThat(list.status()).as(role).isEqualTo(200);
      assertThat(list.body()).contains("href=\"/console/proposals\" aria-current=\"page\">Proposals</a>");
      assertThat(row(list.body(), id)).as(role).contains("auditor&#39;s view");
      ConsoleClient.Page page = reader.get("/console/proposals/" + id);
      assertThat(page.status()).as(role).isEqualTo(200);
      assertThat(section(page.body(), "decide")).contains("Curators and admins accept or reject proposals.");
      assertThat(page.body()).as(role).doesNotContain("action=\"/console/proposals").doesNotContain("<textarea");
      ConsoleClient.Page refused = reader.post("/console/proposals/" + id + "/accept", form(page.csrf()));
      assertThat(refused.status()).as(role).isEqualTo(403);
      assertThat(refused.body()).contains("the " + role + " role may not use this page");
      assertThat(reader.post("/console/proposals/" + id + "/reject", form(page.csrf(), "reason", "looks fake")).status()).isEqualTo(403);
      // Only a decision that was taken is spoken of: a link cannot claim one.
      for (String link : List.of("?decided=accepted", "?decided=rejected", "?decided=open", "?decided=%3Cb%3E")) {
        assertThat(reader.get("/console/proposals/" + id + link).body()).as(link).doesNotContain("class=\"notice");
      }
    }
    assertThat(state(id)).isEqualTo("open");

    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    assertThat(reviewer.get("/console/proposals").status()).isEqualTo(403);
    assertThat(reviewer.get("/console/proposals/" + id).status()).isEqualTo(403);
    ConsoleClient.Page queue = reviewer.get("/console/queue");
    assertThat(queue.body()).doesNotContain("/console/proposals");
    assertThat(reviewer.post("/console/proposals/" + id + "/accept", form(queue.csrf())).status()).isEqualTo(403);

    ConsoleClient matcher = new ConsoleClient(server.port());
    assertThat(matcher.signInWithKey(TestServers.key(api, admin, "matcher")).status()).isEqualTo(403);
    assertThat(matcher.get("/console/proposals").status()).as("no session: sent to sign in").isEqualTo(303);
    assertThat(state(id)).isEqualTo("open");
  }

  @Test
  void theUploadsKeptMediaAreShownBlurredToAdminsOnlyAndAsTextToCurators() {
    long bank = bank(api, admin, "attack photos");
    byte[] png = TestImages.encode(TestImages.shapes(256, 256, 7), "png");
    Upload upload = imageNearMiss(api, admin, database, bank, png, RANDOM, "photo-1");
    long submission = upload.submissionIds().getFirst();
    long id = upload.proposal().get("id").asLong();

    ConsoleClient adminConsole = signedIn(admin);
    ConsoleClient.Page page = adminConsole.get("/console/proposals/" + id);
    assertThat(page.body()).contains("<body class=\"wellness-blur wellness-grey blur-high\">");
    String evidence = section(page.body(), "evidence");
    assertThat(evidence).contains("<th>media</th>")
        .contains("<div class=\"media-item thumb\" data-submission-id=\"" + submission + "\">")
        .contains("<img class=\"media\" src=\"/console/media/" + submission + "\" alt=\"image of upload photo-1\"")
        .contains("<button type=\"button\" class=\"reveal secondary\" aria-pressed=\"false\">Reveal this item</button>");
    var media = adminConsole.download("/console/media/" + submission);
    assertThat(media.statusCode()).isEqualTo(200);
    assertThat(media.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(media.body()).isEqualTo(png);

    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    String seen = section(curator.get("/console/proposals/" + id).body(), "evidence");
    assertThat(seen).contains("photo-1").contains("Media, when kept, are shown to reviewers and admins only.")
        .doesNotContain("/console/media/").doesNotContain("<th>media</th>");
    assertThat(curator.download("/console/media/" + submission).statusCode()).isEqualTo(403);
  }

  /** A near miss and the submissions of its uploads, newest first. */
  record Upload(JsonNode proposal, List<Long> submissionIds) {}

  /**
   * Uploads the image {@code png} as the platform's content {@code contentIds}, each from an
   * account of its own, banks a PDQ hash 40 bits from the image's own, and keeps the image with
   * each upload's submission as a platform's media would be kept (an upload that matched nothing
   * keeps none by itself).
   */
  static Upload imageNearMiss(Api api, String admin, Database database, long bank, byte[] png, Random random, String... contentIds) {
    Api.Response hashed = api.send("POST", "/api/v1/hash", admin, "image/png", png);
    assertThat(hashed.status()).as(hashed.header()).isEqualTo(200);
    String pdq = hashed.json().get("signals").get("pdq").asText();
    for (int i = 0; i < contentIds.length; i++) {
      Api.Response match = api.send("POST", "/api/v1/match/upload?account=acct-photo-" + i + "&content_id="
          + URLEncoder.encode(contentIds[i], StandardCharsets.UTF_8), admin, "image/png", png);
      assertThat(match.status()).as(match.body()).isEqualTo(200);
      assertThat(match.json().get("matches")).isEmpty();
    }
    banked(api, admin, bank, MatchTest.flip(pdq, 40, random), "\"graphic_violence_defenceless\"");
    JsonNode proposal = proposalOf(api, admin, pdq);
    List<Long> submissions = new ArrayList<>();
    proposal.get("latest").forEach(upload -> submissions.add(upload.get("submission_id").asLong()));
    assertThat(submissions).as("each upload's submission").hasSize(contentIds.length).allMatch(id -> id > 0);
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE submissions SET media = :media, media_type = 'image/png' WHERE id IN (<ids>)")
        .bind("media", png).bindList("ids", submissions).execute());
    return new Upload(proposal, submissions);
  }
}
