package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text posts and documents through the same routes as images: banked and matched by their text
 * signal, a hit saying which part of the banked text it covers, and bad documents refused with a
 * problem detail while the server goes on.
 */
class TextMatchTest {

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

  private static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at"
      + " which but have an they you were her she there one all we their been has when who will more no if out so said what up"
      + " its about into than them can only other new some could time these two may then do first any my now such like our over"
      + " man me even most made after also did many before must through back years where much your way well down should because"
      + " each just those people how too little state good very make world still own see men work long get here between both life"
      + " being under never day same another know while last might us great old year off come since against go came right used"
      + " take three river mountain harbour lantern copper violet engine meadow pigeon quarry saddle thunder velvet walnut").split(" ");

  /** {@code n} words of pseudo-random prose, the same for the same seed. */
  static List<String> prose(long seed, int n) {
    Random random = new Random(seed);
    List<String> words = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      words.add(WORDS[random.nextInt(WORDS.length)]);
    }
    return words;
  }

  static String text(List<String> words) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      out.append(words.get(i)).append(i % 12 == 11 ? ".\n" : " ");
    }
    return out.toString();
  }

  static long newBank(String name) {
    return api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\"}").json().get("id").asLong();
  }

  static String json(String text) {
    return Api.JSON.createObjectNode().put("text", text).toString();
  }

  static JsonNode matches(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("matches");
  }

  static List<Long> entriesHit(JsonNode matches, String type) {
    List<Long> ids = new ArrayList<>();
    for (JsonNode hit : matches) {
      if (hit.get("signal_type").asText().equals(type)) {
        ids.add(hit.get("entry_id").asLong());
      }
    }
    return ids;
  }

  @Test
  void aBankedTextIsFoundByAnExcerptAndTheHitSaysWhichPartMatched() {
    long bank = newBank("manifestos");
    List<String> manifesto = prose(1, 3000);
    String banked = text(manifesto);
    Api.Response created = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload?labels=attacker_manifesto", admin,
        "text/plain; charset=utf-8", banked.getBytes(StandardCharsets.UTF_8));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long entry = created.json().get("id").asLong();
    // Entries keep the text signal's identity (its exact part and word count), not kilobytes of sketches.
    assertThat(created.json().get("signals").get("text").asText()).matches("t\\d+:[0-9a-f]{64}:3000");
    assertThat(created.json().get("signals").has("md5")).isTrue();

    // Words 1,200-1,700 of the banked text, re-flowed and posted as JSON.
    String excerpt = String.join("  ", manifesto.subList(1200, 1700)).toUpperCase(java.util.Locale.ROOT);
    JsonNode hits = matches(api.post("/api/v1/match/text", admin, json(excerpt)));
    assertThat(entriesHit(hits, "text")).containsExactly(entry);
    JsonNode hit = hits.get(0);
    assertThat(hit.get("query").asText()).matches("t\\d+:[0-9a-f]{64}:500");
    JsonNode part = hit.get("part");
    JsonNode bankedWords = part.get("banked").get("words");
    // The banked chunk that matched overlaps the excerpt's place in the banked text.
    assertThat(bankedWords.get(0).asInt()).isLessThan(1700);
    assertThat(bankedWords.get(1).asInt()).isGreaterThan(1200);
    // Its characters are those words of the banked text.
    JsonNode chars = part.get("banked").get("chars");
    String bankedPart = banked.substring(chars.get(0).asInt(), chars.get(1).asInt());
    assertThat(bankedPart.split("[\\s.]+")).containsSubsequence(
        manifesto.subList(bankedWords.get(0).asInt(), bankedWords.get(0).asInt() + 5).toArray(String[]::new));
    assertThat(part.get("query").get("share").asDouble()).isGreaterThan(0.9);
    assertThat(part.get("query").get("excerpt").asText()).isNotBlank();
    // The excerpt is the query's own text (spaces folded), where it matched.
    assertThat(excerpt.replaceAll("\\s+", " ")).contains(part.get("query").get("excerpt").asText().replace(" …", ""));

    // The same text signal, computed once and matched by value.
    Api.Response hashed = api.post("/api/v1/hash/text", admin, json(excerpt));
    String signal = hashed.json().get("signals").get("text").asText();
    assertThat(hashed.json().get("words").get("text").asInt()).isEqualTo(500);
    String body = Api.JSON.createObjectNode().set("signals", Api.JSON.createObjectNode().put("text", signal)).toString();
    assertThat(entriesHit(matches(api.post("/api/v1/match", admin, body)), "text")).containsExactly(entry);

    // Unrelated prose of the same vocabulary matches nothing.
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, json(text(prose(2, 500))))), "text")).isEmpty();
  }

  @Test
  void aReviewerSeesWhichPartOfTheBankedTextAPostMatched() {
    long bank = newBank("review texts");
    List<String> words = prose(8, 1200);
    assertThat(api.post("/api/v1/banks/" + bank + "/entries/text", admin, json(text(words))).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/rules", admin, "{\"name\":\"texts after review\",\"action\":\"remove\",\"review_first\":true,"
        + "\"conditions\":{\"banks\":[" + bank + "]}}").status()).isEqualTo(201);
    String post = "<script>alert(1)</script> " + String.join(" ", words.subList(600, 900));
    Api.Response matched = api.post("/api/v1/match/text", admin, Api.JSON.createObjectNode().put("text", post)
        .set("content", Api.JSON.createObjectNode().put("id", "post-9")).toString());
    long caseId = matched.json().get("submission").get("case_id").asLong();

    String reviewer = TestServers.key(api, admin, "reviewer");
    JsonNode hit = api.get("/api/v1/cases/" + caseId, reviewer).json().at("/submission/matches/0");
    assertThat(hit.get("signal_type").asText()).isEqualTo("text");
    assertThat(hit.at("/part/query/share").asDouble()).isGreaterThan(0.9);
    String excerpt = hit.at("/part/query/excerpt").asText();
    assertThat(excerpt).contains("</script> " + words.get(600) + " " + words.get(601));

    ConsoleClient console = new ConsoleClient(server.port());
    assertThat(console.signInWithKey(reviewer).status()).isEqualTo(303);
    String page = console.get("/console/cases/" + caseId).body();
    // The excerpt is folded away until asked for, and shown as text, never as markup.
    assertThat(page).contains("<details class=\"excerpt\"><summary>Show the matching excerpt of the post</summary>");
    assertThat(page).contains("&lt;/script&gt; " + words.get(600)).doesNotContain("</script> " + words.get(600));
    assertThat(page).containsPattern("banked words \\d+–\\d+; \\d+ % of the post");
  }

  @Test
  void disablingOrDeletingATextEntryStopsItsMatches() {
    long bank = newBank("lifecycle");
    List<String> words = prose(3, 800);
    Api.Response created = api.post("/api/v1/banks/" + bank + "/entries/text", admin, json(text(words)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long entry = created.json().get("id").asLong();
    String query = json(text(words.subList(100, 500)));
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, query)), "text")).containsExactly(entry);

    assertThat(api.post("/api/v1/entries/" + entry + "/disable", admin, "{\"reason\":\"false positive\"}").status()).isEqualTo(200);
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, query)), "text")).isEmpty();
    assertThat(api.post("/api/v1/entries/" + entry + "/enable", admin, "").status()).isEqualTo(200);
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, query)), "text")).containsExactly(entry);

    // The whole value is kept beside the entry, for export.
    Api.Response whole = api.get("/api/v1/entries/" + entry + "/values/text", admin);
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.body()).startsWith(created.json().get("signals").get("text").asText() + ":");

    assertThat(api.delete("/api/v1/entries/" + entry, admin).status()).isEqualTo(204);
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, query)), "text")).isEmpty();
  }

  @Test
  void aBankTakesItsOwnTextThreshold() {
    long strict = api.post("/api/v1/banks", admin, "{\"name\":\"strict\",\"thresholds\":{\"text\":0}}").json().get("id").asLong();
    List<String> words = prose(4, 600);
    long entry = api.post("/api/v1/banks/" + strict + "/entries/text", admin, json(text(words))).json().get("id").asLong();
    // Threshold 0: an edited copy (every 16th word changed) matches no chunk exactly, so not at all.
    List<String> edited = new ArrayList<>(words);
    for (int i = 0; i < edited.size(); i += 16) {
      edited.set(i, "zebra");
    }
    String copy = "{\"text\":\"" + String.join(" ", edited) + "\",\"banks\":[" + strict + "]}";
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, copy)), "text")).isEmpty();
    assertThat(api.patch("/api/v1/banks/" + strict, admin, "{\"thresholds\":{\"text\":40}}").status()).isEqualTo(200);
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, copy)), "text")).containsExactly(entry);
    String same = "{\"text\":\"" + String.join("   ", words).toUpperCase(java.util.Locale.ROOT) + "\",\"banks\":[" + strict + "]}";
    assertThat(entriesHit(matches(api.post("/api/v1/match/text", admin, same)), "text")).containsExactly(entry);
    assertThat(api.post("/api/v1/banks", admin, "{\"name\":\"wide\",\"thresholds\":{\"text\":65}}").status()).isEqualTo(422);
  }

  @Test
  void aPdfIsMatchedByItsTextAndTheHitNamesItsPages() throws IOException {
    long bank = newBank("documents");
    List<String> words = prose(5, 1500);
    byte[] pdf = pdf(words, 300, null);
    Api.Response created = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", admin, "application/pdf", pdf);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long entry = created.json().get("id").asLong();

    // A post quoting page 4 (words 900-1,200) of the PDF.
    JsonNode hits = matches(api.post("/api/v1/match/text", admin, json(text(words.subList(900, 1200)))));
    assertThat(entriesHit(hits, "text")).containsExactly(entry);
    JsonNode pages = hits.get(0).get("part").get("banked").get("pages");
    assertThat(pages.get(0).asInt()).isBetween(3, 4);
    assertThat(pages.get(1).asInt()).isBetween(4, 5);

    // The same PDF uploaded for a match: its digests and its text both hit.
    Api.Response matched = api.send("POST", "/api/v1/match/upload", admin, "application/octet-stream", pdf);
    assertThat(matched.json().get("content_type").asText()).isEqualTo("text");
    assertThat(entriesHit(matches(matched), "text")).containsExactly(entry);
    assertThat(entriesHit(matches(matched), "sha256")).containsExactly(entry);
  }

  @Test
  void docxAndHtmlAreMatchedByTheirText() throws IOException {
    long bank = newBank("formats");
    List<String> words = prose(6, 700);
    long entry = api.post("/api/v1/banks/" + bank + "/entries/text", admin, json(text(words))).json().get("id").asLong();

    byte[] docx = docx(String.join(" ", words.subList(50, 650)));
    Api.Response fromDocx = api.send("POST", "/api/v1/match/upload", admin,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx);
    assertThat(entriesHit(matches(fromDocx), "text")).containsExactly(entry);

    String html = "<!DOCTYPE html><html><head><title>x</title><script>var a = 1;</script></head><body><p>"
        + String.join(" ", words.subList(0, 400)) + "</p></body></html>";
    Api.Response fromHtml = api.send("POST", "/api/v1/match/upload", admin, "text/html", html.getBytes(StandardCharsets.UTF_8));
    assertThat(entriesHit(matches(fromHtml), "text")).containsExactly(entry);
  }

  @Test
  void badDocumentsAreRefusedWithAProblemDetailAndTheServerGoesOn() throws IOException {
    Api.Response encrypted = api.send("POST", "/api/v1/hash", admin, "application/pdf", pdf(prose(7, 200), 100, "secret"));
    assertThat(encrypted.status()).isEqualTo(415);
    assertThat(encrypted.contentType()).startsWith("application/problem+json");
    assertThat(encrypted.json().get("detail").asText()).contains("password");

    Api.Response broken = api.send("POST", "/api/v1/hash", admin, "application/pdf",
        "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF".getBytes(StandardCharsets.US_ASCII));
    assertThat(broken.status()).isEqualTo(422);
    assertThat(broken.contentType()).startsWith("application/problem+json");

    // A DOCX whose document part inflates from a few hundred kilobytes to over the 512 MB limit.
    Api.Response bomb = api.send("POST", "/api/v1/hash", admin, "application/octet-stream", docxBomb());
    assertThat(bomb.status()).as(bomb.body()).isEqualTo(422);
    assertThat(bomb.json().get("detail").asText()).contains("TOO_LARGE");

    // A PDF of a few kilobytes that claims 200,000 pages (one page object listed over and over).
    Api.Response pages = api.send("POST", "/api/v1/hash", admin, "application/pdf", pageBomb(200_000));
    assertThat(pages.status()).as(pages.body()).isEqualTo(422);
    assertThat(pages.json().get("detail").asText()).contains("pages");

    // 100 MB of text: refused by its declared length, before the body is sent (100-continue).
    byte[] huge = new byte[100 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');
    Api.Response tooLarge = api.send("POST", "/api/v1/hash", admin, "text/plain", huge, true);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.contentType()).startsWith("application/problem+json");
    Api.Response tooLargeJson = api.send("POST", "/api/v1/match/text", admin, "application/json",
        ("{\"text\":\"" + "a ".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8), true);
    assertThat(tooLargeJson.status()).isEqualTo(413);

    // Bytes declared UTF-8 that are not.
    Api.Response notUtf8 = api.send("POST", "/api/v1/hash", admin, "text/plain; charset=utf-8",
        new byte[] {'a', 'b', ' ', (byte) 0xC3, (byte) 0x28, ' ', 'c'});
    assertThat(notUtf8.status()).isEqualTo(422);
    assertThat(notUtf8.json().get("detail").asText()).contains("UTF-8");

    Api.Response empty = api.post("/api/v1/banks/" + newBank("empty") + "/entries/text", admin, json(" ... !!! "));
    assertThat(empty.status()).isEqualTo(422);

    Api.Response health = api.get("/health/live", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(api.post("/api/v1/hash/text", admin, json("still here")).status()).isEqualTo(200);
  }

  /** A PDF of {@code words}, {@code perPage} to a page, optionally encrypted with a user password. */
  static byte[] pdf(List<String> words, int perPage, String password) throws IOException {
    try (PDDocument document = new PDDocument()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (int start = 0; start < words.size(); start += perPage) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(font, 9);
          content.setLeading(11);
          content.newLineAtOffset(40, 750);
          List<String> pageWords = words.subList(start, Math.min(words.size(), start + perPage));
          for (int line = 0; line < pageWords.size(); line += 14) {
            content.showText(String.join(" ", pageWords.subList(line, Math.min(pageWords.size(), line + 14))));
            content.newLine();
          }
          content.endText();
        }
      }
      if (password != null) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", password, new AccessPermission());
        policy.setEncryptionKeyLength(128);
        document.protect(policy);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    }
  }

  /** A PDF whose page tree lists one page {@code count} times: a few bytes per page. */
  static byte[] pageBomb(int count) {
    StringBuilder kids = new StringBuilder();
    for (int i = 0; i < count; i++) {
      kids.append("3 0 R ");
    }
    String[] objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Count " + count + " /Kids [" + kids + "] >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"};
    StringBuilder pdf = new StringBuilder("%PDF-1.7\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.length; i++) {
      offsets.add(pdf.length());
      pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    int xref = pdf.length();
    pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      pdf.append(String.format("%010d 00000 n \n", offset));
    }
    pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return pdf.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] docx(String text) throws IOException {
    return zip("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        + "<w:body><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:body></w:document>");
  }

  /** A DOCX whose document part is over 600 MB of one repeated byte once inflated. */
  static byte[] docxBomb() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      byte[] spaces = new byte[1 << 20];
      java.util.Arrays.fill(spaces, (byte) ' ');
      zip.write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 600; i++) {
        zip.write(spaces);
      }
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private static byte[] zip(String documentXml) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write(documentXml.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return out.toByteArray();
  }
}
