import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a change made on instance A takes to show in matching on the instances (or replicas)
 * that follow A's feed. Each round adds one entry with a fresh random PDQ hash to bank BANK_ID on
 * A, then asks every follower {@code POST /api/v1/match} for that hash, one after the other in a
 * loop (a pause of POLL_PAUSE_MS after each turn round them), until each has answered
 * with a match; a follower's latency is the receipt of its first matching answer minus the moment
 * just before the call to A was sent. Then the entry is removed on A, disabled in even rounds and
 * deleted in odd ones, and the followers are asked until none matches it. The time of A's call
 * alone, send to answer, is the anchor. Prints a Markdown table of p50, p90, p99 and max. A
 * figure is late by at most one turn round the followers (their asks and the pause): the
 * resolution, shown as the time an ask takes.
 *
 * <p>Run with a JDK 25 source launcher:
 *
 * <pre>
 *   java bench/federation/PeerLatency.java A_URL A_KEY BANK_ID ROUNDS WARMUP NAME=URL=KEY [NAME=URL=KEY ...]
 * </pre>
 *
 * Environment: POLL_PAUSE_MS (default 1; 0 asks without a pause), TIMEOUT_S (default 30: a
 * follower that has not caught up by then counts as missed for the round).
 */
public final class PeerLatency {

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private record Follower(String name, URI match, String key) {}

  /** One kind of measurement: its samples in nanoseconds, and the rounds it missed. */
  private static final class Samples {
    final List<Long> nanos = new ArrayList<>();
    int missed;
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final long pauseMillis;
  private final long timeoutNanos;
  private long polls;
  private long pollNanos;

  private PeerLatency(long pauseMillis, long timeoutNanos) {
    this.pauseMillis = pauseMillis;
    this.timeoutNanos = timeoutNanos;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: java PeerLatency.java A_URL A_KEY BANK_ID ROUNDS WARMUP NAME=URL=KEY [NAME=URL=KEY ...]");
      System.exit(2);
    }
    String a = args[0].replaceAll("/+$", "");
    String aKey = args[1];
    long bank = Long.parseLong(args[2]);
    int rounds = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    List<Follower> followers = new ArrayList<>();
    for (int i = 5; i < args.length; i++) {
      String[] parts = args[i].split("=", 3);
      followers.add(new Follower(parts[0], URI.create(parts[1].replaceAll("/+$", "") + "/api/v1/match"), parts[2]));
    }
    long pause = Long.parseLong(System.getenv().getOrDefault("POLL_PAUSE_MS", "1"));
    long timeout = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("TIMEOUT_S", "30"))).toNanos();
    new PeerLatency(pause, timeout).run(a, aKey, bank, rounds, warmup, followers);
  }

  private void run(String a, String aKey, long bank, int rounds, int warmup, List<Follower> followers) throws Exception {
    Map<String, Samples> results = new LinkedHashMap<>();
    for (String what : List.of("add", "remove", "disable", "delete")) {
      for (Follower f : followers) {
        results.put(what + " " + f.name(), new Samples());
      }
    }
    Samples aAdd = new Samples();
    Samples aDisable = new Samples();
    Samples aDelete = new Samples();
    SplittableRandom random = new SplittableRandom();
    URI entries = URI.create(a + "/api/v1/banks/" + bank + "/entries");
    long started = System.nanoTime();
    long measuredPolls = 0;
    for (int round = -warmup; round < rounds; round++) {
      boolean measured = round >= 0;
      long pollsBefore = polls;
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String hash = HexFormat.of().formatHex(bytes);
      String match = "{\"signals\":{\"pdq\":\"" + hash + "\"}}";

      long sent = System.nanoTime();
      HttpResponse<String> created = http.send(post(entries, aKey,
          "{\"signals\":{\"pdq\":\"" + hash + "\"},\"note\":\"peering latency benchmark\"}"), HttpResponse.BodyHandlers.ofString());
      long answered = System.nanoTime();
      expect(created, 201, "adding an entry on A");
      Matcher id = ID.matcher(created.body());
      if (!id.find()) {
        throw new IllegalStateException("no entry id in A's answer: " + created.body());
      }
      long entry = Long.parseLong(id.group(1));
      long[] seen = awaitOnFollowers(followers, match, true, sent);
      if (measured) {
        aAdd.nanos.add(answered - sent);
        record(results, "add", followers, seen, sent);
      }

      boolean disable = Math.floorMod(round, 2) == 0;
      URI removal = URI.create(a + "/api/v1/entries/" + entry + (disable ? "/disable" : ""));
      HttpRequest request = disable
          ? post(removal, aKey, "{\"reason\":\"peering latency benchmark: removal\"}")
          : HttpRequest.newBuilder(removal).header("Authorization", "Bearer " + aKey).DELETE().build();
      sent = System.nanoTime();
      HttpResponse<String> removed = http.send(request, HttpResponse.BodyHandlers.ofString());
      answered = System.nanoTime();
      expect(removed, disable ? 200 : 204, disable ? "disabling an entry on A" : "deleting an entry on A");
      seen = awaitOnFollowers(followers, match, false, sent);
      if (measured) {
        (disable ? aDisable : aDelete).nanos.add(answered - sent);
        record(results, "remove", followers, seen, sent);
        record(results, disable ? "disable" : "delete", followers, seen, sent);
        measuredPolls += polls - pollsBefore;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    System.out.printf(Locale.ROOT, "%d rounds (after %d warm-up) in %.1f s; followers asked in turn with a pause of %d ms between turns,"
        + " %.1f asks a round, an ask answered in %.2f ms on average%n",
        rounds, warmup, seconds, pauseMillis, rounds == 0 ? 0.0 : (double) measuredPolls / rounds, polls == 0 ? 0.0 : pollNanos / 1e6 / polls);
    System.out.println();
    System.out.println("| from the call to A to | n | p50 | p90 | p99 | max | missed |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Follower f : followers) {
      row("match on " + f.name() + " (add)", results.get("add " + f.name()));
    }
    for (Follower f : followers) {
      row("no match on " + f.name() + " (disable or delete)", results.get("remove " + f.name()));
      row("  disable only", results.get("disable " + f.name()));
      row("  delete only", results.get("delete " + f.name()));
    }
    row("A's answer to the add (anchor)", aAdd);
    row("A's answer to the disable (anchor)", aDisable);
    row("A's answer to the delete (anchor)", aDelete);
  }

  /**
   * Asks each follower in turn until every one gives the wanted answer (a match, or none), and
   * returns the time of each one's first such answer (-1 if it never came within the timeout).
   */
  private long[] awaitOnFollowers(List<Follower> followers, String match, boolean wantMatch, long since) throws Exception {
    long[] seen = new long[followers.size()];
    Arrays.fill(seen, -1);
    int pending = followers.size();
    while (pending > 0) {
      for (int i = 0; i < followers.size(); i++) {
        if (seen[i] >= 0) {
          continue;
        }
        Follower f = followers.get(i);
        long asked = System.nanoTime();
        HttpResponse<String> answer = http.send(post(f.match(), f.key(), match), HttpResponse.BodyHandlers.ofString());
        long now = System.nanoTime();
        polls++;
        pollNanos += now - asked;
        expect(answer, 200, "matching on " + f.name());
        if (answer.body().contains("\"entry_id\"") == wantMatch) {
          seen[i] = now;
          pending--;
        }
      }
      long now = System.nanoTime();
      if (now - since > timeoutNanos) {
        break;
      }
      if (pending > 0 && pauseMillis > 0) {
        Thread.sleep(pauseMillis);
      }
    }
    return seen;
  }

  private static void record(Map<String, Samples> results, String what, List<Follower> followers, long[] seen, long sent) {
    for (int i = 0; i < followers.size(); i++) {
      Samples samples = results.get(what + " " + followers.get(i).name());
      if (seen[i] < 0) {
        samples.missed++;
      } else {
        samples.nanos.add(seen[i] - sent);
      }
    }
  }

  private static void row(String label, Samples samples) {
    long[] sorted = samples.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      System.out.printf("| %s | 0 | | | | | %d |%n", label, samples.missed);
      return;
    }
    System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d |%n", label, sorted.length,
        ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.90)), ms(percentile(sorted, 0.99)), ms(sorted[sorted.length - 1]),
        samples.missed);
  }

  /** The nearest-rank percentile: the smallest sample with at least {@code p} of them at or below it. */
  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, nanos < 10_000_000 ? "%.2f ms" : "%.0f ms", nanos / 1e6);
  }

  private static HttpRequest post(URI uri, String key, String json) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }
  }
}
