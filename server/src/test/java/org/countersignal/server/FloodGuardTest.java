package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry hit far above its own baseline is held back from automatic action until a curator
 * releases or disables it. Hours pass on a test clock; the once-a-minute check is run by the test
 * after each hour's lookups, as the server's schedule would.
 */
class FloodGuardTest {

  @TempDir Path dataDir;

  private Api api;
  private String admin;

  private void lookUp(String pdq, int times) {
    for (int i = 0; i < times; i++) {
      Api.Response response = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.json().get("matches")).isNotEmpty();
    }
  }

  private JsonNode submit(String pdq, String contentId) {
    Api.Response response = api.post("/api/v1/match", admin,
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId + "\"}}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("submission");
  }

  /**
   * The held floods after a check. The server's own once-a-minute check may have run first and
   * held them already, so they are read from the API rather than from what this check returned.
   */
  private JsonNode heldAfterCheck(CountersignalServer server) {
    server.floodGuard().check();
    return api.get("/api/v1/floods?state=held", admin).json().get("items");
  }

  private List<String> auditActions() {
    List<String> actions = new ArrayList<>();
    api.get("/api/v1/audit?after=0&limit=1000", admin).json().get("items").forEach(e -> actions.add(e.get("action").asText()));
    return actions;
  }

  @Test
  void anEntryHitFarAboveItsBaselineWaitsForAReviewerUntilACuratorReleasesIt() {
    TestClock clock = new TestClock();
    try (CountersignalServer server = TestServers.start(dataDir, clock)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      String curator = TestServers.key(api, admin, "curator");
      Random random = new Random(11);
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack stills\"}"));
      assertThat(api.get("/api/v1/banks/" + bank, admin).json().get("flood_guard").asBoolean()).isTrue();
      String common = MatchTest.randomPdq(random);
      String busy = MatchTest.randomPdq(random);
      long flooded = ReplicaTest.entry(api, admin, bank, "pdq", common);
      long steady = ReplicaTest.entry(api, admin, bank, "pdq", busy);
      long exempt = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"crisis\",\"flood_guard\":false}"));
      String crisis = MatchTest.randomPdq(random);
      ReplicaTest.entry(api, admin, exempt, "pdq", crisis);
      Api.Response rule = api.post("/api/v1/rules", admin,
          "{\"name\":\"remove attack stills\",\"action\":\"remove\",\"conditions\":{\"banks\":[" + bank + "]}}");
      assertThat(rule.status()).as(rule.body()).isEqualTo(201);

      // Six ordinary hours: 3 hits an hour on one entry, 30 on the other; nothing floods.
      for (int hour = 0; hour < 6; hour++) {
        clock.advance(Duration.ofHours(1));
        lookUp(common, 3);
        lookUp(busy, 30);
        assertThat(heldAfterCheck(server)).isEmpty();
      }
      assertThat(submit(common, "ordinary").get("status").asText()).isEqualTo("actioned");

      // Then an hour with 120 hits on each: forty times the first entry's baseline, four times
      // the second's, and an exempt bank's entry from nothing.
      clock.advance(Duration.ofHours(1));
      lookUp(common, 120);
      lookUp(busy, 120);
      lookUp(crisis, 120);
      JsonNode listed = heldAfterCheck(server);
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).get("matches").asLong()).isGreaterThanOrEqualTo(120);
      // 3 hits in each of the five whole hours since it was banked, and its first hour.
      assertThat(listed.get(0).get("baseline").asDouble()).isBetween(2.0, 3.0);
      assertThat(server.floodGuard().check()).as("held once").isEmpty();
      assertThat(api.get("/api/v1/floods?state=held", curator).json().get("items")).hasSize(1);
      long floodId = listed.get(0).get("id").asLong();
      assertThat(listed.get(0).get("entry_id").asLong()).isEqualTo(flooded);
      assertThat(listed.get(0).get("bank_name").asText()).isEqualTo("attack stills");
      assertThat(auditActions()).contains("flood.held");

      // Held: the rule still fires, but waits for a reviewer; the other entry still acts.
      JsonNode waiting = submit(common, "meme-1");
      assertThat(waiting.get("status").asText()).isEqualTo("in_review");
      assertThat(waiting.at("/decisions/0/state").asText()).isEqualTo("pending_review");
      assertThat(submit(busy, "copy-1").get("status").asText()).isEqualTo("actioned");

      ProblemDetailsTest.assertProblem(api.post("/api/v1/floods/" + floodId + "/release", curator, "{}"), 422);
      Api.Response released = api.post("/api/v1/floods/" + floodId + "/release", curator,
          "{\"reason\":\"the attack video is spreading; these are real copies\"}");
      assertThat(released.status()).as(released.body()).isEqualTo(200);
      assertThat(released.json().get("state").asText()).isEqualTo("released");
      assertThat(released.json().get("resolved_by").asLong()).isPositive();
      ProblemDetailsTest.assertProblem(api.post("/api/v1/floods/" + floodId + "/release", curator, "{\"reason\":\"again\"}"), 409);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/floods/" + floodId + "/disable", curator, "{\"reason\":\"too late\"}"), 409);
      assertThat(api.get("/api/v1/entries/" + flooded, admin).json().get("enabled").asBoolean()).as("a released flood disables nothing")
          .isTrue();
      assertThat(auditActions()).contains("flood.released");
      assertThat(submit(common, "meme-2").get("status").asText()).isEqualTo("actioned");

      // Released, it is not held again within the quiet period, however it is hit.
      lookUp(common, 150);
      assertThat(heldAfterCheck(server)).isEmpty();
    }
  }

  @Test
  void aCuratorDisablesAFloodedEntryAsAFalsePositive() {
    TestClock clock = new TestClock();
    try (CountersignalServer server = TestServers.start(dataDir, clock)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"imported list\"}"));
      String meme = MatchTest.randomPdq(new Random(12));
      long entry = ReplicaTest.entry(api, admin, bank, "pdq", meme);
      clock.advance(Duration.ofHours(1));
      lookUp(meme, 60);
      assertThat(heldAfterCheck(server)).as("60 hits, under the guard's floor").isEmpty();
      lookUp(meme, 50);
      JsonNode held = heldAfterCheck(server);
      assertThat(held).hasSize(1);
      assertThat(held.get(0).get("matches").asLong()).as("the second check adds to the hour's count").isEqualTo(110);
      assertThat(held.get(0).get("entry_id").asLong()).isEqualTo(entry);
      assertThat(held.get(0).get("baseline").asDouble()).as("a new entry has no baseline").isZero();

      Api.Response disabled = api.post("/api/v1/floods/" + held.get(0).get("id").asLong() + "/disable", admin,
          "{\"reason\":\"a common meme banked by mistake\"}");
      assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
      assertThat(disabled.json().get("state").asText()).isEqualTo("disabled");
      JsonNode stored = api.get("/api/v1/entries/" + entry, admin).json();
      assertThat(stored.get("enabled").asBoolean()).isFalse();
      assertThat(stored.get("disabled_reason").asText()).isEqualTo("a common meme banked by mistake");
      assertThat(TestServers.matches(api, admin, "pdq", meme)).isFalse();
      assertThat(auditActions()).contains("entry.disabled", "flood.disabled");
      ProblemDetailsTest.assertProblem(api.get("/api/v1/floods/999999", admin), 404);
      ProblemDetailsTest.assertProblem(api.get("/api/v1/floods?state=sunk", admin), 422);
    }
  }
}
