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
 * Variant discovery keeps the signals of uploads that matched nothing (only once an admin turns
 * it on), proposes the ones just past a banked entry's threshold and the clusters of new
 * near-identical uploads, and banks a proposal a curator accepts. The background run is run by
 * the test, as the server's schedule would.
 */
class DiscoveryTest {

  @TempDir Path dataDir;

  private Api api;
  private String admin;

  private JsonNode upload(String pdq, String contentId, String account) {
    Api.Response response = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId
        + "\",\"account\":\"" + account + "\"}}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private JsonNode run() {
    Api.Response response = api.post("/api/v1/discovery/run", admin, "{}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private JsonNode proposals(String query) {
    Api.Response response = api.get("/api/v1/proposals" + query, admin);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("items");
  }

  private void turnOn(String settings) {
    Api.Response changed = api.patch("/api/v1/discovery/settings", admin, settings);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("enabled").asBoolean()).isTrue();
  }

  private List<String> auditActions() {
    List<String> actions = new ArrayList<>();
    api.get("/api/v1/audit?after=0&limit=1000", admin).json().get("items").forEach(e -> actions.add(e.get("action").asText()));
    return actions;
  }

  @Test
  void nothingIsKeptUntilAnAdminTurnsItOnAndTheSettingsAreChecked() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      String curator = TestServers.key(api, admin, "curator");
      Random random = new Random(1);
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack stills\"}"));
      String banked = MatchTest.randomPdq(random);
      ReplicaTest.entry(api, admin, bank, "pdq", banked);

      JsonNode settings = api.get("/api/v1/discovery/settings", curator).json();
      assertThat(settings.get("enabled").asBoolean()).isFalse();
      assertThat(settings.get("retention_hours").asInt()).isEqualTo(7 * 24);
      assertThat(settings.get("near_miss").get("pdq").asInt()).isEqualTo(52);
      assertThat(settings.get("near_miss").has("md5")).as("a digest only matches exactly").isFalse();

      upload(MatchTest.flip(banked, 40, random), "post-1", "acct-1");
      assertThat(run().get("stored").asInt()).as("nothing is kept while off").isZero();
      assertThat(proposals("")).isEmpty();

      ProblemDetailsTest.assertProblem(api.patch("/api/v1/discovery/settings", curator, "{\"enabled\":true}"), 403);
      ProblemDetailsTest.assertProblem(api.patch("/api/v1/discovery/settings", admin, "{\"near_miss\":{\"md5\":3}}"), 422);
      ProblemDetailsTest.assertProblem(api.patch("/api/v1/discovery/settings", admin, "{\"near_miss\":{\"pdq\":300}}"), 422);
      ProblemDetailsTest.assertProblem(api.patch("/api/v1/discovery/settings", admin, "{\"retention_hours\":0}"), 422);
      ProblemDetailsTest.assertProblem(api.patch("/api/v1/discovery/settings", admin, "{\"retention_hours\":24,"
          + "\"cluster_window_hours\":48}"), 422);
      assertThat(api.get("/api/v1/discovery/settings", admin).json().get("enabled").asBoolean()).as("a refused change changes nothing")
          .isFalse();
      turnOn("{\"enabled\":true,\"near_miss\":{\"pdq\":44}}");
      JsonNode changed = api.get("/api/v1/discovery/settings", admin).json();
      assertThat(changed.get("near_miss").get("pdq").asInt()).isEqualTo(44);
      assertThat(changed.get("near_miss").get("text").asInt()).as("a type left out keeps its edge").isEqualTo(48);
      assertThat(changed.get("updated_by").asLong()).isPositive();
      assertThat(auditActions()).contains("discovery.settings_changed");

      // 47 bits lies within the default band, but beyond the narrowed one.
      upload(MatchTest.flip(banked, 47, random), "post-2", "acct-2");
      assertThat(run().get("stored").asInt()).isEqualTo(1);
      assertThat(proposals("")).isEmpty();
    }
  }

  @Test
  void anUploadJustPastAnEntrysThresholdIsProposedOnceAndBankedWhenACuratorAcceptsIt() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      String curator = TestServers.key(api, admin, "curator");
      String auditor = TestServers.key(api, admin, "auditor");
      String matcher = TestServers.key(api, admin, "matcher");
      Random random = new Random(2);
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack stills\"}"));
      String banked = MatchTest.randomPdq(random);
      long entry = ReplicaTest.created(api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"pdq\":\"" + banked + "\"},\"labels\":[\"graphic_violence_defenceless\"]}"));
      Api.Response feed = api.post("/api/v1/feeds", admin, "{\"name\":\"to-partners\",\"bank_id\":" + bank + "}");
      assertThat(feed.status()).as(feed.body()).isEqualTo(201);
      String partner = api.post("/api/v1/feeds/" + feed.json().get("id").asLong() + "/peers", admin, "{\"name\":\"partner\"}")
          .json().get("key").asText();
      turnOn("{\"enabled\":true}");

      String edited = MatchTest.flip(banked, 40, random);
      for (int i = 1; i <= 3; i++) {
        assertThat(upload(edited, "post-" + i, "acct-" + i).get("matches")).isEmpty();
      }
      upload(MatchTest.flip(banked, 10, random), "post-hit", "acct-9"); // a hit: not kept
      upload(MatchTest.flip(banked, 70, random), "post-far", "acct-9"); // beyond the band
      // A plain lookup, without content details, is not an upload.
      api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + MatchTest.flip(banked, 41, random) + "\"}}");

      JsonNode ran = run();
      assertThat(ran.get("stored").asInt()).isEqualTo(4);
      assertThat(ran.get("near_misses").asInt()).isEqualTo(1);
      JsonNode listed = proposals("?state=open");
      assertThat(listed).hasSize(1);
      JsonNode proposal = listed.get(0);
      assertThat(proposal.get("kind").asText()).isEqualTo("near_miss");
      assertThat(proposal.get("value").asText()).isEqualTo(edited);
      assertThat(proposal.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(proposal.get("bank_name").asText()).isEqualTo("attack stills");
      assertThat(proposal.get("distance").asInt()).isEqualTo(40);
      assertThat(proposal.get("uploads").asInt()).isEqualTo(3);
      assertThat(proposal.get("accounts").asInt()).isEqualTo(3);
      assertThat(proposal.get("latest")).hasSize(3);
      assertThat(proposal.at("/latest/0/content_id").asText()).isEqualTo("post-3");
      assertThat(proposal.at("/latest/0/account").asText()).isEqualTo("acct-3");
      assertThat(proposal.at("/latest/0/submission_id").asLong()).as("the upload's record, with its media if kept").isPositive();
      assertThat(auditActions()).contains("proposal.opened");

      // A later upload brings the open proposal up to date; nothing is proposed twice.
      upload(edited, "post-4", "acct-1");
      assertThat(run().get("near_misses").asInt()).isZero();
      JsonNode updated = proposals("").get(0);
      assertThat(updated.get("uploads").asInt()).isEqualTo(4);
      assertThat(updated.get("accounts").asInt()).isEqualTo(3);
      long id = updated.get("id").asLong();

      assertThat(api.get("/api/v1/proposals/" + id, auditor).status()).isEqualTo(200);
      ProblemDetailsTest.assertProblem(api.get("/api/v1/proposals", matcher), 403);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/proposals/" + id + "/accept", auditor, "{}"), 403);
      ProblemDetailsTest.assertProblem(api.get("/api/v1/proposals?state=maybe", admin), 422);

      Api.Response accepted = api.post("/api/v1/proposals/" + id + "/accept", curator, "{}");
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      assertThat(accepted.json().get("state").asText()).isEqualTo("accepted");
      long newEntry = accepted.json().get("accepted_entry_id").asLong();
      assertThat(accepted.json().get("accepted_bank_id").asLong()).isEqualTo(bank);
      JsonNode created = api.get("/api/v1/entries/" + newEntry, admin).json();
      assertThat(created.get("labels")).extracting(JsonNode::asText).containsExactly("graphic_violence_defenceless");
      assertThat(created.get("note").asText()).contains("proposal " + id).contains("distance 40 from entry " + entry);
      assertThat(auditActions()).contains("proposal.accepted", "entry.created");
      // Shared as any entry of its bank: the bank's feed carries it to the partner.
      String page = api.get("/api/v1/feeds/to-partners/pages?after=0", partner).json().get("payload").asText();
      assertThat(new String(java.util.Base64.getDecoder().decode(page), java.nio.charset.StandardCharsets.UTF_8)).contains(edited);
      // The edited copy now matches by itself.
      assertThat(upload(edited, "post-5", "acct-5").get("matches")).extracting(hit -> hit.get("entry_id").asLong()).contains(newEntry);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/proposals/" + id + "/accept", curator, "{}"), 409);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/proposals/" + id + "/reject", curator, "{\"reason\":\"late\"}"), 409);
    }
  }

  @Test
  void aNearMissARejectionAndANegativeBankAreNotProposedAgain() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      Random random = new Random(3);
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack stills\"}"));
      String banked = MatchTest.randomPdq(random);
      ReplicaTest.entry(api, admin, bank, "pdq", banked);
      long harmless = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"flags\",\"purpose\":\"negative\"}"));
      String flag = MatchTest.flip(banked, 45, random);
      ReplicaTest.entry(api, admin, harmless, "pdq", flag);
      turnOn("{\"enabled\":true}");

      String meme = MatchTest.flip(banked, 36, random);
      upload(meme, "meme-1", "acct-1");
      upload(MatchTest.flip(flag, 3, random), "flag-1", "acct-2"); // in the band, but a harmless picture
      run();
      JsonNode listed = proposals("");
      assertThat(listed).hasSize(1);
      long id = listed.get(0).get("id").asLong();
      ProblemDetailsTest.assertProblem(api.post("/api/v1/proposals/" + id + "/reject", admin, "{}"), 422);
      Api.Response rejected = api.post("/api/v1/proposals/" + id + "/reject", admin, "{\"reason\":\"a meme template, not the attack\"}");
      assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
      assertThat(rejected.json().get("state").asText()).isEqualTo("rejected");
      assertThat(auditActions()).contains("proposal.rejected");

      // An upload near an incident's hashes is proposed with the incident, for its coordinators.
      Api.Response declared = api.post("/api/v1/incidents", admin, "{\"name\":\"mall attack\",\"kind\":\"attack_livestreamed\",\"level\":\"incident\"}");
      assertThat(declared.status()).as(declared.body()).isEqualTo(201);
      long incidentBank = declared.json().get("bank_id").asLong();
      String still = MatchTest.randomPdq(random);
      ReplicaTest.entry(api, admin, incidentBank, "pdq", still);
      upload(MatchTest.flip(still, 38, random), "crop-1", "acct-4");
      run();
      JsonNode nearIncident = proposals("?state=open").get(0);
      assertThat(nearIncident.get("bank_id").asLong()).isEqualTo(incidentBank);
      assertThat(nearIncident.get("incident_id").asLong()).isEqualTo(declared.json().get("id").asLong());

      upload(meme, "meme-2", "acct-3");
      run();
      assertThat(proposals("")).hasSize(2);
      assertThat(proposals("?state=rejected").get(0).get("uploads").asInt()).as("a decided proposal is left as it was").isEqualTo(1);
    }
  }

  @Test
  void aNewVariantUploadedByManyAccountsIsProposedAsAClusterAndRecentSignalsExpire() {
    TestClock clock = new TestClock();
    try (CountersignalServer server = TestServers.start(dataDir, clock)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      Random random = new Random(4);
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack stills\"}"));
      ReplicaTest.entry(api, admin, bank, "pdq", MatchTest.randomPdq(random));
      turnOn("{\"enabled\":true,\"cluster_min_uploads\":6,\"cluster_min_accounts\":3}");

      String variant = MatchTest.randomPdq(random);
      for (int i = 0; i < 8; i++) {
        upload(i < 3 ? variant : MatchTest.flip(variant, 1 + random.nextInt(6), random), "viral-" + i, "acct-" + (i % 4));
      }
      // As many near-identical uploads, all from one account: not a spread.
      String selfie = MatchTest.randomPdq(random);
      for (int i = 0; i < 8; i++) {
        upload(MatchTest.flip(selfie, random.nextInt(4), random), "own-" + i, "acct-self");
      }
      for (int i = 0; i < 20; i++) {
        upload(MatchTest.randomPdq(random), "other-" + i, "acct-" + i);
      }
      JsonNode ran = run();
      assertThat(ran.get("clusters").asInt()).isEqualTo(1);
      JsonNode cluster = proposals("?kind=cluster").get(0);
      assertThat(cluster.get("value").asText()).as("the most uploaded variant leads").isEqualTo(variant);
      assertThat(cluster.get("uploads").asInt()).isEqualTo(8);
      assertThat(cluster.get("accounts").asInt()).isEqualTo(4);
      assertThat(cluster.get("spread").asInt()).isBetween(1, 6);
      assertThat(cluster.get("latest")).hasSize(8);
      assertThat(cluster.has("entry_id") && !cluster.get("entry_id").isNull()).as("near no banked entry").isFalse();

      // More uploads of it later bring the same proposal up to date.
      upload(MatchTest.flip(variant, 2, random), "viral-8", "acct-7");
      assertThat(run().get("clusters").asInt()).isZero();
      assertThat(proposals("?kind=cluster")).hasSize(1);
      assertThat(proposals("?kind=cluster").get(0).get("uploads").asInt()).isEqualTo(9);

      long id = cluster.get("id").asLong();
      ProblemDetailsTest.assertProblem(api.post("/api/v1/proposals/" + id + "/accept", admin, "{}"), 422);
      Api.Response accepted = api.post("/api/v1/proposals/" + id + "/accept", admin,
          "{\"bank_id\":" + bank + ",\"labels\":[\"graphic_violence_defenceless\"],\"note\":\"new edit with a caption\"}");
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      long entry = accepted.json().get("accepted_entry_id").asLong();
      assertThat(upload(MatchTest.flip(variant, 5, random), "viral-9", "acct-8").get("matches"))
          .extracting(hit -> hit.get("entry_id").asLong()).contains(entry);

      // Eight days on, everything kept is past the week's retention.
      clock.advance(Duration.ofDays(8));
      assertThat(run().get("expired").asInt()).isEqualTo(8 + 8 + 20 + 1);
    }
  }

  @Test
  void aClipOfABankedVideoIsProposedWithTheShareOfTheVideoItPlays() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack videos\"}"));
      String banked = VideoBankTest.reference("chair-19-sd-bar");
      long entry = ReplicaTest.created(api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"vpdq\":" + VideoBankTest.json(banked) + "}}"));
      turnOn("{\"enabled\":true}");

      // The first 45 % of its frames: too little of the video for the bank's 80 %, enough to show.
      String[] lines = banked.split("\n");
      String clip = String.join("\n", java.util.Arrays.copyOf(lines, lines.length * 45 / 100)) + "\n";
      Api.Response match = api.post("/api/v1/match", admin, "{\"signals\":{\"vpdq\":" + VideoBankTest.json(clip)
          + "},\"content\":{\"id\":\"clip-1\",\"account\":\"acct-1\"}}");
      assertThat(match.status()).as(match.body()).isEqualTo(200);
      assertThat(match.json().get("matches")).isEmpty();
      // The whole video is a hit, and not kept.
      api.post("/api/v1/match", admin, "{\"signals\":{\"vpdq\":" + VideoBankTest.json(banked)
          + "},\"content\":{\"id\":\"copy-1\",\"account\":\"acct-2\"}}");

      assertThat(run().get("stored").asInt()).isEqualTo(1);
      JsonNode proposal = proposals("").get(0);
      assertThat(proposal.get("signal_type").asText()).isEqualTo("vpdq");
      assertThat(proposal.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(proposal.get("video_percent").asDouble()).isBetween(30.0, 80.0);
      assertThat(proposal.get("distance").asInt()).isEqualTo((int) Math.round(100 - proposal.get("video_percent").asDouble()));
      assertThat(proposal.at("/latest/0/content_id").asText()).isEqualTo("clip-1");
      // The stretch of the banked video the clip plays: its first 45 %.
      assertThat(proposal.at("/part/banked_seconds/0").asDouble()).isLessThan(1.0);
      assertThat(proposal.at("/part/banked_seconds/1").asDouble()).isGreaterThan(proposal.at("/part/banked_seconds/0").asDouble());
    }
  }

  @Test
  void aTextEditedPastTheThresholdIsProposed() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"manifestos\"}"));
      List<String> words = TextMatchTest.prose(7, 400);
      long entry = ReplicaTest.created(api.post("/api/v1/banks/" + bank + "/entries/text", admin,
          TextMatchTest.json(TextMatchTest.text(words))));
      turnOn("{\"enabled\":true}");

      // Every fifth word replaced: a rewrite that keeps the text's run, too far for the bank's 40.
      List<String> edited = new ArrayList<>(words);
      Random random = new Random(5);
      for (int i = 0; i < edited.size(); i += 5) {
        edited.set(i, "word" + random.nextInt(1000));
      }
      Api.Response match = api.post("/api/v1/match/text", admin, "{\"text\":" + Api.JSON.valueToTree(TextMatchTest.text(edited))
          + ",\"content\":{\"id\":\"post-1\",\"account\":\"acct-1\"}}");
      assertThat(match.status()).as(match.body()).isEqualTo(200);
      assertThat(match.json().get("matches")).isEmpty();
      // Unrelated prose is no near miss.
      api.post("/api/v1/match/text", admin, "{\"text\":" + Api.JSON.valueToTree(TextMatchTest.text(TextMatchTest.prose(8, 400)))
          + ",\"content\":{\"id\":\"post-2\",\"account\":\"acct-2\"}}");

      assertThat(run().get("stored").asInt()).isEqualTo(2);
      JsonNode listed = proposals("");
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).get("signal_type").asText()).isEqualTo("text");
      assertThat(listed.get(0).get("entry_id").asLong()).isEqualTo(entry);
      assertThat(listed.get(0).get("distance").asInt()).isBetween(41, 48);
      // Which of the banked text's words the rewrite lies near.
      assertThat(listed.get(0).at("/part/banked/words")).hasSize(2);
      assertThat(listed.get(0).get("signal").asText()).as("hits' identity, not kilobytes of sketches").matches("t\\d+:[0-9a-f]{64}:400");
    }
  }
}
