package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.statement.StatementSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements of reasons in the DSA Transparency Database's format, made from the records over
 * HTTP: for each way content is restricted (a rule on a hash match, a reviewer confirming a match,
 * a user's or a trusted flagger's report, a removal order) the statement names the right source,
 * automation, category and ground; what restricts nothing has no statement; a reinstatement ends
 * it; the export covers exactly its period, in JSON lines and CSV; roles; bad parameters.
 */
class StatementOfReasonsTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String platform;
  static String alice;
  static String bob;
  static String auditor;
  static String coordinator;
  static long authority;
  static final Random RANDOM = new Random(17);
  static final TestClock CLOCK = new TestClock();
  /** What the Transparency Database accepts in a puid. */
  static final String PUID = "[A-Za-z0-9_-]{1,500}";

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    alice = TestServers.key(api, admin, "reviewer");
    bob = TestServers.key(api, admin, "reviewer");
    auditor = TestServers.key(api, admin, "auditor");
    coordinator = TestServers.key(api, admin, "coordinator");
    authority = TestServers.authority(api, admin, "{\"name\":\"Bundeskriminalamt\",\"member_state\":\"de\",\"contact\":\"tco@example.de\"}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A bank with {@code labels}, holding one entry of a new PDQ, and a rule on it; returns the PDQ. */
  static String bankAndRule(String name, List<String> labels, String action, boolean reviewFirst) {
    String pdq = MatchTest.randomPdq(RANDOM);
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\",\"labels\":" + Api.JSON.valueToTree(labels) + "}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    long id = bank.json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + id + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + "-rule\",\"action\":\"" + action + "\",\"review_first\":"
        + reviewFirst + ",\"conditions\":{\"banks\":[" + id + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    return pdq;
  }

  /** The platform's match of {@code pdq} as a photo with {@code contentId}; returns the submission. */
  static JsonNode submit(String pdq, String contentId) {
    return submit(pdq, contentId, "acct-" + contentId);
  }

  static JsonNode submit(String pdq, String contentId, String account) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId
        + "\",\"type\":\"photo\",\"account\":\"" + account + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json().get("submission");
  }

  static long decisionId(JsonNode submission) {
    return submission.get("decisions").get(0).get("id").asLong();
  }

  static void claimAndDecide(long caseId, String reviewer, String body) {
    Api.Response claimed = api.post("/api/v1/cases/" + caseId + "/claim", reviewer, "");
    assertThat(claimed.status()).as(claimed.body()).isEqualTo(200);
    Api.Response decided = api.post("/api/v1/cases/" + caseId + "/decision", reviewer, body);
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
  }

  static long report(String reporter, String kind, String reason, String contentId) {
    Api.Response r = api.post("/api/v1/reports", platform, "{\"reporter_id\":\"" + reporter + "\",\"reporter_kind\":\"" + kind
        + "\",\"reporter_account_age_days\":400,\"reason\":\"" + reason + "\",\"content_id\":\"" + contentId + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("report").get("case_id").asLong();
  }

  static long actedOrder(String contentId, String action) {
    Api.Response received = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority + ",\"reference\":\"BKA-" + contentId
        + "\",\"content_url\":\"https://video.example/watch/" + contentId + "\",\"content_id\":\"" + contentId
        + "\",\"reasons\":\"Calls for attacks on a named place of worship; Art. 2(7)(a) and (c).\"}");
    assertThat(received.status()).as(received.body()).isEqualTo(201);
    long id = received.json().get("id").asLong();
    Api.Response acted = api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"" + action + "\"}");
    assertThat(acted.status()).as(acted.body()).isEqualTo(200);
    return id;
  }

  static JsonNode statement(String path) {
    Api.Response r = api.get(path, auditor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static String today() {
    return LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC).toString();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** What every statement holds whatever its source, in the shape the database takes. */
  static void assertWellFormed(JsonNode s) {
    assertThat(s.get("category").asText()).isEqualTo("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY");
    assertThat(texts(s.get("category_specification"))).containsExactly("KEYWORD_TERRORIST_CONTENT");
    assertThat(texts(s.get("territorial_scope"))).containsExactlyInAnyOrderElementsOf(StatementSettings.EU_EEA).hasSize(30);
    assertThat(s.get("puid").asText()).matches(PUID);
    assertThat(s.get("decision_facts").asText()).isNotBlank().hasSizeLessThanOrEqualTo(5000);
    assertThat(s.get("content_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(s.get("application_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    if (s.get("decision_ground").asText().equals("DECISION_GROUND_ILLEGAL_CONTENT")) {
      assertThat(s.get("illegal_content_legal_ground").asText()).isNotBlank().hasSizeLessThanOrEqualTo(500);
      assertThat(s.get("illegal_content_explanation").asText()).isNotBlank().hasSizeLessThanOrEqualTo(2000);
      assertThat(s.has("incompatible_content_ground")).isFalse();
    } else {
      assertThat(s.get("decision_ground").asText()).isEqualTo("DECISION_GROUND_INCOMPATIBLE_CONTENT");
      assertThat(s.get("incompatible_content_ground").asText()).isNotBlank();
      assertThat(s.get("incompatible_content_explanation").asText()).isNotBlank();
      assertThat(s.has("illegal_content_legal_ground")).isFalse();
    }
  }

  @Test
  void aRuleRemovingOnAHashMatchIsAFullyAutomatedOwnInitiative() {
    String pdq = bankAndRule("sor-auto", List.of("branded_terrorist_publication"), "remove", false);
    JsonNode submission = submit(MatchTest.flip(pdq, 4, RANDOM), "sor/auto 1");

    JsonNode s = statement("/api/v1/decisions/" + decisionId(submission) + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(texts(s.get("decision_visibility"))).containsExactly("DECISION_VISIBILITY_CONTENT_REMOVED");
    assertThat(s.has("decision_account")).isFalse();
    assertThat(s.get("source_type").asText()).isEqualTo("SOURCE_VOLUNTARY");
    assertThat(s.has("source_identity")).isFalse();
    assertThat(s.get("automated_detection").asText()).isEqualTo("Yes");
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_FULLY");
    // No label names a ground: the operator's default, illegal content under the TCO Regulation.
    assertThat(s.get("decision_ground").asText()).isEqualTo("DECISION_GROUND_ILLEGAL_CONTENT");
    assertThat(s.get("illegal_content_legal_ground").asText()).isEqualTo(StatementSettings.DEFAULT.legalGround());
    assertThat(s.get("illegal_content_explanation").asText()).contains("branded_terrorist_publication").contains("sor-auto");
    assertThat(s.has("category_addition")).isFalse();
    assertThat(texts(s.get("content_type"))).containsExactly("CONTENT_TYPE_IMAGE");
    assertThat(s.has("content_type_other")).isFalse();
    assertThat(s.get("application_date").asText()).isEqualTo(today());
    assertThat(s.get("content_date").asText()).isEqualTo(today());
    assertThat(s.has("end_date_visibility_restriction")).isFalse();
    // Unique per statement, from the platform's content id with what the database refuses replaced.
    assertThat(s.get("puid").asText()).startsWith("sor_auto_1-").endsWith("-" + decisionId(submission));
  }

  @Test
  void aReviewerConfirmingAMatchIsPartlyAutomatedAndAppliesWhenConfirmed() {
    String pdq = bankAndRule("sor-reviewed", List.of("imminent_credible_threat"), "remove", true);
    JsonNode submission = submit(pdq, "sor-reviewed-1");
    long decision = decisionId(submission);
    String matchedOn = today();
    // Waiting for a reviewer: nothing is restricted yet.
    Api.Response pending = api.get("/api/v1/decisions/" + decision + "/statement-of-reasons", auditor);
    assertThat(pending.status()).as(pending.body()).isEqualTo(409);
    assertThat(pending.contentType()).startsWith("application/problem+json");
    assertThat(pending.json().get("detail").asText()).contains("waits for a reviewer");

    CLOCK.advance(Duration.ofDays(2));
    claimAndDecide(submission.get("case_id").asLong(), alice, "{\"outcome\":\"confirm\",\"reason\":\"threat\",\"policy\":\"violent threats\"}");

    JsonNode s = statement("/api/v1/decisions/" + decision + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("source_type").asText()).isEqualTo("SOURCE_VOLUNTARY");
    assertThat(s.get("automated_detection").asText()).isEqualTo("Yes");
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_PARTIALLY");
    assertThat(s.get("content_date").asText()).isEqualTo(matchedOn);
    assertThat(s.get("application_date").asText()).isEqualTo(today()).isNotEqualTo(matchedOn);
    // A threat to people adds the category of violence.
    assertThat(texts(s.get("category_addition"))).containsExactly("STATEMENT_CATEGORY_VIOLENCE");
    assertThat(s.get("decision_facts").asText()).contains("violent threats");
  }

  @Test
  void anAccountSuspendedAfterConfirmedViolationsIsAnAccountRestriction() {
    String pdq = bankAndRule("sor-repeat", List.of("recruitment_and_instruction"), "remove", true);
    Api.Response suspend = api.post("/api/v1/rules", admin, "{\"name\":\"sor-repeat-suspend\",\"action\":\"suspend_account\","
        + "\"conditions\":{\"min_account_violations\":2}}");
    assertThat(suspend.status()).as(suspend.body()).isEqualTo(201);
    long suspension = 0;
    for (int i = 1; i <= 2; i++) {
      JsonNode submission = submit(MatchTest.flip(pdq, i, RANDOM), "sor-repeat-" + i, "acct-sor-repeat");
      claimAndDecide(submission.get("case_id").asLong(), alice, "{\"outcome\":\"confirm\",\"reason\":\"recruits\",\"policy\":\"tvec\"}");
      JsonNode after = api.get("/api/v1/submissions?content_id=sor-repeat-" + i, platform).json().get("items").get(0);
      for (JsonNode d : after.get("decisions")) {
        if (d.get("action").asText().equals("suspend_account")) {
          suspension = d.get("id").asLong();
        }
      }
    }
    assertThat(suspension).as("the second confirmed violation suspends the account").isPositive();

    JsonNode s = statement("/api/v1/decisions/" + suspension + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("decision_account").asText()).isEqualTo("DECISION_ACCOUNT_SUSPENDED");
    assertThat(s.has("decision_visibility")).isFalse();
    assertThat(s.get("source_type").asText()).isEqualTo("SOURCE_VOLUNTARY");
    // A rule acted, but on what a reviewer had confirmed.
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_PARTIALLY");
    assertThat(s.toString()).doesNotContain("acct-sor-repeat");
  }

  @Test
  void aLabelNamesTheGroundOfTheTerms() {
    Api.Response label = api.post("/api/v1/labels", admin, "{\"name\":\"incompatible_content\",\"description\":\"against our terms only\"}");
    assertThat(label.status()).as(label.body()).isIn(201, 409);
    String pdq = bankAndRule("sor-terms", List.of("glorification_of_terrorist_acts", "incompatible_content"), "remove", false);
    JsonNode s = statement("/api/v1/decisions/" + decisionId(submit(pdq, "sor-terms-1")) + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("decision_ground").asText()).isEqualTo("DECISION_GROUND_INCOMPATIBLE_CONTENT");
    assertThat(s.get("incompatible_content_ground").asText()).isEqualTo(StatementSettings.DEFAULT.termsGround());
  }

  @Test
  void aUsersReportIsAnArticle16NoticeDecidedByAPerson() {
    long caseId = report("sor-user-1", "user", "glorification", "sor-post-1");
    // Not decided yet: no statement.
    Api.Response open = api.get("/api/v1/cases/" + caseId + "/statement-of-reasons", auditor);
    assertThat(open.status()).as(open.body()).isEqualTo(409);
    claimAndDecide(caseId, alice, "{\"outcome\":\"confirm\",\"reason\":\"praises the attacker\",\"policy\":\"glorification\"}");

    JsonNode s = statement("/api/v1/cases/" + caseId + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("source_type").asText()).isEqualTo("SOURCE_ARTICLE_16");
    // The notifier is a person: the statement never names them.
    assertThat(s.toString()).doesNotContain("sor-user-1");
    assertThat(s.get("automated_detection").asText()).isEqualTo("No");
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_NOT_AUTOMATED");
    assertThat(texts(s.get("decision_visibility"))).containsExactly("DECISION_VISIBILITY_CONTENT_REMOVED");
    assertThat(texts(s.get("content_type"))).containsExactly("CONTENT_TYPE_OTHER");
    assertThat(s.get("content_type_other").asText()).isNotBlank();
    assertThat(s.get("illegal_content_explanation").asText()).contains("glorification");
    assertThat(s.get("puid").asText()).startsWith("sor-post-1-");

    // A report a reviewer rejected restricts nothing.
    long rejected = report("sor-user-2", "user", "other", "sor-post-2");
    claimAndDecide(rejected, alice, "{\"outcome\":\"reject\",\"reason\":\"news\",\"reject_as\":\"benign\"}");
    assertThat(api.get("/api/v1/cases/" + rejected + "/statement-of-reasons", auditor).status()).isEqualTo(409);
    // A match case is not a report case; a case that does not exist is not found.
    assertThat(api.get("/api/v1/cases/999999/statement-of-reasons", auditor).status()).isEqualTo(404);
  }

  @Test
  void aTrustedFlaggersReportIsATrustedFlaggersNotice() {
    long caseId = report("sor-flagger", "trusted_flagger", "threat", "sor-post-3");
    report("sor-user-3", "user", "threat", "sor-post-3");
    claimAndDecide(caseId, bob, "{\"outcome\":\"confirm\",\"reason\":\"credible threat\",\"policy\":\"threats\"}");

    JsonNode s = statement("/api/v1/cases/" + caseId + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("source_type").asText()).isEqualTo("SOURCE_TRUSTED_FLAGGER");
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_NOT_AUTOMATED");
    assertThat(texts(s.get("category_addition"))).containsExactly("STATEMENT_CATEGORY_VIOLENCE");
    assertThat(s.toString()).doesNotContain("sor-flagger");
  }

  @Test
  void aRemovalOrderIsAnotherNotificationOnTheTcoRegulation() {
    long removed = actedOrder("sor-order-1", "removed");
    JsonNode s = statement("/api/v1/orders/" + removed + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("source_type").asText()).isEqualTo("SOURCE_TYPE_OTHER_NOTIFICATION");
    assertThat(s.get("source_identity").asText()).contains("Bundeskriminalamt").contains("DE").contains("BKA-sor-order-1");
    assertThat(s.get("automated_detection").asText()).isEqualTo("No");
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_NOT_AUTOMATED");
    assertThat(s.get("decision_ground").asText()).isEqualTo("DECISION_GROUND_ILLEGAL_CONTENT");
    assertThat(s.get("illegal_content_legal_ground").asText()).contains("2021/784");
    assertThat(s.get("illegal_content_explanation").asText()).contains("Calls for attacks on a named place of worship");
    assertThat(texts(s.get("decision_visibility"))).containsExactly("DECISION_VISIBILITY_CONTENT_REMOVED");
    assertThat(s.get("application_date").asText()).isEqualTo(today());

    long disabled = actedOrder("sor-order-2", "disabled");
    assertThat(texts(statement("/api/v1/orders/" + disabled + "/statement-of-reasons").get("decision_visibility")))
        .containsExactly("DECISION_VISIBILITY_CONTENT_DISABLED");

    // Received and not acted on: nothing restricted yet.
    Api.Response received = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority
        + ",\"reference\":\"BKA-sor-open\",\"content_url\":\"https://video.example/watch/open\",\"reasons\":\"r\"}");
    assertThat(received.status()).as(received.body()).isEqualTo(201);
    Api.Response open = api.get("/api/v1/orders/" + received.json().get("id").asLong() + "/statement-of-reasons", auditor);
    assertThat(open.status()).as(open.body()).isEqualTo(409);
    assertThat(open.contentType()).startsWith("application/problem+json");
  }

  @Test
  void whatRestrictsNothingHasNoStatement() {
    String labelled = bankAndRule("sor-label", List.of("attacker_manifesto"), "label", false);
    Api.Response label = api.get("/api/v1/decisions/" + decisionId(submit(labelled, "sor-label-1")) + "/statement-of-reasons", auditor);
    assertThat(label.status()).as(label.body()).isEqualTo(409);
    assertThat(label.contentType()).startsWith("application/problem+json");
    assertThat(label.json().get("detail").asText()).contains("not a restriction");

    String benign = bankAndRule("sor-benign", List.of("attacker_manifesto"), "remove", true);
    JsonNode submission = submit(benign, "sor-benign-1");
    claimAndDecide(submission.get("case_id").asLong(), alice, "{\"outcome\":\"reject\",\"reason\":\"satire\",\"reject_as\":\"benign\"}");
    Api.Response rejected = api.get("/api/v1/decisions/" + decisionId(submission) + "/statement-of-reasons", auditor);
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(409);

    assertThat(api.get("/api/v1/decisions/999999/statement-of-reasons", auditor).status()).isEqualTo(404);
    Api.Response notAnId = api.get("/api/v1/decisions/abc/statement-of-reasons", auditor);
    assertThat(notAnId.status()).isEqualTo(400);
    assertThat(notAnId.contentType()).startsWith("application/problem+json");
  }

  @Test
  void reinstatedContentKeepsItsStatementWithItsEnd() {
    String pdq = bankAndRule("sor-appeal", List.of("attacker_manifesto"), "remove", false);
    long decision = decisionId(submit(pdq, "sor-appeal-1"));
    String removedOn = today();
    Api.Response appeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"sor-appeal-1\",\"statement\":\"this is news reporting\"}");
    assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
    CLOCK.advance(Duration.ofDays(3));
    claimAndDecide(appeal.json().get("case_id").asLong(), bob, "{\"outcome\":\"reinstate\",\"reason\":\"newsworthy\"}");

    JsonNode s = statement("/api/v1/decisions/" + decision + "/statement-of-reasons");
    assertWellFormed(s);
    assertThat(s.get("application_date").asText()).isEqualTo(removedOn);
    assertThat(s.get("end_date_visibility_restriction").asText()).isEqualTo(today()).isNotEqualTo(removedOn);
    assertThat(s.get("automated_decision").asText()).isEqualTo("AUTOMATED_DECISION_FULLY");
  }

  @Test
  void theExportCoversExactlyItsPeriodInJsonLinesAndCsv() throws Exception {
    // Far from what the other tests made.
    CLOCK.advance(Duration.ofDays(40));
    String auto = bankAndRule("sor-export-auto", List.of("attacker_manifesto"), "remove", false);
    String reviewed = bankAndRule("sor-export-reviewed", List.of("attacker_manifesto"), "remove", true);
    submit(MatchTest.flip(auto, 1, RANDOM), "sor-before");
    // Made before the period, confirmed within it: it applies within it.
    JsonNode waiting = submit(reviewed, "sor-confirmed-within");
    CLOCK.advance(Duration.ofHours(1));
    JsonNode first = submit(MatchTest.flip(auto, 2, RANDOM), "sor-within");
    String from = first.get("decisions").get(0).get("created_at").asText();
    claimAndDecide(waiting.get("case_id").asLong(), alice, "{\"outcome\":\"confirm\",\"reason\":\"manifesto\",\"policy\":\"tvec\"}");
    long reportCase = report("sor-export-user", "user", "recruitment", "sor-reported-within");
    claimAndDecide(reportCase, alice, "{\"outcome\":\"confirm\",\"reason\":\"recruits\",\"policy\":\"recruitment\"}");
    actedOrder("sor-ordered-within", "removed");
    CLOCK.advance(Duration.ofHours(1));
    JsonNode after = submit(MatchTest.flip(auto, 3, RANDOM), "sor-at-the-end");
    String to = after.get("decisions").get(0).get("created_at").asText();

    Api.Response lines = api.get("/api/v1/statements-of-reasons?from=" + from + "&to=" + to, auditor);
    assertThat(lines.status()).as(lines.body()).isEqualTo(200);
    assertThat(lines.contentType()).startsWith("application/x-ndjson");
    Set<String> puids = new TreeSet<>();
    for (String line : lines.body().split("\n")) {
      JsonNode s = Api.JSON.readTree(line);
      assertWellFormed(s);
      puids.add(s.get("puid").asText().replaceAll("-(decision|case|order)-\\d+$", ""));
    }
    assertThat(puids).containsExactlyInAnyOrder("sor-confirmed-within", "sor-within", "sor-reported-within", "sor-ordered-within");

    Api.Response csv = api.get("/api/v1/statements-of-reasons?from=" + from + "&to=" + to + "&format=csv", admin);
    assertThat(csv.status()).as(csv.body()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    String[] rows = csv.body().split("\r\n");
    assertThat(rows[0]).startsWith("decision_visibility,").contains(",source_type,").endsWith(",puid");
    assertThat(rows).hasSize(1 + 4);
    for (String puid : puids) {
      assertThat(csv.body()).contains(puid + "-");
    }

    // A period of days, from the start of each in UTC: an empty day is just the header.
    Api.Response empty = api.get("/api/v1/statements-of-reasons?from=2021-01-01&to=2021-01-02&format=csv", auditor);
    assertThat(empty.status()).as(empty.body()).isEqualTo(200);
    assertThat(empty.body().split("\r\n")).hasSize(1);
    assertThat(api.get("/api/v1/statements-of-reasons?from=2021-01-01&to=2021-01-02", auditor).body()).isEmpty();
  }

  @Test
  void badPeriodsAndFormatsAreRefusedWithProblemDetails() {
    Map<String, Integer> refused = Map.of(
        "/api/v1/statements-of-reasons?to=2026-01-01", 400,
        "/api/v1/statements-of-reasons?from=2026-01-01", 400,
        "/api/v1/statements-of-reasons?from=yesterday&to=2026-01-01", 400,
        "/api/v1/statements-of-reasons?from=2026-01-01T00:00:00&to=2026-02-01", 400,
        "/api/v1/statements-of-reasons?from=2026-02-01&to=2026-01-01", 422,
        "/api/v1/statements-of-reasons?from=2026-01-01&to=2026-01-01", 422,
        "/api/v1/statements-of-reasons?from=2026-01-01&to=2026-02-01&format=xml", 422);
    refused.forEach((path, status) -> {
      Api.Response r = api.get(path, auditor);
      assertThat(r.status()).as(path + " " + r.body()).isEqualTo(status);
      assertThat(r.contentType()).as(path).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asText()).as(path).isNotBlank();
    });
  }

  @Test
  void adminsAndAuditorsReadStatementsAndNoOtherRole() {
    String pdq = bankAndRule("sor-roles", List.of("attacker_manifesto"), "remove", false);
    long decision = decisionId(submit(pdq, "sor-roles-1"));
    String path = "/api/v1/decisions/" + decision + "/statement-of-reasons";
    String export = "/api/v1/statements-of-reasons?from=2026-01-01&to=2027-01-01";
    for (String key : List.of(admin, auditor)) {
      assertThat(api.get(path, key).status()).isEqualTo(200);
      assertThat(api.get(export, key).status()).isEqualTo(200);
    }
    for (String key : List.of(platform, alice, coordinator, TestServers.key(api, admin, "curator"))) {
      assertThat(api.get(path, key).status()).isEqualTo(403);
      assertThat(api.get(export, key).status()).isEqualTo(403);
    }
    assertThat(api.get(path, null).status()).isEqualTo(401);
  }

  @Test
  void operatorSettingsChooseTheGroundAndTheScope() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of(
        ServerConfig.ENV_STATEMENT_GROUND, "terms",
        ServerConfig.ENV_STATEMENT_TERMS_GROUND, "Community guidelines, section 4: violent extremism",
        ServerConfig.ENV_STATEMENT_TERMS_URL, "https://platform.example/terms#4",
        ServerConfig.ENV_STATEMENT_TERRITORIAL_SCOPE, "de, AT,de"));
    assertThat(config.statements().ground().name()).isEqualTo("DECISION_GROUND_INCOMPATIBLE_CONTENT");
    assertThat(config.statements().termsGround()).isEqualTo("Community guidelines, section 4: violent extremism");
    assertThat(config.statements().termsUrl()).isEqualTo("https://platform.example/terms#4");
    assertThat(config.statements().territorialScope()).containsExactly("DE", "AT");
    assertThat(ServerConfig.defaults().statements().territorialScope()).hasSize(30);
    for (Map<String, String> wrong : List.of(Map.of(ServerConfig.ENV_STATEMENT_GROUND, "maybe"),
        Map.of(ServerConfig.ENV_STATEMENT_TERRITORIAL_SCOPE, "DE,US"),
        Map.of(ServerConfig.ENV_STATEMENT_TERRITORIAL_SCOPE, "EL"),
        Map.of(ServerConfig.ENV_STATEMENT_TERMS_URL, "ftp://platform.example/terms"),
        Map.of(ServerConfig.ENV_STATEMENT_LEGAL_GROUND, "x".repeat(501)))) {
      assertThatThrownBy(() -> ServerConfig.fromEnvironment(wrong)).as(wrong.toString()).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
