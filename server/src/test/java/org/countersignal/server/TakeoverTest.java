package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takeover response: what a hijacked account posted in the window and whom it amplified; with an
 * action, one decision and one webhook event per post, audited, and never twice.
 */
class TakeoverTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String reviewer;
  static long reviewerKeyId;
  static final OffsetDateTime END = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
  static final OffsetDateTime START = END.minusDays(2);

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    Api.Response created = api.post("/api/v1/keys", admin, "{\"role\":\"reviewer\",\"name\":\"incident desk\"}");
    reviewer = created.json().get("key").asText();
    reviewerKeyId = created.json().get("id").asLong();
    OffsetDateTime keep = END.plusDays(30);
    database.jdbi().useTransaction(h -> {
      // Before and after the window: the owner's own posts.
      AccountRows.submission(h, "before", "hijacked", "boosted-x", "matched", START.minusHours(1), keep);
      AccountRows.submission(h, "after", "hijacked", "boosted-x", "matched", END, keep);
      // In the window: three reposts of two accounts and one post of its own.
      AccountRows.submission(h, "spam-1", "hijacked", "boosted-a", "matched", START, keep);
      long spam2 = AccountRows.submission(h, "spam-2", "hijacked", "boosted-b", "benign", START.plusHours(1), keep);
      AccountRows.match(h, spam2, "tvec", 7, 3, "[\"attacker_manifesto\"]");
      AccountRows.submission(h, "spam-3", "hijacked", "boosted-a", "matched", START.plusHours(2), keep);
      AccountRows.submission(h, "spam-4", "hijacked", null, "matched", START.plusHours(3), keep);
      // Someone else's post in the window.
      AccountRows.submission(h, "innocent", "bystander", "boosted-a", "matched", START.plusHours(1), keep);
    });
  }

  @AfterAll
  static void stop() {
    // The server first: closing the embedded database shuts it down for every pool in the process.
    server.close();
    database.close();
  }

  static String body(String action, String reason) {
    return "{\"from\":\"" + START + "\",\"to\":\"" + END + "\",\"action\":" + (action == null ? "null" : "\"" + action + "\"")
        + ",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"") + "}";
  }

  static int count(String sql) {
    return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  @Test
  void dryRunListsThePostsInTheWindowAndTheAmplifiedAccounts() {
    int decisionsBefore = count("SELECT COUNT(*) FROM decisions");
    int eventsBefore = count("SELECT COUNT(*) FROM webhook_events");
    Api.Response response = api.post("/api/v1/accounts/hijacked/takeover", reviewer, body(null, null));
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    JsonNode result = response.json();
    assertThat(result.get("dry_run").asBoolean()).isTrue();
    assertThat(result.get("posts")).extracting(p -> p.get("content_id").asText())
        .containsExactly("spam-1", "spam-2", "spam-3", "spam-4");
    assertThat(result.get("posts")).allSatisfy(p -> assertThat(p.get("outcome").asText()).isEqualTo("listed"));
    JsonNode amplified = result.get("amplified");
    assertThat(amplified).hasSize(2);
    assertThat(amplified.get(0).get("account").asText()).isEqualTo("boosted-a");
    assertThat(amplified.get(0).get("posts").asInt()).isEqualTo(2);
    assertThat(amplified.get(0).get("content_ids")).extracting(JsonNode::asText).containsExactly("spam-1", "spam-3");
    assertThat(amplified.get(1).get("account").asText()).isEqualTo("boosted-b");
    assertThat(amplified.get(1).get("posts").asInt()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM decisions")).isEqualTo(decisionsBefore);
    assertThat(count("SELECT COUNT(*) FROM webhook_events")).isEqualTo(eventsBefore);
  }

  @Test
  void anActionDecidesEveryPostOnceWithAnEventAndAnAuditRecord() {
    int eventsBefore = count("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'action.decided'");
    int auditBefore = count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.takeover'");
    Api.Response first = api.post("/api/v1/accounts/hijacked/takeover", reviewer, body("remove", "account hijacked via SMS"));
    assertThat(first.status()).as(first.header()).isEqualTo(200);
    assertThat(first.json().get("dry_run").asBoolean()).isFalse();
    assertThat(first.json().get("actioned").asInt()).isEqualTo(4);
    assertThat(first.json().get("posts")).allSatisfy(p -> {
      assertThat(p.get("outcome").asText()).isEqualTo("actioned");
      assertThat(p.get("status").asText()).isEqualTo("actioned");
      assertThat(p.get("event_id").asText()).isNotBlank();
    });

    List<String> decided = database.jdbi().withHandle(h -> h.createQuery("""
            SELECT s.content_id FROM decisions d JOIN submissions s ON s.id = d.submission_id
            WHERE d.source = 'takeover' AND d.action = 'remove' AND d.state = 'taken'
              AND d.actor_key_id = :actor AND d.reason = 'account hijacked via SMS' AND d.event_id IS NOT NULL
            ORDER BY s.content_id""").bind("actor", reviewerKeyId).mapTo(String.class).list());
    assertThat(decided).containsExactly("spam-1", "spam-2", "spam-3", "spam-4");
    assertThat(count("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'action.decided'")).isEqualTo(eventsBefore + 4);
    String payload = database.jdbi().withHandle(h -> h.createQuery("""
            SELECT e.payload FROM webhook_events e JOIN decisions d ON CAST(e.id AS VARCHAR(64)) = d.event_id
            JOIN submissions s ON s.id = d.submission_id WHERE s.content_id = 'spam-2' AND d.action = 'remove'""")
        .mapTo(String.class).one());
    JsonNode data = Api.JSON.valueToTree(parse(payload));
    // Shaped like every other action.decided: the content object and what it matched.
    assertThat(data.at("/content/id").asText()).isEqualTo("spam-2");
    assertThat(data.at("/content/account").asText()).isEqualTo("hijacked");
    assertThat(data.at("/content/type").asText()).isEqualTo("photo");
    assertThat(data.at("/content/submission_id").asLong()).isPositive();
    assertThat(data.has("content_id")).isFalse();
    assertThat(data.get("decision_id").asLong()).isPositive();
    assertThat(data.at("/matches/0/entry_id").asLong()).isEqualTo(7);
    assertThat(data.at("/matches/0/bank_name").asText()).isEqualTo("tvec");
    assertThat(data.get("action").asText()).isEqualTo("remove");
    assertThat(data.get("source").asText()).isEqualTo("takeover");
    assertThat(data.get("reason").asText()).isEqualTo("account hijacked via SMS");
    assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.takeover'")).isEqualTo(auditBefore + 1);
    // Removed content is preserved for the retention period from its removal.
    OffsetDateTime retainUntil = database.jdbi().withHandle(h -> h.createQuery(
            "SELECT retain_until FROM submissions WHERE content_id = 'spam-1'").mapTo(OffsetDateTime.class).one());
    assertThat(retainUntil).isAfter(OffsetDateTime.now().plus(Duration.ofDays(182)));
    assertThat(count("SELECT COUNT(*) FROM submissions WHERE content_id LIKE 'spam-%' AND removed_at IS NOT NULL")).isEqualTo(4);
    // Outside the window and other accounts: untouched.
    assertThat(count("SELECT COUNT(*) FROM submissions WHERE content_id IN ('before', 'after', 'innocent') AND status = 'matched'"))
        .isEqualTo(3);

    Api.Response again = api.post("/api/v1/accounts/hijacked/takeover", admin, body("remove", "asked twice"));
    assertThat(again.status()).as(again.header()).isEqualTo(200);
    assertThat(again.json().get("actioned").asInt()).isZero();
    assertThat(again.json().get("already_actioned").asInt()).isEqualTo(4);
    assertThat(again.json().get("posts")).allSatisfy(p -> assertThat(p.get("outcome").asText()).isEqualTo("already_actioned"));
    assertThat(count("SELECT COUNT(*) FROM decisions WHERE source = 'takeover' AND action = 'remove'")).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'action.decided'")).isEqualTo(eventsBefore + 4);
    assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.takeover'")).isEqualTo(auditBefore + 1);

    // Another action is another decision on each post.
    Api.Response other = api.post("/api/v1/accounts/hijacked/takeover", admin, body("report_to_authorities", "hijack evidence"));
    assertThat(other.json().get("actioned").asInt()).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM decisions WHERE source = 'takeover'")).isEqualTo(8);
  }

  private static Object parse(String json) {
    try {
      return Api.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void badWindowsAndActionsAreProblems() {
    String[][] cases = {
        {"{\"to\":\"" + END + "\"}", "from"},
        {"{\"from\":\"" + START + "\"}", "to"},
        {"{\"from\":\"yesterday\",\"to\":\"" + END + "\"}", "from"},
        {"{\"from\":\"2026-11-01T10:00:00\",\"to\":\"" + END + "\"}", "from"},
        {"{\"from\":\"" + END + "\",\"to\":\"" + START + "\"}", "to"},
        {"{\"from\":\"" + END + "\",\"to\":\"" + END + "\"}", "to"},
        {"{\"from\":\"" + END.minusDays(91) + "\",\"to\":\"" + END + "\"}", "to"},
        {"{\"from\":\"" + START + "\",\"to\":\"" + END + "\",\"action\":\"Remove!\",\"reason\":\"x\"}", "action"},
        {"{\"from\":\"" + START + "\",\"to\":\"" + END + "\",\"action\":\"remove\"}", "reason"},
        {"{\"from\":\"" + START + "\",\"to\":\"" + END + "\",\"until\":\"x\"}", "until"},
    };
    for (String[] c : cases) {
      Api.Response response = api.post("/api/v1/accounts/hijacked/takeover", admin, c[0]);
      assertThat(response.status()).as(c[0] + ": " + response.header()).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("field").asText()).as(c[0]).isEqualTo(c[1]);
    }
    Api.Response noBody = api.post("/api/v1/accounts/hijacked/takeover", admin, null);
    assertThat(noBody.status()).isEqualTo(400);
    // A window of exactly 90 days is allowed.
    Api.Response ninety = api.post("/api/v1/accounts/hijacked/takeover", admin,
        "{\"from\":\"" + END.minusDays(90) + "\",\"to\":\"" + END + "\"}");
    assertThat(ninety.status()).as(ninety.header()).isEqualTo(200);
  }
}
