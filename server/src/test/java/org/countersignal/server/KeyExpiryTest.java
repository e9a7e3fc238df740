package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.CreatedKey;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys with an end over HTTP, the server's clock moved: a key works until its expires_at and
 * is refused from then on with a problem saying it expired, even while the server still remembers
 * it; within seven days of its end every answer carries the warning header; an admin's PATCH
 * gives it a later end or none, and it works again; bad ends are refused; the last admin key that
 * never expires keeps its unending life; console sessions end with their key. Time only moves
 * forward here, so each test makes its own keys.
 */
class KeyExpiryTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String auditor;
  static final TestClock CLOCK = new TestClock();
  static final String WARNING = "Countersignal-Key-Expires";

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    auditor = TestServers.key(api, admin, "auditor");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An instant {@code from} the server's now, whole seconds, as RFC 3339 text. */
  static String inFuture(Duration from) {
    return CLOCK.instant().plus(from).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Api.Response create(String role, String expiresAt) {
    return api.post("/api/v1/keys", admin, "{\"role\":\"" + role + "\",\"name\":\"expiring " + role + "\""
        + (expiresAt == null ? "" : ",\"expires_at\":" + (expiresAt.equals("null") ? "null" : "\"" + expiresAt + "\"")) + "}");
  }

  static JsonNode listed(long id) {
    for (JsonNode key : api.get("/api/v1/keys", auditor).json().get("items")) {
      if (key.get("id").asLong() == id) {
        return key;
      }
    }
    throw new AssertionError("key " + id + " is not listed");
  }

  static List<JsonNode> auditOf(long keyId) {
    return AuditTest.all(api, auditor).stream()
        .filter(e -> e.get("target_type").asText().equals("key") && e.get("target_id").asText().equals(Long.toString(keyId)))
        .toList();
  }

  @Test
  void aKeyWorksUntilItsEndAndIsRefusedFromThenOnEvenWhileRemembered() {
    String end = inFuture(Duration.ofDays(30));
    Api.Response created = create("curator", end);
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    assertThat(created.json().get("expires_at").asText()).isEqualTo(end);
    assertThat(created.json().get("status").asText()).isEqualTo("active");
    String key = created.json().get("key").asText();
    long id = created.json().get("id").asLong();
    String lasting = TestServers.key(api, admin, "curator");

    Api.Response early = api.get("/api/v1/banks", key);
    assertThat(early.status()).as(early.header()).isEqualTo(200);
    assertThat(early.header(WARNING)).as("30 days ahead: no warning yet").isNull();
    assertThat(listed(id).get("expires_at").asText()).isEqualTo(end);
    assertThat(listed(id).get("status").asText()).isEqualTo("active");

    // A second short of the end, then past it: the key was just used, so the server still remembers it.
    CLOCK.advance(Duration.between(CLOCK.instant(), Instant.parse(end)).minusSeconds(1));
    assertThat(api.get("/api/v1/banks", key).status()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(1));
    Api.Response refused = api.get("/api/v1/banks", key);
    assertThat(refused.status()).as(refused.header()).isEqualTo(401);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().get("type").asText()).isEqualTo("urn:countersignal:problem:key-expired");
    assertThat(refused.json().get("detail").asText()).contains("expired at " + end);
    assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(api.post("/api/v1/banks", key, "{\"name\":\"too late\"}").status()).as("every route, not only reads").isEqualTo(401);

    assertThat(listed(id).get("status").asText()).isEqualTo("expired");
    assertThat(listed(id).get("revoked_at").isNull()).isTrue();
    Api.Response stillLasting = api.get("/api/v1/banks", lasting);
    assertThat(stillLasting.status()).as("a key made without an end works as before").isEqualTo(200);
    assertThat(stillLasting.header(WARNING)).isNull();
    assertThat(listed(1).get("expires_at").isNull()).as("the initial admin key has no end").isTrue();

    List<JsonNode> audit = auditOf(id);
    assertThat(audit).extracting(e -> e.get("action").asText()).containsExactly("key.created");
    assertThat(audit.getFirst().get("after").get("expires_at").asText()).isEqualTo(end);
  }

  @Test
  void theEndIsHeldAgainstTheClockAtEachUseNotWhenTheKeyWasRemembered(@TempDir Path direct) {
    try (Database database = TestServers.openDatabase(direct)) {
      OffsetDateTime start = OffsetDateTime.of(2031, 5, 1, 9, 0, 0, 0, ZoneOffset.UTC);
      Clock.use(database.jdbi(), java.time.Clock.fixed(start.toInstant(), ZoneOffset.UTC));
      ApiKeys keys = new ApiKeys(database.jdbi());
      OffsetDateTime end = start.plusHours(1);
      CreatedKey created = keys.create(new Principal(0, Role.ADMIN), Role.MATCHER, "ci", null, null, end);
      assertThat(keys.authenticate(created.key())).isPresent();

      Clock.use(database.jdbi(), java.time.Clock.fixed(end.toInstant().minusNanos(1000), ZoneOffset.UTC));
      assertThat(keys.authenticate(created.key())).as("a microsecond before its end").isPresent();
      Clock.use(database.jdbi(), java.time.Clock.fixed(end.toInstant(), ZoneOffset.UTC));
      assertThat(keys.liveKey(created.key())).as("still remembered, not revoked").isPresent();
      assertThat(keys.liveKey(created.key()).orElseThrow().expired(keys.now())).as("at its very instant").isTrue();
      assertThat(keys.authenticate(created.key())).isEmpty();
    }
  }

  @Test
  void withinSevenDaysOfItsEndEveryAnswerSaysWhen() {
    String soon = inFuture(Duration.ofDays(6));
    String later = inFuture(Duration.ofDays(8));
    String nearKey = create("curator", soon).json().get("key").asText();
    String farKey = create("curator", later).json().get("key").asText();

    Api.Response near = api.get("/api/v1/banks", nearKey);
    assertThat(near.status()).isEqualTo(200);
    assertThat(near.header(WARNING)).isEqualTo(soon);
    Api.Response forbidden = api.get("/api/v1/keys", nearKey);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.header(WARNING)).as("refusals after the key check too").isEqualTo(soon);
    assertThat(api.get("/api/v1/banks", farKey).header(WARNING)).as("8 days ahead").isNull();

    CLOCK.advance(Duration.ofDays(1).plusMinutes(1));
    assertThat(api.get("/api/v1/banks", farKey).header(WARNING)).as("now under 7 days").isEqualTo(later);
  }

  @Test
  void anAdminExtendsAnExpiredKeyOrTakesItsEndAwayAuditedBeforeAndAfter() {
    String end = inFuture(Duration.ofHours(2));
    Api.Response created = create("curator", end);
    String key = created.json().get("key").asText();
    long id = created.json().get("id").asLong();
    assertThat(api.get("/api/v1/banks", key).status()).isEqualTo(200);
    CLOCK.advance(Duration.ofHours(3));
    assertThat(api.get("/api/v1/banks", key).status()).isEqualTo(401);

    String extended = inFuture(Duration.ofDays(90));
    Api.Response patched = api.patch("/api/v1/keys/" + id, admin, "{\"expires_at\":\"" + extended + "\"}");
    assertThat(patched.status()).as(patched.header()).isEqualTo(200);
    assertThat(patched.json().get("expires_at").asText()).isEqualTo(extended);
    assertThat(patched.json().get("status").asText()).isEqualTo("active");
    assertThat(patched.json().get("rate_limit").isNull()).as("the other settings stay").isTrue();
    assertThat(api.get("/api/v1/banks", key).status()).as("works again at once").isEqualTo(200);

    Api.Response cleared = api.patch("/api/v1/keys/" + id, admin, "{\"expires_at\":null}");
    assertThat(cleared.status()).as(cleared.header()).isEqualTo(200);
    assertThat(cleared.json().get("expires_at").isNull()).isTrue();
    CLOCK.advance(Duration.ofDays(91));
    assertThat(api.get("/api/v1/banks", key).status()).as("no end any more").isEqualTo(200);
    assertThat(api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":null}").json().get("expires_at").isNull())
        .as("a PATCH without expires_at leaves it").isTrue();

    List<JsonNode> updates = auditOf(id).stream().filter(e -> e.get("action").asText().equals("key.updated")).toList();
    assertThat(updates).hasSize(3);
    assertThat(updates.get(0).get("actor_key_id").asLong()).isEqualTo(1L);
    assertThat(updates.get(0).get("before").get("expires_at").asText()).isEqualTo(end);
    assertThat(updates.get(0).get("before").get("status").asText()).isEqualTo("expired");
    assertThat(updates.get(0).get("after").get("expires_at").asText()).isEqualTo(extended);
    assertThat(updates.get(0).get("after").get("status").asText()).isEqualTo("active");
    assertThat(updates.get(1).get("before").get("expires_at").asText()).isEqualTo(extended);
    assertThat(updates.get(1).get("after").get("expires_at").isNull()).isTrue();
  }

  @Test
  void anEndNotInTheFutureOrTooFarAheadOrNotAnInstantIsRefused() {
    int keysBefore = api.get("/api/v1/keys", admin).json().get("items").size();
    for (String bad : List.of(inFuture(Duration.ofMinutes(-1)), inFuture(Duration.ZERO), inFuture(Duration.ofDays(6 * 366)),
        "tomorrow", "2030-01-01", "2030-01-01T00:00:00", "")) {
      Api.Response refused = create("matcher", bad);
      assertThat(refused.status()).as(bad + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().get("field").asText()).as(bad).isEqualTo("expires_at");
    }
    Api.Response number = api.post("/api/v1/keys", admin, "{\"role\":\"matcher\",\"expires_at\":1893456000}");
    assertThat(number.status()).as(number.body()).isEqualTo(400);
    assertThat(api.get("/api/v1/keys", admin).json().get("items")).as("nothing made").hasSize(keysBefore);

    Api.Response noEnd = create("matcher", "null");
    assertThat(noEnd.status()).as(noEnd.header()).isEqualTo(201);
    assertThat(noEnd.json().get("expires_at").isNull()).isTrue();
    long id = noEnd.json().get("id").asLong();
    assertThat(create("matcher", inFuture(Duration.ofDays(5 * 365))).status()).as("five years ahead is allowed").isEqualTo(201);

    Api.Response past = api.patch("/api/v1/keys/" + id, admin, "{\"expires_at\":\"" + inFuture(Duration.ofHours(-1)) + "\"}");
    assertThat(past.status()).as(past.body()).isEqualTo(400);
    assertThat(past.json().get("field").asText()).isEqualTo("expires_at");
    Api.Response wrongType = api.patch("/api/v1/keys/" + id, admin, "{\"expires_at\":true}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("field").asText()).isEqualTo("expires_at");
    assertThat(listed(id).get("expires_at").isNull()).as("left as it was").isTrue();
    assertThat(auditOf(id)).extracting(e -> e.get("action").asText()).containsExactly("key.created");

    String curator = TestServers.key(api, admin, "curator");
    assertThat(api.patch("/api/v1/keys/" + id, curator, "{\"expires_at\":null}").status()).isEqualTo(403);
  }

  @Test
  void oneAdminKeyThatNeverExpiresStays() {
    // Other tests' admin keys are revoked first, so that the initial key is the only lasting one.
    for (JsonNode key : api.get("/api/v1/keys", admin).json().get("items")) {
      long id = key.get("id").asLong();
      if (key.get("role").asText().equals("admin") && id != 1 && key.get("revoked_at").isNull()) {
        api.delete("/api/v1/keys/" + id, admin);
      }
    }
    Api.Response alone = api.patch("/api/v1/keys/1", admin, "{\"expires_at\":\"" + inFuture(Duration.ofDays(30)) + "\"}");
    assertThat(alone.status()).as(alone.body()).isEqualTo(409);
    assertThat(alone.json().get("detail").asText()).contains("last admin key that never expires");
    assertThat(listed(1).get("expires_at").isNull()).isTrue();

    Api.Response expiringAdmin = create("admin", inFuture(Duration.ofDays(30)));
    assertThat(expiringAdmin.status()).isEqualTo(201);
    assertThat(api.delete("/api/v1/keys/1", admin).status()).as("the other admin key will expire").isEqualTo(409);
    assertThat(api.delete("/api/v1/keys/" + expiringAdmin.json().get("id").asLong(), admin).status()).isEqualTo(204);

    Api.Response second = create("admin", null);
    Api.Response given = api.patch("/api/v1/keys/1", admin, "{\"expires_at\":\"" + inFuture(Duration.ofDays(30)) + "\"}");
    assertThat(given.status()).as("another admin key never expires").isEqualTo(200);
    long secondId = second.json().get("id").asLong();
    assertThat(api.delete("/api/v1/keys/" + secondId, admin).status()).as("it is now the last that never expires").isEqualTo(409);
    assertThat(api.patch("/api/v1/keys/1", admin, "{\"expires_at\":null}").status()).isEqualTo(200);
    assertThat(api.delete("/api/v1/keys/" + secondId, admin).status()).isEqualTo(204);
  }

  @Test
  void consoleSessionsEndWithTheirKeyAndTheSignInPageSaysWhy() {
    JsonNode user = TestServers.user(api, admin, "contractor", "a long enough password", "reviewer");
    long userKey = user.get("key_id").asLong();
    String end = inFuture(Duration.ofHours(1));
    assertThat(api.patch("/api/v1/keys/" + userKey, admin, "{\"expires_at\":\"" + end + "\"}").status()).isEqualTo(200);
    Api.Response keyWithEnd = create("reviewer", end);
    String reviewerKey = keyWithEnd.json().get("key").asText();

    ConsoleClient person = new ConsoleClient(server.port());
    assertThat(person.signIn("contractor", "a long enough password").status()).isEqualTo(303);
    ConsoleClient keyHolder = new ConsoleClient(server.port());
    assertThat(keyHolder.signInWithKey(reviewerKey).status()).isEqualTo(303);
    ConsoleClient lasting = new ConsoleClient(server.port());
    assertThat(lasting.signInWithKey(TestServers.key(api, admin, "reviewer")).status()).isEqualTo(303);
    assertThat(person.get("/console/settings").status()).isEqualTo(200);
    assertThat(keyHolder.get("/console/settings").status()).isEqualTo(200);

    CLOCK.advance(Duration.ofMinutes(61));
    assertThat(person.get("/console/settings").status()).as("the user's key expired").isEqualTo(303);
    assertThat(keyHolder.get("/console/settings").status()).isEqualTo(303);
    assertThat(lasting.get("/console/settings").status()).as("a session of a key without an end lives on").isEqualTo(200);

    ConsoleClient.Page again = new ConsoleClient(server.port()).signIn("contractor", "a long enough password");
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.body()).contains("expired", "Ask an admin");
    assertThat(again.setCookies()).noneMatch(c -> c.startsWith("cs_console="));
    ConsoleClient.Page wrong = new ConsoleClient(server.port()).signIn("contractor", "not the password at all");
    assertThat(wrong.body()).as("a stranger is not told").doesNotContain("expired");
    ConsoleClient.Page byKey = new ConsoleClient(server.port()).signInWithKey(reviewerKey);
    assertThat(byKey.status()).isEqualTo(401);
    assertThat(byKey.body()).contains("expired");

    assertThat(api.patch("/api/v1/keys/" + userKey, admin, "{\"expires_at\":null}").status()).isEqualTo(200);
    assertThat(new ConsoleClient(server.port()).signIn("contractor", "a long enough password").status()).as("extended").isEqualTo(303);
  }
}
