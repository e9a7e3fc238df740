package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A livestream matched as it plays: frames near banked images raise alerts at once (incidents'
 * banks first), the stream's recent window raises one when it plays a banked video, each entry
 * alerts once a stream, and alerts reach the platform in the answer and as webhook events. Video
 * frames come from the conformance set's reference hashes (a re-encoded copy of a banked video).
 */
class StreamTest {

  @TempDir Path dataDir;

  private static String frame(String pdq, int quality, double at) {
    return "{\"pdq\":\"" + pdq + "\",\"quality\":" + quality + ",\"at_seconds\":" + at + "}";
  }

  private static JsonNode send(Api api, String key, long stream, List<String> frames) {
    Api.Response response = api.post("/api/v1/streams/" + stream + "/frames", key, "{\"frames\":[" + String.join(",", frames) + "]}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static long open(Api api, String key, String body) {
    return ReplicaTest.created(api.post("/api/v1/streams", key, body));
  }

  @Test
  void framesNearBankedImagesAlertOnceIncidentsFirstAndOnlyTheOpenerFeedsTheStream() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      String platform = TestServers.key(api, admin, "matcher");
      String other = TestServers.key(api, admin, "matcher");
      String coordinator = TestServers.key(api, admin, "coordinator");
      Random random = new Random(21);
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack stills\",\"labels\":[\"attacker_manifesto\"]}"));
      String still = MatchTest.randomPdq(random);
      long stillEntry = ReplicaTest.entry(api, admin, bank, "pdq", still);
      Api.Response declared = api.post("/api/v1/incidents", coordinator,
          "{\"name\":\"Attack streamed live\",\"kind\":\"attack_livestreamed\",\"level\":\"incident\"}");
      assertThat(declared.status()).as(declared.body()).isEqualTo(201);
      long incident = declared.json().get("id").asLong();
      String crisis = MatchTest.randomPdq(random);
      long crisisEntry = ReplicaTest.entry(api, coordinator, declared.json().get("bank_id").asLong(), "pdq", crisis);

      long stream = open(api, platform, "{\"external_id\":\"live-7\",\"account\":\"acct-9\"}");
      JsonNode opened = api.get("/api/v1/streams/" + stream, platform).json();
      assertThat(opened.get("state").asText()).isEqualTo("open");
      assertThat(opened.get("window_seconds").asInt()).isEqualTo(30);

      JsonNode quiet = send(api, platform, stream, List.of(frame(MatchTest.randomPdq(random), 90, 0.0),
          frame(MatchTest.randomPdq(random), 90, 1.0)));
      assertThat(quiet.get("accepted").asInt()).isEqualTo(2);
      assertThat(quiet.get("alerts")).isEmpty();

      // A near copy of the banked still at 3 s, and the incident's content at 4 s.
      JsonNode alerted = send(api, platform, stream, List.of(frame(MatchTest.flip(still, 5, random), 90, 3.0),
          frame(MatchTest.flip(crisis, 2, random), 90, 4.0)));
      JsonNode alerts = alerted.get("alerts");
      assertThat(alerts).hasSize(2);
      assertThat(alerts.get(0).get("entry_id").asLong()).as("the incident's alert first").isEqualTo(crisisEntry);
      assertThat(alerts.get(0).get("incident_id").asLong()).isEqualTo(incident);
      assertThat(alerts.get(0).get("at_seconds").asDouble()).isEqualTo(4.0);
      assertThat(alerts.get(1).get("entry_id").asLong()).isEqualTo(stillEntry);
      assertThat(alerts.get(1).get("kind").asText()).isEqualTo("image");
      assertThat(alerts.get(1).get("distance").asInt()).isEqualTo(5);
      assertThat(alerts.get(1).get("at_seconds").asDouble()).isEqualTo(3.0);
      assertThat(alerts.get(1).get("labels").toString()).contains("attacker_manifesto");

      // A retried request is taken once; the same content later raises nothing new.
      JsonNode retried = send(api, platform, stream, List.of(frame(MatchTest.flip(still, 5, random), 90, 3.0)));
      assertThat(retried.get("repeated").asInt()).isEqualTo(1);
      assertThat(retried.get("alerts")).isEmpty();
      assertThat(send(api, platform, stream, List.of(frame(still, 90, 9.0))).get("alerts")).isEmpty();
      assertThat(api.get("/api/v1/streams/" + stream, platform).json().get("alerts")).hasSize(2);
      assertThat(api.get("/api/v1/streams/" + stream, platform).json().get("frames").asLong()).isEqualTo(5);

      // The alerts went to the webhook outbox with the alert's commit.
      try (Database database = TestServers.openDatabase(dataDir)) {
        long events = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'stream.alert'")
            .mapTo(Long.class).one());
        assertThat(events).isEqualTo(2);
      }

      // Another platform key neither sees nor feeds it.
      assertThat(api.get("/api/v1/streams/" + stream, other).status()).isEqualTo(404);
      assertThat(api.post("/api/v1/streams/" + stream + "/frames", other, "{\"frames\":[" + frame(still, 90, 10) + "]}").status())
          .isEqualTo(404);
      assertThat(api.get("/api/v1/streams", other).json().get("items")).isEmpty();
      assertThat(api.get("/api/v1/streams?state=open", platform).json().get("items")).hasSize(1);

      JsonNode closed = api.post("/api/v1/streams/" + stream + "/close", platform, null).json();
      assertThat(closed.get("state").asText()).isEqualTo("closed");
      assertThat(closed.get("alerts")).hasSize(2);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/streams/" + stream + "/frames", platform,
          "{\"frames\":[" + frame(still, 90, 11) + "]}"), 409);
    }
  }

  @Test
  void theWindowRaisesAnAlertWhenTheStreamPlaysABankedVideo() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"attack videos\"}"));
      long video = ReplicaTest.created(api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"vpdq\":" + VideoBankTest.json(VideoBankTest.reference("chair-19-sd-bar")) + "}}"));

      long copy = open(api, admin, "{\"external_id\":\"restream\",\"window_seconds\":10}");
      long other = open(api, admin, "{\"external_id\":\"someone else's video\"}");
      JsonNode alert = null;
      double alertedAt = -1;
      List<String> batch = new ArrayList<>();
      // The re-encoded copy, sampled at 1 frame a second, as a platform would send it.
      double nextSecond = 0;
      for (String line : VideoBankTest.reference("chair-20-sd-bar").lines().toList()) {
        String[] f = line.split(",");
        double at = Double.parseDouble(f[3]);
        if (at < nextSecond) {
          continue;
        }
        nextSecond += 1;
        batch.add(frame(f[2], Integer.parseInt(f[1]), at));
        if (batch.size() == 2) {
          JsonNode answer = send(api, admin, copy, batch);
          batch.clear();
          if (alert == null && answer.get("alerts").size() > 0) {
            alert = answer.get("alerts").get(0);
            alertedAt = at;
          }
        }
      }
      assertThat(alert).as("the copy raised an alert").isNotNull();
      assertThat(alert.get("kind").asText()).isEqualTo("video");
      assertThat(alert.get("entry_id").asLong()).isEqualTo(video);
      assertThat(alert.get("window_percent").asDouble()).isGreaterThanOrEqualTo(50);
      assertThat(alertedAt).as("within the first seconds of the stream").isLessThan(5);

      for (String line : VideoBankTest.reference("pattern-sd-grey-bar").lines().toList()) {
        String[] f = line.split(",");
        double at = Double.parseDouble(f[3]);
        if (Math.abs(at - Math.rint(at)) < 0.02) {
          assertThat(send(api, admin, other, List.of(frame(f[2], Integer.parseInt(f[1]), at))).get("alerts")).isEmpty();
        }
      }
    }
  }

  @Test
  void aFrameSentAsAPictureIsHashedAndMatched() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"stills\"}"));
      byte[] png = ConsoleBrowserTest.image(5);
      Api.Response banked = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "image/png", png);
      assertThat(banked.status()).as(banked.body()).isEqualTo(201);
      ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
      ImageIO.write(ImageIO.read(new ByteArrayInputStream(png)), "jpg", jpeg);

      long stream = open(api, admin, "{}");
      Api.Response sent = api.send("POST", "/api/v1/streams/" + stream + "/frames/image?at_seconds=12.5", admin, "image/jpeg",
          jpeg.toByteArray());
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      assertThat(sent.json().at("/alerts/0/entry_id").asLong()).isEqualTo(banked.json().get("id").asLong());
      assertThat(sent.json().at("/alerts/0/at_seconds").asDouble()).isEqualTo(12.5);

      ProblemDetailsTest.assertProblem(api.send("POST", "/api/v1/streams/" + stream + "/frames/image?at_seconds=13", admin,
          "image/jpeg", "not a picture".getBytes()), 415);
      ProblemDetailsTest.assertProblem(api.send("POST", "/api/v1/streams/" + stream + "/frames/image", admin, "image/jpeg",
          jpeg.toByteArray()), 422);
      assertThat(api.post("/api/v1/streams/" + stream + "/close", admin, null).status()).isEqualTo(200);
      ProblemDetailsTest.assertProblem(api.send("POST", "/api/v1/streams/" + stream + "/frames/image?at_seconds=14", admin,
          "image/jpeg", "not a picture".getBytes()), 409);
    }
  }

  @Test
  void badFramesAreRefusedWithTheFieldNamed() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      long stream = open(api, admin, "{\"external_id\":\"x\"}");
      String path = "/api/v1/streams/" + stream + "/frames";
      assertThat(ProblemDetailsTest.assertProblem(api.post(path, admin, "{\"frames\":[" + frame("nothex", 90, 1) + "]}"), 422)
          .json().get("detail").asText()).contains("frames[0].pdq");
      ProblemDetailsTest.assertProblem(api.post(path, admin, "{\"frames\":[" + frame("0".repeat(64), 101, 1) + "]}"), 422);
      ProblemDetailsTest.assertProblem(api.post(path, admin, "{\"frames\":[{\"pdq\":\"" + "0".repeat(64) + "\"}]}"), 422);
      ProblemDetailsTest.assertProblem(api.post(path, admin, "{\"frames\":[" + frame("0".repeat(64), 90, -1) + "]}"), 422);
      ProblemDetailsTest.assertProblem(api.post(path, admin, "{\"frames\":[]}"), 422);
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 121; i++) {
        many.add(frame("0".repeat(64), 90, i));
      }
      ProblemDetailsTest.assertProblem(api.post(path, admin, "{\"frames\":[" + String.join(",", many) + "]}"), 413);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/streams", admin, "{\"window_seconds\":1}"), 422);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/streams", admin, "{\"account\":\"acct-1\\nforged line\"}"), 400);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/streams", admin, "{\"banks\":[424242]}"), 422);
      ProblemDetailsTest.assertProblem(api.post("/api/v1/streams/999999/close", admin, null), 404);
      assertThat(api.get("/api/v1/streams/" + stream, admin).json().get("frames").asLong()).as("nothing taken").isZero();
    }
  }
}
