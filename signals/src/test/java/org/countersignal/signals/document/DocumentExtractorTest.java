package org.countersignal.signals.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.pdq.PdqSignal;
import org.countersignal.signals.text.TextSignalType;
import org.countersignal.signals.url.CanonicalUrl;
import org.junit.jupiter.api.Test;

class DocumentExtractorTest {

  private static final List<String> LINES = List.of(
      "We publish this declaration so that it spreads.",
      "Share it on every board and mirror before it is removed.",
      "Visit https://board.example/pnd/res/1.html for more.");
  private static final String TEXT = String.join("\n", LINES);

  private final DocumentExtractor extractor = new DocumentExtractor(DocumentLimits.DEFAULT);
  private final DocumentSignals signals = new DocumentSignals(extractor, new ImageDecoder());

  static BufferedImage picture(long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(random.nextInt(120), random.nextInt(90), 10 + random.nextInt(60), 10 + random.nextInt(50));
    }
    g.dispose();
    return image;
  }

  static byte[] pdf(int pages, BufferedImage image, StandardProtectionPolicy protection) throws IOException {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (int p = 0; p < pages; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(font, 11);
          content.setLeading(14);
          content.newLineAtOffset(50, 780);
          for (String line : LINES) {
            content.showText(line);
            content.newLine();
          }
          content.endText();
          if (image != null && p == 0) {
            PDImageXObject embedded = LosslessFactory.createFromImage(document, image);
            content.drawImage(embedded, 50, 400);
          }
        }
        PDAnnotationLink link = new PDAnnotationLink();
        PDActionURI action = new PDActionURI();
        action.setURI("https://www.mirror.example/manifesto?utm_source=pdf");
        link.setAction(action);
        link.setRectangle(new PDRectangle(50, 700, 100, 20));
        page.getAnnotations().add(link);
      }
      if (protection != null) {
        document.protect(protection);
      }
      document.save(out);
      return out.toByteArray();
    }
  }

  static byte[] docx(String text, byte[] png, long paddingBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
      for (String paragraph : text.split("\n")) {
        // Split runs mid-word, as word processors do after edits.
        int half = paragraph.length() / 2;
        xml.append("<w:p><w:r><w:t xml:space=\"preserve\">").append(escape(paragraph.substring(0, half)))
            .append("</w:t></w:r><w:r><w:t>").append(escape(paragraph.substring(half))).append("</w:t></w:r></w:p>");
      }
      xml.append("</w:body></w:document>");
      zip.write(xml.toString().getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/_rels/document.xml.rels"));
      zip.write(("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\""
          + " Target=\"https://files.example/m.pdf\" TargetMode=\"External\"/></Relationships>").getBytes(StandardCharsets.UTF_8));
      if (png != null) {
        zip.putNextEntry(new ZipEntry("word/media/image1.png"));
        zip.write(png);
      }
      if (paddingBytes > 0) {
        zip.putNextEntry(new ZipEntry("word/media/padding.bin"));
        byte[] zeros = new byte[1 << 20];
        for (long written = 0; written < paddingBytes; written += zeros.length) {
          zip.write(zeros);
        }
      }
    }
    return bytes.toByteArray();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;");
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static String expectedExact() throws ContentException {
    return TextSignalType.INSTANCE.hash(TEXT).exactHex();
  }

  private static PdqSignal directPdq(BufferedImage image) throws Exception {
    return new PdqHasher().hash(new ImageDecoder().decode(png(image))).signal();
  }

  @Test
  void pdfGivesItsTextLinksAndEmbeddedImagePdq() throws Exception {
    BufferedImage image = picture(1);
    DocumentSignals.Result result = signals.ofDocument(pdf(1, image, null));
    assertThat(result.format()).isEqualTo(DocumentFormat.PDF);
    assertThat(result.text().exactHex()).isEqualTo(expectedExact());
    assertThat(result.urls()).extracting(CanonicalUrl::text)
        .containsExactlyInAnyOrder("board.example/pnd/res/1.html", "mirror.example/manifesto");
    assertThat(result.imagePdq()).hasSize(1);
    assertThat(result.imagePdq().getFirst().hash().distance(directPdq(image).hash())).isLessThanOrEqualTo(2);
  }

  @Test
  void docxGivesItsTextLinksAndEmbeddedImagePdq() throws Exception {
    BufferedImage image = picture(2);
    DocumentSignals.Result result = signals.ofDocument(docx(TEXT, png(image), 0));
    assertThat(result.format()).isEqualTo(DocumentFormat.DOCX);
    assertThat(result.text().exactHex()).isEqualTo(expectedExact());
    assertThat(result.urls()).extracting(CanonicalUrl::text)
        .containsExactly("board.example/pnd/res/1.html", "files.example/m.pdf");
    assertThat(result.imagePdq()).singleElement().satisfies(p -> assertThat(p.hash()).isEqualTo(directPdq(image).hash()));
  }

  @Test
  void htmlGivesVisibleTextAndLinks() throws Exception {
    String html = "<!DOCTYPE html><html><head><style>p{}</style><script>var hidden = 'not text';</script></head><body>"
        + "<p>" + LINES.get(0) + "</p><div>" + LINES.get(1) + "</div><p>" + LINES.get(2)
        + " <a href=\"https://t.co/abc\">link</a></p></body></html>";
    DocumentSignals.Result result = signals.ofDocument(html.getBytes(StandardCharsets.UTF_8));
    assertThat(result.format()).isEqualTo(DocumentFormat.HTML);
    assertThat(result.text().exactHex()).isEqualTo(TextSignalType.INSTANCE.hash(TEXT + " link").exactHex());
    assertThat(result.urls()).extracting(CanonicalUrl::text).containsExactly("board.example/pnd/res/1.html", "t.co/abc");
    assertThat(result.urls().get(1).shortener()).isTrue();
  }

  @Test
  void htmlBlockBoundariesSeparateWordsAndUrls() throws Exception {
    String html = "<html><body><div>see one.example/a</div><div>two</div><p>end</p><a href=\"/relative\">x</a></body></html>";
    DocumentSignals.Result result = signals.ofDocument(html.getBytes(StandardCharsets.UTF_8));
    assertThat(result.urls()).extracting(CanonicalUrl::text).containsExactly("one.example/a");
    assertThat(result.text().exactHex()).isEqualTo(TextSignalType.INSTANCE.hash("see one example a two end x").exactHex());
  }

  @Test
  void plainTextIsReadAsIs() throws Exception {
    DocumentSignals.Result result = signals.ofDocument(TEXT.getBytes(StandardCharsets.UTF_8));
    assertThat(result.format()).isEqualTo(DocumentFormat.PLAIN_TEXT);
    assertThat(result.text().exactHex()).isEqualTo(expectedExact());
  }

  @Test
  void encryptedPdfIsRefusedClearly() throws Exception {
    StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user-secret", new AccessPermission());
    policy.setEncryptionKeyLength(128);
    byte[] encrypted = pdf(1, null, policy);
    assertRefused(encrypted, Reason.UNSUPPORTED_FORMAT, "encrypted");
  }

  @Test
  void pdfWithOnlyAnOwnerPasswordIsStillRead() throws Exception {
    StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "", new AccessPermission());
    policy.setEncryptionKeyLength(128);
    assertThat(signals.ofDocument(pdf(1, null, policy)).text().exactHex()).isEqualTo(expectedExact());
  }

  @Test
  void corruptDocumentsAreRefusedClearly() throws Exception {
    byte[] good = pdf(2, null, null);
    byte[] truncated = java.util.Arrays.copyOf(good, 200);
    assertRefused(truncated, Reason.CORRUPT, "PDF");
    byte[] garbage = ("%PDF-1.7\n" + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
    assertRefused(garbage, Reason.CORRUPT, "PDF");
    byte[] docx = docx(TEXT, null, 0);
    byte[] broken = java.util.Arrays.copyOf(docx, docx.length / 2);
    assertRefused(broken, Reason.TRUNCATED, "DOCX is truncated");
    ByteArrayOutputStream notXml = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(notXml)) {
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write("<w:document xmlns:w=\"x\"><w:body<<".getBytes(StandardCharsets.UTF_8));
    }
    assertRefused(notXml.toByteArray(), Reason.CORRUPT, "DOCX XML is malformed");
    assertRefused(new byte[] {0, 1, 2, 3, 0, 0, 7}, Reason.UNSUPPORTED_FORMAT, "not a recognised document");
  }

  @Test
  void limitsEndEnormousDocuments() throws Exception {
    DocumentLimits small = new DocumentLimits(1 << 20, 3, 150, 4L << 20, 100, 50_000_000L, Duration.ofSeconds(10));
    DocumentExtractor limited = new DocumentExtractor(small);
    assertRefusedBy(limited, pdf(5, null, null), Reason.TOO_LARGE, "pages");
    assertRefusedBy(limited, pdf(2, null, null), Reason.TOO_LARGE, "characters");
    assertRefusedBy(limited, docx("short", null, 64L << 20), Reason.TOO_LARGE, "zip bomb");
    assertRefusedBy(limited, new byte[(1 << 20) + 1], Reason.TOO_LARGE, "bytes");
    DocumentExtractor hurried = new DocumentExtractor(
        new DocumentLimits(1 << 24, 1000, 1_000_000, 1L << 24, 10, 1_000_000L, Duration.ZERO));
    assertRefusedBy(hurried, pdf(2, null, null), Reason.TOO_LARGE, "longer than");
  }

  @Test
  void timeLimitStopsAnEndlessPageNotOnlyTheNextOne() throws Exception {
    byte[] heavy;
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        for (int i = 0; i < 200_000; i++) {
          content.saveGraphicsState();
          content.restoreGraphicsState();
        }
      }
      document.save(out);
      heavy = out.toByteArray();
    }
    DocumentExtractor hurried = new DocumentExtractor(
        new DocumentLimits(1 << 26, 10, 1_000_000, 1L << 26, 10, 1_000_000L, Duration.ofMillis(30)));
    long started = System.nanoTime();
    assertRefusedBy(hurried, heavy, Reason.TOO_LARGE, "longer than 0.0 s");
    // Refused early in the page, long before its 400,000 operators are all interpreted.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  private void assertRefused(byte[] bytes, Reason reason, String messagePart) {
    assertRefusedBy(extractor, bytes, reason, messagePart);
  }

  private static void assertRefusedBy(DocumentExtractor extractor, byte[] bytes, Reason reason, String messagePart) {
    assertThatThrownBy(() -> extractor.extract(bytes))
        .isInstanceOfSatisfying(ContentException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }
}
