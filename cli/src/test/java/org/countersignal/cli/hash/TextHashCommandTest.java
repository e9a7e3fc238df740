package org.countersignal.cli.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.countersignal.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextHashCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hashesALiteralTextWithItsUrls() throws Exception {
    String post = "Ｒｅａｄ   the DECLARATION\u200B at https://www.Board.example/pnd/?utm_source=x";
    CliRun run = CliRun.of("hash", "--text", post);
    assertThat(run.exitCode()).isZero();
    JsonNode line = JSON.readTree(run.lines()[0]);
    assertThat(line.get("text").asText()).isEqualTo(post);
    assertThat(line.get("content_type").asText()).isEqualTo("text");
    assertThat(line.at("/exact/text").asText())
        .isEqualTo(sha256("read the declaration at https www board example pnd utm source x"));
    assertThat(line.at("/words/text").asInt()).isEqualTo(12);
    assertThat(line.at("/signals/text").asText()).startsWith("t" + org.countersignal.signals.text.MinHashParameters.VERSION + ":");
    assertThat(line.at("/signals/url/0").asText()).isEqualTo("board.example/pnd");
    assertThat(line.at("/signals/sha256").asText()).isEqualTo(sha256(post));
  }

  @Test
  void hashesUrlsAndReportsBadOnes() throws Exception {
    CliRun run = CliRun.of("hash", "--url", "HTTP://WWW.Example.COM:80/a/b/?fbclid=1#top", "--url", "ftp://example.com/x",
        "--url", "https://bit.ly/abc");
    assertThat(run.exitCode()).isEqualTo(2);
    String[] lines = run.lines();
    assertThat(lines).hasSize(3);
    JsonNode first = JSON.readTree(lines[0]);
    assertThat(first.get("content_type").asText()).isEqualTo("url");
    assertThat(first.at("/signals/url/0").asText()).isEqualTo("example.com/a/b");
    assertThat(first.at("/shortener/url/0").asBoolean()).isFalse();
    JsonNode second = JSON.readTree(lines[1]);
    assertThat(second.get("reason").asText()).isEqualTo("unsupported_format");
    assertThat(JSON.readTree(lines[2]).at("/shortener/url/0").asBoolean()).isTrue();
  }

  @Test
  void hashesPdfFilesAsDocuments() throws Exception {
    Path pdf = dir.resolve("manifesto.pdf");
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.beginText();
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        content.newLineAtOffset(50, 700);
        content.showText("Spread the word: mirror.example/m");
        content.endText();
      }
      document.save(out);
      Files.write(pdf, out.toByteArray());
    }
    JsonNode line = JSON.readTree(CliRun.of("hash", pdf.toString()).lines()[0]);
    assertThat(line.get("content_type").asText()).isEqualTo("document");
    assertThat(line.at("/exact/text").asText()).isEqualTo(sha256("spread the word mirror example m"));
    assertThat(line.at("/signals/url/0").asText()).isEqualTo("mirror.example/m");
    assertThat(line.at("/signals/md5").asText()).matches("[0-9a-f]{32}");
  }

  @Test
  void plainTextFilesNeedTheOption() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "just some notes");
    assertThat(JSON.readTree(CliRun.of("hash", notes.toString()).lines()[0]).has("error")).isTrue();
    JsonNode line = JSON.readTree(CliRun.of("hash", "--plain-text", notes.toString()).lines()[0]);
    assertThat(line.get("content_type").asText()).isEqualTo("text");
    assertThat(line.at("/exact/text").asText()).isEqualTo(sha256("just some notes"));
  }

  @Test
  void needsSomethingToHash() {
    assertThat(CliRun.of("hash").exitCode()).isNotZero();
  }
}
