package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Banks of videos: an entry holds a video's frame hashes (given as signals or hashed from an
 * upload), a query video matches it under the reference's rules as set per bank, and the index
 * keeps it through disables and restarts. Uses the conformance sample videos and their reference
 * hashes, whose match matrix is known: the chair variants with bars match each other, the one
 * with a large logo does not, and no chair video matches a pattern video.
 */
class VideoBankTest {

  @TempDir Path dataDir;

  static Path vpdq() {
    return ConformanceData.directory("vpdq");
  }

  static String reference(String name) throws IOException {
    return Files.readString(vpdq().resolve("reference/" + name + ".txt"));
  }

  static String json(String text) throws IOException {
    return Api.JSON.writeValueAsString(text);
  }

  /** The entry ids of the vpdq hits of a match by the reference frames of {@code name}. */
  static List<Long> videoHits(Api api, String key, String name) throws IOException {
    Api.Response response = api.post("/api/v1/match", key, "{\"signals\":{\"vpdq\":" + json(reference(name)) + "}}");
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    for (JsonNode hit : response.json().get("matches")) {
      assertThat(hit.get("signal_type").asText()).isEqualTo("vpdq");
      ids.add(hit.get("entry_id").asLong());
    }
    return ids;
  }

  @Test
  void aBankedVideoIsMatchedByItsVariantsUnderTheBanksRules() throws Exception {
    String admin;
    long entry;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"videos\",\"labels\":[\"graphic_violence_defenceless\"]}")
          .json().get("id").asLong();
      Api.Response created = api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"vpdq\":" + json(reference("chair-19-sd-bar")) + "},\"note\":\"livestream copy\"}");
      assertThat(created.status()).as(created.header()).isEqualTo(201);
      entry = created.json().get("id").asLong();
      assertThat(created.json().at("/signals/vpdq").asText()).matches("[0-9a-f]{64}");
      Api.Response frames = api.get("/api/v1/entries/" + entry + "/frames", admin);
      assertThat(frames.body().lines().count()).isEqualTo(reference("chair-19-sd-bar").lines().count());

      Api.Response match = api.post("/api/v1/match", admin, "{\"signals\":{\"vpdq\":" + json(reference("chair-20-sd-bar")) + "}}");
      JsonNode hit = match.json().get("matches").get(0);
      assertThat(hit.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(hit.get("bank_matched_percent").asDouble()).isGreaterThanOrEqualTo(80);
      assertThat(hit.get("labels").toString()).contains("graphic_violence_defenceless");
      assertThat(hit.at("/bank_segment/end_seconds").asDouble()).isGreaterThan(hit.at("/bank_segment/start_seconds").asDouble());
      assertThat(videoHits(api, admin, "chair-22-sd-grey-bar")).containsExactly(entry);
      assertThat(videoHits(api, admin, "chair-22-with-large-logo-bar")).isEmpty();
      assertThat(videoHits(api, admin, "pattern-sd-grey-bar")).isEmpty();

      // The same video twice in one bank is a conflict, as for any signal.
      assertThat(api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"vpdq\":" + json(reference("chair-19-sd-bar")) + "}}").status()).isEqualTo(409);

      // Per bank: frames must be identical, which a re-encoded copy's are not.
      assertThat(api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"vpdq_frame\":0}}").status()).isEqualTo(200);
      assertThat(videoHits(api, admin, "chair-20-sd-bar")).isEmpty();
      api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"vpdq_frame\":31,\"vpdq_query_percent\":100}}");
      assertThat(videoHits(api, admin, "chair-20-sd-bar")).isEmpty();
      api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"vpdq_query_percent\":0}}");
      assertThat(videoHits(api, admin, "chair-20-sd-bar")).containsExactly(entry);
      assertThat(api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"vpdq\":101}}").status()).isEqualTo(422);

      api.post("/api/v1/entries/" + entry + "/disable", admin, "{\"reason\":\"false positive\"}");
      assertThat(videoHits(api, admin, "chair-20-sd-bar")).isEmpty();
      api.post("/api/v1/entries/" + entry + "/enable", admin, null);
      assertThat(videoHits(api, admin, "chair-20-sd-bar")).containsExactly(entry);

      // A bulk import takes videos too (frames and digests as one entry), so an export imports again.
      Api.Response batch = api.post("/api/v1/banks/" + bank + "/entries/batch", admin,
          "{\"entries\":[{\"signals\":{\"vpdq\":" + json(reference("pattern-sd-grey-bar")) + ",\"md5\":\"" + "e".repeat(32) + "\"}}]}");
      assertThat(batch.status()).as(batch.header()).isEqualTo(201);
      long imported = batch.json().at("/entry_ids/0").asLong();
      assertThat(videoHits(api, admin, "pattern-sd-grey-bar")).containsExactly(imported);
      assertThat(api.get("/api/v1/entries/" + imported + "/frames", admin).body().lines().count())
          .isEqualTo(reference("pattern-sd-grey-bar").lines().count());
    }
    // After a restart the video still matches: videos are not in the snapshot files, and are
    // read from the database when the snapshot is loaded.
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isPositive();
      assertThat(server.indexLoadReport().replayedChanges()).isZero();
      assertThat(videoHits(new Api(server.port()), admin, "chair-20-sd-bar")).containsExactly(entry);
    }
  }

  @Test
  void aVideoOfANegativeBankCancelsTheVideoHitsOfAQueryThatMatchesIt() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack videos\"}"));
      long entry = ReplicaTest.created(api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"vpdq\":" + json(reference("chair-19-sd-bar")) + "}}"));
      long harmless = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"news footage\",\"purpose\":\"negative\"}"));
      long benign = ReplicaTest.created(api.post("/api/v1/banks/" + harmless + "/entries", admin,
          "{\"signals\":{\"vpdq\":" + json(reference("chair-22-sd-grey-bar")) + "}}"));

      Api.Response match = api.post("/api/v1/match", admin, "{\"signals\":{\"vpdq\":" + json(reference("chair-20-sd-bar")) + "}}");
      assertThat(match.status()).as(match.body()).isEqualTo(200);
      assertThat(match.json().get("matches")).isEmpty();
      JsonNode cancelled = match.json().at("/cancelled/0");
      assertThat(cancelled.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(cancelled.get("bank_matched_percent").asDouble()).isGreaterThanOrEqualTo(80);
      assertThat(cancelled.at("/cancelled_by/entry_id").asLong()).isEqualTo(benign);
      // A video the negative bank does not hold is matched as before.
      assertThat(videoHits(api, admin, "pattern-sd-grey-bar")).isEmpty();
      api.post("/api/v1/entries/" + benign + "/disable", admin, "{\"reason\":\"not harmless after all\"}");
      assertThat(videoHits(api, admin, "chair-20-sd-bar")).containsExactly(entry);
    }
  }

  @Test
  void anUploadedVideoBecomesAnEntryThroughAJobAndIsFoundInAMatchJob() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"uploaded videos\"}").json().get("id").asLong();
      byte[] banked = Files.readAllBytes(vpdq().resolve("videos/chair-19-sd-bar.mp4"));
      assertThat(api.send("POST", "/api/v1/banks/" + bank + "/entries/upload?labels=nonsense", admin, "video/mp4", banked)
          .status()).isEqualTo(422);
      // A curator banks the video and polls the job it was given; to another curator (or a matcher) it does not exist.
      String curator = TestServers.key(api, admin, "curator");
      Api.Response accepted = api.send("POST", "/api/v1/banks/" + bank
          + "/entries/upload?labels=glorification_of_terrorist_acts&provenance=report%2099", curator, "video/mp4", banked);
      assertThat(accepted.status()).as(accepted.header()).isEqualTo(202);
      assertThat(accepted.json().get("kind").asText()).isEqualTo("bank");
      long jobId = accepted.json().get("id").asLong();
      assertThat(api.get("/api/v1/jobs/" + jobId, TestServers.key(api, admin, "curator")).status()).isEqualTo(404);
      assertThat(api.get("/api/v1/jobs/" + jobId, TestServers.key(api, admin, "matcher")).status()).isEqualTo(404);
      JsonNode job = VideoJobTest.awaitFinished(api, curator, jobId);
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
      JsonNode entry = job.at("/result/entry");
      assertThat(entry.get("signals").fieldNames()).toIterable().containsExactlyInAnyOrder("vpdq", "md5", "sha256");
      assertThat(entry.get("provenance").asText()).isEqualTo("report 99");
      assertThat(entry.get("labels").toString()).contains("glorification_of_terrorist_acts");

      byte[] query = Files.readAllBytes(vpdq().resolve("videos/chair-20-sd-bar.mp4"));
      Api.Response submitted = api.send("POST", "/api/v1/match/upload", admin, "video/mp4", query);
      JsonNode matched = VideoJobTest.awaitFinished(api, admin, submitted.json().get("id").asLong());
      List<Long> videoEntries = new ArrayList<>();
      for (JsonNode hit : matched.at("/result/matches")) {
        if (hit.get("signal_type").asText().equals("vpdq")) {
          videoEntries.add(hit.get("entry_id").asLong());
        }
      }
      assertThat(videoEntries).containsExactly(entry.get("id").asLong());
    }
  }
}
