package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content a platform marks as posted in a protected context (a news report, a documentary) or by
 * an account it verified as such (a news organisation, a researcher, public interest): a rule that
 * would remove it sends it to a person instead, rules may name those marks, and the reviewer's case
 * page says why the case is there.
 */
class ProtectedContextTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String platform;
  static long bank;
  static final Random RANDOM = new Random(21);

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
    bank = api.post("/api/v1/banks", admin, "{\"name\":\"perpetrator footage\"}").json().get("id").asLong();
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"remove the footage\",\"action\":\"remove\",\"priority\":100,"
        + "\"conditions\":{\"banks\":[" + bank + "]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String banked() {
    String pdq = MatchTest.randomPdq(RANDOM);
    Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    return pdq;
  }

  static Api.Response match(String pdq, String content) {
    return api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{" + content + "}}");
  }

  static JsonNode submission(String pdq, String content) {
    Api.Response matched = match(pdq, content);
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    return matched.json().get("submission");
  }

  /** The submission as GET /api/v1/submissions/{id} gives it. */
  static JsonNode stored(JsonNode submission) {
    return api.get("/api/v1/submissions/" + submission.get("submission_id").asLong(), admin).json();
  }

  static long caseOf(String contentId) {
    for (JsonNode item : api.get("/api/v1/cases?limit=200", admin).json().get("items")) {
      if (item.get("content_id").asText().equals(contentId)) {
        return item.get("id").asLong();
      }
    }
    throw new AssertionError("no case for " + contentId);
  }

  @Test
  void anAccountVerifiedAsANewsOrganisationWaitsForAPersonWhoIsToldWhy() {
    String pdq = banked();
    assertThat(submission(pdq, "\"id\":\"ordinary-1\",\"account\":\"u-1\"").get("status").asText()).isEqualTo("actioned");

    JsonNode news = submission(pdq, "\"id\":\"broadcaster-1\",\"account\":\"u-2\",\"account_attributes\":[\"news-organisation\"]");
    assertThat(news.get("status").asText()).isEqualTo("in_review");
    assertThat(news.get("decisions").get(0).get("action").asText()).isEqualTo("remove");
    assertThat(news.get("decisions").get(0).get("state").asText()).isEqualTo("pending_review");
    assertThat(stored(news).get("account_attributes")).extracting(JsonNode::asText).containsExactly("news_organisation");

    JsonNode both = submission(pdq, "\"id\":\"documentary-1\",\"context\":\"documentary\","
        + "\"account_attributes\":[\"researcher\",\"public_interest\",\"researcher\"]");
    assertThat(both.get("status").asText()).isEqualTo("in_review");
    assertThat(stored(both).get("context").asText()).isEqualTo("documentary");
    assertThat(stored(both).get("account_attributes")).extracting(JsonNode::asText).containsExactly("public_interest", "researcher");

    // The reviewer's case page says why a person decides.
    String reviewer = TestServers.key(api, admin, "reviewer");
    ConsoleClient console = new ConsoleClient(server.port());
    assertThat(console.signInWithKey(reviewer).status()).isEqualTo(303);
    String page = console.get("/console/cases/" + caseOf("documentary-1")).body();
    assertThat(page).contains("id=\"protected\"").contains("it was posted in a documentary context")
        .contains("the platform verified its account as public interest, researcher");
    assertThat(console.get("/console/cases/" + caseOf("broadcaster-1")).body()).contains("verified its account as news organisation")
        .doesNotContain("posted in a");
  }

  @Test
  void aRuleNamesContextsAndAccountAttributes() {
    long desk = api.post("/api/v1/banks", admin, "{\"name\":\"newsroom desk\"}").json().get("id").asLong();
    String pdq = MatchTest.randomPdq(RANDOM);
    assertThat(api.post("/api/v1/banks/" + desk + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}").status()).isEqualTo(201);
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"journalists' posts to the senior desk\",\"action\":\"review\","
        + "\"priority\":500,\"conditions\":{\"banks\":[" + desk + "],\"contexts\":[\"news\",\"documentary\"],"
        + "\"account_attributes\":[\"news_organisation\"]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    assertThat(rule.json().at("/conditions/contexts")).extracting(JsonNode::asText).containsExactly("documentary", "news");
    assertThat(rule.json().at("/conditions/account_attributes")).extracting(JsonNode::asText).containsExactly("news_organisation");

    // Both must hold: a news context from an unverified account, or a verified account outside a news context, is not it.
    assertThat(submission(pdq, "\"id\":\"desk-1\",\"context\":\"news\"").path("decisions")).isEmpty();
    assertThat(submission(pdq, "\"id\":\"desk-2\",\"account_attributes\":[\"news_organisation\"]").path("decisions")).isEmpty();
    JsonNode fired = submission(pdq, "\"id\":\"desk-3\",\"context\":\"news\",\"account_attributes\":[\"news_organisation\",\"government\"]");
    assertThat(fired.get("decisions")).extracting(d -> d.get("rule_name").asText()).containsExactly("journalists' posts to the senior desk");

  }

  @Test
  void anUploadCarriesTheMarksAsQueryParameters() throws Exception {
    byte[] text = ("A statement read out on the evening news, " + RANDOM.nextLong()).getBytes(StandardCharsets.UTF_8);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text));
    assertThat(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + md5 + "\"}}").status()).isEqualTo(201);
    Api.Response matched = api.send("POST", "/api/v1/match/upload?content_id=upload-1&account_attributes=civil_society,government",
        platform, "text/plain", text);
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    JsonNode submission = matched.json().get("submission");
    assertThat(submission.get("status").asText()).isEqualTo("in_review");
    assertThat(stored(submission).get("account_attributes")).extracting(JsonNode::asText).containsExactly("civil_society", "government");
  }

  @Test
  void anUnknownMarkIsRefusedWithTheFieldNamed() {
    String pdq = banked();
    Api.Response attribute = match(pdq, "\"id\":\"bad-1\",\"account_attributes\":[\"researcher\",\"influencer\"]");
    assertThat(attribute.status()).isEqualTo(422);
    assertThat(attribute.json().get("detail").asText()).contains("content.account_attributes[1]").contains("'influencer'");
    Api.Response context = match(pdq, "\"id\":\"bad-2\",\"context\":\"satire\"");
    assertThat(context.status()).isEqualTo(422);
    assertThat(context.json().get("detail").asText()).contains("content.context").contains("documentary");
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"bad\",\"action\":\"review\","
        + "\"conditions\":{\"account_attributes\":[]}}");
    assertThat(rule.status()).isEqualTo(422);
    assertThat(rule.json().get("detail").asText()).contains("conditions.account_attributes");
  }
}
