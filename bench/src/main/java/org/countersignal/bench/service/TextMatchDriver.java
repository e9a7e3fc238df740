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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Sends 50 KB plain texts to {@code POST /api/v1/match/text} one at a time and reports the
 * latency distribution, per kind of query and over all, and whether the expected hits came back.
 * Four kinds, in turn:
 *
 * <ul>
 *   <li>{@code other}: 50 KB of Vim's help files, which share nothing with the bank: most of what a
 *       platform sends.
 *   <li>{@code post}: {@code other} text with a whole banked post (2–5 KB) in it, among the first
 *       {@link #PLANT_POSTS} posts so that the small anchor bank has it too.
 *   <li>{@code page}: {@code other} text with a 2 KB passage of a banked 50 KB page (one of the
 *       first {@link #PLANT_PAGES}).
 *   <li>{@code bible}: 50 KB of consecutive King James text, the worst case this bank allows: each
 *       of its verses is in many banked documents (about 20 verses a post), so it shares single
 *       verses with thousands of them, and the longest verses (50 to 90 words, half a chunk) are
 *       real shared passages that match within the default threshold. No hit is expected; how many
 *       come back is reported.
 * </ul>
 *
 * The same seed gives the same queries whatever the bank size. Latency is the wall time of
 * {@code HttpClient.send}, request written to response read, over one kept-alive connection.
 *
 * <pre>java -cp benchmarks.jar org.countersignal.bench.service.TextMatchDriver URL KEY KJV VIM_DOC IDS_DIR WARMUP QUERIES OUT_PREFIX</pre>
 *
 * Writes OUT_PREFIX.txt (the summary, also printed) and OUT_PREFIX.latencies (kind,
 * microseconds, text matches and bytes of the answer, one request a line).
 */
public final class TextMatchDriver {

  static final int PLANT_POSTS = 990;
  static final int PLANT_PAGES = 10;
  static final int QUERY_CHARS = TextBankDocs.PAGE_CHARS;
  static final int PASSAGE_CHARS = 2 * 1024;
  static final String[] KINDS = {"other", "post", "page", "bible"};

  private record Query(String kind, byte[] body, long expectedEntry) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println("usage: TextMatchDriver URL KEY KJV VIM_DOC IDS_DIR WARMUP QUERIES OUT_PREFIX");
      System.exit(2);
    }
    String url = args[0] + "/api/v1/match/text";
    String key = args[1];
    TextBankDocs docs = new TextBankDocs(Path.of(args[2]));
    String help = helpFiles(Path.of(args[3]));
    long[] posts = ids(Path.of(args[4], "posts.ids"));
    long[] pages = ids(Path.of(args[4], "pages.ids"));
    int warmup = Integer.parseInt(args[5]);
    int measured = Integer.parseInt(args[6]);
    String out = args[7];

    ObjectMapper json = new ObjectMapper();
    SplittableRandom random = new SplittableRandom(2718);
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < warmup + measured; i++) {
      String kind = KINDS[i % KINDS.length];
      String text;
      long expected = -1;
      switch (kind) {
        case "other" -> text = other(help, random, null);
        case "post" -> {
          int n = random.nextInt(Math.min(PLANT_POSTS, posts.length));
          text = other(help, random, docs.post(n));
          expected = posts[n];
        }
        case "page" -> {
          int n = random.nextInt(Math.min(PLANT_PAGES, pages.length));
          String page = docs.page(n);
          int from = page.indexOf(' ', random.nextInt(page.length() - 2 * PASSAGE_CHARS)) + 1;
          text = other(help, random, TextBankDocs.cut(page.substring(from, from + PASSAGE_CHARS + 100), PASSAGE_CHARS));
          expected = pages[n];
        }
        default -> text = bible(docs, random);
      }
      queries.add(new Query(kind, json.writeValueAsBytes(Map.of("text", text)), expected));
    }

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    Map<String, List<Long>> micros = new java.util.LinkedHashMap<>();
    Map<String, int[]> found = new java.util.LinkedHashMap<>(); // kind: {expected, found, responses, text matches}
    try (PrintWriter latencies = new PrintWriter(Files.newBufferedWriter(Path.of(out + ".latencies"), StandardCharsets.US_ASCII))) {
      for (int i = 0; i < queries.size(); i++) {
        Query query = queries.get(i);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(query.body())).build();
        long started = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long took = (System.nanoTime() - started) / 1000;
        if (response.statusCode() != 200) {
          throw new IllegalStateException("HTTP " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        if (i < warmup) {
          continue;
        }
        micros.computeIfAbsent(query.kind(), k -> new ArrayList<>()).add(took);

        int[] counts = found.computeIfAbsent(query.kind(), k -> new int[4]);
        counts[2]++;
        int textMatches = 0;
        for (JsonNode match : json.readTree(response.body()).get("matches")) {
          if ("text".equals(match.path("signal_type").asText())) {
            textMatches++;
            if (match.path("entry_id").asLong() == query.expectedEntry()) {
              counts[1]++;
            }
          }
        }
        counts[3] += textMatches;
        // What a slow request had: its text matches and the bytes of its answer.
        latencies.println(query.kind() + " " + took + " " + textMatches + " " + response.body().length);
        if (query.expectedEntry() >= 0) {
          counts[0]++;
        }
      }
    }
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

    StringBuilder summary = new StringBuilder();
    summary.append(String.format("%,d queries of %,d characters after %,d warm-up, one at a time; load average before [%s], after [%s]%n",
        measured, QUERY_CHARS, warmup, loadBefore, loadAfter));
    summary.append(String.format("%-7s %7s %9s %9s %9s %9s %9s  %s%n", "kind", "queries", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms",
        "expected hits found; text matches a query"));
    // "typical": the kinds that share at most the planted passage with the bank.
    Map<String, List<String>> rows = new java.util.LinkedHashMap<>();
    for (String kind : KINDS) {
      rows.put(kind, List.of(kind));
    }
    rows.put("typical", List.of("other", "post", "page"));
    rows.put("all", List.of(KINDS));
    for (Map.Entry<String, List<String>> row : rows.entrySet()) {
      long[] sorted = row.getValue().stream().flatMap(k -> micros.get(k).stream()).mapToLong(Long::longValue).sorted().toArray();
      int[] counts = total(row.getValue().stream().map(found::get).toList());
      String hits = (counts[0] > 0 ? counts[1] + " of " + counts[0] : "none expected") + "; "
          + String.format("%.2f", (double) counts[3] / counts[2]);
      summary.append(String.format("%-7s %7d %9.2f %9.2f %9.2f %9.2f %9.2f  %s%n", row.getKey(), sorted.length,
          pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e3,
          Arrays.stream(sorted).average().orElse(0) / 1e3, hits));
    }
    System.out.print(summary);
    Files.writeString(Path.of(out + ".txt"), summary);
  }

  private static int[] total(List<int[]> found) {
    int[] sum = new int[4];
    for (int[] counts : found) {
      for (int i = 0; i < 4; i++) {
        sum[i] += counts[i];
      }
    }
    return sum;
  }

  /** The nearest-rank percentile, in milliseconds. */
  private static double pct(long[] sorted, double q) {
    return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e3;
  }

  /** 50 KB of consecutive verses from a random start, a blank line after every fourth. */
  private static String bible(TextBankDocs docs, SplittableRandom random) {
    List<String> verses = docs.verses();
    int start = random.nextInt(verses.size() - 1000);
    StringBuilder text = new StringBuilder(QUERY_CHARS + 1000);
    for (int v = start; text.length() < QUERY_CHARS; v++) {
      text.append(verses.get(v)).append((v - start) % 4 == 3 ? "\n\n" : " ");
    }
    return TextBankDocs.cut(text, QUERY_CHARS);
  }

  /** 50 KB of the help files from a random line; with {@code planted} (when not null) at a random line in it. */
  private static String other(String help, SplittableRandom random, String planted) {
    int from = help.indexOf('\n', random.nextInt(help.length() - 2 * QUERY_CHARS)) + 1;
    String text = help.substring(from, from + QUERY_CHARS + 100);
    if (planted != null) {
      int at = text.indexOf('\n', random.nextInt(QUERY_CHARS - planted.length() - 200)) + 1;
      text = text.substring(0, at) + "\n" + planted + "\n\n" + text.substring(at);
    }
    return TextBankDocs.cut(text, QUERY_CHARS);
  }

  /** Vim's help files, concatenated in name order. */
  private static String helpFiles(Path dir) throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
      }
    }
    return text.toString();
  }

  private static long[] ids(Path file) throws IOException {
    return Files.readAllLines(file).stream().mapToLong(Long::parseLong).toArray();
  }
}
