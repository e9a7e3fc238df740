package org.countersignal.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What a platform does all day, each at a steady rate: lookups by PDQ hash (the headline),
 * image uploads, submissions that fire rules (whose events go to the webhook), bulk imports and
 * deletes, video jobs, and a moderator reading console pages.
 */
final class Load {

  /**
   * Lookups a second: a few percent of what the server answers on two cores (about 11,000/s). Over
   * {@link #LOOKUP_CONNECTIONS} kept-alive connections, enough that a server slowed to tens of
   * milliseconds an answer is still offered the full rate.
   */
  static final double LOOKUPS = 500;
  static final int LOOKUP_CONNECTIONS = 16;
  /** Image uploads a second: each is decoded and hashed, about 100 lookups' worth of work. */
  static final double UPLOADS = 4;
  /** Matches with content details a second: each is recorded, fires a rule and enqueues events. */
  static final double SUBMISSIONS = 5;
  /** A bulk import of this many entries every {@link #IMPORT_EVERY}. */
  static final int IMPORT_SIZE = 500;
  static final Duration IMPORT_EVERY = Duration.ofSeconds(5);
  /** One imported entry in {@link #DELETED_SHARE} is deleted again, at the rate they come in. */
  static final int DELETED_SHARE = 20;
  static final double DELETES = IMPORT_SIZE / (double) DELETED_SHARE / IMPORT_EVERY.toSeconds();
  /** A video of {@link #VIDEO_FRAMES} frames (4 s at 10 frames a second) every {@link #VIDEO_EVERY}. */
  static final int VIDEO_FRAMES = 40;
  static final Duration VIDEO_EVERY = Duration.ofSeconds(10);
  /** How long a video job may take before it counts as an error. */
  static final Duration VIDEO_PATIENCE = Duration.ofSeconds(90);
  /** A console page every {@link #PAGE_EVERY}; a fresh sign-in every {@link #SIGN_IN_EVERY}. */
  static final Duration PAGE_EVERY = Duration.ofSeconds(2);
  static final Duration SIGN_IN_EVERY = Duration.ofMinutes(5);

  static String rates() {
    return String.format("lookups %.0f/s (9 in 10 random, 1 in 10 a banked hash with 1-16 bits flipped), image uploads %.0f/s "
        + "(320x240 to 640x480, JPEG and PNG in turn), submissions %.0f/s (matches with content details that hit: 4 in 5 fire "
        + "\"remove\", 1 in 5 \"remove after review\"), bulk imports of %d entries every %d s and %.0f deletes/s (of those), "
        + "a %d-frame video job every %d s, a console page every %d s (sign-in every %d min)",
        LOOKUPS, UPLOADS, SUBMISSIONS, IMPORT_SIZE, IMPORT_EVERY.toSeconds(), DELETES, VIDEO_FRAMES, VIDEO_EVERY.toSeconds(),
        PAGE_EVERY.toSeconds(), SIGN_IN_EVERY.toMinutes());
  }

  final Tally lookups = new Tally("lookups (POST /api/v1/match)", false);
  final Tally uploads = new Tally("image uploads (POST /api/v1/match/upload)", false);
  final Tally submissions = new Tally("submissions (POST /api/v1/match with content)", false);
  final Tally imports = new Tally("bulk imports (POST .../entries/batch)", false);
  final Tally deletes = new Tally("deletes (DELETE /api/v1/entries/{id})", false);
  final Tally videoRequests = new Tally("video uploads and job polls", false);
  final Tally videoJobs = new Tally("video jobs, upload to finish", false);
  final Tally console = new Tally("console (sign-in, queue, banks)", false);

  final AtomicLong imported = new AtomicLong();
  final AtomicLong deleted = new AtomicLong();

  private final Http http;
  private final Fixture fixture;
  private final Schedule schedule;
  private final List<byte[]> images = new ArrayList<>();
  private final ConcurrentLinkedQueue<Long> deletable = new ConcurrentLinkedQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong pages = new AtomicLong();

  Load(Http http, Fixture fixture, Schedule schedule) {
    this.http = http;
    this.fixture = fixture;
    this.schedule = schedule;
    Random random = new Random(7);
    for (int i = 0; i < 64; i++) {
      int width = 320 + 32 * random.nextInt(11);
      images.add(Media.encode(Media.picture(random, width, width * 3 / 4), i % 2 == 0 ? "jpg" : "png"));
    }
  }

  List<Tally> tallies() {
    return List.of(lookups, uploads, submissions, imports, deletes, videoRequests, videoJobs, console);
  }

  /** Starts the streams named in {@code streams} (lookups, uploads, submissions, imports, deletes, videos, console), or all. */
  void start(Set<String> streams) {
    Predicate<String> on = name -> streams.contains("all") || streams.contains(name);
    if (on.test("lookups")) {
      schedule.paced(new PacedConnections(http.base(), LOOKUP_CONNECTIONS, LOOKUPS, schedule.ramp(), this::lookup, lookups,
          Http.expecting(200), http.phase()));
    }
    if (on.test("uploads")) {
      schedule.rate(UPLOADS, this::upload);
    }
    if (on.test("submissions")) {
      schedule.rate(SUBMISSIONS, this::submission);
    }
    if (on.test("imports")) {
      schedule.every(Duration.ZERO, IMPORT_EVERY, this::bulkImport);
    }
    if (on.test("deletes")) {
      schedule.rate(DELETES, this::delete);
    }
    if (on.test("videos")) {
      schedule.every(Duration.ofSeconds(1), VIDEO_EVERY, this::video);
    }
    if (on.test("console")) {
      Console moderator = new Console(http, console, fixture.reviewer, fixture.reviewerPassword);
      schedule.every(Duration.ofMillis(500), PAGE_EVERY,
          () -> moderator.read(pages.getAndIncrement() % 2 == 0 ? "/console/queue" : "/console/banks"));
      schedule.every(SIGN_IN_EVERY, SIGN_IN_EVERY, moderator::signIn);
    }
  }

  private byte[] lookup() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String pdq = random.nextInt(10) == 0 ? Media.nearby(fixture.banked.get(random.nextInt(fixture.banked.size())), random)
        : Media.hex(Media.randomPdq(random));
    return PacedConnections.post(http.base(), "/api/v1/match", fixture.matcher, "application/json",
        Http.bytes(Map.of("signals", Map.of("pdq", pdq), "banks", fixture.ordinaryBanks())));
  }

  private void upload() {
    byte[] image = images.get((int) (uploaded.getAndIncrement() % images.size()));
    String type = image[0] == (byte) 0x89 ? "image/png" : "image/jpeg";
    http.send(uploads, http.bytes("/api/v1/match/upload?banks=" + fixture.ordinaryBankParam(), fixture.matcher, type, image),
        Http.expecting(200));
  }

  private void submission() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<byte[]> bank = random.nextInt(5) == 0 ? fixture.reviewBanked : fixture.banked;
    long n = sequence.incrementAndGet();
    http.send(submissions, http.json("POST", "/api/v1/match", fixture.matcher, Map.of(
        "signals", Map.of("pdq", Media.nearby(bank.get(random.nextInt(bank.size())), random)),
        "banks", fixture.ordinaryBanks(),
        "content", Map.of("id", "soak-post-" + n, "account", "soak-account-" + random.nextInt(5000)))), Http.expecting(200));
  }

  private void bulkImport() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Map<String, Object>> entries = new ArrayList<>();
    for (int i = 0; i < IMPORT_SIZE; i++) {
      entries.add(Map.of("signals", Map.of("pdq", Media.hex(Media.randomPdq(random))), "note", "soak import"));
    }
    HttpResponse<String> answer = http.sendNow(imports, http.json("POST", "/api/v1/banks/" + fixture.mainBank + "/entries/batch",
        fixture.curator, Map.of("entries", entries)), Http.expecting(201));
    if (answer != null) {
      JsonNode ids = read(answer).path("entry_ids");
      // Some go again, so the change sequence has deletes in it as well as additions.
      for (int i = 0; i < ids.size(); i += DELETED_SHARE) {
        deletable.add(ids.get(i).asLong());
      }
      imported.addAndGet(ids.size());
    }
  }

  private void delete() {
    Long id = deletable.poll();
    if (id == null) {
      return;
    }
    http.send(deletes, http.request("/api/v1/entries/" + id, fixture.curator).DELETE().build(), Http.expecting(204),
        answer -> deleted.incrementAndGet());
  }

  private void video() {
    long started = System.nanoTime();
    byte[] clip = Media.clip(sequence.incrementAndGet(), VIDEO_FRAMES);
    HttpResponse<String> accepted = http.sendNow(videoRequests,
        http.bytes("/api/v1/match/upload?banks=" + fixture.ordinaryBankParam(), fixture.matcher, "video/x-msvideo", clip), Http.expecting(202));
    if (accepted == null) {
      return;
    }
    long job = read(accepted).path("id").asLong();
    while (System.nanoTime() - started < VIDEO_PATIENCE.toNanos() && !Thread.currentThread().isInterrupted()) {
      sleep(500);
      HttpResponse<String> polled = http.sendNow(videoRequests, http.request("/api/v1/jobs/" + job, fixture.matcher).GET().build(),
          Http.expecting(200));
      if (polled == null) {
        continue;
      }
      JsonNode state = read(polled);
      String status = state.path("status").asText();
      if (status.equals("succeeded") || status.equals("failed")) {
        videoJobs.record(status, status.equals("succeeded") ? Tally.Verdict.ANSWERED : Tally.Verdict.ERROR,
            (System.nanoTime() - started) / 1000, http.phase().measured(started), http.phase().second(started),
            "job " + job + " failed: " + state.path("error").asText());
        return;
      }
    }
    videoJobs.record("unfinished", Tally.Verdict.ERROR, 0, false, -1, "job " + job + " not finished after " + VIDEO_PATIENCE.toSeconds() + " s");
  }

  static JsonNode read(HttpResponse<String> response) {
    try {
      return Http.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + response.body(), e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
