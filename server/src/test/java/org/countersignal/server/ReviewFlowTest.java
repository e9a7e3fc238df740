package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.countersignal.server.review.Appeals;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From match to action through the API: rules turn a submitted match into decisions and review
 * cases; reviewers claim and decide; the platform hears of each decision through the outbox;
 * appeals go to a different reviewer; false positives stop acting; repeated violations lead to a
 * suspension recommendation.
 */
class ReviewFlowTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String platform;
  static String alice;
  static String bob;
  static final Random RANDOM = new Random(7);
  /** The server's time: tests move it to make claims lapse and appeals fall due. */
  static final TestClock CLOCK = new TestClock();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    alice = TestServers.key(api, admin, "reviewer");
    bob = TestServers.key(api, admin, "reviewer");
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  /** A bank with {@code label}, holding one entry of {@code pdq}; returns the bank id. */
  static long bank(String name, String label, String pdq) {
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\",\"labels\":[\"" + label + "\"]}");
    assertThat(bank.status()).as(bank.header()).isEqualTo(201);
    long id = bank.json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + id + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.header()).isEqualTo(201);
    return id;
  }

  static long rule(String name, long bankId, String action, boolean reviewFirst, String extraConditions) {
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + "\",\"action\":\"" + action + "\",\"review_first\":"
        + reviewFirst + ",\"conditions\":{\"banks\":[" + bankId + "]" + extraConditions + "}}");
    assertThat(rule.status()).as(rule.header()).isEqualTo(201);
    return rule.json().get("id").asLong();
  }

  static JsonNode submit(String pdq, String contentId, String account) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\""
        + contentId + "\"" + (account == null ? "" : ",\"account\":\"" + account + "\"") + "}}");
    assertThat(match.status()).as(match.header()).isEqualTo(200);
    return match.json();
  }

  static Api.Response decide(long caseId, String key, String body) {
    return api.post("/api/v1/cases/" + caseId + "/decision", key, body);
  }

  /** Event types and payloads the outbox holds about {@code contentId}, oldest first. */
  static List<String> events(String contentId) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT event_type, payload FROM webhook_events ORDER BY created_at, id")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
        .list()
        .stream()
        .filter(e -> e[1].contains("\"" + contentId + "\""))
        .map(e -> e[0])
        .toList());
  }

  /** The payload of the last event of {@code type} about {@code contentId}. */
  static JsonNode event(String type, String contentId) {
    List<String> payloads = database.jdbi().withHandle(h -> h.createQuery(
            "SELECT payload FROM webhook_events WHERE event_type = :type ORDER BY created_at DESC, id DESC")
        .bind("type", type).mapTo(String.class).list());
    for (String payload : payloads) {
      if (payload.contains("\"" + contentId + "\"")) {
        try {
          return Api.JSON.readTree(payload);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no " + type + " event about " + contentId);
  }

  @Test
  void aRuleThatNeedsNoReviewActsAtOnceAndTellsThePlatform() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("auto", "branded_terrorist_publication", pdq);
    long rule = rule("auto-remove", bank, "remove", false, "");

    JsonNode result = submit(MatchTest.flip(pdq, 5, RANDOM), "auto-1", "acct-auto");

    JsonNode submission = result.get("submission");
    assertThat(submission.get("status").asText()).isEqualTo("actioned");
    assertThat(submission.has("case_id")).isFalse();
    JsonNode decision = submission.get("decisions").get(0);
    assertThat(decision.get("action").asText()).isEqualTo("remove");
    assertThat(decision.get("state").asText()).isEqualTo("taken");
    assertThat(decision.get("rule_id").asLong()).isEqualTo(rule);
    assertThat(decision.get("event_id").asText()).isNotBlank();
    assertThat(events("auto-1")).containsExactlyInAnyOrder("action.decided");

    JsonNode stored = api.get("/api/v1/submissions?content_id=auto-1", platform).json().get("items").get(0);
    assertThat(stored.get("removed_at").isNull()).isFalse();
    assertThat(stored.get("matches").get(0).get("distance").asInt()).isEqualTo(5);
  }

  @Test
  void aLookupWithoutContentAndWithoutHitsLeavesNoTrace() {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(RANDOM) + "\"}}");
    assertThat(match.status()).isEqualTo(200);
    assertThat(match.json().has("submission")).isFalse();
  }

  /**
   * A lookup that hits is only a lookup: no submission, no rules, no case about content nobody
   * named. It is recorded when the request asks ({@code record}) or its key records by default.
   */
  @Test
  void aLookupThatHitsRecordsNothingUnlessTheRequestOrItsKeyAsks() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("lookups", "imminent_credible_threat", pdq);
    rule("lookup-review", bank, "review", false, "");
    String body = "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"banks\":[" + bank + "]";
    long cases = count("cases");
    long submissions = count("submissions");

    Api.Response lookup = api.post("/api/v1/match", platform, body + "}");
    assertThat(lookup.json().get("matches")).hasSize(1);
    assertThat(lookup.json().has("submission")).isFalse();
    Api.Response batch = api.post("/api/v1/match/batch", platform, "{\"queries\":[{\"signals\":{\"pdq\":\"" + pdq + "\"}}]}");
    assertThat(batch.json().at("/results/0/matches")).hasSize(1);
    assertThat(batch.json().at("/results/0").has("submission")).isFalse();
    assertThat(count("cases")).isEqualTo(cases);
    assertThat(count("submissions")).isEqualTo(submissions);

    JsonNode asked = api.post("/api/v1/match", platform, body + ",\"record\":true}").json().get("submission");
    assertThat(asked.get("content_id").asText()).startsWith("cs-");
    assertThat(asked.get("case_id").asLong()).isPositive();
    assertThat(count("cases")).isEqualTo(cases + 1);

    // A key made to record: its lookups are kept unless a request says not to.
    Api.Response made = api.post("/api/v1/keys", admin, "{\"role\":\"matcher\",\"name\":\"recorder\",\"record_matches\":true}");
    assertThat(made.status()).as(made.header()).isEqualTo(201);
    String recorder = made.json().get("key").asText();
    long keyId = made.json().get("id").asLong();
    assertThat(api.post("/api/v1/match", recorder, body + "}").json().has("submission")).isTrue();
    assertThat(api.post("/api/v1/match", recorder, body + ",\"record\":false}").json().has("submission")).isFalse();

    Api.Response changed = api.patch("/api/v1/keys/" + keyId, admin, "{\"record_matches\":false}");
    assertThat(changed.status()).as(changed.header()).isEqualTo(200);
    assertThat(changed.json().get("record_matches").asBoolean()).isFalse();
    assertThat(changed.json().get("rate_limit").isNull()).as("left as it was").isTrue();
    assertThat(api.post("/api/v1/match", recorder, body + "}").json().has("submission")).isFalse();
    assertThat(api.patch("/api/v1/keys/" + keyId, recorder, "{\"record_matches\":true}").status()).isEqualTo(403);
    assertThat(api.patch("/api/v1/keys/" + keyId, admin, "{\"record_matches\":\"yes\"}").status()).isEqualTo(400);
    List<String> updates = new java.util.ArrayList<>();
    for (JsonNode event : api.get("/api/v1/audit?limit=1000", admin).json().get("items")) {
      if (event.get("action").asText().equals("key.updated") && event.get("target_id").asText().equals(String.valueOf(keyId))) {
        updates.add(event.at("/before/record_matches").asText() + "->" + event.at("/after/record_matches").asText());
      }
    }
    assertThat(updates).containsExactly("true->false");
  }

  static long count(String table) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  @Test
  void reviewFirstWaitsForAReviewerThenTheActionIsTaken() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("review-first", "imminent_credible_threat", pdq);
    rule("review-then-remove", bank, "remove", true, "");

    JsonNode submission = submit(pdq, "rf-1", "acct-rf").get("submission");
    assertThat(submission.get("status").asText()).isEqualTo("in_review");
    assertThat(submission.get("decisions").get(0).get("state").asText()).isEqualTo("pending_review");
    // Nothing is to be done yet, but the platform hears that the content waits for a reviewer.
    assertThat(events("rf-1")).containsExactly("case.opened");
    long caseId = submission.get("case_id").asLong();
    JsonNode opened = event("case.opened", "rf-1");
    assertThat(opened.get("case_id").asLong()).isEqualTo(caseId);
    assertThat(opened.get("kind").asText()).isEqualTo("match");
    assertThat(opened.get("priority").asInt()).isGreaterThanOrEqualTo(500);
    assertThat(opened.get("pending_actions").toString()).isEqualTo("[\"remove\"]");
    assertThat(opened.at("/content/account").asText()).isEqualTo("acct-rf");
    assertThat(opened.at("/matches/0/bank_id").asLong()).isEqualTo(bank);

    JsonNode listed = find(api.get("/api/v1/cases", alice).json().get("items"), caseId);
    assertThat(listed.get("priority").asInt()).as("imminent threats come first").isGreaterThanOrEqualTo(500);
    assertThat(listed.get("labels").toString()).contains("imminent_credible_threat");

    // Deciding needs a claim; a claim held by another reviewer cannot be taken.
    assertThat(decide(caseId, alice, "{\"outcome\":\"confirm\",\"reason\":\"r\",\"policy\":\"p\"}").status()).isEqualTo(409);
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", alice, "").status()).isEqualTo(200);
    Api.Response taken = api.post("/api/v1/cases/" + caseId + "/claim", bob, "");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().get("detail").asText()).contains("claimed");

    // Every decision needs a reason; a confirmation names the policy.
    Api.Response noReason = decide(caseId, alice, "{\"outcome\":\"confirm\",\"policy\":\"violent extremism\"}");
    assertThat(noReason.status()).isEqualTo(422);
    assertThat(noReason.json().get("field").asText()).isEqualTo("reason");
    assertThat(decide(caseId, alice, "{\"outcome\":\"confirm\",\"reason\":\"threat\"}").json().get("field").asText()).isEqualTo("policy");

    Api.Response confirmed = decide(caseId, alice,
        "{\"outcome\":\"confirm\",\"reason\":\"announces an attack\",\"policy\":\"violent threats\"}");
    assertThat(confirmed.status()).as(confirmed.header()).isEqualTo(200);
    assertThat(confirmed.json().get("status").asText()).isEqualTo("confirmed");
    assertThat(confirmed.json().get("submission").get("status").asText()).isEqualTo("violating");
    assertThat(confirmed.json().get("submission").get("decisions").get(0).get("state").asText()).isEqualTo("confirmed");
    assertThat(confirmed.json().get("submission").get("removed_at").isNull()).isFalse();
    assertThat(events("rf-1")).containsExactlyInAnyOrder("case.opened", "action.decided", "case.decided");
    assertThat(decide(caseId, alice, "{\"outcome\":\"reject\",\"reason\":\"x\",\"reject_as\":\"benign\"}").status())
        .as("a decided case stays decided").isEqualTo(409);
    assertThat(find(api.get("/api/v1/cases", alice).json().get("items"), caseId)).isNull();

    List<String> audit = database.jdbi().withHandle(h -> h.createQuery(
            "SELECT action || ' ' || COALESCE(after_json, '') FROM audit_log WHERE target_type = 'case' AND target_id = :id ORDER BY id")
        .bind("id", Long.toString(caseId)).mapTo(String.class).list());
    assertThat(audit).hasSize(2);
    assertThat(audit.get(0)).startsWith("case.claimed");
    assertThat(audit.get(1)).startsWith("case.decided").contains("announces an attack");
  }

  @Test
  void aLapsedClaimFreesTheCaseForAnotherReviewer() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("leases", "recruitment_and_instruction", pdq);
    rule("lease-review", bank, "review", false, "");
    long caseId = submit(pdq, "lease-1", null).get("submission").get("case_id").asLong();
    JsonNode claimed = api.post("/api/v1/cases/" + caseId + "/claim", alice, "").json();
    assertThat(OffsetDateTime.parse(claimed.get("lease_until").asText()))
        .isBetween(CLOCK.now().plusMinutes(14), CLOCK.now().plusMinutes(16));
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", bob, "").status()).isEqualTo(409);
    // Alice walks away; her 15-minute lease runs out.
    CLOCK.advance(Duration.ofMinutes(16));
    Api.Response late = decide(caseId, alice, "{\"outcome\":\"confirm\",\"reason\":\"r\",\"policy\":\"p\"}");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().get("detail").asText()).contains("lapsed");
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", bob, "").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/cases/" + caseId + "/release", alice, "").status()).isEqualTo(409);
    assertThat(api.post("/api/v1/cases/" + caseId + "/release", bob, "").status()).isEqualTo(200);
    assertThat(find(api.get("/api/v1/cases", alice).json().get("items"), caseId).has("claimed_by")).isFalse();
  }

  @Test
  void anAppealIsDecidedByAnotherReviewerAndReinstatementTellsThePlatform() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("appeals", "attacker_manifesto", pdq);
    rule("appeal-remove", bank, "remove", true, "");
    long caseId = submit(pdq, "ap-1", "acct-ap").get("submission").get("case_id").asLong();
    api.post("/api/v1/cases/" + caseId + "/claim", alice, "");
    assertThat(decide(caseId, alice, "{\"outcome\":\"confirm\",\"reason\":\"manifesto\",\"policy\":\"tvec\"}").status()).isEqualTo(200);

    assertThat(api.post("/api/v1/appeals", platform, "{\"content_id\":\"never-removed\",\"statement\":\"x\"}").status()).isEqualTo(404);
    assertThat(api.post("/api/v1/appeals", platform, "{\"content_id\":\"ap-1\"}").status()).isEqualTo(422);
    Api.Response appeal = api.post("/api/v1/appeals", platform, "{\"content_id\":\"ap-1\",\"statement\":\"this is news reporting\"}");
    assertThat(appeal.status()).as(appeal.header()).isEqualTo(201);
    assertThat(api.post("/api/v1/appeals", platform, "{\"content_id\":\"ap-1\",\"statement\":\"again\"}").status()).isEqualTo(409);
    long appealCase = appeal.json().get("case_id").asLong();
    assertThat(appeal.json().get("overdue").asBoolean()).isFalse();
    assertThat(OffsetDateTime.parse(appeal.json().get("due_at").asText()))
        .isAfter(CLOCK.now().plusDays(13));

    Api.Response sameReviewer = api.post("/api/v1/cases/" + appealCase + "/claim", alice, "");
    assertThat(sameReviewer.status()).as("who removed it may not decide the appeal").isEqualTo(403);
    assertThat(api.post("/api/v1/cases/" + appealCase + "/claim", bob, "").status()).isEqualTo(200);
    assertThat(decide(appealCase, bob, "{\"outcome\":\"confirm\",\"reason\":\"x\",\"policy\":\"p\"}").status()).isEqualTo(422);
    Api.Response reinstated = decide(appealCase, bob, "{\"outcome\":\"reinstate\",\"reason\":\"newsworthy reporting\"}");
    assertThat(reinstated.status()).as(reinstated.header()).isEqualTo(200);
    assertThat(reinstated.json().get("appeal").get("status").asText()).isEqualTo("reinstated");
    assertThat(reinstated.json().get("submission").get("status").asText()).isEqualTo("reinstated");
    assertThat(events("ap-1")).containsExactlyInAnyOrder("case.opened", "action.decided", "case.decided", "appeal.filed",
        "content.reinstated", "appeal.decided");
    JsonNode filed = event("appeal.filed", "ap-1");
    assertThat(filed.get("appeal_id").asLong()).isEqualTo(appeal.json().get("id").asLong());
    assertThat(filed.get("case_id").asLong()).isEqualTo(appealCase);
    assertThat(filed.get("due_at").asText()).isEqualTo(appeal.json().get("due_at").asText());
    assertThat(filed.at("/content/account").asText()).isEqualTo("acct-ap");
  }

  @Test
  void overdueAppealsHeadTheQueue() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("overdue", "glorification_of_terrorist_acts", pdq);
    rule("overdue-remove", bank, "remove", false, "");
    submit(pdq, "od-1", null);
    api.post("/api/v1/appeals", platform, "{\"content_id\":\"od-1\",\"statement\":\"please\"}");
    // Two weeks pass: the appeal is past its deadline.
    CLOCK.advance(Appeals.DEFAULT_DEADLINE.plusHours(1));
    // A more severe case arrives afterwards; the overdue appeal still comes first.
    String threat = MatchTest.randomPdq(RANDOM);
    long threats = bank("overdue-threats", "imminent_credible_threat", threat);
    rule("overdue-threat-review", threats, "review", false, "");
    submit(threat, "od-2", null);

    JsonNode first = api.get("/api/v1/cases", alice).json().get("items").get(0);
    assertThat(first.get("kind").asText()).isEqualTo("appeal");
    assertThat(first.get("overdue").asBoolean()).isTrue();
    JsonNode overdue = api.get("/api/v1/appeals?status=overdue", alice).json().get("items");
    assertThat(overdue.toString()).contains("\"od-1\"");
    assertThat(overdue.get(0).get("hours_to_decision").asDouble()).isGreaterThan(14 * 24);
  }

  @Test
  void aFalsePositiveStopsThatEntryActingOnThatContent() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("false-positives", "recruitment_and_instruction", pdq);
    rule("fp-review", bank, "remove", true, "");
    String lookalike = MatchTest.flip(pdq, 20, RANDOM);
    long caseId = submit(lookalike, "fp-1", null).get("submission").get("case_id").asLong();
    api.post("/api/v1/cases/" + caseId + "/claim", bob, "");
    assertThat(decide(caseId, bob, "{\"outcome\":\"reject\",\"reason\":\"a cooking video\"}").json().get("field").asText())
        .isEqualTo("reject_as");
    Api.Response rejected = decide(caseId, bob, "{\"outcome\":\"reject\",\"reason\":\"a cooking video\",\"reject_as\":\"false_positive\"}");
    assertThat(rejected.status()).as(rejected.header()).isEqualTo(200);
    assertThat(rejected.json().get("submission").get("status").asText()).isEqualTo("benign");
    assertThat(rejected.json().get("submission").get("decisions").get(0).get("state").asText()).isEqualTo("rejected");
    // The decision says which rejection it was, in the answer, the case and the event alike.
    assertThat(rejected.json().get("outcome").asText()).isEqualTo("reject");
    assertThat(rejected.json().get("reject_as").asText()).isEqualTo("false_positive");
    JsonNode stored = api.get("/api/v1/cases/" + caseId, bob).json();
    assertThat(stored.get("outcome").asText()).isEqualTo("reject");
    assertThat(stored.get("reject_as").asText()).isEqualTo("false_positive");
    JsonNode told = event("case.decided", "fp-1");
    assertThat(told.get("outcome").asText()).isEqualTo("reject");
    assertThat(told.get("reject_as").asText()).isEqualTo("false_positive");

    JsonNode again = submit(lookalike, "fp-2", null).get("submission");
    assertThat(again.get("status").asText()).as("matched, but no longer acted on").isEqualTo("matched");
    assertThat(again.get("decisions")).isEmpty();
    JsonNode original = submit(pdq, "fp-3", null).get("submission");
    assertThat(original.get("status").asText()).as("the entry still acts on what it depicts").isEqualTo("in_review");
  }

  @Test
  void escalationSendsTheCaseUpToAnotherReviewer() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("escalations", "graphic_violence_defenceless", pdq);
    rule("escalation-review", bank, "review", false, "");
    JsonNode submission = submit(pdq, "es-1", null).get("submission");
    long caseId = submission.get("case_id").asLong();
    int before = find(api.get("/api/v1/cases", alice).json().get("items"), caseId).get("priority").asInt();
    api.post("/api/v1/cases/" + caseId + "/claim", alice, "");
    Api.Response escalated = decide(caseId, alice, "{\"outcome\":\"escalate\",\"reason\":\"needs a specialist\"}");
    assertThat(escalated.status()).as(escalated.header()).isEqualTo(200);
    assertThat(escalated.json().get("status").asText()).isEqualTo("escalated");
    assertThat(escalated.json().get("priority").asInt()).isGreaterThan(before);
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", alice, "").status()).isEqualTo(403);
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", bob, "").status()).isEqualTo(200);
    assertThat(decide(caseId, bob, "{\"outcome\":\"confirm\",\"reason\":\"confirmed by specialist\",\"policy\":\"gore\"}").status())
        .isEqualTo(200);
    assertThat(events("es-1")).containsExactlyInAnyOrder("case.opened", "case.decided", "case.decided");
  }

  @Test
  void aConfirmationCanAddTheContentToABank() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("to-grow", "attacker_manifesto", pdq);
    rule("grow-review", bank, "review", false, "");
    Api.Response target = api.post("/api/v1/banks", admin, "{\"name\":\"confirmed-variants\"}");
    long targetBank = target.json().get("id").asLong();
    String variant = MatchTest.flip(pdq, 12, RANDOM);
    long caseId = submit(variant, "grow-1", null).get("submission").get("case_id").asLong();
    api.post("/api/v1/cases/" + caseId + "/claim", alice, "");
    assertThat(decide(caseId, alice, "{\"outcome\":\"confirm\",\"reason\":\"r\",\"policy\":\"p\",\"add_to_bank\":999999}").status())
        .isEqualTo(422);
    Api.Response confirmed = decide(caseId, alice,
        "{\"outcome\":\"confirm\",\"reason\":\"edited copy\",\"policy\":\"tvec\",\"add_to_bank\":" + targetBank + "}");
    assertThat(confirmed.status()).as(confirmed.header()).isEqualTo(200);
    long entry = confirmed.json().get("added_entry_id").asLong();
    JsonNode added = api.get("/api/v1/entries/" + entry, admin).json();
    assertThat(added.get("bank_id").asLong()).isEqualTo(targetBank);
    assertThat(added.toString()).contains(variant).contains("attacker_manifesto");
  }

  @Test
  void aSuspensionIsRecommendedOnceAfterNConfirmedViolations() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("repeat", "branded_terrorist_publication", pdq);
    rule("repeat-review", bank, "remove", true, "");
    rule("repeat-suspend", bank, "suspend_account", false, ",\"min_account_violations\":2");
    List<String> actions = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      long caseId = submit(MatchTest.flip(pdq, i, RANDOM), "rep-" + i, "acct-repeat").get("submission").get("case_id").asLong();
      api.post("/api/v1/cases/" + caseId + "/claim", bob, "");
      JsonNode decided = decide(caseId, bob, "{\"outcome\":\"confirm\",\"reason\":\"again\",\"policy\":\"tvec\"}").json();
      decided.get("submission").get("decisions").forEach(d -> actions.add(d.get("action").asText()));
    }
    assertThat(actions).filteredOn("suspend_account"::equals).hasSize(1);
    assertThat(events("rep-2")).contains("case.opened", "action.decided").hasSize(4);
    JsonNode account = api.get("/api/v1/accounts/acct-repeat", admin).json();
    assertThat(account.toString()).contains("suspend_account");
  }

  @Test
  void badContentDetailsAreRefusedBeforeAnyWork() {
    Api.Response bad = api.post("/api/v1/match", platform,
        "{\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(RANDOM) + "\"},\"content\":{\"type\":\"hologram\"}}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("field").asText()).isEqualTo("content.type");
    Api.Response longId = api.post("/api/v1/match", platform,
        "{\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(RANDOM) + "\"},\"content\":{\"id\":\"" + "x".repeat(201) + "\"}}");
    assertThat(longId.status()).isEqualTo(422);
    assertThat(api.post("/api/v1/cases/999999/claim", alice, "").status()).isEqualTo(404);
  }

  @Test
  void anUploadedImageIsKeptForReviewWithItsContentDetails() throws Exception {
    byte[] png = UploadTest.png(UploadTest.picture());
    Api.Response hashed = api.send("POST", "/api/v1/hash", platform, "image/png", png);
    String pdq = hashed.json().get("signals").get("pdq").asText();
    long bank = bank("uploads", "attacker_manifesto", pdq);
    rule("upload-review", bank, "review", false, "");

    Api.Response matched = api.send("POST", "/api/v1/match/upload?content_id=up-1&account=acct-up&amplifies=acct-source",
        platform, "application/octet-stream", png);
    assertThat(matched.status()).as(matched.header()).isEqualTo(200);
    JsonNode submission = matched.json().get("submission");
    long caseId = submission.get("case_id").asLong();
    JsonNode detail = api.get("/api/v1/cases/" + caseId, alice).json().get("submission");
    assertThat(detail.get("account").asText()).isEqualTo("acct-up");
    assertThat(detail.get("amplifies").asText()).isEqualTo("acct-source");
    assertThat(detail.get("content_type").asText()).isEqualTo("photo");
    assertThat(detail.get("has_media").asBoolean()).isTrue();
    assertThat(detail.get("media_type").asText()).as("from the bytes, not the declared type").isEqualTo("image/png");

    Api.Response media = api.get("/api/v1/submissions/" + submission.get("submission_id").asLong() + "/media", alice);
    assertThat(media.status()).isEqualTo(200);
    assertThat(media.contentType()).isEqualTo("image/png");
    assertThat(api.get("/api/v1/submissions/" + submission.get("submission_id").asLong() + "/media", platform).status())
        .as("the platform's matcher key does not read media back").isEqualTo(403);

    // Content with no hits is kept without its media.
    Api.Response clean = api.send("POST", "/api/v1/match/upload?content_id=up-2&account=acct-up", platform, "image/png",
        UploadTest.png(UploadTest.rotatedAnticlockwise(UploadTest.picture())));
    assertThat(clean.json().get("submission").get("status").asText()).isEqualTo("clean");
    JsonNode kept = api.get("/api/v1/submissions?content_id=up-2", alice).json().get("items").get(0);
    assertThat(kept.get("has_media").asBoolean()).isFalse();
    assertThat(api.send("POST", "/api/v1/match/upload?content_type=hologram", platform, "image/png", png).status()).isEqualTo(422);
    // One word for a still image in answers: photo; image is taken for it.
    assertThat(api.send("POST", "/api/v1/match/upload?content_id=up-3&content_type=image", platform, "image/png", png).status())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/submissions?content_id=up-3", alice).json().at("/items/0/content_type").asText()).isEqualTo("photo");
  }

  @Test
  void batchItemsCarryTheirOwnContentDetails() {
    String pdq = MatchTest.randomPdq(RANDOM);
    long bank = bank("batch", "branded_terrorist_publication", pdq);
    rule("batch-label", bank, "label", false, "");
    Api.Response batch = api.post("/api/v1/match/batch", platform, "{\"queries\":["
        + "{\"id\":\"a\",\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"b-1\",\"account\":\"acct-b\"}},"
        + "{\"id\":\"b\",\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(RANDOM) + "\"}}]}");
    assertThat(batch.status()).as(batch.header()).isEqualTo(200);
    JsonNode first = batch.json().get("results").get(0);
    assertThat(first.get("submission").get("content_id").asText()).isEqualTo("b-1");
    assertThat(first.get("submission").get("decisions").get(0).get("action").asText()).isEqualTo("label");
    assertThat(batch.json().get("results").get(1).has("submission")).isFalse();
    assertThat(events("b-1")).containsExactly("action.decided");
  }

  static JsonNode find(JsonNode items, long caseId) {
    for (JsonNode item : items) {
      if (item.get("id").asLong() == caseId) {
        return item;
      }
    }
    return null;
  }
}
