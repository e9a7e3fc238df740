package org.countersignal.cli.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.countersignal.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code countersignal hash} prints under {@code signals} is what the server's requests take:
 * each type to its text, or a list of texts; what is known of a value stands beside it.
 */
class HashOutputShapeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void everySignalIsATextOrAListOfTexts() throws Exception {
    BufferedImage picture = picture();
    Path image = dir.resolve("a.png");
    ImageIO.write(picture, "png", image.toFile());
    Path pdf = pdfWith(picture, "Spread the word: mirror.example/m and https://bit.ly/abc");

    List<JsonNode> lines = new ArrayList<>();
    for (String line : CliRun.of("hash", "--text", "read it at https://board.example/pnd", "--url", "https://bit.ly/abc",
        image.toString(), pdf.toString()).lines()) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(4);
    for (JsonNode line : lines) {
      assertThat(line.has("error")).as(line.toString()).isFalse();
      for (Map.Entry<String, JsonNode> signal : line.get("signals").properties()) {
        JsonNode value = signal.getValue();
        if (value.isArray()) {
          assertThat(value).as(line.toString()).isNotEmpty().allSatisfy(item -> assertThat(item.isTextual()).isTrue());
        } else {
          assertThat(value.isTextual()).as(line.toString()).isTrue();
        }
      }
    }
    JsonNode photo = lines.get(2);
    assertThat(photo.at("/signals/pdq").asText()).matches("[0-9a-f]{64}");
    assertThat(photo.at("/quality/pdq").asInt()).isBetween(50, 100);
    // A document's embedded images are a list of hashes, their qualities a list beside it.
    JsonNode document = lines.get(3);
    assertThat(document.get("content_type").asText()).isEqualTo("document");
    assertThat(document.at("/signals/pdq")).hasSize(1);
    assertThat(document.at("/signals/pdq/0").asText()).matches("[0-9a-f]{64}");
    assertThat(document.at("/quality/pdq")).hasSize(1);
    assertThat(document.at("/signals/url")).hasSameSizeAs(document.at("/shortener/url"));
  }

  private static BufferedImage picture() {
    Random random = new Random(7);
    BufferedImage image = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int i = 0; i < 10; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(random.nextInt(150), random.nextInt(100), 20 + random.nextInt(80), 20 + random.nextInt(60));
    }
    g.dispose();
    return image;
  }

  private Path pdfWith(BufferedImage picture, String text) throws Exception {
    Path pdf = dir.resolve("leaflet.pdf");
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.beginText();
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        content.newLineAtOffset(50, 700);
        content.showText(text);
        content.endText();
        content.drawImage(LosslessFactory.createFromImage(document, picture), 50, 400, 200, 150);
      }
      document.save(out);
      Files.write(pdf, out.toByteArray());
    }
    return pdf;
  }
}
