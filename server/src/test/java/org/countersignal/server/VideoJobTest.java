package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.countersignal.server.fetch.FetchPolicy;
import org.countersignal.server.fetch.AllowedNetwork;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Videos through the service: uploads and URLs become background jobs whose results are polled,
 * hashed like the reference, matched frame by frame against image banks, and kept through a
 * restart. Uses the conformance sample videos.
 */
class VideoJobTest {

  static final String VIDEO = "pattern-sd-grey-bar";
  static final long MAX_VIDEO_BYTES = 1_500_000;

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String matcher;
  static Path videos;
  static byte[] video;
  static List<String[]> reference;
  static HttpServer content;
  /** The server's database, to read the outbox. */
  static org.countersignal.server.store.Database database;
  static String contentBase;

  @BeforeAll
  static void start() throws IOException {
    Path conformance = ConformanceData.directory("vpdq");
    videos = conformance.resolve("videos");
    video = Files.readAllBytes(videos.resolve(VIDEO + ".mp4"));
    reference = Files.readAllLines(conformance.resolve("reference/" + VIDEO + ".txt")).stream().map(l -> l.split(",")).toList();
    byte[] photo = Files.readAllBytes(ConformanceData.directory("pdq").resolve("images/aaa-orig.jpg"));
    content = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    content.createContext("/video.mp4", exchange -> serve(exchange, "video/mp4", video));
    content.createContext("/photo.jpg", exchange -> serve(exchange, "image/jpeg", photo));
    content.start();
    contentBase = "http://127.0.0.1:" + content.getAddress().getPort();
    server = startServer(dataDir, JobSettings.DEFAULT.withMaxVideoBytes(MAX_VIDEO_BYTES));
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    matcher = TestServers.key(api, admin, "matcher");
    database = TestServers.openDatabase(dataDir);
  }

  private static void serve(com.sun.net.httpserver.HttpExchange exchange, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A server that may fetch from the test's content server on 127.0.0.1 and nowhere else private. */
  static CountersignalServer startServer(Path dir, JobSettings jobs) {
    FetchPolicy fetch = FetchPolicy.DEFAULT.withAllowedNetworks(
        List.of(AllowedNetwork.parse("127.0.0.1/32:" + content.getAddress().getPort())));
    CountersignalServer started = CountersignalServer.builder(TestServers.config(dir)).fetchPolicy(fetch).jobSettings(jobs).start();
    try {
      assertThat(started.awaitReady(Duration.ofSeconds(20))).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return started;
  }

  @AfterAll
  static void stop() {
    content.stop(0);
    database.close();
    server.close();
  }

  static JsonNode awaitFinished(Api client, String key, long id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      Api.Response response = client.get("/api/v1/jobs/" + id, key);
      assertThat(response.status()).as(response.header()).isEqualTo(200);
      String status = response.json().get("status").asText();
      if (status.equals("succeeded") || status.equals("failed")) {
        return response.json();
      }
      assertThat(System.nanoTime()).as("job " + id + " still " + status).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** The {@code job.finished} event the outbox holds about job {@code id}. */
  static JsonNode finishedEvent(long id) throws IOException {
    List<String> payloads = database.jdbi().withHandle(h -> h.createQuery(
            "SELECT payload FROM webhook_events WHERE event_type = 'job.finished'").mapTo(String.class).list());
    for (String payload : payloads) {
      JsonNode event = Api.JSON.readTree(payload);
      if (event.get("job_id").asLong() == id) {
        return event;
      }
    }
    throw new AssertionError("no job.finished event for job " + id);
  }

  static JsonNode submit(String path, String contentType, byte[] body) {
    Api.Response response = api.send("POST", path, matcher, contentType, body);
    assertThat(response.status()).as(response.header()).isEqualTo(202);
    assertThat(response.json().get("status").asText()).isIn("queued", "running");
    return response.json();
  }

  @Test
  void anUploadedVideoIsHashedInTheBackgroundLikeTheReference() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hash"))
        .header("Authorization", "Bearer " + matcher).header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofByteArray(video)).build();
    HttpResponse<String> accepted = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    long id = Api.JSON.readTree(accepted.body()).get("id").asLong();
    assertThat(accepted.headers().firstValue("Location")).contains("/api/v1/jobs/" + id);

    JsonNode job = awaitFinished(api, matcher, id);
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    JsonNode signals = job.at("/result/signals");
    assertThat(job.at("/result/video/frames").asInt()).isEqualTo(reference.size());
    // Only texts a request takes back: the frames are at frames_url, not among the signals.
    assertThat(signals.fieldNames()).toIterable().containsExactly("md5", "sha256");
    assertThat(signals.get("md5").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(video)));
    assertThat(job.has("matches")).isFalse();
    JsonNode finished = finishedEvent(id);
    assertThat(finished.get("kind").asText()).isEqualTo("hash");
    assertThat(finished.get("status").asText()).isEqualTo("succeeded");
    assertThat(finished.get("url").asText()).isEqualTo("/api/v1/jobs/" + id);
    assertThat(finished.at("/summary/frames").asInt()).isEqualTo(reference.size());

    Api.Response frames = api.get(job.get("frames_url").asText(), matcher);
    assertThat(frames.status()).isEqualTo(200);
    List<String[]> ours = frames.body().lines().map(l -> l.split(",")).toList();
    assertThat(ours).hasSize(reference.size());
    // The conformance rule for one video: of the frames with reference quality >= 50, at least
    // 80 % within distance 8 of the reference frame, none beyond 32.
    int good = 0;
    int close = 0;
    for (int i = 0; i < ours.size(); i++) {
      assertThat(ours.get(i)[0]).isEqualTo(reference.get(i)[0]);
      if (Integer.parseInt(reference.get(i)[1]) < 50) {
        continue;
      }
      good++;
      int distance = PdqHash.fromHex(ours.get(i)[2]).distance(PdqHash.fromHex(reference.get(i)[2]));
      assertThat(distance).as("frame " + i).isLessThanOrEqualTo(32);
      close += distance <= 8 ? 1 : 0;
    }
    assertThat(close).isGreaterThanOrEqualTo((int) Math.ceil(0.8 * good));
  }

  @Test
  void aVideoIsMatchedFrameByFrameAgainstImageBanksWithTheSegmentItAppearsIn() throws Exception {
    long images = api.post("/api/v1/banks", admin, "{\"name\":\"stills\",\"labels\":[\"graphic_violence_defenceless\"]}")
        .json().get("id").asLong();
    String[] still = reference.get(100);
    long entry = api.post("/api/v1/banks/" + images + "/entries", admin, "{\"signals\":{\"pdq\":\"" + still[2] + "\"}}")
        .json().get("id").asLong();
    long files = api.post("/api/v1/banks", admin, "{\"name\":\"whole files\"}").json().get("id").asLong();
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(video));
    api.post("/api/v1/banks/" + files + "/entries", admin, "{\"signals\":{\"md5\":\"" + md5 + "\"}}");

    JsonNode job = awaitFinished(api, matcher, submit("/api/v1/match/upload", "video/mp4", video).get("id").asLong());
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.get("result").has("submission")).as("a lookup without content details records nothing").isFalse();
    JsonNode matches = job.at("/result/matches");
    JsonNode digest = find(matches, "md5");
    assertThat(digest.get("bank_id").asLong()).isEqualTo(files);
    JsonNode frame = find(matches, "pdq");
    assertThat(frame.get("entry_id").asLong()).isEqualTo(entry);
    assertThat(frame.get("labels").toString()).contains("graphic_violence_defenceless");
    assertThat(frame.get("frames").asInt()).isGreaterThanOrEqualTo(1);
    double seconds = Double.parseDouble(still[3]);
    boolean covered = false;
    for (JsonNode segment : frame.get("segments")) {
      // The reference file gives times to the millisecond.
      covered |= segment.get("start_seconds").asDouble() - 0.001 <= seconds && seconds <= segment.get("end_seconds").asDouble() + 0.001;
    }
    assertThat(covered).as("a segment covers %s s: %s", seconds, frame.get("segments")).isTrue();
  }

  @Test
  void aVideoMatchWithContentDetailsIsActedOnByTheRules() throws Exception {
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"video stills\",\"labels\":[\"attacker_manifesto\"]}")
        .json().get("id").asLong();
    api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + reference.get(50)[2] + "\"}}");
    Api.Response rule = api.post("/api/v1/rules", admin,
        "{\"name\":\"video removal\",\"action\":\"remove\",\"conditions\":{\"banks\":[" + bank + "],\"content_types\":[\"video\"]}}");
    assertThat(rule.status()).as(rule.header()).isEqualTo(201);

    JsonNode job = awaitFinished(api, matcher,
        submit("/api/v1/match/upload?content_id=vid-1&account=acct-video", "video/mp4", video).get("id").asLong());
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    JsonNode submission = job.at("/result/submission");
    assertThat(submission.get("content_id").asText()).isEqualTo("vid-1");
    assertThat(submission.get("status").asText()).isEqualTo("actioned");
    assertThat(submission.at("/decisions/0/action").asText()).isEqualTo("remove");
    JsonNode stored = api.get("/api/v1/submissions?content_id=vid-1", matcher).json().at("/items/0");
    assertThat(stored.get("content_type").asText()).isEqualTo("video");
    assertThat(stored.get("account").asText()).isEqualTo("acct-video");
    assertThat(stored.at("/signals/md5/0").asText()).hasSize(32);
  }

  @Test
  void aFrameMatchesAnImageBankOnlyFromThatBanksQualityFloorUp() throws Exception {
    JsonNode hashed = awaitFinished(api, matcher, submit("/api/v1/hash", "video/mp4", video).get("id").asLong());
    List<String[]> frames = api.get(hashed.get("frames_url").asText(), matcher).body().lines().map(l -> l.split(",")).toList();
    // The least good frame whose hash no other frame has: at threshold 0 only it can match.
    Map<String, Long> counts = frames.stream().collect(java.util.stream.Collectors.groupingBy(f -> f[2], java.util.stream.Collectors.counting()));
    String[] weakest = frames.stream().filter(f -> counts.get(f[2]) == 1)
        .min(java.util.Comparator.comparingInt(f -> Integer.parseInt(f[1]))).orElseThrow();
    int quality = Integer.parseInt(weakest[1]);
    assertThat(quality).as("a frame under the top quality").isBetween(50, 99);

    long bank = api.post("/api/v1/banks", admin,
        "{\"name\":\"floored stills\",\"thresholds\":{\"pdq\":0,\"pdq_min_quality\":" + (quality + 1) + "}}").json().get("id").asLong();
    long entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + weakest[2] + "\"}}")
        .json().get("id").asLong();
    JsonNode above = awaitFinished(api, matcher, submit("/api/v1/match/upload?banks=" + bank, "video/mp4", video).get("id").asLong());
    assertThat(above.at("/result/matches")).as("the frame's quality is under the floor").isEmpty();

    assertThat(api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"pdq_min_quality\":" + quality + "}}").status())
        .isEqualTo(200);
    JsonNode at = awaitFinished(api, matcher, submit("/api/v1/match/upload?banks=" + bank, "video/mp4", video).get("id").asLong());
    assertThat(find(at.at("/result/matches"), "pdq").get("entry_id").asLong()).isEqualTo(entry);
  }

  private static JsonNode find(JsonNode matches, String signalType) {
    for (JsonNode match : matches) {
      if (match.get("signal_type").asText().equals(signalType)) {
        return match;
      }
    }
    throw new AssertionError("no " + signalType + " match in " + matches);
  }

  @Test
  void aVideoAtAUrlBecomesAJobAndAnImageAtAUrlIsHashedAtOnce() throws Exception {
    Api.Response queued = api.post("/api/v1/hash/url", matcher,
        "{\"url\":\"" + contentBase + "/video.mp4\",\"seconds_per_frame\":1}");
    assertThat(queued.status()).as(queued.header()).isEqualTo(202);
    assertThat(queued.json().get("source").asText()).isEqualTo("url");
    JsonNode job = awaitFinished(api, matcher, queued.json().get("id").asLong());
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    double lastSecond = Double.parseDouble(reference.getLast()[3]);
    assertThat(job.at("/result/video/frames").asInt()).isBetween((int) lastSecond, (int) lastSecond + 2);

    Api.Response image = api.post("/api/v1/hash/url", matcher, "{\"url\":\"" + contentBase + "/photo.jpg\"}");
    assertThat(image.status()).as(image.header()).isEqualTo(200);
    assertThat(image.json().get("content_type").asText()).isEqualTo("photo");
    assertThat(image.json().at("/signals/pdq").asText()).hasSize(64);
  }

  @Test
  void urlsOutsideThePolicyAreRefused() {
    // 127.0.0.2 is loopback too, but only 127.0.0.1 was opened.
    Api.Response refused = api.post("/api/v1/match/url", matcher,
        "{\"url\":\"http://127.0.0.2:" + content.getAddress().getPort() + "/photo.jpg\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("detail").asText()).contains("not a public address");
    Api.Response metadata = api.post("/api/v1/hash/url", matcher, "{\"url\":\"http://169.254.169.254/latest/meta-data/\"}");
    assertThat(metadata.status()).isEqualTo(422);
    Api.Response scheme = api.post("/api/v1/hash/url", matcher, "{\"url\":\"file:///etc/passwd\"}");
    assertThat(scheme.status()).isEqualTo(422);
    Api.Response unknownField = api.post("/api/v1/hash/url", matcher, "{\"uri\":\"http://example.org/\"}");
    assertThat(unknownField.status()).isEqualTo(400);
  }

  @Test
  void aBrokenVideoFailsItsJobWithTheReason() throws Exception {
    byte[] truncated = Arrays.copyOf(video, video.length / 3);
    JsonNode job = awaitFinished(api, matcher, submit("/api/v1/hash", "video/mp4", truncated).get("id").asLong());
    assertThat(job.get("status").asText()).isEqualTo("failed");
    assertThat(job.get("error").asText()).contains("could not be hashed");
    JsonNode finished = finishedEvent(job.get("id").asLong());
    assertThat(finished.get("status").asText()).isEqualTo("failed");
    assertThat(finished.get("error").asText()).isEqualTo(job.get("error").asText());
    assertThat(finished.has("summary")).isFalse();
    assertThat(api.get("/api/v1/jobs/" + job.get("id").asLong() + "/frames", matcher).status()).isEqualTo(404);
  }

  @Test
  void badUploadsAreRefusedBeforeAnyJobIsMade() throws Exception {
    Api.Response text = api.send("POST", "/api/v1/hash", matcher, "video/mp4", "not a video at all".getBytes());
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.contentType()).startsWith("application/problem+json");
    byte[] large = Files.readAllBytes(videos.resolve("pattern-hd-no-bar.mp4"));
    assertThat(large.length).isGreaterThan((int) MAX_VIDEO_BYTES);
    assertThat(api.send("POST", "/api/v1/hash", matcher, "video/mp4", large, true).status()).isEqualTo(413);
    Api.Response rate = api.send("POST", "/api/v1/hash?seconds_per_frame=-1", matcher, "video/mp4", video);
    assertThat(rate.status()).isEqualTo(400);
    assertThat(api.send("POST", "/api/v1/hash", matcher, "application/json", "{}".getBytes()).status()).isEqualTo(415);
  }

  @Test
  void aJobIsVisibleOnlyToItsKeyAndAdmins() throws Exception {
    long id = submit("/api/v1/hash", "video/mp4", video).get("id").asLong();
    String otherMatcher = TestServers.key(api, admin, "matcher");
    assertThat(api.get("/api/v1/jobs/" + id, otherMatcher).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/jobs/" + id, admin).status()).isEqualTo(200);
    awaitFinished(api, matcher, id);
  }

  @Test
  void anAcceptedJobSurvivesARestartAndIsDoneByTheNextServer(@TempDir Path otherDir) throws Exception {
    long id;
    String key;
    // No workers: the job is accepted and stored, but nothing runs it before the server stops.
    try (CountersignalServer first = startServer(otherDir, JobSettings.DEFAULT.withWorkers(0))) {
      Api firstApi = new Api(first.port());
      key = first.initialAdminKey().orElseThrow();
      Api.Response accepted = firstApi.send("POST", "/api/v1/hash", key, "video/mp4", video);
      assertThat(accepted.status()).as(accepted.header()).isEqualTo(202);
      id = accepted.json().get("id").asLong();
      assertThat(firstApi.get("/api/v1/jobs/" + id, key).json().get("status").asText()).isEqualTo("queued");
    }
    try (CountersignalServer second = startServer(otherDir, JobSettings.DEFAULT)) {
      Api secondApi = new Api(second.port());
      JsonNode job = awaitFinished(secondApi, key, id);
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
      assertThat(job.at("/result/video/frames").asInt()).isEqualTo(reference.size());
    }
  }
}
