package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.countersignal.server.hashing.HashingPool;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expensive images cannot take the service: one whose decoded raster is too large (bytes per
 * pixel counted) is refused from its header, and a burst of large images beyond what the
 * decoders and their queue hold is turned away with 503 and {@code Retry-After} while the rest of
 * the service keeps answering.
 */
class DecodeLimitTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSixteenBitRgbaImageOfAHundredMegapixelsIsRefusedFromItsHeader() {
    Api.Response response = api.send("POST", "/api/v1/hash", admin, "image/png", TestImages.pngHeader(10_000, 10_000, 16, 6));

    ProblemDetailsTest.assertProblem(response, 422);
    assertThat(response.json().get("detail").asText()).contains("TOO_LARGE").contains("8 bytes");
  }

  @Test
  void aBurstOfLargeImagesBeyondTheDecodersIsRefusedWith503AndRetryAfter() throws Exception {
    byte[] large = UploadTest.png(gradient(2000, 2000));
    int burst = 3 * Runtime.getRuntime().availableProcessors() * (1 + HashingPool.QUEUE_PER_THREAD);
    ExecutorService clients = Executors.newFixedThreadPool(burst);
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> refused = null;
    try {
      // Bounded rounds: a round whose requests happen to arrive spread out may all fit.
      for (int round = 0; round < 5 && refused == null; round++) {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          answers.add(clients.submit(() -> CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hash"))
              .header("Authorization", "Bearer " + admin).header("Content-Type", "image/png")
              .POST(HttpRequest.BodyPublishers.ofByteArray(large)).build(), HttpResponse.BodyHandlers.ofString())));
        }
        Api.Response live = api.get("/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        for (Future<HttpResponse<String>> answer : answers) {
          HttpResponse<String> response = answer.get();
          statuses.add(response.statusCode());
          if (response.statusCode() == 503 && refused == null) {
            refused = response;
          }
        }
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(statuses).containsOnly(200, 503).contains(200);
    assertThat(refused).as("some of %s requests refused", statuses.size()).isNotNull();
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(Api.JSON.readTree(refused.body()).get("type").asText()).isEqualTo("urn:countersignal:problem:busy");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue(Integer.toString(HashingPool.RETRY_AFTER_SECONDS));
  }

  private static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x / 7 + y / 11) & 0xff);
      }
    }
    return image;
  }
}
