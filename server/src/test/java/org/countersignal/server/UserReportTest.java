package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports from users and trusted flaggers over HTTP: reports of the same content join one case
 * (by content id, else by canonical URL), each reporter counted once; a burst of reports from new
 * accounts against one post or one account is flagged as a possible campaign, adds nothing to the
 * priority and acts on nothing; trusted flaggers weigh more; the decision goes back to every
 * reporter as a report.outcome event; reports sent at once still share one case per content and
 * make a campaign; the answer to a report is what is stored; bad input is refused. Each test uses
 * its own content and accounts, and moves the clock past the campaign window first.
 */
class UserReportTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String platform;
  static String reviewer;
  static final TestClock CLOCK = new TestClock();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    reviewer = TestServers.key(api, admin, "reviewer");
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  /** A report's body: {@code ageDays} is the reporter's account age; null leaves it out. */
  static String report(String reporter, String kind, Integer ageDays, String contentId, String url, String account) {
    var body = JSON.createObjectNode();
    body.put("reporter_id", reporter);
    body.put("reporter_kind", kind);
    if (ageDays != null) {
      body.put("reporter_account_age_days", ageDays);
    }
    body.put("reason", "glorification");
    body.put("details", "praises the attacker");
    if (contentId != null) {
      body.put("content_id", contentId);
    }
    if (url != null) {
      body.put("url", url);
    }
    if (account != null) {
      body.put("account", account);
    }
    return body.toString();
  }

  static JsonNode send(String body) {
    Api.Response r = api.post("/api/v1/reports", platform, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static JsonNode reportCase(long caseId) {
    Api.Response r = api.get("/api/v1/cases/" + caseId + "/reports", reviewer);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Payloads of the outbox's events of {@code type} that mention {@code text}, oldest first. */
  static List<JsonNode> events(String type, String text) {
    List<String> payloads = database.jdbi().withHandle(h -> h.createQuery(
            "SELECT payload FROM webhook_events WHERE event_type = :t ORDER BY created_at, id")
        .bind("t", type).mapTo(String.class).list());
    List<JsonNode> out = new ArrayList<>();
    for (String p : payloads) {
      if (p.contains(text)) {
        try {
          out.add(JSON.readTree(p));
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out;
  }

  static void nextWindow() {
    CLOCK.advance(Duration.ofHours(2));
  }

  @Test
  void reportsOfTheSameContentShareOneCaseAndCountEachReporterOnce() {
    nextWindow();
    long first = send(report("m-u1", "user", 400, "m-post-1", "https://example.org/p/1", "m-acct")).get("report").get("case_id").asLong();
    JsonNode second = send(report("m-u2", "user", 400, "m-post-1", null, "m-acct"));
    assertThat(second.get("case_opened").asBoolean()).isFalse();
    assertThat(second.get("report").get("case_id").asLong()).isEqualTo(first);
    // The same reporter again: kept, but counted once.
    JsonNode again = send(report("m-u1", "user", 400, "m-post-1", null, null));
    assertThat(again.get("report").get("repeat_report").asBoolean()).isTrue();
    // No content id, the same URL written differently: the same content.
    JsonNode byUrl = send(report("m-u3", "user", 400, null, "HTTPS://Example.ORG:443/p/1#comments", null));
    assertThat(byUrl.get("report").get("case_id").asLong()).isEqualTo(first);
    // Other content: another case.
    JsonNode other = send(report("m-u4", "user", 400, "m-post-2", null, "m-acct"));
    assertThat(other.get("case_opened").asBoolean()).isTrue();
    assertThat(other.get("report").get("case_id").asLong()).isNotEqualTo(first);

    JsonNode c = reportCase(first);
    assertThat(c.get("reports")).hasSize(4);
    assertThat(c.get("reporters").asInt()).isEqualTo(3);
    assertThat(c.get("priority").asInt()).isEqualTo(30);
    assertThat(c.get("possible_campaign").asBoolean()).isFalse();
    assertThat(c.get("canonical_url").asText()).isEqualTo("https://example.org/p/1");
    // It is a case of the review queue, of kind report, on a submission waiting for review.
    Api.Response queued = api.get("/api/v1/cases/" + first, reviewer);
    assertThat(queued.status()).as(queued.body()).isEqualTo(200);
    assertThat(queued.json().get("kind").asText()).isEqualTo("report");
    assertThat(queued.json().get("priority").asInt()).isEqualTo(30);
    assertThat(queued.json().get("submission").get("status").asText()).isEqualTo("in_review");
    assertThat(queued.json().get("submission").get("content_id").asText()).isEqualTo("m-post-1");
    // The platform reads back its reports; every one was audited.
    Api.Response listed = api.get("/api/v1/reports?content_id=m-post-1", platform);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.json().get("items")).hasSize(4);
    int audited = database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'user_report.received' AND target_id = :id")
        .bind("id", Long.toString(second.get("report").get("id").asLong())).mapTo(Integer.class).one());
    assertThat(audited).isEqualTo(1);
  }

  @Test
  void aBurstFromNewAccountsAgainstOnePostIsAPossibleCampaignAndActsOnNothing() {
    nextWindow();
    long caseId = 0;
    // An old account's report counts as usual.
    caseId = send(report("c-old", "user", 900, "c-post-1", null, "c-acct")).get("report").get("case_id").asLong();
    for (int i = 1; i < 5; i++) {
      send(report("c-new-" + i, "user", 1, "c-post-1", null, "c-acct"));
    }
    assertThat(reportCase(caseId).get("possible_campaign").asBoolean()).as("four new accounts are not yet a campaign").isFalse();
    assertThat(reportCase(caseId).get("priority").asInt()).isEqualTo(50);
    JsonNode fifth = send(report("c-new-5", "user", 1, "c-post-1", null, "c-acct"));
    assertThat(fifth.get("report_case").get("possible_campaign").asBoolean()).isTrue();

    JsonNode c = reportCase(caseId);
    assertThat(c.get("possible_campaign").asBoolean()).isTrue();
    assertThat(c.get("campaign_reason").asText()).contains("5 reports").contains("this post");
    // The new accounts add nothing; the old account's report still counts.
    assertThat(c.get("priority").asInt()).isEqualTo(10);
    List<Boolean> flags = new ArrayList<>();
    c.get("reports").forEach(r -> flags.add(r.get("possible_campaign").asBoolean()));
    assertThat(flags).containsExactly(false, true, true, true, true, true);
    // Nothing was done to the content: no decision, no action told, the case waits for a reviewer.
    Api.Response submissions = api.get("/api/v1/submissions?content_id=c-post-1", platform);
    assertThat(submissions.status()).as(submissions.body()).isEqualTo(200);
    JsonNode submission = submissions.json().get("items").get(0);
    assertThat(submission.get("status").asText()).isEqualTo("in_review");
    assertThat(submission.get("decisions")).isEmpty();
    assertThat(events("action.decided", "c-post-1")).isEmpty();
    assertThat(c.get("status").asText()).isEqualTo("open");
    int audited = database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'user_report.possible_campaign' AND target_id = :id")
        .bind("id", Long.toString(c.get("case_id").asLong())).mapTo(Integer.class).one());
    assertThat(audited).isEqualTo(1);
  }

  @Test
  void aBurstAgainstOneAccountFlagsEveryPostReported() {
    nextWindow();
    List<Long> cases = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      cases.add(send(report("a-new-" + i, "user", 2, "a-post-" + i, null, "a-acct")).get("report").get("case_id").asLong());
    }
    assertThat(cases).doesNotHaveDuplicates();
    for (long c : cases) {
      assertThat(reportCase(c).get("possible_campaign").asBoolean()).as("case %d", c).isTrue();
      assertThat(reportCase(c).get("campaign_reason").asText()).contains("account a-acct");
    }
    // Reports spread over more than the window are no burst.
    nextWindow();
    for (int i = 1; i <= 5; i++) {
      send(report("s-new-" + i, "user", 2, "s-post-" + i, null, "s-acct"));
      CLOCK.advance(Duration.ofMinutes(20));
    }
    Api.Response last = api.get("/api/v1/reports?reporter_id=s-new-5", reviewer);
    assertThat(last.json().get("items").get(0).get("possible_campaign").asBoolean()).isFalse();
  }

  @Test
  void theAnswerToAReportIsWhatIsStored() {
    nextWindow();
    List<JsonNode> answers = new ArrayList<>();
    // Opens a case (with an account age given as a date with an offset), joins it, a trusted flagger, then a burst from new accounts.
    var dated = JSON.createObjectNode().put("reporter_id", "w-u1").put("reporter_kind", "user")
        .put("reporter_created_at", "2020-03-01T10:15:30.123456789+02:00").put("reason", "threat")
        .put("content_id", "w-post-1").put("url", "https://Example.org/w/1#top").put("account", "w-acct");
    answers.add(send(dated.toString()));
    answers.add(send(report("w-u2", "user", 400, "w-post-1", null, null)));
    answers.add(send(report("w-tf", "trusted_flagger", null, null, "https://example.org/w/1", null)));
    for (int i = 1; i <= 5; i++) {
      answers.add(send(report("w-new-" + i, "user", 1, "w-post-" + (i + 1), null, "w-acct")));
    }
    answers.add(send(report("w-u9", "user", 400, "w-post-9", "https://example.org/w/9", "w-other")));
    for (int i = 0; i < answers.size(); i++) {
      var answered = (ObjectNode) answers.get(i).get("report").deepCopy();
      Api.Response stored = api.get("/api/v1/reports/" + answered.get("id").asLong(), reviewer);
      assertThat(stored.status()).as(stored.body()).isEqualTo(200);
      var now = (ObjectNode) stored.json();
      if (i >= 3 && i <= 6) {
        // The first four of the burst were marked by the fifth.
        assertThat(now.get("possible_campaign").asBoolean()).isTrue();
        answered.remove("possible_campaign");
        now.remove("possible_campaign");
      }
      assertThat(answered).as("answer %d", i).isEqualTo(now);
    }
    // The last report of each case (joined; opened, marking a campaign; opened alone): the case as it stands after it.
    for (int last : new int[] {2, 7, 8}) {
      JsonNode answered = answers.get(last).get("report_case");
      var caseNow = (ObjectNode) reportCase(answered.get("case_id").asLong());
      caseNow.remove("reports");
      if (answered.has("reports")) {
        caseNow.set("reports", answered.get("reports"));
      }
      assertThat(answered).as("answer %d", last).isEqualTo(caseNow);
    }
    assertThat(answers.get(0).get("report").get("reporter_created_at").asText()).isEqualTo("2020-03-01T08:15:30.123456Z");
    assertThat(answers.get(2).get("report_case").get("priority").asInt()).isEqualTo(320);
    assertThat(answers.get(7).get("report").get("possible_campaign").asBoolean()).isTrue();
    assertThat(answers.get(7).get("report_case").get("possible_campaign").asBoolean()).isTrue();
  }

  @Test
  void reportsSentAtOnceShareOneCasePerContentAndStillMakeACampaign() throws Exception {
    nextWindow();
    // Six reporters for each of ten posts, all at once, some by content id and URL, some by the URL alone
    // written another way; and eight new accounts each reporting another post of one account.
    List<String> bodies = new ArrayList<>();
    for (int post = 1; post <= 10; post++) {
      for (int u = 1; u <= 6; u++) {
        bodies.add(u % 3 == 0
            ? report("p-u" + u, "user", 400, null, "HTTPS://Example.org/p-post-" + post + "#r" + u, null)
            : report("p-u" + u, "user", 400, "p-post-" + post, "https://example.org/p-post-" + post, "p-acct-" + post));
      }
    }
    for (int i = 1; i <= 8; i++) {
      bodies.add(report("p-new-" + i, "user", 1, "p-target-post-" + i, null, "p-target"));
    }
    Collections.shuffle(bodies, new Random(7));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> sent = new ArrayList<>();
      for (String body : bodies) {
        sent.add(pool.submit(() -> send(body)));
      }
      for (var f : sent) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    for (int post = 1; post <= 10; post++) {
      String content = "p-post-" + post;
      List<Long> cases = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT case_id FROM user_report_cases WHERE content_id = :c OR canonical_url = :u")
          .bind("c", content).bind("u", "https://example.org/" + content).mapTo(Long.class).list());
      assertThat(cases).as(content).hasSize(1);
      JsonNode c = reportCase(cases.get(0));
      assertThat(c.get("reports")).as(content).hasSize(6);
      assertThat(c.get("reporters").asInt()).as(content).isEqualTo(6);
      assertThat(c.get("priority").asInt()).as(content).isEqualTo(60);
    }
    List<Boolean> flagged = database.jdbi().withHandle(h -> h.createQuery(
        "SELECT possible_campaign FROM user_report_cases WHERE account_id = 'p-target'").mapTo(Boolean.class).list());
    assertThat(flagged).hasSize(8).containsOnly(true);
  }

  @Test
  void aTrustedFlaggerWeighsMoreThanUsers() {
    nextWindow();
    long crowd = 0;
    for (int i = 1; i <= 20; i++) {
      crowd = send(report("t-u" + i, "user", 400, "t-post-crowd", null, null)).get("report").get("case_id").asLong();
    }
    long flagged = send(report("t-flagger", "trusted_flagger", null, "t-post-flagged", null, null)).get("report").get("case_id").asLong();
    int crowdPriority = reportCase(crowd).get("priority").asInt();
    int flaggedPriority = reportCase(flagged).get("priority").asInt();
    assertThat(crowdPriority).isEqualTo(200);
    assertThat(flaggedPriority).isEqualTo(300).isGreaterThan(crowdPriority);
    // A trusted flagger is never a new account of a campaign, however new.
    assertThat(send(report("t-flagger-2", "trusted_flagger", 0, "t-post-flagged", null, null)).get("report").get("new_account").asBoolean())
        .isFalse();
    // The queue shows the trusted flagger's case first.
    Api.Response queue = api.get("/api/v1/cases?limit=500", reviewer);
    List<Long> order = new ArrayList<>();
    queue.json().get("items").forEach(c -> order.add(c.get("id").asLong()));
    assertThat(order).contains(crowd, flagged);
    assertThat(order.indexOf(flagged)).isLessThan(order.indexOf(crowd));
  }

  @Test
  void theOutcomeGoesBackToEveryReporter() {
    nextWindow();
    long caseId = send(report("o-u1", "user", 400, "o-post-1", "https://example.org/o/1", "o-acct")).get("report").get("case_id").asLong();
    send(report("o-flagger", "trusted_flagger", null, "o-post-1", null, null));
    assertThat(events("report.outcome", "o-post-1")).isEmpty();
    assertThat(api.post("/api/v1/cases/" + caseId + "/claim", reviewer, "").status()).isEqualTo(200);
    Api.Response decided = api.post("/api/v1/cases/" + caseId + "/decision", reviewer,
        "{\"outcome\":\"confirm\",\"reason\":\"glorifies an attack\",\"policy\":\"violent extremism\"}");
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);

    List<JsonNode> told = events("report.outcome", "o-post-1");
    assertThat(told).hasSize(2);
    assertThat(told).extracting(e -> e.get("reporter_id").asText()).containsExactlyInAnyOrder("o-u1", "o-flagger");
    assertThat(told).extracting(e -> e.get("outcome").asText()).containsOnly("violating");
    assertThat(told.getFirst().get("case_id").asLong()).isEqualTo(caseId);
    assertThat(told.getFirst().get("content").get("id").asText()).isEqualTo("o-post-1");
    JsonNode c = reportCase(caseId);
    assertThat(c.get("status").asText()).isEqualTo("confirmed");
    c.get("reports").forEach(r -> assertThat(r.get("state").asText()).isEqualTo("violating"));

    // A rejection tells the reporter there was no violation; a new report of that content opens a new case.
    long rejected = send(report("o-u2", "user", 400, "o-post-2", null, null)).get("report").get("case_id").asLong();
    api.post("/api/v1/cases/" + rejected + "/claim", reviewer, "");
    Api.Response rejection = api.post("/api/v1/cases/" + rejected + "/decision", reviewer,
        "{\"outcome\":\"reject\",\"reason\":\"news footage\",\"reject_as\":\"benign\"}");
    assertThat(rejection.status()).as(rejection.body()).isEqualTo(200);
    assertThat(events("report.outcome", "o-post-2")).singleElement()
        .satisfies(e -> assertThat(e.get("outcome").asText()).isEqualTo("no_violation"));
    JsonNode reopened = send(report("o-u3", "user", 400, "o-post-2", null, null));
    assertThat(reopened.get("case_opened").asBoolean()).isTrue();
    assertThat(reopened.get("report").get("case_id").asLong()).isNotEqualTo(rejected);
  }

  @Test
  void theOutcomeIsDeliveredToTheWebhook() {
    nextWindow();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Api.Response hook = api.post("/api/v1/webhooks", admin, "{\"url\":\"" + receiver.url() + "\",\"description\":\"reports\","
          + "\"event_types\":[\"report.outcome\"]}");
      assertThat(hook.status()).as(hook.body()).isEqualTo(201);
      long caseId = send(report("w-u1", "user", 400, "w-post-1", null, null)).get("report").get("case_id").asLong();
      api.post("/api/v1/cases/" + caseId + "/claim", reviewer, "");
      assertThat(api.post("/api/v1/cases/" + caseId + "/decision", reviewer,
          "{\"outcome\":\"reject\",\"reason\":\"satire\",\"reject_as\":\"benign\"}").status()).isEqualTo(200);
      WebhookReceiver.await("the outcome arrives", () -> receiver.received().stream()
          .anyMatch(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("w-u1")));
      String body = receiver.received().stream().map(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
          .filter(b -> b.contains("w-u1")).findFirst().orElseThrow();
      assertThat(body).contains("\"report.outcome\"").contains("\"no_violation\"").contains("w-post-1");
    }
  }

  @Test
  void badReportsAreRefused() {
    nextWindow();
    String ok = report("b-u1", "user", 10, "b-post-1", null, null);
    assertThat(api.post("/api/v1/reports", platform, ok.replace("\"reporter_id\":\"b-u1\",", "")).status()).isEqualTo(422);
    Api.Response kind = api.post("/api/v1/reports", platform, ok.replace("\"user\"", "\"moderator\""));
    assertThat(kind.status()).isEqualTo(422);
    assertThat(kind.body()).contains("reporter_kind").contains("trusted_flagger");
    assertThat(api.post("/api/v1/reports", platform, ok.replace("glorification", "spam")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reports", platform, report("b-u1", "user", 10, null, null, null)).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reports", platform, report("b-u1", "user", 10, null, "ftp://example.org/x", null)).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reports", platform, report("b-u1", "user", -1, "b-post-1", null, null)).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reports", platform, ok.replace("\"reporter_account_age_days\":10",
        "\"reporter_created_at\":\"yesterday\"")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reports", platform, "{\"reporter_id\":").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/reports", platform, ok.replace("{", "{\"priority\":900,")).status()).isBetween(400, 422);
    Api.Response problem = api.post("/api/v1/reports", platform, report("b-u1", "user", 10, null, null, null));
    assertThat(problem.contentType()).contains("application/problem+json");
    // A reviewer reads reports but does not file them; nothing was recorded.
    assertThat(api.post("/api/v1/reports", reviewer, ok).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/reports?reporter_id=b-u1", platform).json().get("items")).isEmpty();
    assertThat(api.get("/api/v1/reports/999999", platform).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/cases/999999/reports", reviewer).status()).isEqualTo(404);
  }
}
