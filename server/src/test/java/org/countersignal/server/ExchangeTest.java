package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.countersignal.server.exchange.ExchangeSettings;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SourceRecord;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exchanges through the API on a running server: configuration with credentials that are never
 * shown, the background fetch applying batches to the bank the exchange fills, what a source's
 * bad input does (and does not) undo, the watched folder, and the poisoning guard.
 */
class ExchangeTest {

  static final ExchangeSettings FAST = ExchangeSettings.DEFAULT.withPollInterval(Duration.ofMillis(200))
      .withRequestTimeout(Duration.ofSeconds(2)).withReportInterval(Duration.ZERO);

  @TempDir Path dataDir;
  final ScriptedExchange source = new ScriptedExchange();
  final Random random = new Random(20261204);
  CountersignalServer server;
  Api api;
  String admin;

  @BeforeEach
  void start() throws InterruptedException {
    server = CountersignalServer.builder(TestServers.config(dataDir)).exchangeSettings(FAST)
        .extraExchangeKinds(List.of(source)).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static FetchDelta.Update pdq(String hex, String... tags) {
    return new FetchDelta.Update(new SignalKey("pdq", hex), SourceRecord.positive(List.of(tags), "record " + hex.substring(0, 6)));
  }

  private long createScripted(String extra) {
    Api.Response created = api.post("/api/v1/exchanges", admin, "{\"name\":\"hsdb\",\"kind\":\"scripted\",\"config\":{\"source\":\"s\"},"
        + "\"credentials\":{\"token\":\"sesame\"}" + extra + "}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private JsonNode fetch(long id) {
    return fetch(api, admin, id);
  }

  /**
   * Asks for a fetch and waits until one that started after the request has ended (a fetch
   * already running when asked ends first, and the request is still due after it); returns the
   * exchange then. "Due" is judged against now, not against the request: the source announcing a
   * change while a fetch runs also leaves the exchange due, at a time after the request.
   */
  static JsonNode fetch(Api api, String key, long id) {
    Api.Response asked = api.post("/api/v1/exchanges/" + id + "/fetch", key, null);
    assertThat(asked.status()).as(asked.header()).isEqualTo(202);
    java.time.OffsetDateTime requested = java.time.OffsetDateTime.parse(asked.json().get("status").get("next_fetch_at").asText());
    JsonNode[] now = {null};
    WebhookReceiver.await("a fetch of exchange " + id + " asked for at " + requested + " ends", () -> {
      now[0] = api.get("/api/v1/exchanges/" + id, key).json();
      JsonNode status = now[0].get("status");
      return status.get("running_fetch_start_ts").isNull() && !status.get("last_fetch_complete_ts").isNull()
          && !java.time.OffsetDateTime.parse(status.get("last_fetch_complete_ts").asText()).isBefore(requested)
          && (status.get("next_fetch_at").isNull()
              || java.time.OffsetDateTime.parse(status.get("next_fetch_at").asText()).isAfter(java.time.OffsetDateTime.now()));
    });
    return now[0];
  }

  private boolean matches(String hex) {
    Api.Response match = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + hex + "\"}}");
    assertThat(match.status()).as(match.header()).isEqualTo(200);
    return match.json().get("matches").size() > 0;
  }

  @Test
  void credentialsAreEncryptedAtRestAndNeverShown() throws Exception {
    long id = createScripted("");
    Api.Response one = api.get("/api/v1/exchanges/" + id, admin);
    assertThat(one.json().get("credentials_set").toString()).isEqualTo("[\"token\"]");
    assertThat(one.body()).doesNotContain("sesame");
    assertThat(api.get("/api/v1/exchanges", admin).body()).doesNotContain("sesame");
    assertThat(api.get("/api/v1/audit?limit=100", admin).body()).contains("exchange.created").doesNotContain("sesame");
    try (Database database = TestServers.openDatabase(dataDir)) {
      byte[] stored = database.jdbi().withHandle(h -> h.createQuery("SELECT credentials_cipher FROM exchanges WHERE id = :id")
          .bind("id", id).mapTo(byte[].class).one());
      assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("sesame");
    }
    // Missing, unknown or empty credentials are refused, naming the field.
    Api.Response missing = api.post("/api/v1/exchanges", admin, "{\"name\":\"x\",\"kind\":\"scripted\",\"config\":{\"source\":\"s\"}}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body()).contains("credentials.token");
    Api.Response unknown = api.post("/api/v1/exchanges", admin,
        "{\"name\":\"x\",\"kind\":\"folder\",\"config\":{\"path\":\"f\"},\"credentials\":{\"password\":\"p\"}}");
    assertThat(unknown.status()).isEqualTo(422);
    // Only admins configure exchanges; curators read them without the credentials too.
    String curator = TestServers.key(api, admin, "curator");
    assertThat(api.post("/api/v1/exchanges", curator, "{\"name\":\"y\",\"kind\":\"folder\",\"config\":{\"path\":\"f\"}}").status())
        .isEqualTo(403);
    assertThat(api.get("/api/v1/exchanges/" + id, curator).status()).isEqualTo(200);
  }

  @Test
  void batchesApplyInOrderWithTheirCheckpointAndAFailureKeepsWhatWasApplied() {
    String a = MatchTest.randomPdq(random);
    String b = MatchTest.randomPdq(random);
    String c = MatchTest.randomPdq(random);
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    source.batch(List.of(pdq(a, "christchurch"), pdq(b)), 1, t0);
    source.batch(List.of(FetchDelta.Update.deleted(new SignalKey("pdq", b)), pdq(c),
        FetchDelta.malformed("pdq", "zz", "not 64 hex digits"), new FetchDelta.Update(new SignalKey("pdq", "12ab"), SourceRecord.positive(List.of(), null))),
        2, t0.plusSeconds(60));
    source.failure("the source answered 500");
    long id = createScripted(",\"label_map\":{\"christchurch\":\"attacker_manifesto\"},\"trust\":\"trusted\"");

    JsonNode after = fetch(id);
    JsonNode status = after.get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("500");
    assertThat(status.get("up_to_date").asBoolean()).isFalse();
    // Both batches before the failure are applied: a added, b added then removed, c added; two malformed.
    assertThat(status.get("fetched_items").asLong()).isEqualTo(6);
    assertThat(status.get("malformed_items").asLong()).isEqualTo(2);
    assertThat(status.get("bank_entries").asLong()).isEqualTo(2);
    assertThat(status.get("checkpoint").get("step").asInt()).isEqualTo(2);
    assertThat(status.get("checkpoint_ts").asText()).startsWith("2026-11-01T00:01:00");
    assertThat(matches(a)).isTrue();
    assertThat(matches(b)).isFalse();
    assertThat(matches(c)).isTrue();
    long bank = after.get("bank_id").asLong();
    JsonNode entries = api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items");
    JsonNode first = entries.get(0);
    assertThat(first.get("labels").toString()).isEqualTo("[\"attacker_manifesto\"]");
    assertThat(first.get("provenance").asText()).isEqualTo("exchange hsdb");

    // The source recovers: the next fetch resumes after step 2 and applies the rest.
    source.steps.removeIf(step -> step.failure() != null);
    int fetchesBefore = source.startedFrom.size();
    String d = MatchTest.randomPdq(random);
    source.batch(List.of(pdq(d)), 3, t0.plusSeconds(120));
    status = fetch(id).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(status.get("up_to_date").asBoolean()).isTrue();
    assertThat(status.get("last_error").isNull()).isTrue();
    assertThat(status.get("fetched_items").asLong()).isEqualTo(7);
    assertThat(source.startedFrom.get(fetchesBefore).step()).as("resumed after step 2").isEqualTo(2);
    assertThat(matches(d)).isTrue();
  }

  @Test
  void aFetchAskedForWhileOneRunsIsNotLost() {
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    String a = MatchTest.randomPdq(random);
    source.batch(List.of(pdq(a)), 1, t0);
    source.gate = new java.util.concurrent.CountDownLatch(1);
    long id = createScripted(",\"trust\":\"trusted\"");
    WebhookReceiver.await("the first fetch running", () ->
        !api.get("/api/v1/exchanges/" + id, admin).json().get("status").get("running_fetch_start_ts").isNull());
    // Something new at the source, and a fetch asked for, while the first one still runs.
    String b = MatchTest.randomPdq(random);
    source.batch(List.of(pdq(b)), 2, t0.plusSeconds(60));
    assertThat(api.post("/api/v1/exchanges/" + id + "/fetch", admin, null).status()).isEqualTo(202);
    source.gate.countDown();
    // The default interval is five minutes: only the request brings b in within the wait.
    WebhookReceiver.await("the asked-for fetch applies b", () -> matches(b));
    assertThat(matches(a)).isTrue();
  }

  @Test
  void anExchangeDisabledDuringAFetchStopsWithoutSayingItIsUpToDate() {
    source.batch(List.of(pdq(MatchTest.randomPdq(random))), 1, Instant.parse("2026-11-01T00:00:00Z"));
    source.gate = new java.util.concurrent.CountDownLatch(1);
    long id = createScripted(",\"trust\":\"trusted\"");
    WebhookReceiver.await("the fetch running", () ->
        !api.get("/api/v1/exchanges/" + id, admin).json().get("status").get("running_fetch_start_ts").isNull());
    assertThat(api.patch("/api/v1/exchanges/" + id, admin, "{\"enabled\":false}").status()).isEqualTo(200);
    source.gate.countDown();
    JsonNode[] status = {null};
    WebhookReceiver.await("the fetch stopped", () -> {
      status[0] = api.get("/api/v1/exchanges/" + id, admin).json().get("status");
      return status[0].get("running_fetch_start_ts").isNull();
    });
    assertThat(status[0].get("up_to_date").asBoolean()).isFalse();
    assertThat(status[0].get("last_fetch_complete_ts").isNull()).isTrue();
    assertThat(status[0].get("bank_entries").asLong()).as("the batch after the switch is not applied").isZero();
  }

  @Test
  void aCheckpointThatGoesBackIsRefusedWithItsBatch() {
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    String a = MatchTest.randomPdq(random);
    String late = MatchTest.randomPdq(random);
    source.batch(List.of(pdq(a)), 1, t0);
    source.batch(List.of(pdq(late)), 2, t0.minusSeconds(3600));
    long id = createScripted(",\"trust\":\"trusted\"");
    JsonNode status = fetch(id).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("went back");
    assertThat(status.get("checkpoint").get("step").asInt()).isEqualTo(1);
    assertThat(matches(a)).isTrue();
    assertThat(matches(late)).isFalse();
  }

  @Test
  void aStaleCheckpointFetchesEverythingAgainAndRemovesWhatTheSourceNoLongerHas() {
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    String kept = MatchTest.randomPdq(random);
    String dropped = MatchTest.randomPdq(random);
    source.staleBatch(List.of(pdq(kept), pdq(dropped)), 1, t0);
    long id = createScripted(",\"trust\":\"trusted\"");
    assertThat(fetch(id).get("status").get("bank_entries").asLong()).isEqualTo(2);
    // The source lost the deletion of "dropped" (it kept deletions for too short a time): its
    // list from the start no longer has it, and the stale checkpoint makes the fetch start over.
    source.steps.clear();
    int fetchesBefore = source.startedFrom.size();
    source.batch(List.of(pdq(kept)), 7, t0.plusSeconds(10));
    JsonNode status = fetch(id).get("status");
    assertThat(source.startedFrom.get(fetchesBefore).step()).as("fetched from the start").isEqualTo(-1);
    assertThat(status.get("bank_entries").asLong()).isEqualTo(1);
    assertThat(status.get("full_fetch_running").asBoolean()).isFalse();
    assertThat(matches(kept)).isTrue();
    assertThat(matches(dropped)).isFalse();
    assertThat(api.get("/api/v1/audit?limit=100", admin).body()).contains("exchange.entries_swept");
  }

  @Test
  void untrustedEntriesWaitForReviewAndCanBeSwitchedOffAtOnce() {
    String a = MatchTest.randomPdq(random);
    source.batch(List.of(pdq(a)), 1, Instant.parse("2026-11-01T00:00:00Z"));
    long id = createScripted("");
    JsonNode exchange = fetch(id);
    assertThat(exchange.get("trust").asText()).isEqualTo("review");
    long bank = exchange.get("bank_id").asLong();
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"remove known\",\"action\":\"remove\",\"review_first\":false,"
        + "\"conditions\":{\"banks\":[" + bank + "]}}");
    assertThat(rule.status()).as(rule.header()).isEqualTo(201);

    JsonNode held = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + a + "\"},\"content\":{\"id\":\"post-1\"}}").json();
    assertThat(held.get("submission").get("status").asText()).isEqualTo("in_review");
    assertThat(held.get("submission").get("decisions").get(0).get("state").asText()).isEqualTo("pending_review");

    assertThat(api.patch("/api/v1/exchanges/" + id, admin, "{\"trust\":\"trusted\"}").status()).isEqualTo(200);
    JsonNode acted = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + a + "\"},\"content\":{\"id\":\"post-2\"}}").json();
    assertThat(acted.get("submission").get("status").asText()).isEqualTo("actioned");

    // Entries added by hand to a followed bank are refused: the source owns it.
    Api.Response manual = api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(random) + "\"}}");
    assertThat(manual.status()).isEqualTo(409);

    Api.Response off = api.patch("/api/v1/exchanges/" + id, admin, "{\"entries_enabled\":false}");
    assertThat(off.status()).as(off.header()).isEqualTo(200);
    assertThat(off.json().get("entries_enabled").asBoolean()).isFalse();
    assertThat(matches(a)).isFalse();
  }

  @Test
  void aWatchedFolderFetchesEachNewFileInTheFieldsFormats() throws Exception {
    Path feed = Files.createDirectories(dataDir.resolve("exchange-folders").resolve("feed"));
    String a = MatchTest.randomPdq(random);
    String b = MatchTest.randomPdq(random);
    Path first = feed.resolve("2026-12-01.txt");
    Files.writeString(first, "# hashes shared on 1 December\npdq " + a + "\nvideo_md5 0123456789abcdef0123456789abcdef\n"
        + "url https://files.example.org/manifesto.pdf\ntext_tlsh T1ABCDEF\npdq not-a-hash\n");
    Files.setLastModifiedTime(first, FileTime.from(Instant.parse("2026-12-01T10:00:00Z")));
    Files.writeString(feed.resolve(".incoming.txt"), "pdq " + b + "\n");

    Api.Response created = api.post("/api/v1/exchanges", admin, "{\"name\":\"shared drive\",\"kind\":\"folder\",\"config\":{\"path\":\"feed\"},"
        + "\"label_map\":{\"christchurch\":\"attacker_manifesto\"},\"bank\":\"shared\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    assertThat(created.json().get("bank_name").asText()).isEqualTo("shared");
    assertThat(created.json().get("config").toString()).as("settings left out stay out").isEqualTo("{\"path\":\"feed\"}");
    JsonNode status = fetch(id).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(status.get("bank_entries").asLong()).isEqualTo(3);
    assertThat(status.get("malformed_items").asLong()).isEqualTo(2);
    assertThat(matches(a)).isTrue();
    assertThat(matches(b)).as("a file being written under a dot name is left alone").isFalse();

    // A newer file in the dataset CSV: a negative opinion takes a hash out, tags become labels.
    Path second = feed.resolve("2026-12-02.csv");
    Files.writeString(second, "signal_type,signal_str,collab,category,tags\npdq," + a + ",hsdb,NEGATIVE_CLASS,\n"
        + "pdq," + b + ",hsdb,POSITIVE_CLASS,christchurch livestream\n");
    Files.setLastModifiedTime(second, FileTime.from(Instant.parse("2026-12-02T10:00:00Z")));
    status = fetch(id).get("status");
    assertThat(status.get("bank_entries").asLong()).isEqualTo(3);
    assertThat(status.get("checkpoint").get("file").asText()).isEqualTo("2026-12-02.csv");
    assertThat(matches(a)).isFalse();
    assertThat(matches(b)).isTrue();
    JsonNode hit = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + b + "\"}}").json().get("matches").get(0);
    assertThat(hit.get("labels").toString()).isEqualTo("[\"attacker_manifesto\"]");
    assertThat(hit.get("entities").toString()).isEqualTo("[\"livestream\"]");

    // Nothing new: a fetch reads no file again.
    long fetched = status.get("fetched_items").asLong();
    assertThat(fetch(id).get("status").get("fetched_items").asLong()).isEqualTo(fetched);
  }

  @Test
  void aFolderOutsideTheRootIsRefused() {
    for (String path : List.of("../../etc", "/etc", "feed/../../x")) {
      Api.Response refused = api.post("/api/v1/exchanges", admin, "{\"name\":\"x\",\"kind\":\"folder\",\"config\":{\"path\":\"" + path + "\"}}");
      assertThat(refused.status()).as(path + ": " + refused.body()).isEqualTo(422);
      assertThat(refused.body()).contains("config.path");
    }
    Api.Response typo = api.post("/api/v1/exchanges", admin, "{\"name\":\"x\",\"kind\":\"folder\",\"config\":{\"pth\":\"feed\"}}");
    assertThat(typo.status()).isEqualTo(422);
    assertThat(typo.json().get("detail").asText()).isEqualTo("config.pth: the folder kind has no such setting; it takes batch_size, path");
    Api.Response kind = api.post("/api/v1/exchanges", admin, "{\"name\":\"x\",\"kind\":\"carrier_pigeon\",\"config\":{}}");
    assertThat(kind.status()).isEqualTo(422);
    assertThat(kind.body()).contains("folder");
    assertThat(api.get("/api/v1/banks", admin).json().get("items")).as("no bank made for a refused exchange").isEmpty();
  }
}
