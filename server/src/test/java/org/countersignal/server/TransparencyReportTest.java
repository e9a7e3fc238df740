package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transparency reports over HTTP: every accountable event (an automatic removal, a reviewer's, a
 * reported post found violating, an appeal, a removal order acted on or not, user reports) is
 * counted once, in its period, under its source and under who decided; a published report is
 * frozen, its bytes carry their checksum, and counting the rows it names again gives its figures,
 * while an altered record or document shows up in its verification. Each test moves the clock days
 * ahead first, so that its period holds only what it did.
 */
class TransparencyReportTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String platform;
  static String alice;
  static String bob;
  static String coordinator;
  static String auditor;
  static long automatic;
  static long reviewed;
  static long authority;
  static int references;
  static final TestClock CLOCK = new TestClock();
  static final Random RANDOM = new Random(784);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    alice = TestServers.key(api, admin, "reviewer");
    bob = TestServers.key(api, admin, "reviewer");
    coordinator = TestServers.key(api, admin, "coordinator");
    auditor = TestServers.key(api, admin, "auditor");
    automatic = bank("tr footage", "attacker_manifesto", "remove", false);
    reviewed = bank("tr praise", "glorification_of_terrorist_acts", "remove", true);
    authority = TestServers.authority(api, admin, "{\"name\":\"Pôle PHAROS\",\"member_state\":\"FR\"}");
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  /** A bank with {@code label} and a rule that takes {@code action} on its matches, at once or after review. */
  static long bank(String name, String label, String action, boolean reviewFirst) {
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\",\"labels\":[\"" + label + "\"]}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    long id = bank.json().get("id").asLong();
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + " rule\",\"action\":\"" + action + "\",\"review_first\":"
        + reviewFirst + ",\"conditions\":{\"banks\":[" + id + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    return id;
  }

  /** Uploads content whose hash is banked in {@code bank}: returns the submission. */
  static JsonNode matchBanked(long bank, String contentId) {
    String pdq = MatchTest.randomPdq(RANDOM);
    assertThat(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}").status()).isEqualTo(201);
    return match(pdq, contentId);
  }

  static JsonNode match(String pdq, String contentId) {
    Api.Response matched = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId + "\"}}");
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    return matched.json().get("submission");
  }

  static void confirm(long caseId, String reviewer) {
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", reviewer, "").status()).isEqualTo(200);
    Api.Response decided = api.post("/api/v1/cases/" + caseId + "/decision", reviewer,
        "{\"outcome\":\"confirm\",\"reason\":\"praises the attack\",\"policy\":\"tvec\"}");
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
  }

  static JsonNode order(String contentId) {
    Api.Response received = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority + ",\"reference\":\"TR-" + (++references)
        + "\",\"content_id\":\"" + contentId + "\",\"reasons\":\"Glorifies the attack; Art. 2(7)(a).\"}");
    assertThat(received.status()).as(received.body()).isEqualTo(201);
    return received.json();
  }

  /** Moves days ahead and starts a period there. */
  static OffsetDateTime begin() {
    CLOCK.advance(Duration.ofDays(3));
    return CLOCK.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
  }

  /** Ends the period now, and moves an hour on so that it is over. */
  static OffsetDateTime end() {
    OffsetDateTime end = CLOCK.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    CLOCK.advance(Duration.ofHours(1));
    return end;
  }

  static JsonNode preview(OffsetDateTime from, OffsetDateTime to) {
    Api.Response preview = api.get("/api/v1/transparency/preview?from=" + from.toInstant() + "&to=" + to.toInstant(), auditor);
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    return preview.json();
  }

  static JsonNode figure(JsonNode report, String key) {
    for (JsonNode figure : report.get("figures")) {
      if (figure.get("key").asText().equals(key)) {
        return figure;
      }
    }
    throw new AssertionError("no figure " + key + " in " + report);
  }

  /** A figure's breakdown as value to count. */
  static Map<String, Long> by(JsonNode figure, String by) {
    for (JsonNode breakdown : figure.get("breakdowns")) {
      if (breakdown.get("by").asText().equals(by)) {
        Map<String, Long> rows = new HashMap<>();
        breakdown.get("rows").forEach(r -> rows.put(r.get("value").asText(), r.get("count").asLong()));
        return rows;
      }
    }
    throw new AssertionError("no breakdown " + by + " in " + figure);
  }

  static JsonNode tco(JsonNode report, String point) {
    for (JsonNode item : report.get("tco")) {
      if (item.get("point").asText().equals(point)) {
        return item;
      }
    }
    throw new AssertionError("no point " + point);
  }

  static HttpResponse<byte[]> raw(String path, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static long publish(OffsetDateTime from, OffsetDateTime to, String title, String extra) {
    Api.Response published = api.post("/api/v1/transparency-reports", admin, "{\"title\":\"" + title + "\",\"from\":\"" + from.toInstant()
        + "\",\"to\":\"" + to.toInstant() + "\"" + extra + "}");
    assertThat(published.status()).as(published.body()).isEqualTo(201);
    return published.json().get("id").asLong();
  }

  @Test
  void eachEventIsCountedOnceInItsPeriodUnderItsSourceAndWhoDecided() {
    // Before the period: an automatic removal the report must leave out.
    assertThat(matchBanked(automatic, "tr-before").get("status").asText()).isEqualTo("actioned");
    OffsetDateTime from = begin();

    assertThat(matchBanked(automatic, "tr-auto").get("status").asText()).isEqualTo("actioned");
    JsonNode held = matchBanked(reviewed, "tr-reviewed");
    confirm(held.get("case_id").asLong(), alice);
    match(MatchTest.randomPdq(RANDOM), "tr-clean");

    Api.Response appeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"tr-auto\",\"statement\":\"this is news reporting\"}");
    assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
    long appealCase = appeal.json().get("case_id").asLong();
    assertThat(api.post("/api/v1/cases/" + appealCase + "/claim", bob, "").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/cases/" + appealCase + "/decision", bob, "{\"outcome\":\"reinstate\",\"reason\":\"news\"}").status())
        .isEqualTo(200);

    Api.Response flagged = api.post("/api/v1/reports", platform, "{\"reporter_id\":\"tf-1\",\"reporter_kind\":\"trusted_flagger\","
        + "\"reason\":\"glorification\",\"content_id\":\"tr-reported\"}");
    assertThat(flagged.status()).as(flagged.body()).isEqualTo(201);
    assertThat(api.post("/api/v1/reports", platform, "{\"reporter_id\":\"u-1\",\"reporter_kind\":\"user\",\"reporter_account_age_days\":400,"
        + "\"reason\":\"recruitment\",\"content_id\":\"tr-reported\"}").status()).isEqualTo(201);
    confirm(flagged.json().at("/report_case/case_id").asLong(), alice);

    long acted = order("tr-ordered").get("id").asLong();
    assertThat(api.post("/api/v1/orders/" + acted + "/removal", coordinator, "{\"action\":\"removed\"}").status()).isEqualTo(200);
    long refused = order("tr-unclear").get("id").asLong();
    assertThat(api.post("/api/v1/orders/" + refused + "/not-complied", coordinator,
        "{\"reason\":\"missing_information\",\"reply\":\"The order does not say which post.\"}").status()).isEqualTo(200);
    OffsetDateTime to = end();
    JsonNode report = preview(from, to);

    JsonNode actions = figure(report, "actions");
    assertThat(actions.get("total").asLong()).isEqualTo(3);
    assertThat(by(actions, "decided_by")).isEqualTo(Map.of("automated", 1L, "human", 2L));
    assertThat(by(actions, "source")).isEqualTo(Map.of("hash_match", 2L, "trusted_flagger", 1L));
    assertThat(by(actions, "action")).isEqualTo(Map.of("remove", 2L, "violating", 1L));
    assertThat(by(actions, "label")).isEqualTo(Map.of("attacker_manifesto", 1L, "glorification_of_terrorist_acts", 1L, "none", 1L));
    assertThat(by(actions, "signal_type")).isEqualTo(Map.of("pdq", 2L, "none", 1L));

    JsonNode removed = figure(report, "items_removed");
    assertThat(removed.get("total").asLong()).as("two removals after matches, one under an order").isEqualTo(3);
    assertThat(by(removed, "source")).isEqualTo(Map.of("hash_match", 2L, "removal_order", 1L));
    assertThat(figure(report, "content_checked").get("total").asLong()).as("the reported post was not checked").isEqualTo(3);
    assertThat(figure(report, "content_matched").get("total").asLong()).isEqualTo(2);

    assertThat(figure(report, "appeals_filed").get("total").asLong()).isEqualTo(1);
    assertThat(by(figure(report, "appeals_decided"), "outcome")).isEqualTo(Map.of("reinstated", 1L));
    assertThat(figure(report, "appeals_decided").get("median_seconds").asLong()).isBetween(0L, 60L);
    assertThat(by(figure(report, "content_reinstated"), "reason")).isEqualTo(Map.of("appeal", 1L));
    assertThat(by(figure(report, "orders_received"), "member_state")).isEqualTo(Map.of("FR", 2L));
    assertThat(by(figure(report, "orders_acted"), "timeliness")).isEqualTo(Map.of("in_time", 1L));
    assertThat(by(figure(report, "orders_not_complied"), "reason")).isEqualTo(Map.of("missing_information", 1L));
    assertThat(by(figure(report, "reports_received"), "reporter")).isEqualTo(Map.of("trusted_flagger", 1L, "user_report", 1L));
    assertThat(by(figure(report, "reports_received"), "reason")).isEqualTo(Map.of("glorification", 1L, "recruitment", 1L));
    assertThat(by(figure(report, "reports_decided"), "outcome")).isEqualTo(Map.of("violating", 2L));

    assertThat(tco(report, "7(3)(c)").get("figure").asLong()).as("one item under an order, two by hash matching").isEqualTo(3);
    assertThat(tco(report, "7(3)(c)").toString()).contains("missing_information");
    assertThat(tco(report, "7(3)(d)").get("figure").asLong()).isEqualTo(1);
    assertThat(tco(report, "7(3)(g)").get("figure").asLong()).isEqualTo(1);
    assertThat(tco(report, "7(3)(e)").get("basis").asText()).isEqualTo("not_stated");
    assertThat(report.get("id").isNull()).isTrue();

    // The DSA template's sheets, from the published report.
    long id = publish(from, to, "Counted once", "");
    String orders = sheet(id, "3_member_states_orders.csv");
    assertThat(orders).startsWith("Applicability,Service,Reporting period,Category of illegal content,");
    assertThat(orders.split("\r\n")[1]).startsWith(",Counted once,").contains(",Risk for public security,,FR,2,2,,");
    String[] notices = sheet(id, "4_notices.csv").split("\r\n")[1].split(",");
    // received, from trusted flaggers, items, items from trusted flaggers; then two medians; then actions on the law, of them trusted flaggers'.
    assertThat(List.of(notices).subList(5, 9)).containsExactly("2", "1", "1", "1");
    assertThat(List.of(notices).subList(11, 13)).containsExactly("1", "1");
    String[] own = sheet(id, "5_own_initiative_illegal.csv").split("\r\n")[1].split(",");
    // own-initiative measures, of them solely automated, removals
    assertThat(List.of(own).subList(5, 8)).containsExactly("2", "1", "2");
    assertThat(sheet(id, "7_appeals_and_recidivism.csv")).contains(",Number of decisions reversed,Total,1,");
    assertThat(api.get("/api/v1/transparency-reports/" + id + "/dsa/9_human_resources.csv", auditor).json().get("detail").asText())
        .contains("3_member_states_orders.csv");
  }

  static String sheet(long id, String name) {
    Api.Response sheet = api.get("/api/v1/transparency-reports/" + id + "/dsa/" + name, auditor);
    assertThat(sheet.status()).as(sheet.body()).isEqualTo(200);
    return sheet.body();
  }

  @Test
  void contentRemovedTwiceIsOneItemUnderTheSourceOfItsFirstRemoval() {
    OffsetDateTime from = begin();
    long submission = matchBanked(automatic, "tr-twice").get("submission_id").asLong();
    long ordered = order("tr-twice").get("id").asLong();
    Api.Response acted = api.post("/api/v1/orders/" + ordered + "/removal", coordinator, "{\"action\":\"removed\",\"submission_id\":"
        + submission + "}");
    assertThat(acted.status()).as(acted.body()).isEqualTo(200);
    JsonNode report = preview(from, end());
    assertThat(figure(report, "actions").get("total").asLong()).isEqualTo(1);
    assertThat(figure(report, "orders_acted").get("total").asLong()).isEqualTo(1);
    JsonNode removed = figure(report, "items_removed");
    assertThat(removed.get("total").asLong()).isEqualTo(1);
    assertThat(by(removed, "source")).isEqualTo(Map.of("hash_match", 1L));
  }

  @Test
  void aPublishedReportIsFrozenChecksummedAndCountedAgainFromTheRowsItNames() throws Exception {
    OffsetDateTime from = begin();
    matchBanked(automatic, "tr-frozen-1");
    matchBanked(automatic, "tr-frozen-2");
    OffsetDateTime to = end();

    Api.Response early = api.post("/api/v1/transparency-reports", admin, "{\"title\":\"Too soon\",\"from\":\"" + from.toInstant()
        + "\",\"to\":\"" + CLOCK.now().plusDays(1).toInstant() + "\"}");
    assertThat(early.status()).isEqualTo(422);
    assertThat(early.json().get("detail").asText()).contains("has not ended");
    assertThat(api.post("/api/v1/transparency-reports", auditor, "{\"title\":\"x\",\"from\":\"" + from.toInstant() + "\",\"to\":\""
        + to.toInstant() + "\"}").status()).isEqualTo(403);
    long id = publish(from, to, "Frozen", "");

    HttpResponse<byte[]> document = raw("/api/v1/transparency-reports/" + id, auditor);
    assertThat(document.statusCode()).isEqualTo(200);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(document.body());
    JsonNode listed = api.get("/api/v1/transparency-reports", auditor).json().get("items").get(0);
    assertThat(listed.get("id").asLong()).isEqualTo(id);
    assertThat(listed.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(digest));
    assertThat(document.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":");
    JsonNode stored = JSON.readTree(document.body());
    assertThat(figure(stored, "actions").get("total").asLong()).isEqualTo(2);
    assertThat(stored.get("figures_sha256").asText()).isEqualTo(listed.get("figures_sha256").asText());

    // Later events, even one stamped inside the period after publication, are not the rows it names.
    matchBanked(automatic, "tr-frozen-later");
    database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO transparency_events (occurred_at, kind, action, source, automated) "
        + "VALUES (:at, 'decision', 'remove', 'staff', FALSE)").bind("at", from.plusSeconds(1)).execute());
    JsonNode verified = api.get("/api/v1/transparency-reports/" + id + "/verification", auditor).json();
    assertThat(verified.get("intact").asBoolean()).isTrue();
    assertThat(verified.get("reproduced").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("figures_sha256_now").asText()).isEqualTo(stored.get("figures_sha256").asText());
    assertThat(figure(api.get("/api/v1/transparency-reports/" + id, auditor).json(), "actions").get("total").asLong()).isEqualTo(2);

    // A record it counted, altered: the figures no longer come out the same, and the verification says which.
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE transparency_events SET action = 'label' WHERE id = (SELECT MIN(id) FROM "
        + "transparency_events WHERE kind = 'decision' AND occurred_at >= :from AND occurred_at < :to)")
        .bind("from", from).bind("to", to).execute());
    JsonNode altered = api.get("/api/v1/transparency-reports/" + id + "/verification", auditor).json();
    assertThat(altered.get("reproduced").asBoolean()).isFalse();
    assertThat(altered.get("intact").asBoolean()).isTrue();
    assertThat(altered.get("changed")).extracting(JsonNode::asText).contains("actions", "items_removed");

    // The stored document, altered: it no longer has its checksum.
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE transparency_reports SET document = REPLACE(document, 'Frozen', 'Thawed') "
        + "WHERE id = :id").bind("id", id).execute());
    assertThat(api.get("/api/v1/transparency-reports/" + id + "/verification", auditor).json().get("intact").asBoolean()).isFalse();
    assertThat(api.delete("/api/v1/transparency-reports/" + id, admin).status()).isIn(404, 405);
  }

  @Test
  void theCsvHtmlAndPdfSayWhatTheJsonSays() throws Exception {
    OffsetDateTime from = begin();
    matchBanked(automatic, "tr-export-1");
    JsonNode held = matchBanked(reviewed, "tr-export-2");
    confirm(held.get("case_id").asLong(), alice);
    OffsetDateTime to = end();
    long id = publish(from, to, "2026 report <script>alert(1)</script>",
        ",\"measures\":\"We match uploads against the GIFCT hash-sharing database.\",\"review_proceedings\":2,"
            + "\"review_outcomes\":\"Both pending.\"");
    JsonNode report = api.get("/api/v1/transparency-reports/" + id, auditor).json();

    String csv = new String(raw("/api/v1/transparency-reports/" + id + "/report.csv", auditor).body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(csv).startsWith("figure,breakdown,value,count,unit\r\n");
    assertThat(csv).contains("\r\nactions,total,,2,").contains("\r\nactions,decided_by,automated,1,").contains("\r\nactions,decided_by,human,1,");
    assertThat(csv).contains("\r\ntco_art_7_3_e,total,,2,declared");

    HttpResponse<byte[]> html = raw("/api/v1/transparency-reports/" + id + "/report.html", auditor);
    String page = new String(html.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(html.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; style-src 'unsafe-inline'");
    assertThat(page).doesNotContain("<script>").contains("2026 report &lt;script&gt;");
    assertThat(page).contains("We match uploads against the GIFCT hash-sharing database.").contains("<svg")
        .contains(report.get("figures_sha256").asText());
    assertThat(tco(report, "7(3)(a)").get("basis").asText()).isEqualTo("declared");
    assertThat(tco(report, "7(3)(b)").get("basis").asText()).isEqualTo("generated");

    HttpResponse<byte[]> pdf = raw("/api/v1/transparency-reports/" + id + "/report.pdf", auditor);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      String text = new PDFTextStripper().getText(document);
      assertThat(text).contains("2026 report <script>alert(1)</script>").contains("Actions taken: 2")
          .contains("Items of content removed or disabled: 2").contains("7(3)(g)");
    }

    String preview = new String(raw("/api/v1/transparency/preview.html?from=" + from.toInstant() + "&to=" + to.toInstant(), auditor).body(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(preview).contains("Preview, not published");
  }

  @Test
  void badPeriodsUnknownReportsAndOtherRolesAreRefused() {
    Api.Response missing = api.get("/api/v1/transparency/preview?to=2026-02-01", auditor);
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json().get("detail").asText()).startsWith("from:");
    assertThat(api.get("/api/v1/transparency/preview?from=2026-02-01&to=2026-01-01", auditor).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/transparency/preview?from=yesterday&to=2026-01-01", auditor).json().get("detail").asText())
        .contains("'yesterday'");
    assertThat(api.get("/api/v1/transparency/preview?from=2000-01-01&to=2026-01-01", auditor).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/transparency-reports/987654", auditor).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/transparency/preview?from=2026-01-01&to=2026-02-01", platform).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/transparency-reports", coordinator).status()).isEqualTo(403);
    Api.Response negative = api.post("/api/v1/transparency-reports", admin,
        "{\"title\":\"x\",\"from\":\"2026-01-01\",\"to\":\"2026-02-01\",\"review_proceedings\":-1}");
    assertThat(negative.status()).isEqualTo(422);
  }
}
