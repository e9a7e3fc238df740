package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets an RFC 9457 problem detail with the right status, never a 500 (with a small
 * upload limit here, to see the 413).
 */
class ProblemDetailsTest {

  static final long UPLOAD_LIMIT = 200_000;

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static long bank;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, UPLOAD_LIMIT);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    bank = api.post("/api/v1/banks", admin, "{\"name\":\"problems\"}").json().get("id").asLong();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Asserts the response is a problem detail of {@code status} and returns it. */
  static Api.Response assertProblem(Api.Response response, int status) {
    assertThat(response.status()).as(response.header()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("status").asInt()).isEqualTo(status);
    assertThat(response.json().get("type").asText()).startsWith("urn:countersignal:problem:");
    assertThat(response.json().get("title").asText()).isNotBlank();
    assertThat(response.json().get("detail").asText()).isNotBlank();
    return response;
  }

  @Test
  void aWrongMethodOnAnExistingPathIs405NotNotFound() throws Exception {
    Api.Response wrong = assertProblem(api.send("PUT", "/api/v1/match", admin, "application/json", "{}".getBytes()), 405);
    assertThat(wrong.json().get("detail").asText()).contains("PUT").contains("/api/v1/match");
    assertProblem(api.delete("/api/v1/banks", admin), 405);
    java.net.http.HttpResponse<Void> raw = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/banks"))
            .header("Authorization", "Bearer " + admin).DELETE().build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(raw.headers().firstValue("Allow")).hasValue("GET, POST");
    // A path that does not exist with any method is still not found.
    assertProblem(api.get("/api/v1/no-such-thing", admin), 404);
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(api.post("/api/v1/banks", admin, "{\"name\": "), 400);
    assertProblem(api.post("/api/v1/banks", admin, "[1,2"), 400);
    assertProblem(api.post("/api/v1/banks", admin, "{} {}"), 400);
    assertProblem(api.post("/api/v1/banks", admin, ""), 400);
    assertProblem(api.post("/api/v1/banks", admin, "null"), 400);
  }

  @Test
  void unknownFieldIs400NamingTheField() {
    Api.Response response = assertProblem(api.post("/api/v1/banks", admin, "{\"name\":\"x\",\"lables\":[]}"), 400);
    assertThat(response.json().get("field").asText()).isEqualTo("lables");
    assertThat(response.json().get("detail").asText()).contains("lables");
    Api.Response nested = assertProblem(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"md5\":\"" + "a".repeat(32) + "\"},\"notes\":\"x\"}"), 400);
    assertThat(nested.json().get("field").asText()).isEqualTo("notes");
  }

  @Test
  void wrongTypeIs400() {
    Api.Response response = assertProblem(api.post("/api/v1/banks", admin, "{\"name\":\"x\",\"enabled\":\"perhaps\"}"), 400);
    assertThat(response.json().get("field").asText()).isEqualTo("enabled");
    assertProblem(api.post("/api/v1/banks", admin, "{\"name\":\"x\",\"labels\":\"attacker_manifesto\"}"), 400);
    assertProblem(api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + "1".repeat(32) + "\"},\"banks\":[\"one\"]}"), 400);
  }

  @Test
  void badHashesAre422NamingTheField() {
    Api.Response shortPdq = assertProblem(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"pdq\":\"abc\"}}"), 422);
    assertThat(shortPdq.json().get("field").asText()).isEqualTo("signals.pdq");
    Api.Response badMd5 = assertProblem(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"md5\":\"" + "z".repeat(32) + "\"}}"), 422);
    assertThat(badMd5.json().get("field").asText()).isEqualTo("signals.md5");
    Api.Response unknownType = assertProblem(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"tmk\":\"00\"}}"), 422);
    assertThat(unknownType.json().get("field").asText()).isEqualTo("signals.tmk");
    assertProblem(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{}}"), 422);
    Api.Response inList = assertProblem(api.post("/api/v1/match", admin,
        "{\"signals\":{\"pdq\":[\"" + "0".repeat(64) + "\",\"" + "g".repeat(64) + "\"]}}"), 422);
    assertThat(inList.json().get("field").asText()).isEqualTo("signals.pdq[1]");
    assertProblem(api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":42}}"), 422);
    assertProblem(api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"pdq\":300}}"), 422);
    assertProblem(api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"md5\":1}}"), 422);
    assertProblem(api.post("/api/v1/keys", admin, "{\"role\":\"superuser\"}"), 422);
    long entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + "9".repeat(32) + "\"}}")
        .json().get("id").asLong();
    Api.Response past = assertProblem(api.post("/api/v1/entries/" + entry + "/disable", admin,
        "{\"reason\":\"x\",\"until\":\"2001-01-01T00:00:00Z\"}"), 422);
    assertThat(past.json().get("field").asText()).isEqualTo("until");
    assertProblem(api.post("/api/v1/entries/" + entry + "/disable", admin, "{\"reason\":\"x\",\"until\":\"tomorrow\"}"), 422);
  }

  @Test
  void wrongContentTypeIs415() {
    assertProblem(api.send("POST", "/api/v1/banks", admin, "text/plain", "{\"name\":\"x\"}".getBytes()), 415);
    assertProblem(api.send("POST", "/api/v1/banks", admin, null, "{\"name\":\"x\"}".getBytes()), 415);
    assertProblem(api.send("POST", "/api/v1/hash", admin, "application/json", "{}".getBytes()), 415);
    assertProblem(api.send("POST", "/api/v1/hash", admin, "image/png", "this is not a png".getBytes()), 415);
  }

  @Test
  void unknownThingsAre404() {
    assertProblem(api.get("/api/v1/banks/424242", admin), 404);
    assertProblem(api.get("/api/v1/entries/424242", admin), 404);
    assertProblem(api.post("/api/v1/entries/424242/enable", admin, null), 404);
    assertProblem(api.delete("/api/v1/keys/424242", admin), 404);
    assertProblem(api.get("/api/v1/no-such-thing", admin), 404);
    assertProblem(api.get("/api/v1/banks/not-a-number", admin), 400);
  }

  @Test
  void conflictsAre409() {
    api.post("/api/v1/banks", admin, "{\"name\":\"taken\"}");
    Api.Response response = assertProblem(api.post("/api/v1/banks", admin, "{\"name\":\"taken\"}"), 409);
    assertThat(response.json().get("field").asText()).isEqualTo("name");
    Api.Response lastAdmin = assertProblem(api.delete("/api/v1/keys/1", admin), 409);
    assertThat(lastAdmin.json().get("detail").asText()).contains("last admin key");
  }

  @Test
  void badPagingParametersAre400() {
    assertProblem(api.get("/api/v1/banks/" + bank + "/entries?limit=0", admin), 400);
    assertProblem(api.get("/api/v1/banks/" + bank + "/entries?limit=abc", admin), 400);
    assertProblem(api.get("/api/v1/audit?after=-1", admin), 400);
  }

  @Test
  void uploadOverTheLimitIs413() {
    // With Expect: 100-continue the refusal comes before the body is sent. Without it the server
    // still answers 413, but closing a connection with unread bytes can reset it before the
    // client reads the answer (see docs/SERVER.md).
    assertProblem(api.send("POST", "/api/v1/hash", admin, "image/jpeg", new byte[(int) UPLOAD_LIMIT + 10], true), 413);
  }
}
