package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL while it hashes an accepted video: the next server takes the job
 * up once the dead one's heartbeats stop, and finishes it, with every frame of the reference
 * stored once.
 */
class VideoJobCrashTest extends KilledServerTest {

  static final String VIDEO = "pattern-hd-no-bar";

  @Test
  void aJobCutShortByAKillIsFinishedOnceByTheNextServer() throws Exception {
    Path conformance = ConformanceData.directory("vpdq");
    byte[] video = Files.readAllBytes(conformance.resolve("videos/" + VIDEO + ".mp4"));
    int frames = Files.readAllLines(conformance.resolve("reference/" + VIDEO + ".txt")).size();

    ServerProcess.Started first = startProcess("first");
    String admin = first.key().orElseThrow();
    Api api = new Api(first.port());
    Api.Response accepted = api.send("POST", "/api/v1/hash", admin, "video/mp4", video);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    long id = accepted.json().get("id").asLong();
    WebhookReceiver.await("the job running", () -> "running".equals(api.get("/api/v1/jobs/" + id, admin).json().get("status").asText()));
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    ServerProcess.Started second = startProcess("second");
    Api restarted = new Api(second.port());
    JsonNode job = VideoJobTest.awaitFinished(restarted, admin, id);
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.at("/result/video/frames").asInt()).isEqualTo(frames);
    List<String> again = restarted.get("/api/v1/jobs/" + id + "/frames", admin).body().lines().toList();
    assertThat(again).as("the frame hashes stored once each").hasSize(frames).doesNotHaveDuplicates();
  }
}
