package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.fetch.AllowedNetwork;
import org.countersignal.server.fetch.FetchPolicy;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video jobs take turns between keys: with one worker, a key that queued several videos does not
 * hold up another key's one behind all of them. The first job fetches its video from a URL that
 * answers only once every job is queued, so the queue is built while the worker is busy, whatever
 * the speed of the machine.
 */
class VideoJobFairnessTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static byte[] video;
  static HttpServer content;
  static String contentBase;
  static final CountDownLatch release = new CountDownLatch(1);
  static final AtomicInteger fetches = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    video = Files.readAllBytes(ConformanceData.directory("vpdq").resolve("videos/" + VideoJobTest.VIDEO + ".mp4"));
    content = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    content.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    // The route's own look at the video is answered at once; the job's download waits for the test.
    content.createContext("/held.mp4", exchange -> {
      if (fetches.incrementAndGet() > 1) {
        try {
          release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "video/mp4");
      exchange.sendResponseHeaders(200, video.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(video);
      }
    });
    content.start();
    contentBase = "http://127.0.0.1:" + content.getAddress().getPort();
    FetchPolicy fetch = FetchPolicy.DEFAULT.withAllowedNetworks(
        List.of(AllowedNetwork.parse("127.0.0.1/32:" + content.getAddress().getPort())));
    server = CountersignalServer.builder(TestServers.config(dataDir)).fetchPolicy(fetch)
        .jobSettings(JobSettings.DEFAULT.withMaxVideoBytes(VideoJobTest.MAX_VIDEO_BYTES).withWorkers(1)).start();
    try {
      assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    release.countDown();
    content.stop(0);
    server.close();
  }

  static long upload(String key) {
    Api.Response response = api.send("POST", "/api/v1/hash", key, "video/mp4", video);
    assertThat(response.status()).as(response.header()).isEqualTo(202);
    return response.json().get("id").asLong();
  }

  static JsonNode awaitStatus(String key, long id, String... statuses) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      JsonNode job = api.get("/api/v1/jobs/" + id, key).json();
      if (List.of(statuses).contains(job.get("status").asText())) {
        return job;
      }
      assertThat(System.nanoTime()).as("job " + id + " still " + job.get("status").asText()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void anotherKeysJobRunsBeforeTheRestOfOneKeysQueue() throws Exception {
    String busy = TestServers.key(api, admin, "matcher");
    String other = TestServers.key(api, admin, "matcher");

    Api.Response held = api.post("/api/v1/hash/url", busy, "{\"url\":\"" + contentBase + "/held.mp4\",\"seconds_per_frame\":1}");
    assertThat(held.status()).as(held.header()).isEqualTo(202);
    long first = held.json().get("id").asLong();
    awaitStatus(busy, first, "running");

    List<Long> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(upload(busy));
    }
    long theirs = upload(other);
    release.countDown();

    JsonNode otherJob = awaitStatus(other, theirs, "succeeded", "failed");
    assertThat(otherJob.get("status").asText()).as(otherJob.toString()).isEqualTo("succeeded");
    List<JsonNode> busyJobs = new ArrayList<>();
    for (long id : queued) {
      JsonNode job = awaitStatus(busy, id, "succeeded", "failed");
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
      busyJobs.add(job);
    }
    Instant otherFinished = Instant.parse(otherJob.get("finished_at").asText());
    // One worker, keys in turn: the held job, then the other key's, then the rest of the busy key's.
    assertThat(otherFinished).isBefore(Instant.parse(busyJobs.getLast().get("finished_at").asText()));
    assertThat(otherFinished).isBeforeOrEqualTo(Instant.parse(busyJobs.getFirst().get("started_at").asText()));
  }
}
