package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account views over content the platform sent through {@code /api/v1/match} with its
 * {@code content} details, as a platform would: history, then a takeover removal it counts.
 */
class AccountThroughMatchTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String matcher;

  static final String BANKED = "b".repeat(32);

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    matcher = TestServers.key(api, admin, "matcher");
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"manifestos\",\"labels\":[\"attacker_manifesto\"]}").json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + BANKED + "\"}}");
    assertThat(entry.status()).as(entry.header()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Api.Response match(String md5, String contentId, String amplifies) {
    String content = "{\"id\":\"" + contentId + "\",\"account\":\"poster\""
        + (amplifies == null ? "" : ",\"amplifies\":\"" + amplifies + "\"") + "}";
    Api.Response response = api.post("/api/v1/match", matcher, "{\"signals\":{\"md5\":\"" + md5 + "\"},\"content\":" + content + "}");
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    return response;
  }

  @Test
  void historyAndTakeoverOfMatchedContent() {
    OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
    match(BANKED, "repost-1", "source-account");
    match("c".repeat(32), "own-post", null);

    JsonNode history = api.get("/api/v1/accounts/poster", admin).json();
    assertThat(history.get("counts").get("submissions").asInt()).isEqualTo(2);
    assertThat(history.get("counts").get("matched").asInt()).isEqualTo(1);
    assertThat(history.get("counts").get("confirmed_violations").asInt()).isZero();
    assertThat(history.get("items")).extracting(i -> i.get("content_id").asText()).containsExactly("own-post", "repost-1");
    JsonNode repost = history.get("items").get(1);
    assertThat(repost.get("amplifies").asText()).isEqualTo("source-account");
    // The same record /submissions gives for it.
    JsonNode same = api.get("/api/v1/submissions?content_id=repost-1", admin).json().at("/items/0");
    assertThat(repost).isEqualTo(same);
    assertThat(repost.get("matches")).singleElement().satisfies(m -> {
      assertThat(m.get("bank_name").asText()).isEqualTo("manifestos");
      assertThat(m.get("labels")).extracting(JsonNode::asText).contains("attacker_manifesto");
      assertThat(m.get("distance").asInt()).isZero();
    });

    String window = "\"from\":\"" + from + "\",\"to\":\"" + OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5) + "\"";
    Api.Response removed = api.post("/api/v1/accounts/poster/takeover", admin,
        "{" + window + ",\"action\":\"remove\",\"reason\":\"account taken over\"}");
    assertThat(removed.status()).as(removed.header()).isEqualTo(200);
    assertThat(removed.json().get("actioned").asInt()).isEqualTo(2);
    assertThat(removed.json().get("amplified")).singleElement()
        .satisfies(a -> assertThat(a.get("account").asText()).isEqualTo("source-account"));

    // Both are now removals taken: confirmed violations, and removed.
    JsonNode after = api.get("/api/v1/accounts/poster", admin).json();
    assertThat(after.get("counts").get("confirmed_violations").asInt()).isEqualTo(2);
    assertThat(after.get("counts").get("removed").asInt()).isEqualTo(2);
    assertThat(after.get("items")).allSatisfy(i -> assertThat(i.get("decisions"))
        .anySatisfy(d -> assertThat(d.get("source").asText()).isEqualTo("takeover")));
  }
}
