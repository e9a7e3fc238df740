package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Hashing and matching uploaded image bytes, including rotated re-uploads found by their variants. */
class UploadTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

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

  /** A picture with structure in both directions (gradients and an off-centre block), 96x64. */
  static BufferedImage picture() {
    BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 96; x++) {
        int v = (x * 255 / 95 + y * 2) & 0xff;
        if (x > 10 && x < 40 && y > 8 && y < 30) {
          v = 255 - v;
        }
        image.setRGB(x, y, v << 16 | (y * 4 & 0xff) << 8 | v);
      }
    }
    return image;
  }

  /** The picture turned a quarter turn anticlockwise: its top edge becomes its left edge. */
  static BufferedImage rotatedAnticlockwise(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB(y, w - 1 - x, image.getRGB(x, y));
      }
    }
    return out;
  }

  static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void uploadedImagesAreHashedAndMatched() throws Exception {
    byte[] png = png(picture());
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(png));
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));

    Api.Response hashed = api.send("POST", "/api/v1/hash", admin, "image/png", png);
    assertThat(hashed.status()).as(hashed.header()).isEqualTo(200);
    assertThat(hashed.json().get("signals").get("md5").asText()).isEqualTo(md5);
    assertThat(hashed.json().get("signals").get("sha256").asText()).isEqualTo(sha256);
    String pdq = hashed.json().get("signals").get("pdq").asText();
    assertThat(pdq).hasSize(64);

    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"uploads\"}").json().get("id").asLong();
    long entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + md5 + "\",\"pdq\":\"" + pdq + "\"}}")
        .json().get("id").asLong();
    Api.Response matched = api.send("POST", "/api/v1/match/upload?banks=" + bank, admin, "image/png", png);
    assertThat(matched.status()).as(matched.header()).isEqualTo(200);
    assertThat(matched.json().get("signals").get("md5").asText()).isEqualTo(md5);
    assertThat(matched.json().get("matches")).extracting(m -> m.get("signal_type").asText()).containsExactlyInAnyOrder("pdq", "md5");
    assertThat(matched.json().get("matches")).allSatisfy(m -> {
      assertThat(m.get("entry_id").asLong()).isEqualTo(entry);
      assertThat(m.get("distance").asInt()).isZero();
      assertThat(m.has("variant")).isFalse();
    });
  }

  @Test
  void theSignalsAHashAnswerGivesArePostedBackUnchangedToAnEntryAndAMatch() throws Exception {
    Api.Response hashed = api.send("POST", "/api/v1/hash", admin, "image/png", png(picture()));
    assertThat(hashed.status()).as(hashed.header()).isEqualTo(200);
    JsonNode signals = hashed.json().get("signals");
    assertThat(signals.fieldNames()).toIterable().containsExactlyInAnyOrder("pdq", "md5", "sha256");
    assertThat(signals).allSatisfy(value -> assertThat(value.isTextual()).as(signals.toString()).isTrue());
    // What the service knows of a hash stands beside it, by type.
    assertThat(hashed.json().at("/quality/pdq").asInt()).isBetween(50, 100);

    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"round trip\"}").json().get("id").asLong();
    Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":" + signals + "}");
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    assertThat(entry.json().get("signals")).isEqualTo(signals);

    Api.Response matched = api.post("/api/v1/match", admin, "{\"signals\":" + signals + ",\"banks\":[" + bank + "]}");
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    assertThat(matched.json().get("matches")).extracting(m -> m.get("signal_type").asText())
        .containsExactlyInAnyOrder("pdq", "md5", "sha256");
    assertThat(matched.json().get("matches")).allSatisfy(m -> {
      assertThat(m.get("entry_id").asLong()).isEqualTo(entry.json().get("id").asLong());
      assertThat(m.get("distance").asInt()).isZero();
    });
  }

  @Test
  void aRotatedReuploadIsFoundThroughItsVariantsOnlyWhenAskedFor() throws Exception {
    BufferedImage original = picture();
    String pdq = api.send("POST", "/api/v1/hash", admin, "image/png", png(original)).json().get("signals").get("pdq").asText();
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"rotations\"}").json().get("id").asLong();
    long entry = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}").json().get("id").asLong();

    byte[] rotated = png(rotatedAnticlockwise(original));
    Api.Response plain = api.send("POST", "/api/v1/match/upload?banks=" + bank, admin, "image/png", rotated);
    assertThat(plain.status()).as(plain.header()).isEqualTo(200);
    assertThat(plain.json().get("matches")).as("a quarter turn is far from the original hash").isEmpty();

    Api.Response variants = api.send("POST", "/api/v1/match/upload?dihedral=true&banks=" + bank, admin, "image/png", rotated);
    assertThat(variants.status()).as(variants.header()).isEqualTo(200);
    JsonNode matches = variants.json().get("matches");
    assertThat(matches).as(variants.body()).hasSize(1);
    JsonNode hit = matches.get(0);
    assertThat(hit.get("entry_id").asLong()).isEqualTo(entry);
    // The variant says what the upload is: the banked image turned a quarter anticlockwise.
    assertThat(hit.get("variant").asText()).isEqualTo("rotate90");
    assertThat(hit.get("distance").asInt()).isLessThanOrEqualTo(31);
  }

  @Test
  void theVariantNamesTheTransformOfTheBankedImageTheUploadIs() throws Exception {
    // Banked: the picture turned a quarter anticlockwise; uploaded: the picture itself, which is
    // the banked image turned a quarter clockwise (three quarters anticlockwise).
    BufferedImage turned = rotatedAnticlockwise(picture());
    String pdq = api.send("POST", "/api/v1/hash", admin, "image/png", png(turned)).json().get("signals").get("pdq").asText();
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"turned\"}").json().get("id").asLong();
    api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");

    Api.Response variants = api.send("POST", "/api/v1/match/upload?dihedral=true&banks=" + bank, admin, "image/png", png(picture()));
    JsonNode matches = variants.json().get("matches");
    assertThat(matches).as(variants.body()).hasSize(1);
    assertThat(matches.get(0).get("variant").asText()).isEqualTo("rotate270");

    // A misspelt switch is refused rather than quietly taken for false, which would miss the turned copy.
    Api.Response misspelt = api.send("POST", "/api/v1/match/upload?dihedral=yes&banks=" + bank, admin, "image/png", png(picture()));
    assertThat(misspelt.status()).as(misspelt.body()).isEqualTo(422);
    assertThat(misspelt.json().get("field").asText()).isEqualTo("dihedral");
  }
}
