package org.countersignal.bench.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.index.cluster.NearDuplicateClusters;

/**
 * Variant discovery in a running service ({@code bench/discovery/service.sh}): a day of uploads
 * that match nothing (copies and edits of a few thousand originals, {@link ClusteredHashes}) is
 * sent as recorded batch lookups, then one discovery run is timed: its near-miss scan of the
 * first signals and its clustering of the whole window, which reads every stored hash from the
 * database and writes the proposals. The anchor, in this process on the same hashes: the
 * clustering alone, in memory ({@link NearDuplicateClusters#find}).
 *
 * <p>Usage: {@code DiscoveryLoad URL ADMIN_KEY [ROWS] [ORIGINALS] [BANKED] [CLIENTS]}, by default
 * 1,000,000 rows of 3,000 originals, 100,000 banked random hashes, 1 client.
 */
public final class DiscoveryLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int BATCH = 1000;

  private DiscoveryLoad() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String admin = args[1];
    int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    int originals = args.length > 3 ? Integer.parseInt(args[3]) : 3_000;
    int banked = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
    int clients = args.length > 5 ? Integer.parseInt(args[5]) : 1;

    send(url, admin, "PATCH", "/api/v1/discovery/settings", "{\"enabled\":true,\"cluster_window_hours\":24}");
    bank(url, admin, banked);
    // A key without a rate limit: the load is the platform's whole day at once.
    String key = send(url, admin, "POST", "/api/v1/keys", "{\"role\":\"matcher\",\"name\":\"discovery bench\",\"rate_limit\":{\"per_second\":0}}")
        .get("key").asText();
    ClusteredHashes day = ClusteredHashes.clustered(rows, originals, 7);
    long sendStart = System.nanoTime();
    upload(url, key, day, clients);
    double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
    System.out.printf("sent %,d unmatched uploads (%,d originals) in %.1f s: %,.0f uploads/s as batches of %d, %d clients%n",
        rows, originals, sendSeconds, rows / sendSeconds, BATCH, clients);
    // The queue is written every 2 s; the run writes what is left first.
    Thread.sleep(3_000);

    long runStart = System.nanoTime();
    JsonNode run = send(url, admin, "POST", "/api/v1/discovery/run", "{}");
    double runSeconds = (System.nanoTime() - runStart) / 1e9;
    System.out.printf("discovery run: %.1f s in all; %,d recent signals stored; near-miss scan of %,d signals in %.1f s (%,.0f signals/s);"
            + " clustering of the window in %.1f s, %d cluster proposals opened%n",
        runSeconds, run.get("stored").asLong(), run.get("scanned").asLong(), run.get("scan_millis").asLong() / 1000.0,
        run.get("scanned").asLong() * 1000.0 / Math.max(1, run.get("scan_millis").asLong()), run.get("cluster_millis").asLong() / 1000.0,
        run.get("clusters").asInt());

    long anchorStart = System.nanoTime();
    int clusters = NearDuplicateClusters.find(day.words(), day.rows(), 31, 20).size();
    double anchorSeconds = (System.nanoTime() - anchorStart) / 1e9;
    System.out.printf("anchor: the same %,d hashes clustered in memory in this process in %.1f s (%d clusters of 20 or more);"
        + " the service's clustering took %.2fx that%n", rows, anchorSeconds, clusters, run.get("cluster_millis").asLong() / 1000.0 / anchorSeconds);
  }

  private static void bank(String url, String key, int banked) throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    long bank = send(url, key, "POST", "/api/v1/banks", "{\"name\":\"discovery bench " + System.nanoTime() + "\"}").get("id").asLong();
    for (int from = 0; from < banked; from += 10_000) {
      StringBuilder batch = new StringBuilder("{\"entries\":[");
      for (int i = from; i < Math.min(banked, from + 10_000); i++) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        batch.append(i == from ? "" : ",").append("{\"signals\":{\"pdq\":\"").append(HexFormat.of().formatHex(bytes)).append("\"}}");
      }
      send(url, key, "POST", "/api/v1/banks/" + bank + "/entries/batch", batch.append("]}").toString());
    }
    System.out.printf("banked %,d random PDQ hashes%n", banked);
  }

  /**
   * The day's rows as batches of recorded lookups, without content details: with them every
   * upload would also be recorded as a submission, which is the action pipeline's cost, not this.
   */
  private static void upload(String url, String key, ClusteredHashes day, int clients) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    Future<?>[] running = new Future<?>[clients];
    for (int c = 0; c < clients; c++) {
      running[c] = pool.submit(() -> {
        for (int from; (from = next.getAndAdd(BATCH)) < day.rows(); ) {
          StringBuilder body = new StringBuilder("{\"record\":true,\"queries\":[");
          for (int row = from; row < Math.min(day.rows(), from + BATCH); row++) {
            body.append(row == from ? "" : ",").append("{\"id\":\"").append(row).append("\",\"signals\":{\"pdq\":\"")
                .append(hex(day.words(), row)).append("\"}}");
          }
          send(url, key, "POST", "/api/v1/match/batch", body.append("]}").toString());
        }
        return null;
      });
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
  }

  private static String hex(long[] words, int row) {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(words[row * 4]) + hex.toHexDigits(words[row * 4 + 1]) + hex.toHexDigits(words[row * 4 + 2])
        + hex.toHexDigits(words[row * 4 + 3]);
  }

  private static JsonNode send(String url, String key, String method, String path, String json) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() >= 300) {
      throw new IOException(method + " " + path + ": " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(response.body());
  }
}
