package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console users and sign-in over HTTP: the users API, sign-in by password or key and its
 * refusals, the session cookie's flags, CSRF tokens on every form, and what a session ends with.
 */
class ConsoleSignInTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String auditor;
  /** A second handle on the server's database (closing it shuts the H2 database down: only at the end). */
  static org.countersignal.server.store.Database database;
  static final String PASSWORD = "correct horse battery staple";

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    auditor = TestServers.key(api, admin, "auditor");
    database = TestServers.openDatabase(dataDir);
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  static JsonNode user(String username, String role) {
    return TestServers.user(api, admin, username, PASSWORD, role);
  }

  ConsoleClient client() {
    return new ConsoleClient(server.port());
  }

  @Test
  void usersAreMadeListedAndDeletedByAdminsAndAudited() {
    JsonNode made = user("Rev.Iewer-1", "reviewer");
    assertThat(made.get("username").asText()).isEqualTo("rev.iewer-1");
    assertThat(made.get("role").asText()).isEqualTo("reviewer");
    assertThat(made.toString()).doesNotContain(PASSWORD).doesNotContain("pbkdf2").doesNotContain("\"key\"");
    long keyId = made.get("key_id").asLong();

    Api.Response list = api.get("/api/v1/users", auditor);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items")).anySatisfy(u -> assertThat(u.get("username").asText()).isEqualTo("rev.iewer-1"));
    assertThat(list.body()).doesNotContain("password");
    // The user's key exists with its role, and its secret was never shown to anyone.
    assertThat(api.get("/api/v1/keys", admin).json().get("items"))
        .anySatisfy(k -> {
          assertThat(k.get("id").asLong()).isEqualTo(keyId);
          assertThat(k.get("role").asText()).isEqualTo("reviewer");
        });

    assertThat(api.post("/api/v1/users", admin, "{\"username\":\"rev.iewer-1\",\"password\":\"" + PASSWORD + "\",\"role\":\"reviewer\"}")
        .status()).isEqualTo(409);
    Api.Response weak = api.post("/api/v1/users", admin, "{\"username\":\"weak\",\"password\":\"short\",\"role\":\"reviewer\"}");
    assertThat(weak.status()).isEqualTo(422);
    assertThat(weak.json().get("field").asText()).isEqualTo("password");
    assertThat(api.post("/api/v1/users", admin, "{\"username\":\"pipe\",\"password\":\"" + PASSWORD + "\",\"role\":\"matcher\"}")
        .status()).isEqualTo(422);
    assertThat(api.post("/api/v1/users", admin, "{\"username\":\"peer\",\"password\":\"" + PASSWORD + "\",\"role\":\"peer\"}")
        .status()).isEqualTo(422);
    assertThat(api.post("/api/v1/users", admin, "{\"username\":\"<b>\",\"password\":\"" + PASSWORD + "\",\"role\":\"reviewer\"}")
        .status()).isEqualTo(422);
    assertThat(api.post("/api/v1/users", admin, "{\"username\":\"x2\",\"password\":\"" + PASSWORD + "\",\"role\":\"boss\"}")
        .status()).isEqualTo(422);
    assertThat(api.post("/api/v1/users", auditor, "{\"username\":\"x3\",\"password\":\"" + PASSWORD + "\",\"role\":\"reviewer\"}")
        .status()).isEqualTo(403);

    ConsoleClient browser = client();
    assertThat(browser.signIn("rev.iewer-1", PASSWORD).status()).isEqualTo(303);
    assertThat(browser.get("/console/queue").status()).isEqualTo(200);

    assertThat(api.delete("/api/v1/users/" + made.get("id").asLong(), admin).status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/users/" + made.get("id").asLong(), admin).status()).isEqualTo(404);
    // Deleting the user revoked its key, which ended its session, and it cannot sign in again.
    assertThat(browser.get("/console/queue").status()).isEqualTo(303);
    assertThat(client().signIn("rev.iewer-1", PASSWORD).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/keys", admin).json().get("items"))
        .anySatisfy(k -> {
          assertThat(k.get("id").asLong()).isEqualTo(keyId);
          assertThat(k.get("revoked_at").isNull()).isFalse();
        });

    List<String> actions = api.get("/api/v1/audit?limit=1000", admin).json().findValuesAsText("action");
    assertThat(actions).contains("user.created", "user.deleted", "console.signed_in");
  }

  @Test
  void signInRefusalsSayWhyWithoutTellingWhichUsernamesExist() {
    user("casey", "reviewer");
    ConsoleClient.Page wrong = client().signIn("casey", "not the password at all");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("The username or password is wrong.").contains("role=\"alert\"");
    ConsoleClient.Page unknown = client().signIn("nobody-here", PASSWORD);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body()).contains("The username or password is wrong.");
    assertThat(client().signInWithKey("cs_not-a-real-key").status()).isEqualTo(401);

    ConsoleClient.Page matcher = client().signInWithKey(TestServers.key(api, admin, "matcher"));
    assertThat(matcher.status()).isEqualTo(403);
    assertThat(matcher.body()).contains("may not sign in to the console");
    assertThat(matcher.setCookies()).noneMatch(c -> c.startsWith("cs_console="));
    ConsoleClient.Page peer = client().signInWithKey(TestServers.key(api, admin, "peer"));
    assertThat(peer.status()).isEqualTo(403);
    assertThat(peer.setCookies()).noneMatch(c -> c.startsWith("cs_console="));
  }

  @Test
  void aSessionEndsAfterTwelveIdleHoursOrADayInAll() {
    String reviewer = TestServers.key(api, admin, "reviewer");
    ConsoleClient idle = client();
    idle.signInWithKey(reviewer);
    ConsoleClient old = client();
    old.signInWithKey(reviewer);
    assertThat(idle.get("/console/settings").status()).isEqualTo(200);
    java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    database.jdbi().useHandle(h -> {
      h.createUpdate("UPDATE console_sessions SET last_seen_at = :t WHERE token_hash = :h")
          .bind("t", now.minusHours(12).minusMinutes(1))
          .bind("h", org.countersignal.server.Sha256.hex(idle.cookies.get("cs_console"))).execute();
      h.createUpdate("UPDATE console_sessions SET expires_at = :t WHERE token_hash = :h")
          .bind("t", now.minusMinutes(1))
          .bind("h", org.countersignal.server.Sha256.hex(old.cookies.get("cs_console"))).execute();
    });
    assertThat(idle.get("/console/settings").status()).isEqualTo(303);
    assertThat(old.get("/console/settings").status()).isEqualTo(303);
    var sessions = new org.countersignal.server.console.ConsoleSessions(database.jdbi());
    assertThat(sessions.deleteExpired()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void passwordsAreStoredAsSaltedPbkdf2AndSessionTokensAsTheirHash() {
    long one = user("same-one", "reviewer").get("id").asLong();
    long two = user("same-two", "reviewer").get("id").asLong();
    List<String> hashes = database.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id IN (:a, :b)")
        .bind("a", one).bind("b", two).mapTo(String.class).list());
    assertThat(hashes).hasSize(2).allSatisfy(hash -> assertThat(hash).startsWith("pbkdf2-sha256$600000$").doesNotContain(PASSWORD));
    assertThat(hashes.get(0)).isNotEqualTo(hashes.get(1)); // same password, different salts

    ConsoleClient browser = client();
    assertThat(browser.signIn("same-one", PASSWORD).status()).isEqualTo(303);
    String token = browser.cookies.get("cs_console");
    List<String> stored = database.jdbi().withHandle(h -> h.createQuery("SELECT token_hash FROM console_sessions").mapTo(String.class).list());
    assertThat(stored).contains(org.countersignal.server.Sha256.hex(token)).doesNotContain(token);
  }

  @Test
  void revokingTheKeyEndsItsConsoleSessions() {
    Api.Response created = api.post("/api/v1/keys", admin, "{\"role\":\"reviewer\",\"name\":\"to revoke\"}");
    ConsoleClient browser = client();
    assertThat(browser.signInWithKey(created.json().get("key").asText()).status()).isEqualTo(303);
    assertThat(browser.get("/console/queue").status()).isEqualTo(200);
    assertThat(api.delete("/api/v1/keys/" + created.json().get("id").asLong(), admin).status()).isEqualTo(204);
    assertThat(browser.get("/console/queue").status()).isEqualTo(303);
    assertThat(browser.get("/console/media/1").status()).isEqualTo(401);
  }

  @Test
  void repeatedWrongPasswordsAreRefusedForAWhileEvenWithTheRightOne() {
    user("guessed", "reviewer");
    for (int i = 0; i < 10; i++) {
      assertThat(client().signIn("guessed", "wrong guess number " + i).status()).isEqualTo(401);
    }
    ConsoleClient.Page blocked = client().signIn("guessed", PASSWORD);
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.body()).contains("Too many failed sign-ins");
    assertThat(blocked.setCookies()).noneMatch(c -> c.startsWith("cs_console="));
    // A key sign-in from the same address is not held up: keys cannot be guessed.
    assertThat(client().signInWithKey(admin).status()).isEqualTo(303);
  }

  @Test
  void pathsThatClimbOutOfTheConsoleDoNotSkipTheKeyCheck() throws Exception {
    for (String path : List.of("/console/../api/v1/keys", "/console/%2e%2e/api/v1/keys", "/console/..%2Fapi/v1/keys")) {
      try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200").doesNotContain("key_prefix");
      }
    }
  }

  @Test
  void theSessionCookieIsHttpOnlyStrictScopedAndSecureBehindHttps() {
    ConsoleClient browser = client();
    ConsoleClient.Page page = browser.signInWithKey(TestServers.key(api, admin, "reviewer"));
    assertThat(page.status()).isEqualTo(303);
    assertThat(page.header("Location")).isEqualTo("/console/queue");
    String cookie = page.setCookies().stream().filter(c -> c.startsWith("cs_console=")).findFirst().orElseThrow();
    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/console")
        .doesNotContainIgnoringCase("Secure");
    // Only the token's hash is stored.
    String token = browser.cookies.get("cs_console");
    assertThat(token).hasSize(43);

    ConsoleClient proxied = client();
    String csrf = proxied.get("/console/sign-in").csrf();
    ConsoleClient.Page secure = proxied.post("/console/sign-in",
        Map.of("csrf", csrf, "method", "key", "key", TestServers.key(api, admin, "reviewer")), Map.of("X-Forwarded-Proto", "https"));
    assertThat(secure.setCookies().stream().filter(c -> c.startsWith("cs_console=")).findFirst().orElseThrow())
        .containsIgnoringCase("Secure");
  }

  @Test
  void everyFormNeedsItsCsrfToken() {
    ConsoleClient browser = client();
    // The sign-in form: without its token, nothing is checked and no session is made.
    browser.get("/console/sign-in");
    ConsoleClient.Page noToken = browser.post("/console/sign-in", Map.of("method", "key", "key", admin));
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(noToken.setCookies()).noneMatch(c -> c.startsWith("cs_console="));

    assertThat(browser.signInWithKey(admin).status()).isEqualTo(303);
    ConsoleClient.Page settings = browser.get("/console/settings");
    String csrf = settings.csrf();
    assertThat(csrf).isNotBlank();
    ConsoleClient.Page missing = browser.post("/console/settings", Map.of("blur_strength", "low"));
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.body()).contains("security token is missing or wrong");
    assertThat(browser.post("/console/settings", Map.of("csrf", csrf + "x", "blur_strength", "low")).status()).isEqualTo(403);
    assertThat(browser.post("/console/sign-out", Map.of()).status()).isEqualTo(403);
    assertThat(browser.get("/console/settings").body()).contains("<option value=\"high\" selected>");

    ConsoleClient.Page saved = browser.post("/console/settings", Map.of("csrf", csrf, "blur_strength", "low", "blur", "on"));
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.body()).contains("<option value=\"low\" selected>").contains("class=\"wellness-blur blur-low\"");
    assertThat(browser.post("/console/settings", Map.of("csrf", csrf, "blur_strength", "extreme")).status()).isEqualTo(422);

    // Signing out ends the session on the server, not only in this browser.
    String token = browser.cookies.get("cs_console");
    assertThat(browser.post("/console/sign-out", Map.of("csrf", csrf)).status()).isEqualTo(303);
    ConsoleClient replay = client();
    replay.cookies.put("cs_console", token);
    assertThat(replay.get("/console/settings").status()).isEqualTo(303);
  }

  @Test
  void pagesAndMediaNeedASessionAndCarryAStrictPolicy() {
    ConsoleClient stranger = client();
    ConsoleClient.Page queue = stranger.get("/console/queue");
    assertThat(queue.status()).isEqualTo(303);
    assertThat(queue.header("Location")).isEqualTo("/console/sign-in");
    assertThat(stranger.get("/console/media/1").status()).isEqualTo(401);
    // A bearer key is no session: the console does not take API credentials per request.
    assertThat(stranger.get("/console/media/1", Map.of("Authorization", "Bearer " + admin)).status()).isEqualTo(401);
    assertThat(stranger.post("/console/cases/1/claim", Map.of("csrf", "x")).status()).isEqualTo(401);

    ConsoleClient.Page signIn = stranger.get("/console/sign-in");
    assertThat(signIn.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(signIn.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(signIn.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(signIn.body()).doesNotContain("<script>").doesNotContain("style=\"");
    assertThat(stranger.get("/console/assets/console.js").header("Content-Type")).startsWith("text/javascript");
    assertThat(stranger.get("/console/assets/../../openapi.json").status()).isNotEqualTo(200);

    ConsoleClient signedIn = client();
    signedIn.signInWithKey(admin);
    assertThat(signedIn.get("/console/media/999999").status()).isEqualTo(404);
    assertThat(signedIn.get("/console/banks").status()).isEqualTo(200);
    ConsoleClient.Page unknown = signedIn.get("/console/no-such-page");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("text/html");
    assertThat(stranger.get("/console/no-such-page").status()).isEqualTo(303);
  }

  @Test
  void curatorsAndAuditorsMayLookButNotAct() {
    ConsoleClient browser = client();
    assertThat(browser.signInWithKey(auditor).status()).isEqualTo(303);
    ConsoleClient.Page queue = browser.get("/console/queue");
    assertThat(queue.status()).isEqualTo(200);
    assertThat(queue.body()).contains("auditor");
    ConsoleClient.Page claim = browser.post("/console/cases/1/claim", Map.of("csrf", queue.csrf()));
    assertThat(claim.status()).isEqualTo(403);
    assertThat(claim.body()).contains("may look at cases but not claim or decide them");
    // Auditors see the users but may not make any; reviewers do not see them.
    ConsoleClient.Page users = browser.get("/console/users");
    assertThat(users.status()).isEqualTo(200);
    assertThat(users.body()).doesNotContain("id=\"new-user\"");
    assertThat(browser.post("/console/users", Map.of("csrf", queue.csrf(), "username", "sneaky", "password", PASSWORD, "role", "admin"))
        .status()).isEqualTo(403);
    ConsoleClient reviewer = client();
    reviewer.signInWithKey(TestServers.key(api, admin, "reviewer"));
    assertThat(reviewer.get("/console/users").status()).isEqualTo(403);
    assertThat(api.get("/api/v1/users", admin).body()).doesNotContain("sneaky");
  }
}
