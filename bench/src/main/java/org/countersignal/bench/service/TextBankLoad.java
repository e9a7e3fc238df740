package org.countersignal.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.text.TextSignalType;

/**
 * Banks the benchmark's documents through the HTTP bulk import: PAGES pages of 50 KB, then POSTS
 * posts of 2–5 KB ({@link TextBankDocs}), their text signals computed here with the signals
 * library, as a client that hashes its own content would. Batches stay within the route's limits
 * ({@code ImportRoutes.MAX_BATCH_BYTES}, 16 MiB, and {@code EntryImport.MAX_ENTRIES}, 10,000); the
 * next batch is hashed while the server imports the previous one. Writes the entry ids in
 * document order (pages.ids, posts.ids) for the query driver, and waits until the server's text
 * index holds them all.
 *
 * <pre>java -cp benchmarks.jar org.countersignal.bench.service.TextBankLoad URL KEY KJV POSTS PAGES OUT_DIR</pre>
 */
public final class TextBankLoad {

  // Under the 16 MiB limit with room for the JSON around the signals.
  private static final long BATCH_BYTES = 15L << 20;
  private static final int BATCH_ENTRIES = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: TextBankLoad URL KEY KJV POSTS PAGES OUT_DIR");
      System.exit(2);
    }
    String url = args[0];
    String key = args[1];
    TextBankDocs docs = new TextBankDocs(Path.of(args[2]));
    int posts = Integer.parseInt(args[3]);
    int pages = Integer.parseInt(args[4]);
    Path out = Path.of(args[5]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    JsonNode bank = send(http, url + "/api/v1/banks", key, "{\"name\":\"text-bench\",\"description\":\"text service benchmark\"}");
    long bankId = bank.get("id").asLong();
    long started = System.nanoTime();
    Loader loader = new Loader(http, url + "/api/v1/banks/" + bankId + "/entries/batch", key);
    loader.load(pages, docs::page, out.resolve("pages.ids"));
    loader.load(posts, docs::post, out.resolve("posts.ids"));
    double sent = (System.nanoTime() - started) / 1e9;
    long expected = (long) posts + pages;
    while (indexed(http, url, key) < expected) {
      Thread.sleep(100);
    }
    double indexed = (System.nanoTime() - started) / 1e9;
    System.out.printf("bank %d: %,d documents (%,d pages, %,d posts), %,.0f MB of text, %,.0f MB of signals in %,d batches;"
            + " imported in %.1f s, all in the text index after %.1f s (%,.0f documents/s); hashing took %.1f s of CPU here%n",
        bankId, expected, pages, posts, loader.textBytes.get() / 1e6, loader.signalBytes / 1e6, loader.batches, sent, indexed,
        expected / indexed, loader.hashNanos.get() / 1e9);
  }

  /** Entries in the server's text index, from the Prometheus metrics. */
  static long indexed(HttpClient http, String url, String key) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/metrics")).header("Authorization", "Bearer " + key).build();
    String metrics = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("countersignal_index_entries{") && line.contains("type=\"text\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no text index size in /metrics");
  }

  static JsonNode send(HttpClient http, String url, String key, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + ": HTTP " + response.statusCode() + ": " + abbreviated(response.body()));
    }
    return JSON.readTree(response.body());
  }

  private static String abbreviated(String text) {
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }

  private static final class Loader {
    private final HttpClient http;
    private final String url;
    private final String key;
    final AtomicLong textBytes = new AtomicLong();
    final AtomicLong hashNanos = new AtomicLong();
    long signalBytes;
    int batches;
    // One batch in flight at a time, on its own thread: the common pool hashes.
    private final ExecutorService poster = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "poster");
      thread.setDaemon(true);
      return thread;
    });

    Loader(HttpClient http, String url, String key) {
      this.http = http;
      this.url = url;
      this.key = key;
    }

    interface Docs {
      String text(long n);
    }

    /** Documents 0..count-1 of one kind, in batches; their entry ids in order to {@code ids}. */
    void load(int count, Docs docs, Path ids) throws Exception {
      try (PrintWriter idsOut = new PrintWriter(Files.newBufferedWriter(ids, StandardCharsets.US_ASCII))) {
        Future<JsonNode> pending = null;
        ArrayDeque<String> hashed = new ArrayDeque<>();
        int next = 0;
        while (next < count || !hashed.isEmpty()) {
          List<String> entries = new ArrayList<>();
          long bytes = 0;
          while (entries.size() < BATCH_ENTRIES) {
            if (hashed.isEmpty()) {
              if (next == count) {
                break;
              }
              // Hashed in slices on every core; what does not fit this batch starts the next one.
              int from = next;
              next = Math.min(count, from + 256);
              hashed.addAll(IntStream.range(from, next).parallel().mapToObj(n -> signal(docs.text(n))).toList());
            }
            long entryBytes = hashed.peek().length() + 24;
            if (!entries.isEmpty() && bytes + entryBytes > BATCH_BYTES) {
              break;
            }
            entries.add(hashed.poll());
            bytes += entryBytes;
          }
          if (pending != null) {
            writeIds(pending.get(), idsOut);
          }
          pending = post(entries);
          signalBytes += bytes;
          batches++;
        }
        if (pending != null) {
          writeIds(pending.get(), idsOut);
        }
      }
    }

    private String signal(String text) {
      long started = System.nanoTime();
      try {
        String signal = TextSignalType.INSTANCE.format(TextSignalType.INSTANCE.hash(text));
        textBytes.addAndGet(text.length());
        return signal;
      } catch (ContentException e) {
        throw new IllegalStateException(e);
      } finally {
        hashNanos.addAndGet(System.nanoTime() - started);
      }
    }

    private Future<JsonNode> post(List<String> signals) {
      StringBuilder body = new StringBuilder("{\"entries\":[");
      for (int i = 0; i < signals.size(); i++) {
        // Signals are hex, digits, base64url and colons: nothing to escape.
        body.append(i == 0 ? "" : ",").append("{\"signals\":{\"text\":\"").append(signals.get(i)).append("\"}}");
      }
      String json = body.append("]}").toString();
      return poster.submit(() -> send(http, url, key, json));
    }

    private static void writeIds(JsonNode imported, PrintWriter ids) {
      for (JsonNode id : imported.get("entry_ids")) {
        ids.println(id.asLong());
      }
    }
  }
}
