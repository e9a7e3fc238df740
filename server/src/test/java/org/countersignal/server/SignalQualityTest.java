package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PDQ quality floor (bank setting {@code pdq_min_quality}, default 50) and the hashes banks
 * refuse: flat and faint images say too little to match on.
 */
class SignalQualityTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  /** Three bits from the all-zero hash a black image gives: within any usual threshold of it. */
  static final String NEAR_ZERO = "0".repeat(63) + "7";

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] encoded(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  static BufferedImage flat(int grey) {
    BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 80; x++) {
        image.setRGB(x, y, grey << 16 | grey << 8 | grey);
      }
    }
    return image;
  }

  /** UploadTest's picture with its contrast cut to a quarter: PDQ quality 30, hash a few bits from the original's. */
  static BufferedImage faint() {
    BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 96; x++) {
        int v = (x * 255 / 95 + y * 2) & 0xff;
        if (x > 10 && x < 40 && y > 8 && y < 30) {
          v = 255 - v;
        }
        int g = 128 + (v - 128) / 4;
        image.setRGB(x, y, g << 16 | g << 8 | g);
      }
    }
    return image;
  }

  static BufferedImage picture() {
    BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 96; x++) {
        int v = (x * 255 / 95 + y * 2) & 0xff;
        if (x > 10 && x < 40 && y > 8 && y < 30) {
          v = 255 - v;
        }
        image.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    return image;
  }

  static long bank(String name) {
    Api.Response bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\"}");
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    assertThat(bank.json().get("thresholds").get("pdq_min_quality").asInt()).isEqualTo(50);
    return bank.json().get("id").asLong();
  }

  static long entry(long bank, String pdq) {
    Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    return entry.json().get("id").asLong();
  }

  @Test
  void aBlackImageDoesNotMatchAHashNearAllZeros() throws IOException {
    long bank = bank("near-zero");
    entry(bank, NEAR_ZERO);
    byte[] black = encoded(flat(0), "jpg");

    Api.Response hashed = api.send("POST", "/api/v1/hash", admin, "image/jpeg", black);
    assertThat(hashed.json().get("quality").get("pdq").asInt()).isZero();
    Api.Response matched = api.send("POST", "/api/v1/match/upload?banks=" + bank, admin, "image/jpeg", black);
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    assertThat(matched.json().get("matches")).as("quality 0 is under the floor").isEmpty();

    // Given as text, the all-zero hash has no quality of its own, but it is what every black image gives.
    Api.Response asText = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + "0".repeat(64) + "\"},\"banks\":[" + bank + "]}");
    assertThat(asText.status()).as(asText.body()).isEqualTo(200);
    assertThat(asText.json().get("matches")).isEmpty();
  }

  @Test
  void aFaintImageMatchesOnlyABankWhoseFloorIsUnderItsQuality() throws IOException {
    String pdq = api.send("POST", "/api/v1/hash", admin, "image/png", encoded(picture(), "png")).json()
        .get("signals").get("pdq").asText();
    long bank = bank("floors");
    long entry = entry(bank, pdq);
    byte[] faint = encoded(faint(), "png");
    assertThat(api.send("POST", "/api/v1/hash", admin, "image/png", faint).json().get("quality").get("pdq").asInt())
        .isEqualTo(30);

    Api.Response dropped = api.send("POST", "/api/v1/match/upload?banks=" + bank, admin, "image/png", faint);
    assertThat(dropped.status()).as(dropped.body()).isEqualTo(200);
    assertThat(dropped.json().get("matches")).as("quality 30 is under the default floor of 50").isEmpty();

    Api.Response lowered = api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"pdq_min_quality\":20}}");
    assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
    Api.Response kept = api.send("POST", "/api/v1/match/upload?banks=" + bank, admin, "image/png", faint);
    assertThat(kept.json().get("matches")).as(kept.body()).hasSize(1);
    assertThat(kept.json().get("matches").get(0).get("entry_id").asLong()).isEqualTo(entry);

    Api.Response tooHigh = ProblemDetailsTest.assertProblem(
        api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"pdq_min_quality\":101}}"), 422);
    assertThat(tooHigh.json().get("field").asText()).isEqualTo("thresholds.pdq_min_quality");
  }

  @Test
  void aBankRefusesAnUploadUnderItsFloor() throws IOException {
    long bank = bank("uploads");
    Api.Response black = ProblemDetailsTest.assertProblem(
        api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "image/jpeg", encoded(flat(0), "jpg")), 422);
    assertThat(black.json().get("field").asText()).isEqualTo("body");
    assertThat(black.json().get("detail").asText()).contains("quality 0").contains("pdq_min_quality");
    Api.Response faint = ProblemDetailsTest.assertProblem(
        api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "image/png", encoded(faint(), "png")), 422);
    assertThat(faint.json().get("field").asText()).isEqualTo("body");

    assertThat(api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "image/png", encoded(picture(), "png")).status())
        .isEqualTo(201);
  }

  @Test
  void banksRefuseTheHashesOfFlatImages() throws IOException {
    long bank = bank("degenerate");
    String grey = api.send("POST", "/api/v1/hash", admin, "image/png", encoded(flat(77), "png")).json()
        .get("signals").get("pdq").asText();
    assertThat(grey).as("a flat grey image hashes to noise, not to zeros").isNotEqualTo("0".repeat(64));
    for (String hash : new String[] {"0".repeat(64), "f".repeat(64), "F".repeat(64), grey}) {
      Api.Response refused = ProblemDetailsTest.assertProblem(
          api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + hash + "\"}}"), 422);
      assertThat(refused.json().get("field").asText()).as(hash).isEqualTo("signals.pdq");
      assertThat(refused.json().get("detail").asText()).contains("flat image");
    }
    Api.Response batch = ProblemDetailsTest.assertProblem(api.post("/api/v1/banks/" + bank + "/entries/batch", admin,
        "{\"entries\":[{\"signals\":{\"md5\":\"" + "a".repeat(32) + "\"}},{\"signals\":{\"pdq\":\"" + grey + "\"}}]}"), 422);
    assertThat(batch.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("entries[1].signals.pdq");
    assertThat(api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items")).isEmpty();
  }
}
