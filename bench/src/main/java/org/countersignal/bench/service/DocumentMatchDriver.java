package org.countersignal.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.countersignal.bench.text.PdfPages;
import org.countersignal.signals.document.DocumentExtractor;
import org.countersignal.signals.document.DocumentLimits;
import org.countersignal.signals.document.DocumentSignals;
import org.countersignal.signals.image.ImageDecoder;

/**
 * A 50 KB text as a PDF and as a DOCX: their text extraction and all their signals timed in this
 * process ({@code local}), and the same documents, and the text itself as JSON, sent to the
 * service one at a time ({@code http}: {@code POST /api/v1/match/upload} with the document's
 * content type, {@code POST /api/v1/match/text}). The text: 50 KB of Vim's help files (ASCII
 * only, lines of at most 90 characters, as set on a page) with banked post 0 in it, so every
 * request has one expected hit.
 *
 * <pre>java -cp benchmarks.jar org.countersignal.bench.service.DocumentMatchDriver local KJV VIM_DOC ROUNDS
 * java -cp benchmarks.jar org.countersignal.bench.service.DocumentMatchDriver http KJV VIM_DOC ROUNDS URL KEY IDS_DIR</pre>
 */
public final class DocumentMatchDriver {

  private static final String DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

  public static void main(String[] args) throws Exception {
    boolean http = args.length == 7 && args[0].equals("http");
    if (!http && !(args.length == 4 && args[0].equals("local"))) {
      System.err.println("usage: DocumentMatchDriver local KJV VIM_DOC ROUNDS | http KJV VIM_DOC ROUNDS URL KEY IDS_DIR");
      System.exit(2);
    }
    TextBankDocs docs = new TextBankDocs(Path.of(args[1]));
    List<String> lines = lines(docs.post(0), Path.of(args[2]));
    int rounds = Integer.parseInt(args[3]);
    String text = String.join("\n", lines);
    byte[] pdf = PdfPages.pdf(lines);
    byte[] docx = docx(lines);
    System.out.printf("text %,d characters in %,d lines; PDF %,d bytes (%d pages), DOCX %,d bytes; load average before [%s]%n",
        text.length(), lines.size(), pdf.length, (lines.size() + PdfPages.LINES_A_PAGE - 1) / PdfPages.LINES_A_PAGE, docx.length, load());
    if (http) {
      overHttp(args[4], args[5], Files.readAllLines(Path.of(args[6], "posts.ids")).getFirst(), text, pdf, docx, rounds);
    } else {
      local(pdf, docx, rounds);
    }
    System.out.printf("load average after [%s]%n", load());
  }

  /** Extraction alone, and extraction with every signal (text signal, URLs, digests), as the server computes them. */
  private static void local(byte[] pdf, byte[] docx, int rounds) throws Exception {
    DocumentExtractor extractor = new DocumentExtractor(DocumentLimits.DEFAULT);
    DocumentSignals signals = new DocumentSignals(extractor, new ImageDecoder());
    for (int warm = 0; warm < 2; warm++) {
      boolean measured = warm == 1;
      for (Object[] format : new Object[][] {{"PDF", pdf}, {"DOCX", docx}}) {
        byte[] bytes = (byte[]) format[1];
        long[] extract = new long[rounds];
        long[] all = new long[rounds];
        for (int i = 0; i < rounds; i++) {
          long started = System.nanoTime();
          extractor.extract(bytes);
          extract[i] = System.nanoTime() - started;
          started = System.nanoTime();
          signals.ofDocument(bytes);
          all[i] = System.nanoTime() - started;
        }
        if (measured) {
          System.out.printf("%-4s in process, %d rounds: text extraction %s; extraction and all signals %s%n",
              format[0], rounds, stats(extract), stats(all));
        }
      }
    }
  }

  private static void overHttp(String url, String key, String expected, String text, byte[] pdf, byte[] docx, int rounds)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    byte[] json = new ObjectMapper().writeValueAsBytes(Map.of("text", text));
    Object[][] cases = {
        {"text (JSON)", "/api/v1/match/text", "application/json", json},
        {"PDF", "/api/v1/match/upload", "application/pdf", pdf},
        {"DOCX", "/api/v1/match/upload", DOCX_TYPE, docx}};
    for (int warm = 0; warm < 2; warm++) {
      for (Object[] c : cases) {
        long[] took = new long[rounds];
        int found = 0;
        for (int i = 0; i < rounds; i++) {
          HttpRequest request = HttpRequest.newBuilder(URI.create(url + c[1]))
              .header("Authorization", "Bearer " + key).header("Content-Type", (String) c[2])
              .POST(HttpRequest.BodyPublishers.ofByteArray((byte[]) c[3])).build();
          long started = System.nanoTime();
          HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
          took[i] = System.nanoTime() - started;
          if (response.statusCode() != 200) {
            throw new IllegalStateException(c[0] + ": HTTP " + response.statusCode() + ": " + response.body());
          }
          if (response.body().contains("\"entry_id\":" + expected + ",")) {
            found++;
          }
        }
        if (warm == 1) {
          System.out.printf("%-11s %s, %d requests: %s; expected hit in %d%n", c[0], c[1], rounds, stats(took), found);
        }
      }
    }
  }

  private static String stats(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", pct(sorted, 0.5), pct(sorted, 0.9), pct(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double q) {
    return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6;
  }

  private static String load() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  /** The text as lines of at most 90 printable ASCII characters (what Helvetica in a PDF can show), 50 KB in all. */
  private static List<String> lines(String planted, Path vimDoc) throws IOException {
    StringBuilder source = new StringBuilder();
    for (Path file : Files.list(vimDoc).filter(f -> f.toString().endsWith(".txt")).sorted().limit(20).toList()) {
      source.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
      if (source.length() > 200_000) {
        break;
      }
    }
    int plantAt = source.indexOf("\n", 20_000);
    source.insert(plantAt + 1, "\n" + planted + "\n\n");
    List<String> lines = new ArrayList<>();
    int chars = 0;
    for (String word : source.toString().replaceAll("[^\\x21-\\x7e\\n]+", " ").split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      PdfPages.addWord(lines, word);
      chars += word.length() + 1;
      if (chars >= TextBankDocs.PAGE_CHARS) {
        break;
      }
    }
    return lines.stream().flatMap(l -> Arrays.stream(l.split("\n"))).filter(l -> !l.isBlank()).toList();
  }

  /** The least a word processor opens: content types, the package relationship and the body, one paragraph a line. */
  private static byte[] docx(List<String> lines) throws IOException {
    StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
    for (String line : lines) {
      String escaped = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
      body.append("<w:p><w:r><w:t xml:space=\"preserve\">").append(escaped).append("</w:t></w:r></w:p>");
    }
    body.append("</w:body></w:document>");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      entry(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/word/document.xml\" ContentType=\"" + DOCX_TYPE.replace("document", "document.main+xml")
          + "\"/></Types>");
      entry(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
          + " Target=\"word/document.xml\"/></Relationships>");
      entry(zip, "word/document.xml", body.toString());
    }
    return out.toByteArray();
  }

  private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
