package org.countersignal.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Livestreams against a running server (docs/BENCHMARKS.md, "Livestreams").
 *
 * <p>{@code hashes URL KEY STREAMS SECONDS BANKED}: banks BANKED random PDQ hashes, then STREAMS
 * streams each send one frame hash a second for SECONDS seconds (starts spread over the first
 * second); one frame in 30 of each stream is a banked hash with 4 bits flipped, a new entry each
 * time, so it must raise an alert. The anchor, in the same run: the same number of plain
 * {@code POST /api/v1/match} lookups of the same kind of hashes at the same rate. Reports request
 * latency of both and the alerts' latency: from sending the frame to reading the answer that
 * carries its alert (the alert commits, with its webhook event, before the answer is sent).
 *
 * <p>{@code jpeg URL KEY CLIENTS SECONDS}: CLIENTS streams send 640x360 JPEG frames back to back
 * for SECONDS seconds; the anchor is {@code POST /api/v1/match/upload} of the same pictures with
 * as many clients. Frames a second is the number of 1 fps streams the server's cores keep up with.
 */
public final class StreamLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    String key = args[2];
    if (mode.equals("hashes")) {
      hashes(url, key, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    } else {
      jpeg(url, key, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    }
  }

  private static JsonNode post(String url, String key, String path, String contentType, byte[] body) throws Exception {
    HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() >= 300) {
      throw new IOException(path + ": " + response.statusCode() + " " + new String(response.body()));
    }
    return JSON.readTree(response.body());
  }

  private static JsonNode postJson(String url, String key, String path, String json) throws Exception {
    return post(url, key, path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String randomPdq(SplittableRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String flipped(String hex, int bits, SplittableRandom random) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    for (int i = 0; i < bits; i++) {
      int bit = random.nextInt(256);
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static void hashes(String url, String key, int streams, int seconds, int banked) throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    long bank = postJson(url, key, "/api/v1/banks", "{\"name\":\"stream bench " + System.nanoTime() + "\"}").get("id").asLong();
    List<String> bankedHashes = new ArrayList<>();
    for (int from = 0; from < banked; from += 10_000) {
      StringBuilder batch = new StringBuilder("{\"entries\":[");
      for (int i = from; i < Math.min(banked, from + 10_000); i++) {
        String pdq = randomPdq(random);
        bankedHashes.add(pdq);
        batch.append(i == from ? "" : ",").append("{\"signals\":{\"pdq\":\"").append(pdq).append("\"}}");
      }
      postJson(url, key, "/api/v1/banks/" + bank + "/entries/batch", batch.append("]}").toString());
    }
    System.out.printf("banked %,d PDQ hashes in bank %d; %d streams, 1 frame a second each, %d s%n", banked, bank, streams, seconds);
    AtomicInteger nextBanked = new AtomicInteger();
    // Warm-up: 10 s of the same load, not measured.
    run(url, key, streams, 10, bankedHashes, nextBanked, true, new Stats());
    run(url, key, streams, 10, bankedHashes, nextBanked, false, new Stats());
    for (int round = 1; round <= 2; round++) {
      Stats lookups = new Stats();
      run(url, key, streams, seconds, bankedHashes, nextBanked, false, lookups);
      lookups.print("round " + round + ", anchor: plain lookups (POST /api/v1/match)");
      Stats frames = new Stats();
      run(url, key, streams, seconds, bankedHashes, nextBanked, true, frames);
      frames.print("round " + round + ", stream frames (POST /api/v1/streams/{id}/frames)");
    }
  }

  /** Latencies in microseconds, of every request and of those that carried an alert. */
  private static final class Stats {
    final ConcurrentLinkedQueue<Long> all = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> alerted = new ConcurrentLinkedQueue<>();
    final AtomicLong expected = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong late = new AtomicLong();

    void print(String what) {
      System.out.printf("%s: %,d requests, %d errors, %d sent over 100 ms late; latency %s%n", what, all.size(), errors.get(), late.get(),
          percentiles(all));
      if (expected.get() > 0) {
        System.out.printf("  alerts: %d of %d expected; alert latency %s%n", alerted.size(), expected.get(), percentiles(alerted));
      }
    }
  }

  private static String percentiles(ConcurrentLinkedQueue<Long> micros) {
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return "none";
    }
    return String.format("p50 %.2f, p90 %.2f, p99 %.2f, max %.2f ms", at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99),
        sorted[sorted.length - 1] / 1000.0);
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }

  /** {@code streams} loops, each one request a second for {@code seconds}; streams, or plain lookups. */
  private static void run(String url, String key, int streams, int seconds, List<String> banked, AtomicInteger nextBanked,
      boolean asStreams, Stats stats) throws Exception {
    long start = System.nanoTime() + 200_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      int stream = s;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          long id = asStreams ? postJson(url, key, "/api/v1/streams", "{\"external_id\":\"bench-" + stream + "\"}").get("id").asLong() : 0;
          SplittableRandom random = new SplittableRandom(stream * 7919L + System.nanoTime());
          long offset = 1_000_000_000L * stream / streams;
          for (int second = 0; second < seconds; second++) {
            long due = start + offset + second * 1_000_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } else if (wait < -100_000_000L) {
              stats.late.incrementAndGet();
            }
            boolean hit = (second + stream) % 30 == 0;
            String pdq = hit ? flipped(banked.get(nextBanked.getAndIncrement() % banked.size()), 4, random) : randomPdq(random);
            if (hit) {
              stats.expected.incrementAndGet();
            }
            long sent = System.nanoTime();
            try {
              JsonNode answer = asStreams
                  ? postJson(url, key, "/api/v1/streams/" + id + "/frames",
                      "{\"frames\":[{\"pdq\":\"" + pdq + "\",\"quality\":100,\"at_seconds\":" + second + "}]}")
                  : postJson(url, key, "/api/v1/match", "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
              long micros = (System.nanoTime() - sent) / 1000;
              stats.all.add(micros);
              if (hit && (asStreams ? answer.get("alerts").size() > 0 : answer.get("matches").size() > 0)) {
                stats.alerted.add(micros);
              }
            } catch (Exception e) {
              stats.errors.incrementAndGet();
            }
          }
          if (asStreams) {
            postJson(url, key, "/api/v1/streams/" + id + "/close", "{}");
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Pictures a camera might send: 640x360, blocks of colour with noise, as JPEG at quality 0.75 (ImageIO's default). */
  private static List<byte[]> pictures(int count) throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    List<byte[]> out = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      BufferedImage image = new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      for (int y = 0; y < 360; y += 40) {
        for (int x = 0; x < 640; x += 40) {
          g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
          g.fillRect(x, y, 40, 40);
        }
      }
      g.dispose();
      for (int i = 0; i < 4000; i++) {
        image.setRGB(random.nextInt(640), random.nextInt(360), random.nextInt(1 << 24));
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "jpg", bytes);
      out.add(bytes.toByteArray());
    }
    return out;
  }

  private static void jpeg(String url, String adminKey, int clients, int seconds) throws Exception {
    // A platform's key with its rate limit lifted: the run measures the server, not the limit
    // (a picture costs 100 tokens, so the default 20,000 a second would cap it at 200 a second).
    String key = postJson(url, adminKey, "/api/v1/keys", "{\"role\":\"matcher\",\"name\":\"stream bench\",\"rate_limit\":{\"per_second\":0}}")
        .get("key").asText();
    List<byte[]> pictures = pictures(60);
    System.out.printf("%d JPEG pictures of 640x360, %,d bytes on average; %d clients back to back, %d s each run%n", pictures.size(),
        pictures.stream().mapToInt(p -> p.length).sum() / pictures.size(), clients, seconds);
    closedLoop(url, key, clients, 10, pictures, true);
    closedLoop(url, key, clients, 10, pictures, false);
    for (int round = 1; round <= 2; round++) {
      closedLoop(url, key, clients, seconds, pictures, false).print("round " + round + ", anchor: POST /api/v1/match/upload", seconds);
      closedLoop(url, key, clients, seconds, pictures, true).print("round " + round + ", stream frames as pictures", seconds);
    }
  }

  private record Throughput(long done, long busy, long errors, long[] micros, String firstError) {
    void print(String what, int seconds) {
      Arrays.sort(micros);
      System.out.printf("%s: %.1f pictures a second (%d in %d s), %d answered 503 busy, %d errors%s; latency p50 %.2f, p99 %.2f ms%n", what,
          done / (double) seconds, done, seconds, busy, errors, firstError == null ? "" : " (first: " + firstError + ")",
          micros.length == 0 ? 0 : at(micros, 0.5), micros.length == 0 ? 0 : at(micros, 0.99));
    }
  }

  private static Throughput closedLoop(String url, String key, int clients, int seconds, List<byte[]> pictures, boolean asStreams)
      throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    AtomicLong busy = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
    ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          long id = asStreams ? postJson(url, key, "/api/v1/streams", "{\"external_id\":\"jpeg-" + client + "\"}").get("id").asLong() : 0;
          int frame = 0;
          while (System.nanoTime() < end) {
            byte[] picture = pictures.get((client * 13 + frame) % pictures.size());
            String path = asStreams ? "/api/v1/streams/" + id + "/frames/image?at_seconds=" + frame : "/api/v1/match/upload";
            long sent = System.nanoTime();
            HttpResponse<byte[]> response;
            try {
              response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                  .header("Authorization", "Bearer " + key).header("Content-Type", "image/jpeg")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(picture)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
              errors.incrementAndGet();
              firstError.compareAndSet(null, e.toString());
              continue;
            }
            if (response.statusCode() == 200) {
              done.incrementAndGet();
              micros.add((System.nanoTime() - sent) / 1000);
              frame++;
            } else if (response.statusCode() == 503) {
              busy.incrementAndGet();
              Thread.sleep(50);
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, response.statusCode() + " " + new String(response.body()).substring(0,
                  Math.min(200, response.body().length)));
            }
          }
          if (asStreams) {
            postJson(url, key, "/api/v1/streams/" + id + "/close", "{}");
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Throughput(done.get(), busy.get(), errors.get(), micros.stream().mapToLong(Long::longValue).toArray(), firstError.get());
  }
}
