package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets an RFC 9457 problem detail with the right status, never a 500; and the upload
 * routes hash real image bytes (with a small upload limit here, to see the 413).
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
    assertProblem(api.send("POST", "/api/v1/hash", admin, "image/jpeg", new byte[(int) UPLOAD_LIMIT + 10]), 413);
  }

  static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 96; x++) {
        image.setRGB(x, y, ((x * 7) & 0xff) << 16 | ((y * 5) & 0xff) << 8 | ((x * y) & 0xff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void uploadedImagesAreHashedAndMatched() throws Exception {
    byte[] png = png();
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(png));
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));

    Api.Response hashed = api.send("POST", "/api/v1/hash", admin, "image/png", png);
    assertThat(hashed.status()).as(hashed.header()).isEqualTo(200);
    assertThat(hashed.json().get("signals").get("md5").asText()).isEqualTo(md5);
    assertThat(hashed.json().get("signals").get("sha256").asText()).isEqualTo(sha256);
    String pdq = hashed.json().get("signals").get("pdq").get("hash").asText();
    assertThat(pdq).hasSize(64);

    long uploads = api.post("/api/v1/banks", admin, "{\"name\":\"uploads\"}").json().get("id").asLong();
    long entry = api.post("/api/v1/banks/" + uploads + "/entries", admin, "{\"signals\":{\"md5\":\"" + md5 + "\",\"pdq\":\"" + pdq + "\"}}")
        .json().get("id").asLong();
    Api.Response matched = api.send("POST", "/api/v1/match/upload?banks=" + uploads, admin, "image/png", png);
    assertThat(matched.status()).as(matched.header()).isEqualTo(200);
    assertThat(matched.json().get("matches")).extracting(m -> m.get("signal_type").asText()).containsExactlyInAnyOrder("pdq", "md5");
    assertThat(matched.json().get("matches")).allSatisfy(m -> {
      assertThat(m.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(m.get("distance").asInt()).isZero();
    });
  }
}
