package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.countersignal.server.auth.RateLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-key rate limits over HTTP: a key past its limit gets 429 with Retry-After and a problem,
 * other keys carry on, a key's own limit (set by an admin only) beats its role's default, uploads
 * cost more than lookups, and monitoring is never refused. The limits used refill one token in
 * about 17 minutes, so no test depends on how fast it runs.
 */
class RateLimitTest {

  /** One token every 1,000 s: a used-up bucket stays used up for the length of any test. */
  static final String SLOW = "0.001";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServers.start(TestServers.config(dataDir).withRateLimits(RateLimits.DEFAULT.with("reviewer=" + SLOW + "/2")));
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Creates a key of {@code role} with its own rate limit ({@code rateLimit} as JSON); returns its secret and id. */
  static String[] key(String role, String rateLimit) {
    Api.Response created = api.post("/api/v1/keys", admin,
        "{\"role\":\"" + role + "\",\"name\":\"limited\",\"rate_limit\":" + rateLimit + "}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    return new String[] {created.json().get("key").asText(), created.json().get("id").asText()};
  }

  static HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + key).GET().build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Asserts a 429 problem with a Retry-After of at least {@code atLeastSeconds}. */
  static void assertThrottled(HttpResponse<String> response, long atLeastSeconds) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(atLeastSeconds);
    JsonNode problem = Api.JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("type").asText()).isEqualTo("urn:countersignal:problem:too-many-requests");
    assertThat(problem.get("title").asText()).isEqualTo("Too many requests");
    assertThat(problem.get("detail").asText()).contains("retry after");
  }

  @Test
  void aKeyPastItsLimitGets429WithRetryAfterWhileOtherKeysCarryOn() throws Exception {
    String limited = key("matcher", "{\"per_second\":" + SLOW + ",\"burst\":3}")[0];
    String other = TestServers.key(api, admin, "matcher");
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/v1/openapi.json", limited).statusCode()).isEqualTo(200);
    }
    assertThrottled(get("/api/v1/openapi.json", limited), 500);
    assertThrottled(get("/api/v1/openapi.json", limited), 500);
    for (int i = 0; i < 20; i++) {
      assertThat(get("/api/v1/openapi.json", other).statusCode()).isEqualTo(200);
    }
    // Monitoring sharing the key is not starved.
    assertThat(get("/metrics", limited).statusCode()).isEqualTo(200);
    assertThat(get("/health/ready", limited).statusCode()).isEqualTo(200);
  }

  @Test
  void aRolesDefaultComesFromTheSettingsAndAKeysOwnLimitBeatsIt() throws Exception {
    String reviewer = TestServers.key(api, admin, "reviewer");
    assertThat(get("/api/v1/banks", reviewer).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/banks", reviewer).statusCode()).isEqualTo(200);
    assertThrottled(get("/api/v1/banks", reviewer), 500);

    String generous = key("reviewer", "{\"per_second\":1000}")[0];
    for (int i = 0; i < 20; i++) {
      assertThat(get("/api/v1/banks", generous).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anAdminSetsAKeysLimitAndNobodyElseCan() throws Exception {
    String[] matcher = key("matcher", "{\"per_second\":" + SLOW + ",\"burst\":1}");
    String id = matcher[1];
    assertThat(get("/api/v1/openapi.json", matcher[0]).statusCode()).isEqualTo(200);
    assertThrottled(get("/api/v1/openapi.json", matcher[0]), 500);

    String curator = TestServers.key(api, admin, "curator");
    String otherMatcher = TestServers.key(api, admin, "matcher");
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, curator, "{\"rate_limit\":{\"per_second\":0}}"), 403);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, otherMatcher, "{\"rate_limit\":{\"per_second\":0}}"), 403);
    ProblemDetailsTest.assertProblem(api.post("/api/v1/keys", curator,
        "{\"role\":\"matcher\",\"rate_limit\":{\"per_second\":0}}"), 403);
    assertThrottled(get("/api/v1/openapi.json", matcher[0]), 500);

    // per_second 0: no limit at all (a benchmark's key).
    Api.Response unlimited = api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":{\"per_second\":0}}");
    assertThat(unlimited.status()).as(unlimited.header()).isEqualTo(200);
    assertThat(unlimited.json().at("/rate_limit/per_second").asDouble()).isZero();
    for (int i = 0; i < 50; i++) {
      assertThat(get("/api/v1/openapi.json", matcher[0]).statusCode()).isEqualTo(200);
    }

    Api.Response tight = api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":{\"per_second\":" + SLOW + ",\"burst\":2}}");
    assertThat(tight.status()).as(tight.header()).isEqualTo(200);
    assertThat(tight.json().at("/rate_limit/burst").asLong()).isEqualTo(2);
    assertThat(get("/api/v1/openapi.json", matcher[0]).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/openapi.json", matcher[0]).statusCode()).isEqualTo(200);
    assertThrottled(get("/api/v1/openapi.json", matcher[0]), 500);

    // null: the role's default (20,000 a second for matchers) again.
    Api.Response reset = api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":null}");
    assertThat(reset.status()).as(reset.header()).isEqualTo(200);
    assertThat(reset.json().get("rate_limit").isNull()).isTrue();
    assertThat(get("/api/v1/openapi.json", matcher[0]).statusCode()).isEqualTo(200);

    JsonNode listed = null;
    for (JsonNode key : api.get("/api/v1/keys", admin).json().get("items")) {
      if (key.get("id").asText().equals(id)) {
        listed = key;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("rate_limit").isNull()).isTrue();
    Api.Response audit = api.get("/api/v1/audit?after=0&limit=1000", admin);
    assertThat(audit.body()).contains("key.updated");
  }

  @Test
  void badLimitsAreRefused() {
    String id = key("matcher", "null")[1];
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, admin, "{}"), 422);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":{\"per_second\":-1}}"), 422);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":{\"per_second\":5,\"burst\":0}}"), 422);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":{\"per_second\":\"fast\"}}"), 422);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":{\"per_second\":5,\"bursts\":9}}"), 400);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/" + id, admin, "{\"rate_limit\":5}"), 400);
    ProblemDetailsTest.assertProblem(api.patch("/api/v1/keys/999999", admin, "{\"rate_limit\":null}"), 404);
    ProblemDetailsTest.assertProblem(api.post("/api/v1/keys", admin, "{\"role\":\"matcher\",\"rate_limit\":{\"burst\":3}}"), 422);
  }

  @Test
  void anUploadCostsAHundredLookups() throws Exception {
    String key = key("matcher", "{\"per_second\":" + SLOW + ",\"burst\":150}")[0];
    // Not an image: refused, but only after it was charged.
    Api.Response first = api.send("POST", "/api/v1/hash", key, "image/jpeg", new byte[] {1, 2, 3});
    assertThat(first.status()).as(first.header()).isNotEqualTo(429);
    Api.Response second = api.send("POST", "/api/v1/hash", key, "image/jpeg", new byte[] {1, 2, 3});
    ProblemDetailsTest.assertProblem(second, 429);
    // The refused upload took one token before its route was known; the 49 left pay for lookups.
    for (int i = 0; i < 49; i++) {
      assertThat(get("/api/v1/openapi.json", key).statusCode()).isEqualTo(200);
    }
    assertThrottled(get("/api/v1/openapi.json", key), 500);
  }

  @Test
  void aLivestreamFrameSentAsAPictureCostsWhatAnUploadDoes() throws Exception {
    String key = key("matcher", "{\"per_second\":" + SLOW + ",\"burst\":210}")[0];
    long stream = api.post("/api/v1/streams", key, "{}").json().get("id").asLong();
    String path = "/api/v1/streams/" + stream + "/frames/image?at_seconds=";
    assertThat(api.send("POST", path + 1, key, "image/png", ConsoleBrowserTest.image(1)).status()).isEqualTo(200);
    assertThat(api.send("POST", path + 2, key, "image/png", ConsoleBrowserTest.image(2)).status()).isEqualTo(200);
    ProblemDetailsTest.assertProblem(api.send("POST", path + 3, key, "image/png", ConsoleBrowserTest.image(3)), 429);
  }
}
