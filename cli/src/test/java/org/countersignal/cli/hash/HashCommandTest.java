package org.countersignal.cli.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.countersignal.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path picture(String name, long seed, String format) throws IOException {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int i = 0; i < 10; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(random.nextInt(150), random.nextInt(100), 20 + random.nextInt(80), 20 + random.nextInt(60));
    }
    g.dispose();
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    ImageIO.write(image, format, file.toFile());
    return file;
  }

  private static List<JsonNode> parse(CliRun run) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : run.lines()) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void printsOneJsonLinePerImageWithAllSignals() throws Exception {
    Path image = picture("a.png", 1, "png");
    CliRun run = CliRun.of("hash", image.toString());
    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines = parse(run);
    assertThat(lines).hasSize(1);
    JsonNode line = lines.getFirst();
    assertThat(line.get("path").asText()).isEqualTo(image.toString());
    assertThat(line.get("content_type").asText()).isEqualTo("photo");
    assertThat(line.at("/signals/pdq").asText()).matches("[0-9a-f]{64}");
    assertThat(line.at("/quality/pdq").asInt()).isBetween(0, 100);
    byte[] bytes = Files.readAllBytes(image);
    assertThat(line.at("/signals/md5").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    assertThat(line.at("/signals/sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(line.has("pdq_dihedral")).isFalse();
  }

  @Test
  void dihedralAddsTheEightVariantsWithTheOriginalAmongThem() throws Exception {
    Path image = picture("a.jpg", 2, "jpeg");
    JsonNode line = parse(CliRun.of("hash", "--dihedral", image.toString())).getFirst();
    JsonNode variants = line.get("pdq_dihedral");
    assertThat(variants.properties()).extracting(e -> e.getKey()).containsExactly(
        "original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flipplus1", "flipminus1");
    assertThat(variants.get("original").asText()).isEqualTo(line.at("/signals/pdq").asText());
  }

  @Test
  void foldersAreWalkedRecursivelyInSortedOrderAndFailuresAreReportedPerFile() throws Exception {
    picture("b/second.png", 3, "png");
    picture("a/first.png", 4, "png");
    Files.writeString(dir.resolve("a/notes.txt"), "not an image");
    Path truncated = dir.resolve("b/truncated.jpg");
    byte[] jpeg = Files.readAllBytes(picture("b/whole.jpg", 5, "jpeg"));
    Files.write(truncated, java.util.Arrays.copyOf(jpeg, jpeg.length / 3));

    CliRun run = CliRun.of("hash", "--threads", "2", dir.toString(), dir.resolve("missing.png").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    List<JsonNode> lines = parse(run);
    assertThat(lines).extracting(l -> dir.relativize(Path.of(l.get("path").asText())).toString()).containsExactly(
        "a/first.png", "a/notes.txt", "b/second.png", "b/truncated.jpg", "b/whole.jpg", "missing.png");
    assertThat(lines.get(0).has("error")).isFalse();
    assertThat(lines.get(1).get("error").asText()).contains("unsupported content: not a recognised image");
    assertThat(lines.get(3).get("reason").asText()).isEqualTo("truncated");
    assertThat(lines.get(3).has("signals")).isFalse();
    assertThat(lines.get(5).get("error").asText()).contains("no such file");
  }

  @Test
  void resultsDoNotDependOnTheNumberOfThreads() throws Exception {
    for (int i = 0; i < 12; i++) {
      picture("many/" + i + ".png", 100 + i, "png");
    }
    CliRun one = CliRun.of("hash", "--threads", "1", dir.toString());
    CliRun four = CliRun.of("hash", "--threads", "4", dir.toString());
    assertThat(four.out()).isEqualTo(one.out());
    assertThat(one.lines()).hasSize(12);
  }

  @Test
  void imagesOverThePixelLimitAreRefused() throws Exception {
    Path image = picture("big.png", 6, "png");
    JsonNode line = parse(CliRun.of("hash", "--max-pixels", "1000", image.toString())).getFirst();
    assertThat(line.get("reason").asText()).isEqualTo("too_large");
    assertThat(line.get("error").asText()).contains("200x150");
  }

  @Test
  void invalidThreadCountIsAUsageError() {
    CliRun run = CliRun.of("hash", "--threads", "0", ".");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--threads must be at least 1");
  }
}
