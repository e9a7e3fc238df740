package org.countersignal.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.countersignal.bench.abuse.EndlessBody;

/**
 * The attack of docs/RELIABILITY.md mixed into the load, each finding at a steady rate: bodies
 * that never end, matches asking for huge hit counts, decompression bombs and bursts of large
 * images, one key flooding past its rate limit, malformed and loosely typed JSON, and URLs that
 * point inside. Each gets the refusal its fix gives; any other answer is listed as unexpected.
 */
final class Abuse {

  static final Duration ENDLESS_EVERY = Duration.ofSeconds(10);
  static final long ENDLESS_LIMIT = 64L << 20;
  /**
   * Each costs the server about half a second of CPU with 100,000 other entries in the index (the
   * radius of 256 reaches every entry of every bank): one a second took half of the two cores.
   */
  static final double HIT_EXPLOSIONS = 0.25;
  static final int HIT_EXPLOSION_VALUES = 64;
  static final Duration BOMB_EVERY = Duration.ofSeconds(3);
  static final Duration LARGE_BURST_EVERY = Duration.ofSeconds(15);
  static final int LARGE_BURST = 12;
  /** The flooding key's own limit, a second and in a burst. */
  static final int FLOODER_LIMIT = 20;
  static final int FLOODER_BURST = 40;
  /** Ten times the flooding key's limit; every 429 closes its connection, so each costs the server a new one. */
  static final double FLOOD = 200;
  static final int FLOOD_CONNECTIONS = 2;
  static final double MALFORMED = 10;
  static final double HOSTILE_URLS = 2;

  static String rates() {
    return String.format("two chunked bodies of up to %d MB every %d s (a sign-in form, a JSON batch), a match of %d PDQ values "
        + "against a bank at threshold 256 (%,d entries) every %.0f s, a PNG bomb (10000x10000 16-bit RGBA) every %d s and a burst of "
        + "%d PNGs of 2000x2000 every %d s, %.0f lookups/s from a key limited to %d/s (burst %d), %.0f malformed or loosely typed "
        + "JSON bodies/s, %.0f URLs pointing inside/s",
        ENDLESS_LIMIT >> 20, ENDLESS_EVERY.toSeconds(), HIT_EXPLOSION_VALUES, Fixture.WIDE_BANKED, 1 / HIT_EXPLOSIONS,
        BOMB_EVERY.toSeconds(), LARGE_BURST, LARGE_BURST_EVERY.toSeconds(), FLOOD, FLOODER_LIMIT, FLOODER_BURST, MALFORMED, HOSTILE_URLS);
  }

  final Tally endless = new Tally("abuse: endless chunked bodies", true);
  final Tally hits = new Tally("abuse: hit-count explosions", true);
  final Tally bombs = new Tally("abuse: decompression bombs", true);
  final Tally large = new Tally("abuse: bursts of large images", true);
  final Tally flood = new Tally("abuse: one key's flood", true);
  final Tally malformed = new Tally("abuse: malformed JSON", true);
  final Tally urls = new Tally("abuse: URLs pointing inside", true);

  private final Http http;
  private final Fixture fixture;
  private final Schedule schedule;
  private final byte[] bomb = Media.pngBomb(10_000, 10_000);
  private final byte[] largePng = Media.largePng();
  private final List<HttpRequest> malformedRequests;
  private final List<String> hostileUrls;
  private final AtomicLong sequence = new AtomicLong();

  Abuse(Http http, Fixture fixture, Schedule schedule) {
    this.http = http;
    this.fixture = fixture;
    this.schedule = schedule;
    this.malformedRequests = malformedRequests();
    int port = http.base().getPort();
    this.hostileUrls = List.of("http://127.0.0.1:" + port + "/health/live", "http://localhost:" + port + "/api/v1/keys",
        "http://169.254.169.254/latest/meta-data/", "http://0177.0.0.1/", "http://2130706433/", "http://127.1/",
        "http://10.0.0.1/a.jpg", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://user:secret@127.0.0.1/",
        "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO");
  }

  List<Tally> tallies() {
    return List.of(endless, hits, bombs, large, flood, malformed, urls);
  }

  /** Starts the attacks named in {@code streams} (endless, hits, bombs, large, flood, malformed, urls), or all. */
  void start(Set<String> streams) {
    Predicate<String> on = name -> streams.contains("all") || streams.contains(name);
    if (on.test("endless")) {
      schedule.every(Duration.ofSeconds(2), ENDLESS_EVERY, () -> endless("/console/sign-in", "application/x-www-form-urlencoded",
          "Cookie: cs_console_sign_in=" + "a".repeat(43)));
      schedule.every(Duration.ofSeconds(3), ENDLESS_EVERY, () -> endless("/api/v1/match/batch", "application/json",
          "Authorization: Bearer " + fixture.abuser));
    }
    if (on.test("hits")) {
      schedule.rate(HIT_EXPLOSIONS, this::hitExplosion);
    }
    if (on.test("bombs")) {
      schedule.every(Duration.ofSeconds(1), BOMB_EVERY, () -> http.send(bombs,
          http.bytes("/api/v1/match/upload?banks=" + fixture.ordinaryBankParam(), fixture.abuser, "image/png", bomb),
          Http.refusedWith(Set.of(422, 503), Set.of())));
    }
    if (on.test("large")) {
      schedule.every(Duration.ofSeconds(5), LARGE_BURST_EVERY, () -> {
        for (int i = 0; i < LARGE_BURST; i++) {
          http.send(large, http.bytes("/api/v1/hash", fixture.abuser, "image/png", largePng), Http.refusedWith(Set.of(503), Set.of(200)));
        }
      });
    }
    if (on.test("flood")) {
      schedule.paced(new PacedConnections(http.base(), FLOOD_CONNECTIONS, FLOOD, schedule.ramp(), this::floodLookup, flood,
          Http.refusedWith(Set.of(429), Set.of(200)), http.phase()));
    }
    if (on.test("malformed")) {
      schedule.rate(MALFORMED, () -> http.send(malformed,
          malformedRequests.get((int) (sequence.incrementAndGet() % malformedRequests.size())),
          Http.refusedWith(Set.of(400, 415, 422), Set.of())));
    }
    if (on.test("urls")) {
      schedule.rate(HOSTILE_URLS, () -> http.send(urls, http.json("POST", "/api/v1/match/url", fixture.abuser,
          Map.of("url", hostileUrls.get((int) (sequence.incrementAndGet() % hostileUrls.size())))),
          Http.refusedWith(Set.of(400, 422), Set.of())));
    }
  }

  private byte[] floodLookup() {
    return PacedConnections.post(http.base(), "/api/v1/match", fixture.flooder, "application/json", Http.bytes(Map.of(
        "signals", Map.of("pdq", Media.hex(Media.randomPdq(ThreadLocalRandom.current()))), "banks", fixture.ordinaryBanks())));
  }

  private void endless(String path, String contentType, String credentials) {
    long start = System.nanoTime();
    EndlessBody.Outcome outcome = EndlessBody.send(http.base(), path, List.of("Content-Type: " + contentType, credentials), ENDLESS_LIMIT, 60_000);
    boolean refused = outcome.status().equals("413") || outcome.status().equals("reset");
    endless.record(outcome.status(), refused ? Tally.Verdict.REFUSED : Tally.Verdict.ERROR, (System.nanoTime() - start) / 1000,
        http.phase().measured(start), http.phase().second(start),
        "POST " + path + " chunked: " + outcome.status() + " after " + (outcome.bytesSent() >> 20) + " MB sent");
  }

  /** 64 random hashes against every entry of the wide bank: answered, but capped at 1,000 hits and said so. */
  private void hitExplosion() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < HIT_EXPLOSION_VALUES; i++) {
      values.add(Media.hex(Media.randomPdq(random)));
    }
    http.send(hits, http.json("POST", "/api/v1/match", fixture.abuser, Map.of("signals", Map.of("pdq", values),
        "banks", List.of(fixture.wideBank))), (status, headers, body) -> {
          if (status == 429 && headers.firstValue("Retry-After").isPresent()) {
            return Tally.Verdict.REFUSED;
          }
          return status == 200 && capped(body) ? Tally.Verdict.ANSWERED : Tally.Verdict.ERROR;
        });
  }

  private static boolean capped(String body) {
    try {
      JsonNode answer = Http.JSON.readTree(body);
      return answer.path("truncated").asBoolean() && answer.path("matches").size() <= 1000;
    } catch (IOException e) {
      return false;
    }
  }

  /** Bodies the strict reading refuses (400), malformed signals (422), and a wrong content type (415); none may be taken. */
  private List<HttpRequest> malformedRequests() {
    String pdq = Media.hex(Media.randomPdq(ThreadLocalRandom.current()));
    String match = "/api/v1/match";
    String matcher = fixture.abuser;
    String curator = fixture.abusingCurator;
    List<HttpRequest> requests = new ArrayList<>();
    for (String body : List.of(
        "{\"signals\":{\"pdq\":\"" + pdq.substring(0, 20),
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"banks\":[\"" + fixture.mainBank + "\"]}",
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"banks\":[" + fixture.mainBank + ".9]}",
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"signals\":{\"pdq\":\"" + pdq + "\"}}",
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"record\":\"false\"}",
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"lookup\":true}",
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"post\\u0000\\u202e1\",\"account\":\"a\"}}",
        "{\"signals\":{\"pdq\":\"zz" + pdq.substring(2) + "\"}}",
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"banks\":[1e999999]}",
        "[".repeat(5000) + "]".repeat(5000),
        "\"" + pdq + "\"")) {
      requests.add(raw(match, matcher, "application/json", body));
    }
    requests.add(raw(match, matcher, "text/plain", "{\"signals\":{\"pdq\":\"" + pdq + "\"}}"));
    requests.add(raw("/api/v1/banks", curator, "application/json", "{\"name\":\"soak \\u202egnikcab\"}"));
    requests.add(raw("/api/v1/banks", curator, "application/json", "{\"name\":\"soak loose\",\"thresholds\":{\"pdq\":30.9}}"));
    requests.add(raw("/api/v1/banks", curator, "application/json", "{\"name\":\"soak loose\",\"enabled\":\"false\"}"));
    requests.add(raw("/api/v1/banks/" + fixture.wideBank + "/entries/batch", curator, "application/json",
        "{\"entries\":[{\"signals\":{\"pdq\":\"" + pdq + "\"}},{\"signals\":{\"pdq\":\"" + "0".repeat(64) + "\"}},"
            + "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"note\":\"bell\\u0007\"}]}"));
    return requests;
  }

  private HttpRequest raw(String path, String key, String contentType, String body) {
    return http.request(path, key).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
