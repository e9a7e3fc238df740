import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast an incident declared on instance A reaches instance B, which follows one of A's feeds
 * with an exchange that proposes A's incidents. Each round: declare an incident on A and add a
 * fresh random PDQ hash to its bank; ask B's incident list until the proposal is there (declared
 * to proposed); accept it on B and ask B's {@code POST /api/v1/match} until the hash matches
 * (accepted to matching, the "within 1 s"); add a second hash on A and ask B until it
 * matches (added on A to matching on B, B now waiting on the incident's own feed); close the
 * incident on A. A latency runs from just before the call that starts it to B's first answer
 * showing its effect; A's own answers to the declaration and to the add are the anchors.
 *
 * <p>With BUSY_EXCHANGE set (the id on B of an exchange that has just started fetching a large
 * feed), the rounds run while that fetch goes on, and stop when it is up to date: the incident's
 * discovery and its exchange must go ahead of that traffic.
 *
 * <pre>
 *   java bench/federation/IncidentLatency.java A_URL A_KEY B_URL B_KEY ROUNDS WARMUP
 * </pre>
 *
 * Environment: POLL_PAUSE_MS (default 1), TIMEOUT_S (default 30), BUSY_EXCHANGE.
 */
public final class IncidentLatency {

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
  private static final Pattern BANK = Pattern.compile("\"bank_id\":(\\d+)");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String a;
  private final String aKey;
  private final String b;
  private final String bKey;
  private final long pauseMillis;
  private final long timeoutNanos;

  private IncidentLatency(String a, String aKey, String b, String bKey, long pauseMillis, long timeoutNanos) {
    this.a = a;
    this.aKey = aKey;
    this.b = b;
    this.bKey = bKey;
    this.pauseMillis = pauseMillis;
    this.timeoutNanos = timeoutNanos;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: java IncidentLatency.java A_URL A_KEY B_URL B_KEY ROUNDS WARMUP");
      System.exit(2);
    }
    long pause = Long.parseLong(System.getenv().getOrDefault("POLL_PAUSE_MS", "1"));
    long timeout = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("TIMEOUT_S", "30"))).toNanos();
    new IncidentLatency(args[0].replaceAll("/+$", ""), args[1], args[2].replaceAll("/+$", ""), args[3], pause, timeout)
        .run(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
  }

  private void run(int rounds, int warmup) throws Exception {
    String busy = System.getenv("BUSY_EXCHANGE");
    int done = 0;
    Map<String, List<Long>> results = new LinkedHashMap<>();
    for (String what : List.of("declared on A to proposed on B", "accepted on B to matching on B",
        "added on A to matching on B (accepted incident)", "A's answer to the declaration (anchor)", "A's answer to the add (anchor)",
        "B's answer to the accept (anchor)")) {
      results.put(what, new ArrayList<>());
    }
    int missed = 0;
    SplittableRandom random = new SplittableRandom();
    for (int round = -warmup; round < rounds; round++) {
      boolean measured = round >= 0;
      if (busy != null && send(b, bKey, "GET", "/api/v1/exchanges/" + busy, null).body().contains("\"up_to_date\":true")) {
        break;
      }
      long sent = System.nanoTime();
      HttpResponse<String> declared = send(a, aKey, "POST", "/api/v1/incidents",
          "{\"name\":\"latency round " + round + "\",\"kind\":\"attack_livestreamed\",\"level\":\"content_incident_protocol\"}");
      long answered = System.nanoTime();
      expect(declared, 201, "declaring on A");
      long incident = number(ID, declared.body());
      long bank = number(BANK, declared.body());
      String first = pdq(random);
      expect(send(a, aKey, "POST", "/api/v1/banks/" + bank + "/entries", "{\"signals\":{\"pdq\":\"" + first + "\"}}"), 201, "adding on A");

      long[] proposal = new long[1];
      long proposed = await(sent, () -> {
        String list = send(b, bKey, "GET", "/api/v1/incidents?status=proposed", null).body();
        Matcher m = Pattern.compile("\"id\":(\\d+)[^{}]*?\"origin_id\":" + incident + "[,}]").matcher(list);
        if (m.find()) {
          proposal[0] = Long.parseLong(m.group(1));
          return true;
        }
        return false;
      });
      if (proposed < 0) {
        missed++;
        System.err.printf(Locale.ROOT, "round %d: A's incident %d was not proposed on B within the limit%n", round, incident);
        continue;
      }

      long accepting = System.nanoTime();
      HttpResponse<String> accepted = send(b, bKey, "POST", "/api/v1/incidents/" + proposal[0] + "/accept", null);
      long acceptAnswered = System.nanoTime();
      expect(accepted, 200, "accepting on B");
      long matching = await(accepting, () -> matches(first));

      String later = pdq(random);
      long adding = System.nanoTime();
      HttpResponse<String> added = send(a, aKey, "POST", "/api/v1/banks/" + bank + "/entries", "{\"signals\":{\"pdq\":\"" + later + "\"}}");
      long addAnswered = System.nanoTime();
      expect(added, 201, "adding on A");
      long laterMatching = await(adding, () -> matches(later));
      expect(send(a, aKey, "PATCH", "/api/v1/incidents/" + incident, "{\"status\":\"closed\"}"), 200, "closing on A");
      if (matching < 0 || laterMatching < 0) {
        missed++;
        System.err.printf(Locale.ROOT, "round %d: B's incident %d (A's %d) did not match %s within the limit%n", round, proposal[0], incident,
            matching < 0 ? "after the accept" : "the hash added later");
        continue;
      }
      if (measured) {
        done++;
        results.get("declared on A to proposed on B").add(proposed - sent);
        results.get("accepted on B to matching on B").add(matching - accepting);
        results.get("added on A to matching on B (accepted incident)").add(laterMatching - adding);
        results.get("A's answer to the declaration (anchor)").add(answered - sent);
        results.get("A's answer to the add (anchor)").add(addAnswered - adding);
        results.get("B's answer to the accept (anchor)").add(acceptAnswered - accepting);
      }
    }
    System.out.printf(Locale.ROOT, "%d rounds measured after %d warm-up, %d missed (a %d s limit)%s%n%n", done, warmup, missed,
        timeoutNanos / 1_000_000_000L, busy == null ? "" : "; every round began while B's exchange " + busy + " was fetching");
    System.out.println("| from | n | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    results.forEach((what, nanos) -> {
      List<Long> sorted = nanos.stream().sorted().toList();
      System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", what, sorted.size(), ms(sorted, 0.50), ms(sorted, 0.90),
          ms(sorted, 0.99), ms(sorted, 1.0));
    });
  }

  private boolean matches(String pdq) {
    HttpResponse<String> answer = send(b, bKey, "POST", "/api/v1/match", "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    expect(answer, 200, "matching on B");
    return answer.body().contains("\"entry_id\"");
  }

  /** Asks until {@code done}; the time of the first answer that said so, or -1 past the timeout. */
  private long await(long since, BooleanSupplier done) throws InterruptedException {
    while (System.nanoTime() - since < timeoutNanos) {
      if (done.getAsBoolean()) {
        return System.nanoTime();
      }
      if (pauseMillis > 0) {
        Thread.sleep(pauseMillis);
      }
    }
    return -1;
  }

  private HttpResponse<String> send(String base, String key, String method, String path, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
        .timeout(Duration.ofSeconds(30));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + base + path + ": " + e, e);
    }
  }

  private static String pdq(SplittableRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static long number(Pattern pattern, String body) {
    Matcher m = pattern.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException(pattern + " not in " + body);
    }
    return Long.parseLong(m.group(1));
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }
  }

  private static String ms(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return "-";
    }
    int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(quantile * sorted.size()) - 1));
    double millis = sorted.get(index) / 1e6;
    return millis < 10 ? String.format(Locale.ROOT, "%.1f ms", millis) : String.format(Locale.ROOT, "%.0f ms", millis);
  }
}
